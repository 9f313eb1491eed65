"""click's own words reach users in Chinese: help headings, the help option, usage errors."""

from __future__ import annotations

import re

import pytest

from fedplan.cli_chinese import chinese_message
from tests.conftest import cli


def invoke(*args: str) -> tuple[int, str]:
    result = cli(*args)
    return result.exit_code, result.output


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["report", "-h"]])
def test_help_is_chinese(args: list[str]) -> None:
    code, out = invoke(*args)
    assert code == 0
    assert out.startswith("用法：fedplan")
    assert "选项：" in out and "显示此帮助并退出。" in out
    for english in ("Usage:", "Options:", "Show this message", "[default:"):
        assert english not in out


def test_version() -> None:
    assert invoke("--version") == (0, "fedplan 0.1.0\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--bogus"], "没有选项 --bogus"),
        (["status", "--statu", "done"], "没有选项 --statu，是不是 --at、--status？"),
        (["status", "x"], "[年度] 的值无效：“x”不是整数"),
        (["report"], "缺少参数 年度"),
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


def test_one_word_for_a_dated_target_everywhere() -> None:
    # 节点任务, the word of Chinese work plans and of the generated 总结; never 里程碑 beside it.
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = [*root.joinpath("fedplan").rglob("*.py"), *root.joinpath("templates").rglob("*"), root / "README.md"]
    files += list(root.joinpath("docs").glob("*.md"))
    assert [p.name for p in files if p.is_file() and "里程碑" in p.read_text(encoding="utf-8")] == []
    assert "节点任务" in invoke("log", "--help")[1]


def test_help_columns_align_by_display_width() -> None:
    # "--total 累计数" is 13 characters but 16 columns: every description starts in one column.
    from fedplan.width import display_width

    out = invoke("log", "--help")[1]
    rows = [line for line in out.split("选项：")[1].splitlines() if line.startswith("  --")]
    starts = set()
    for row in rows:
        description = re.search(r"\S {2,}(\S)", row)
        assert description, row
        starts.add(display_width(row[: description.start(1)], ambiguous_wide=False))
    assert len(rows) >= 5 and len(starts) == 1


def test_long_help_lines_fit_the_terminal_in_columns() -> None:
    from fedplan.width import display_width

    for args in (["--help"], ["status", "--help"], ["log", "--help"], ["report", "--help"]):
        for line in invoke(*args)[1].splitlines():
            if "[done|" in line or "[table|" in line:
                continue  # a choice list click writes whole
            assert display_width(line, ambiguous_wide=False) <= 80, line


def test_every_command_has_an_example_and_chinese_placeholders() -> None:
    from fedplan.cli import main

    for name in main.commands:
        text = invoke(name, "--help")[1]
        assert "例：fedplan " + name in text.replace("\n", " "), name
        usage_and_options = [line for line in text.splitlines() if line.startswith(("用法：", "  -"))]
        for line in usage_and_options:
            shown = line.strip().split("  ")[0] if line.startswith("  -") else line  # the option, not its help
            assert re.search(r"\b[A-Z]{2,}\b", shown.replace("GBK", "")) is None, (name, line)
