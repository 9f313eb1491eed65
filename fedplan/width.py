"""How many fixed-width columns a text takes: one per narrow character, two per wide one."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from typing import IO


def display_width(text: str, *, ambiguous_wide: bool) -> int:
    """Columns ``text`` takes: Chinese characters and full-width forms count 2, others 1.

    East Asian *ambiguous* characters (“ ” ‘ ’ — … ·) are the one question: a terminal draws
    them one column wide (so does rich), so a caret under a source line counts them narrow;
    a Chinese document sets them in the Chinese face, a full character wide, so the txt page
    and the docx layout count them wide.
    """
    wide = ("W", "F", "A") if ambiguous_wide else ("W", "F")
    return sum(2 if unicodedata.east_asian_width(c) in wide else 1 for c in text)


# Characters a terminal (or a CI log viewer) acts on instead of showing: C0 controls but tab
# and newline, DEL, C1 controls, the bidirectional overrides and isolates (which reorder
# what follows, "Trojan Source"), and the Unicode line and paragraph separators.
_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␍ for CR: the Control Pictures block
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` safe to print: every character a terminal would act on shown instead
    (``\\x1b`` → ␛, U+202E → ``\\u202e``); tab and newline stay. Every reporter passes what
    came from a file or the command line through this before it reaches a terminal."""
    return _ACTIVE.sub(_shown, text) if _ACTIVE.search(text) else text


def escape_json(text: str) -> str:
    """JSON text with the characters ``visible`` shows escaped as ``\\uXXXX`` (json.dumps
    escapes only C0): the same data for a parser, nothing active for a terminal."""
    return _ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def terminal_columns(file: IO[str] | None = None, default: int = 80) -> int:
    """How wide the terminal is: ``COLUMNS`` if it holds a positive number, else the width of
    the terminal ``file`` (stdout) is, else ``default`` — as shutil.get_terminal_size, which
    click's help would import (with bz2 and lzma) for this alone."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size((file or sys.__stdout__ or sys.stdout).fileno()).columns or default
    except (AttributeError, ValueError, OSError):
        return default
