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


def _excerpt(diag: Diagnostic, sources: Mapping[str, str]) -> list[str]:
    text = sources.get(diag.pos.path)
    if text is None or diag.pos.line < 1:
        return []
    lines = text.splitlines()
    if diag.pos.line > len(lines):
        return []
    line = lines[diag.pos.line - 1].replace("\t", " ")
    number = str(diag.pos.line)
    gutter = " " * len(number)
    caret = " " * display_width(visible(line[: max(diag.pos.col - 1, 0)])) + "^"
    return [f"  {number} | {visible(line)}", f"  {gutter} | {caret}"]


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "没有发现问题。"
    return f"{errors} 个错误，{warnings} 个警告。"


def as_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> str:
    """hledger-style: the location line, the source line with a caret, then the hint."""
    blocks = []
    for diag in diagnostics:
        lines = [visible(str(diag)), *_excerpt(diag, sources)]
        if diag.hint:
            lines.append(f"  提示：{visible(diag.hint)}")
        blocks.append("\n".join(lines))
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


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one ::error/::warning annotation per problem."""
    out = []
    for d in diagnostics:
        level = "error" if d.is_error else "warning"
        props = (
            f"file={_escape_property(d.pos.path)},line={d.pos.line},col={d.pos.col},"
            f"title={_escape_property('fedplan ' + d.code)}"
        )
        message = d.message + (f"（提示：{d.hint}）" if d.hint else "")
        out.append(f"::{level} {props}::{_escape_data(message)}")
    return "".join(line + "\n" for line in out)


# `validate --format`: each format's writer, given the diagnostics and the files' text.
# fedplan.formats.DIAGNOSTICS names the same formats for click (tests/test_formats.py).
WRITERS: dict[str, Callable[[Sequence[Diagnostic], Mapping[str, str]], str]] = {
    "text": as_text,
    "json": lambda found, sources: as_json(found),
    "github": lambda found, sources: as_github(found),
}
