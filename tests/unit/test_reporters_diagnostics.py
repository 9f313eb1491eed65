"""fedplan.reporters.diagnostics: the problem lists people, programs and GitHub read."""

from __future__ import annotations

from fedplan.diagnostics import Pos, error, warning
from fedplan.reporters import diagnostics as report


class _CountedText(str):
    """A file's text that counts how often it is split into lines."""

    splits = 0

    def splitlines(self, keepends: bool = False) -> list[str]:
        type(self).splits += 1
        return super().splitlines(keepends)


def test_each_file_is_split_into_lines_once_however_many_problems_it_has() -> None:
    """Excerpts cost the same however large the file: 20,000 problems in a 1 MB file took
    a minute when each excerpt split the whole file again (issue 10)."""
    text = _CountedText("".join(f"key{n}: 值\n" for n in range(100)))
    found = [error(Pos("a.yaml", n * 5, 6), "type", f"第 {n * 5} 行") for n in range(1, 21)]
    out = report.as_text(found, {"a.yaml": text})
    assert _CountedText.splits == 1
    assert "  100 | key99: 值\n      |      ^" in out
    assert "  5 | key4: 值\n    |      ^" in out


def test_at_most_limit_per_file_and_code_then_the_rest_counted_after_that_file() -> None:
    found = sorted(
        [error(Pos("a.yaml", n, 1), "type", "类型不对") for n in range(1, 8)]
        + [warning(Pos("a.yaml", n, 1), "stale-target", "久未更新") for n in range(1, 3)]
        + [error(Pos("b.yaml", n, 1), "type", "类型不对") for n in range(1, 4)]
    )
    out = report.as_text(found, {}, limit=3, everything="看全部")
    blocks = out.split("\n\n")
    assert [b for b in blocks if b.startswith("a.yaml：") or b.startswith("b.yaml：")] == [
        "a.yaml：另有 4 个同类问题 [type] 未列出（每个文件每种问题只列出前 3 个；看全部）"
    ]
    # the count comes after a.yaml's last listed problem, before b.yaml's first
    assert blocks.index("a.yaml：另有 4 个同类问题 [type] 未列出（每个文件每种问题只列出前 3 个；看全部）") == 5
    assert sum("[type]" in b for b in blocks) == 3 + 1 + 3
    assert blocks[-1] == "10 个错误，2 个警告。\n"


def test_the_count_of_the_rest_shows_control_characters_from_a_path() -> None:
    found = [error(Pos("a\x1b[2J.yaml", n, 1), "type", "x") for n in range(1, 4)]
    assert "\x1b" not in report.as_text(found, {}, limit=1)
    assert "\x1b" not in report.as_github(found, limit=1)


def test_a_long_line_is_shown_around_the_column_with_the_caret_under_it() -> None:
    """A 1 MB one-line flow mapping was printed whole under each of its problems (18 MB
    of output for 20 of them); a window of the line around the column is shown instead."""
    line = "{" + ", ".join(f"k{n}: 值{n}" for n in range(20_000)) + "}"
    col = line.index("k10000:") + 1
    out = report.as_text([error(Pos("a.yaml", 1, col), "type", "x")], {"a.yaml": line + "\n"})
    source, caret = out.split("\n")[1:3]
    assert source.startswith("  1 | …") and source.endswith("…")
    assert len(source) < 2 * report.EXCERPT_CHARS
    shown = source[len("  1 | ") :]
    # the caret stands under k10000, counted in display columns (值 takes two)
    assert report.display_width(shown[: shown.index("k10000:")]) == caret.index("^") - len("    | ")
    short = report.as_text([error(Pos("a.yaml", 1, 4), "type", "x")], {"a.yaml": "ab\tcd: 值\n"})
    assert "  1 | ab cd: 值\n    |    ^" in short
