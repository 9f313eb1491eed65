"""Half-width → full-width punctuation in Chinese text: the one rule, used by documents
(render/chinese.py's ``fullwidth`` filter) and by imported text
(importer/clean.py's ``normalize_punctuation``).

A half-width , : ; ? ! or bracket becomes full-width when it stands beside a Chinese
character; "3,000", "12:30", "(1)" and "see (a)" stay. How eager differs on purpose: a
document's field may hold English, Markdown or a literal “: ”, so there only a wide Chinese
neighbour counts; an imported line is known to be Chinese prose (``prose=True``), so there
“”…— and the line's edges count too (see ``fullwidth``).
"""

from __future__ import annotations

import re
import unicodedata

from fedplan.hanzi import HAN
from fedplan.lazyre import lazy_re

_MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HAN = lazy_re(f"[{HAN}]")
_NARROW_CHINESE = frozenset("“”‘’…—")  # Chinese punctuation Unicode calls ambiguous width
_PAIR = lazy_re(r"\(([^()]*)\)")
_LONE = lazy_re(r"[()]")
_MARK = lazy_re(r"([,:;?!]) *")


def is_chinese(char: str, *, prose: bool = False) -> bool:
    """A character of Chinese text: a wide (full-width) one — Han, 、。，（）《》, full-width
    letters — but not a digit, so "1,000" and "１:２" stay numbers. In ``prose`` also the
    Chinese punctuation Unicode calls ambiguous width (“”‘’…—) and ○."""
    if prose and (char in _NARROW_CHINESE or _HAN.match(char)):
        return True
    return unicodedata.east_asian_width(char) in ("W", "F") and not char.isdigit()


def fullwidth(text: str, *, prose: bool = False) -> str:
    """``text`` with half-width , : ; ? ! and ( ) made full-width where they stand beside
    Chinese; the spaces after a turned mark go (a full-width mark carries its own).

    By default (a document's field, which may hold English, Markdown or a bare "(1)") a mark
    turns when the character before or after it is Chinese, and a bracket pair when the
    character before it or one inside it is: "time: 12:30", "see (a)", "“: ”" and
    "[链接](a.md)" stay.

    ``prose=True`` (an imported line, known to be Chinese prose) is more eager: “”‘’…— count
    as Chinese, the start and end of the text count as Chinese, a pair also turns when
    Chinese follows it, and a lone bracket beside Chinese turns: "(1)建邺区" → "（1）建邺区",
    a bare "(1)" → "（1）", "“双学双比”,“巾帼”" → "“双学双比”，“巾帼”". Numbers keep their marks
    in both: "3,000", "8:30".
    """

    def chinese_at(s: str, i: int) -> bool:
        return prose if i < 0 or i >= len(s) else is_chinese(s[i], prose=prose)

    def pair(match: re.Match[str]) -> str:
        inner = match.group(1)
        if (
            chinese_at(text, match.start() - 1)
            or any(is_chinese(c, prose=prose) for c in inner)
            or (prose and chinese_at(text, match.end()))
        ):
            return f"（{inner}）"
        return match.group(0)

    text = _PAIR.sub(pair, text)

    def lone(match: re.Match[str]) -> str:
        i = match.start()
        if chinese_at(text, i - 1) or chinese_at(text, i + 1):
            return "（" if match.group(0) == "(" else "）"
        return match.group(0)

    if prose:
        text = _LONE.sub(lone, text)

    def mark(match: re.Match[str]) -> str:
        if chinese_at(text, match.start() - 1) or chinese_at(text, match.end()):
            return _MARKS[match.group(1)]
        return match.group(0)

    return _MARK.sub(mark, text)
