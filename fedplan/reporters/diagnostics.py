"""Diagnostics for people (text, with the offending line and a caret), programs (json)
and GitHub Actions (workflow annotations). Formatting only: the caller prints.

Whatever came from a file is passed through ``width.visible`` (text, github) or escaped
(json): a file holding ``\x1b[2J`` must not clear the screen of whoever reads the output,
nor print a fake "没有发现问题" in a CI log."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from fedplan import width
from fedplan.diagnostics import Diagnostic
from fedplan.width import visible


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a terminal draws “ ” — … one column wide."""
    return width.display_width(text, ambiguous_wide=False)


class _Lines:
    """Each file's lines, split once: a list of 20,000 problems in a 1 MB file split the
    file 20,000 times (a minute of output, against under a second for JSON)."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources
        self.split: dict[str, list[str]] = {}

    def get(self, path: str) -> list[str] | None:
        lines = self.split.get(path)
        if lines is None:
            text = self.sources.get(path)
            if text is None:
                return None
            lines = self.split[path] = text.splitlines()
        return lines


# Characters of a long source line shown around the column: a 1 MB one-line flow mapping
# printed whole under each of its problems made 18 MB of output.
EXCERPT_CHARS = 100


def _excerpt(diag: Diagnostic, files: _Lines) -> list[str]:
    lines = files.get(diag.pos.path) if diag.pos.line >= 1 else None
    if lines is None or diag.pos.line > len(lines):
        return []
    line = lines[diag.pos.line - 1]
    at = min(max(diag.pos.col - 1, 0), len(line))
    start, end = 0, len(line)
    if len(line) > EXCERPT_CHARS:
        start = max(0, min(at - EXCERPT_CHARS // 2, len(line) - EXCERPT_CHARS))
        end = start + EXCERPT_CHARS
    before = ("…" if start else "") + line[start:at]
    after = line[at:end] + ("…" if end < len(line) else "")
    before, after = before.replace("\t", " "), after.replace("\t", " ")
    number = str(diag.pos.line)
    gutter = " " * len(number)
    caret = " " * display_width(visible(before)) + "^"
    return [f"  {number} | {visible(before + after)}", f"  {gutter} | {caret}"]


# The problems text and github output list for one file and code; the rest are counted in
# one line (JSON lists every problem, and the summary and the exit code count them all).
# A misspelt key copied down a 20,000-line ledger is one mistake, not 20,000 screens.
PER_FILE_AND_CODE = 20


def _shown(diagnostics: Sequence[Diagnostic], limit: int) -> tuple[list[Diagnostic], dict[str, dict[str, int]]]:
    """The diagnostics to list (at most ``limit`` per file and code, in their order) and,
    per file, the count left out of each code (codes in the order first met)."""
    seen: dict[tuple[str, str], int] = {}
    shown: list[Diagnostic] = []
    left: dict[str, dict[str, int]] = {}
    for diag in diagnostics:
        key = (diag.pos.path, diag.code)
        n = seen[key] = seen.get(key, 0) + 1
        if n <= limit:
            shown.append(diag)
        else:
            codes = left.setdefault(diag.pos.path, {})
            codes[diag.code] = codes.get(diag.code, 0) + 1
    return shown, left


def _left_out(path: str, code: str, count: int, limit: int, everything: str) -> str:
    more = f"；{everything}" if everything else ""
    return visible(f"{path}：另有 {count:,} 个同类问题 [{code}] 未列出（每个文件每种问题只列出前 {limit} 个{more}）")


def _last_of_each_path(diagnostics: Sequence[Diagnostic]) -> dict[int, str]:
    """Index of the last listed diagnostic of each file → its path (the place to say what
    was left out of that file)."""
    last = {diag.pos.path: i for i, diag in enumerate(diagnostics)}
    return {i: path for path, i in last.items()}


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "没有发现问题。"
    return f"{errors} 个错误，{warnings} 个警告。"


def as_text(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    limit: int = PER_FILE_AND_CODE,
    everything: str = "",
) -> str:
    """hledger-style: the location line, the source line with a caret, then the hint; at
    most ``limit`` per file and code, then a line counting the rest (``everything`` says
    where to see them all). The summary counts every diagnostic."""
    files = _Lines(sources)
    shown, left = _shown(diagnostics, limit)
    ends = _last_of_each_path(shown)
    blocks = []
    for i, diag in enumerate(shown):
        lines = [visible(str(diag)), *_excerpt(diag, files)]
        if diag.hint:
            lines.append(f"  提示：{visible(diag.hint)}")
        blocks.append("\n".join(lines))
        path = ends.get(i)
        if path in left:
            blocks.extend(_left_out(path, code, n, limit, everything) for code, n in left[path].items())
    blocks.append(summary(diagnostics))
    return "\n\n".join(blocks) + "\n"


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    rows = [
        {
            "path": d.pos.path,
            "line": d.pos.line,
            "column": d.pos.col,
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message,
            "hint": d.hint,
        }
        for d in diagnostics
    ]
    return width.escape_json(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n"


def _escape_data(text: str) -> str:
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: Sequence[Diagnostic], *, limit: int = PER_FILE_AND_CODE, everything: str = "") -> str:
    """GitHub Actions workflow commands: one ::error/::warning annotation per problem, at
    most ``limit`` per file and code, then one ::notice on the file counting the rest."""
    shown, left = _shown(diagnostics, limit)
    ends = _last_of_each_path(shown)
    out = []
    for i, d in enumerate(shown):
        level = "error" if d.is_error else "warning"
        props = (
            f"file={_escape_property(d.pos.path)},line={d.pos.line},col={d.pos.col},"
            f"title={_escape_property('fedplan ' + d.code)}"
        )
        message = d.message + (f"（提示：{d.hint}）" if d.hint else "")
        out.append(f"::{level} {props}::{_escape_data(message)}")
        path = ends.get(i)
        if path in left:
            for code, n in left[path].items():
                props = f"file={_escape_property(path)},title={_escape_property('fedplan ' + code)}"
                out.append(f"::notice {props}::{_escape_data(_left_out(path, code, n, limit, everything))}")
    return "".join(line + "\n" for line in out)


_EVERYTHING = "fedplan validate --format json 列出全部"

# `validate --format`: each format's writer, given the diagnostics and the files' text.
# fedplan.formats.DIAGNOSTICS names the same formats for click (tests/unit/test_kinds.py).
WRITERS: dict[str, Callable[[Sequence[Diagnostic], Mapping[str, str]], str]] = {
    "text": lambda found, sources: as_text(found, sources, everything=_EVERYTHING),
    "json": lambda found, sources: as_json(found),
    "github": lambda found, sources: as_github(found, everything=_EVERYTHING),
}
