"""The numbered headings of Chinese official documents: 一、 （一） 1. 1、 （1）.

Levels follow GB/T 9704-2012 §7.3.3: 一、 is level 1, （一） level 2, 1. (or 1、) level 3,
（1） level 4. Both half- and full-width brackets and dots are accepted because the
legacy files mix them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "〇零一二三四五六七八九十百两"
_CN_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
# Written digit by digit (years), zero is also typed as a circle ○ or a letter O.
_DIGIT_VALUES = {**_CN_VALUES, "○": 0, "O": 0}

# Order matters: the bracketed forms before the bare ones, so "（1）" is not read as "1".
_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(rf"^[(（]\s*([{CN_DIGITS}]{{1,3}})\s*[)）]\s*")),
    (4, re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*")),
    (1, re.compile(rf"^([{CN_DIGITS}]{{1,3}})\s*[、.．]\s*")),
    # "1." but not "1.5万元" nor "6.26": the dot must not be followed by a digit.
    (3, re.compile(r"^(\d{1,2})\s*(?:[.．](?!\d)|、)\s*")),
)


@dataclass(frozen=True)
class Heading:
    """A numbered heading at the start of a line: its level, number, and what follows it."""

    level: int
    number: int
    marker: str
    rest: str


def cn_number(text: str) -> int | None:
    """The value of a small Chinese numeral: 一 → 1, 十二 → 12, 二十三 → 23 (None past 99)."""
    tens, ten, units = text.partition("十")
    if not ten:
        return _CN_VALUES.get(text)
    if (tens and tens not in _CN_VALUES) or (units and units not in _CN_VALUES):
        return None
    return (_CN_VALUES[tens] if tens else 1) * 10 + (_CN_VALUES[units] if units else 0)


def cn_digits(text: str) -> int | None:
    """The value of a number written digit by digit, as years are: 二〇〇六 → 2006, 二○一二 → 2012."""
    if not text or any(c not in _DIGIT_VALUES for c in text):
        return None
    return int("".join(str(_DIGIT_VALUES[c]) for c in text))


def parse_heading(line: str) -> Heading | None:
    """The heading that ``line`` starts with, or None.

    >>> parse_heading("（三）作为样板").level
    2
    """
    for level, pattern in _PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        raw = match.group(1)
        number = int(raw) if raw.isdigit() else cn_number(raw)
        if number is None or number == 0:
            continue
        rest = line[match.end():]
        if level == 1 and raw in ("一", "两") and not rest:
            continue
        return Heading(level=level, number=number, marker=match.group(0).strip(), rest=rest)
    return None


def is_bare_marker(line: str) -> bool:
    """A line holding only a heading number, like "(1)" split from its paragraph."""
    heading = parse_heading(line.strip())
    return heading is not None and not heading.rest.strip()
