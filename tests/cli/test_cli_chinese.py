"""click's own words reach users in Chinese: help headings, the help option, usage errors."""

from __future__ import annotations

import re

import pytest

from fedplan.cli_chinese import chinese_hint, chinese_message
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

    root = Path(__file__).resolve().parents[2]
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


def test_click_path_errors_of_o_are_chinese_with_a_hint(tmp_path) -> None:
    """click checks -o before fedplan runs: a folder given as -o, a file as import's -o
    folder, a missing path, came out as “Invalid value for '-o' / '--output': File … is a
    directory.”, in English."""
    folder, file = tmp_path / "出口", tmp_path / "a.txt"
    folder.mkdir()
    file.write_text("x")
    code, out = invoke("status", "2012", "-o", str(folder))
    assert code == 2
    assert f"fedplan: 用法错误: -o/--output 的值无效：“{folder}”是目录，这里要一个文件\n" in out
    assert f"  提示: 在目录后写上文件名，如 {folder}/文件名（扩展名决定格式，如 .docx、.xlsx）；运行 fedplan status --help 查看用法" in out
    code, out = invoke("report", "2012", "--output", str(folder))
    assert code == 2 and "-o/--output 的值无效" in out and "在目录后写上文件名" in out
    code, out = invoke("import", str(file), "-o", str(file))
    assert code == 2 and f"-o/--output-dir 的值无效：“{file}”是文件，这里要一个目录" in out
    assert "这里要写一个目录的路径（不存在的目录会新建）" in out
    code, out = invoke("-C", str(file), "validate")  # -C is never made: no word of making it
    assert code == 2 and "-C 的值无效" in out and "这里要写一个目录的路径；" in out
    code, out = invoke("log", "--from", str(folder))  # an input: nothing about formats
    assert code == 2 and f"在目录后写上文件名，如 {folder}/文件名；" in out
    code, out = invoke("render", str(tmp_path / "无.yaml"))
    assert code == 2 and "不存在" in out and "检查路径是否写对" in out
    for english in ("Invalid value", "is a directory", "is a file", "does not exist"):
        assert english not in out


def test_permission_messages_and_escapes_in_a_path_given_to_click(tmp_path) -> None:
    assert chinese_message("Invalid value for '-o' / '--output': File 'x.xlsx' is not writable.") == (
        "-o/--output 的值无效：“x.xlsx”没有写入权限"
    )
    assert chinese_message("File 'x.yaml' is not readable.") == "“x.yaml”没有读取权限"
    assert "权限" in chinese_hint("Invalid value for '-o' / '--output': File 'x.xlsx' is not writable.")
    folder = tmp_path / "it's\x1b[2J"
    folder.mkdir()
    code, out = invoke("status", "-o", str(folder))
    assert code == 2 and "\x1b" not in out and "是目录" in out and "在目录后写上文件名" in out
