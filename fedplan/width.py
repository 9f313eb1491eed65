"""How many fixed-width columns a text takes: one per narrow character, two per wide one."""

from __future__ import annotations

import unicodedata


def display_width(text: str, *, ambiguous_wide: bool) -> int:
    """Columns ``text`` takes: Chinese characters and full-width forms count 2, others 1.

    East Asian *ambiguous* characters (“ ” ‘ ’ — … ·) are the one question: a terminal draws
    them one column wide (so does rich), so a caret under a source line counts them narrow;
    a Chinese document sets them in the Chinese face, a full character wide, so the txt page
    and the docx layout count them wide.
    """
    wide = ("W", "F", "A") if ambiguous_wide else ("W", "F")
    return sum(2 if unicodedata.east_asian_width(c) in wide else 1 for c in text)
