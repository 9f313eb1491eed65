"""The numbered headings of Chinese documents, recognised in one place.

GB/T 9704-2012 §7.3.3 gives four levels: 一、 is level 1, （一） level 2, 1. (or 1、)
level 3, （1） level 4. Real documents also use outline systems around those, and they
get levels that keep the order a reader sees:

- level 0, above 一、: 第一章 / 第一部分 and the formal numerals 壹、 貳、 (Taiwan);
- level 3 and 4: decimal outlines, 1.1 and 1.1.1 (under 一、, as 1. would be);
- level 2, as （一）: points counted in words, "第一，" "第二.";
- level 5, below （1）: the circled numbers ① … ⑳.

Both half- and full-width brackets and dots are accepted because legacy files mix them.
The importer reads outlines with this module, the renderers ask it which level a
paragraph's run-in number is; it depends on nothing else in fedplan.
"""

from __future__ import annotations

import re

from fedplan.lazyre import lazy_re
from fedplan.records import record

CN_DIGITS = "〇零一二三四五六七八九十百两"
_CN_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
# Written digit by digit (years), zero is also typed as a circle ○ or a letter O.
_DIGIT_VALUES = {**_CN_VALUES, "○": 0, "O": 0}
# The formal numerals of cheques and Taiwanese outlines: 壹 貳 參 肆 …
_FORMAL = {"壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "叄": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
           "柒": 7, "捌": 8, "玖": 9, "拾": 10}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_OUTLINE_TEXT = r"(?=[\u4e00-\u9fff])(?![万亿倍元米个])(?![^，。；\s]{0,8}[日节節])"

# Order matters: the bracketed forms before the bare ones, so "（1）" is not read as "1",
# and the decimal outline before "1." (whose dot must not be followed by a digit).
# Each is tried with .match(text, pos), which anchors it at pos: no ^, which only matches at 0.
_PATTERNS: tuple[tuple[int, str, re.Pattern[str]], ...] = (
    (0, "chapter", lazy_re(rf"第\s*([{CN_DIGITS}]{{1,3}}|\d{{1,2}})\s*(?:章|部分)\s*[、.．：:]?\s*")),
    (0, "formal", lazy_re(rf"([{''.join(_FORMAL)}])\s*[、.．]\s*")),
    (2, "cn", lazy_re(rf"[(（]\s*([{CN_DIGITS}]{{1,3}})\s*[)）]\s*[、.．]?\s*")),
    # "第一，积极参与……" "第二.坚持……": points counted in words, as (一) is.
    (2, "ordinal", lazy_re(rf"第([{CN_DIGITS}]{{1,3}})\s*[，,、.．]\s*")),
    (4, "digit", lazy_re(r"[(（]\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*")),
    (1, "cn", lazy_re(rf"([{CN_DIGITS}]{{1,3}})\s*[、.．]\s*")),
    # "1.1区域背景" but not "1.5万元": a Han character (not a unit) follows.
    # A date written 3.15 is not one: "3.15消费者权益日", "6.26禁毒日".
    (4, "decimal", lazy_re(rf"(\d{{1,2}}\.\d{{1,2}}\.\d{{1,2}})(?![\d.])\s*{_OUTLINE_TEXT}")),
    (3, "decimal", lazy_re(rf"(\d{{1,2}}\.\d{{1,2}})(?![\d.])\s*{_OUTLINE_TEXT}")),
    # "1." but not "1.5万元" nor "6.26": the dot must not be followed by a digit.
    (3, "digit", lazy_re(r"(\d{1,2})\s*(?:[.．](?!\d)|、)\s*")),
    (5, "circled", lazy_re(rf"([{CIRCLED}])\s*")),
)


@record
class Heading:
    """A numbered heading at the start of a line: its level, number, and what follows it."""

    level: int
    number: int
    marker: str
    rest: str
    style: str = "cn"  # which numbering: cn, digit, chapter, formal, decimal, circled


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


def _value(raw: str, style: str) -> int | None:
    if style == "formal":
        return _FORMAL.get(raw)
    if style == "circled":
        return CIRCLED.index(raw) + 1
    if style == "decimal":
        return int(raw.rsplit(".", 1)[1])
    return int(raw) if raw.isdigit() else cn_number(raw)


@record
class HeadingAt:
    """A numbered heading found at a place in a longer text: a Heading whose ``rest`` is
    ``text[end:]``, given by where it starts rather than copied (see heading_at)."""

    level: int
    number: int
    marker: str
    end: int
    style: str = "cn"


def heading_at(text: str, pos: int = 0) -> HeadingAt | None:
    """The heading that ``text`` has at ``pos``, or None: what ``parse_heading(text[pos:])``
    finds, without copying the rest of ``text`` (a line with a heading every few characters
    was copied once a heading, quadratic in its length)."""
    for level, style, pattern in _PATTERNS:
        match = pattern.match(text, pos)
        if match is None:
            continue
        raw = match.group(1)
        number = _value(raw, style)
        if number is None or number == 0:
            continue
        if level == 1 and raw in ("一", "两") and match.end() == len(text):
            continue
        return HeadingAt(level=level, number=number, marker=match.group(0).strip(), end=match.end(), style=style)
    return None


def parse_heading(line: str) -> Heading | None:
    """The heading that ``line`` starts with, or None.

    >>> parse_heading("（三）作为样板").level
    2
    """
    found = heading_at(line)
    if found is None:
        return None
    return Heading(level=found.level, number=found.number, marker=found.marker, rest=line[found.end:],
                   style=found.style)


def is_bare_marker(line: str) -> bool:
    """A line holding only a heading number, like "(1)" split from its paragraph."""
    heading = parse_heading(line.strip())
    return heading is not None and not heading.rest.strip()


def numbering_level(text: str) -> int:
    """The GB/T 9704 level ``text`` is numbered at: 一、→1 （一）→2 1.→3 （1）→4, else 0."""
    heading = parse_heading(text)
    return heading.level if heading is not None and 1 <= heading.level <= 4 else 0
