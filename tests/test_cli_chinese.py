"""click's own words reach users in Chinese: help headings, the help option, usage errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from fedplan.cli import main
from fedplan.cli_chinese import chinese_message


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["report", "-h"]])
def test_help_is_chinese(args: list[str]) -> None:
    code, out = invoke(*args)
    assert code == 0
    assert out.startswith("用法：fedplan")
    assert "选项:" in out and "显示此帮助并退出。" in out
    for english in ("Usage:", "Options:", "Show this message", "[default:"):
        assert english not in out


def test_version() -> None:
    assert invoke("--version") == (0, "fedplan 0.1.0\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--bogus"], "没有选项 --bogus"),
        (["status", "--statu", "done"], "没有选项 --statu，是不是 --at、--status？"),
        (["status", "x"], "[YEAR] 的值无效：“x”不是整数"),
        (["report"], "缺少参数 YEAR"),
        (["nosuch"], "没有命令“nosuch”"),
        (["status", "--format", "xml"], "--format 的值无效：“xml”不是可选的值（table、json、csv、xlsx）"),
        (["status", "2012", "2013"], "多余的参数：2013"),
        (["status", "--owner"], "选项 --owner 后面要写一个值"),
        (["status", "--as-of", "2012-13-01"], "--as-of 的值无效：“2012-13-01”不是日期"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(args: list[str], message: str) -> None:
    code, out = invoke(*args)
    assert code == 2
    assert f"fedplan: 用法错误: {message}" in out
    assert "Error:" not in out and "Try '" not in out


def test_a_message_we_do_not_know_is_shown_as_click_wrote_it() -> None:
    assert chinese_message("Something new in click 9.") == "Something new in click 9."
