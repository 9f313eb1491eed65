"""Chinese formatting for documents: numerals, numbering, dates, amounts, punctuation, script.

Each function is a Jinja filter of the same name (see ``FILTERS``); keep them small, pure
and tested — no library does all of this (cn2an has no 〇 and costs 100 ms to import).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from fedplan.headings import numbering_level, parse_heading
from fedplan.model import DateStyle, Number
from fedplan.punctuation import fullwidth

_DIGITS = "零一二三四五六七八九"
_YEAR_DIGITS = "〇一二三四五六七八九"
_UNITS = ("千", "百", "十", "")

# GB/T 9704-2012 took effect on this day; earlier documents wrote dates in Chinese numerals.
GBT9704_2012_IN_FORCE = dt.date(2012, 7, 1)


def cn_numeral(n: int) -> str:
    """0..9999 in Chinese numerals as documents write them: 十, 十一, 二十一, 一百零五, 一千零一."""
    if not 0 <= n <= 9999:
        raise ValueError(f"cn_numeral covers 0..9999, not {n}")
    if n == 0:
        return _DIGITS[0]
    out: list[str] = []
    zero_pending = False
    for digit, unit in zip(f"{n:04d}", _UNITS, strict=True):
        d = int(digit)
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(_DIGITS[0])
            zero_pending = False
        out.append(_DIGITS[d] + unit)
    text = "".join(out)
    return text[1:] if 10 <= n <= 19 else text  # 十一, not 一十一


def cn_year(year: int) -> str:
    """A year digit by digit, as in 1999-style dates: 2012 → 二〇一二."""
    return "".join(_YEAR_DIGITS[int(d)] for d in str(year))


def section_number(n: int) -> str:
    """Level-1 number: 1 → 一、"""
    return f"{cn_numeral(n)}、"


def sub_number(n: int) -> str:
    """Level-2 number: 1 → （一）"""
    return f"（{cn_numeral(n)}）"


def item_number(n: int) -> str:
    """Level-3 number: 1 → 1."""
    return f"{n}."


def subitem_number(n: int) -> str:
    """Level-4 number: 1 → （1）"""
    return f"（{n}）"


def shi_number(n: int) -> str:
    """Enumeration inside a sentence: 1 → 一是 (主要体现在：一是……；二是……)."""
    return f"{cn_numeral(n)}是"


def resolve_date_style(style: DateStyle | str, document_date: dt.date | None) -> str:
    """``2012`` or ``1999``: ``auto`` follows the document's own date (SPEC §6)."""
    if style in ("2012", "1999"):
        return str(style)
    if document_date is not None and document_date < GBT9704_2012_IN_FORCE:
        return "1999"
    return "2012"


def cn_date(value: dt.date, style: DateStyle | str = "auto") -> str:
    """成文日期: 2012年2月15日 (GB/T 9704-2012) or 二〇一二年二月十五日 (1999 form)."""
    if resolve_date_style(style, value) == "1999":
        return f"{cn_year(value.year)}年{cn_numeral(value.month)}月{cn_numeral(value.day)}日"
    return f"{value.year}年{value.month}月{value.day}日"


def month_day(value: dt.date) -> str:
    """A date inside running text of a one-year document: 3月15日."""
    return f"{value.month}月{value.day}日"


def number(value: Number | None) -> str:
    """A figure without noise: 300, 6.6, 0.25 — never 300.0 or 6.60."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        raise TypeError("number() got a bool; a milestone has no figure")
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def amount(value: Number, unit: str = "万元") -> str:
    """Money as documents write it: 6.6万元, 2000万元; yuan from 10000 up become 万元."""
    if unit == "元" and abs(value) >= 10000:
        return f"{number(value / 10000)}万元"
    return f"{number(value)}{unit}"


def percent(value: float | None) -> str:
    """One decimal, a trailing .0 dropped: 105.3%, 100%."""
    if value is None:
        return "—"
    return f"{number(round(value, 1))}%"


def quantity(value: Number | None, unit: str | None) -> str:
    """A figure with its unit: 300人次, 2000万元, 100%."""
    if value is None:
        return "—"
    if unit in ("万元", "元"):
        return amount(value, unit)
    if unit == "%":
        return percent(value)
    return f"{number(value)}{unit or ''}"


# Prose is one paragraph per line (SPEC §3.1 preamble), except that a line ending in a pause
# (，、；or an opening bracket) was wrapped by hand and continues on the next line.
_CONTINUES = re.compile(r"[，、；,;“‘（《(—]$")


def paragraphs(text: str) -> list[str]:
    """Split prose into paragraphs: one per line, joining lines that end mid-sentence."""
    result: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if current:
                result.append(current)
                current = ""
            continue
        if current and current[-1].isascii() and current[-1].isalnum() and line[0].isascii():
            current += " "
        current += line
        if not _CONTINUES.search(current):
            result.append(current)
            current = ""
    if current:
        result.append(current)
    return result


_SENTENCE = re.compile(r"^.+?[。！？：]")
_LEAD_MAX = 40


def run_in(text: str) -> tuple[str, str]:
    """A numbered paragraph's run-in heading and the rest: "（一）标题。正文" → ("（一）标题。", "正文").

    ("", text) when the paragraph is not numbered, or its first sentence is all there is
    or too long to be a heading.
    """
    if not numbering_level(text):
        return "", text
    sentence = _SENTENCE.match(text)
    if sentence is None or sentence.end() == len(text) or sentence.end() > _LEAD_MAX:
        return "", text
    return text[: sentence.end()], text[sentence.end() :]


def unnumbered(text: str) -> str:
    """A title without the number it was typed with: "二、优化环境" → "优化环境", so that the
    document's own numbering is not doubled ("（二）二、"). ``validate`` warns about such
    titles (``numbered-title``); the text in the YAML is left as written."""
    heading = parse_heading(text.strip())
    if heading is None or not 0 <= heading.level <= 4 or not heading.rest.strip():
        return text
    return heading.rest.strip()


def is_heading_line(text: str) -> bool:
    """A numbered line with no sentence in it ("1.组织状况"): a heading, not a paragraph."""
    return bool(numbering_level(text)) and len(text) <= _LEAD_MAX and not re.search(r"[。！？；]", text)


def sentence(text: str) -> str:
    """``text`` closed as a sentence: a title used as a run-in heading gets its 。"""
    text = text.rstrip()
    return text if not text or text[-1] in "。！？!?：:；" else text + "。"


def clause(text: str) -> str:
    """``text`` without its closing 。 or ；, to be joined into a longer sentence."""
    return text.rstrip().rstrip("。；;.")


# s2tw: Taiwan standard characters, no phrase rewriting. Plain s2t writes 考核 as 考覈, and
# s2twp would rewrite vocabulary (e.g. 软件 → 軟體) inside official wording.
OPENCC_CONFIG = "s2tw"




def to_traditional(text: str) -> str:
    """Simplified → Traditional (Taiwan standard characters), e.g. 妇联干部考核 → 婦聯幹部考核."""
    from fedplan.hanzi import converter  # opencc is slow to import: only for Traditional output

    return converter(OPENCC_CONFIG)(text)


FILTERS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        cn_numeral,
        cn_year,
        section_number,
        sub_number,
        item_number,
        subitem_number,
        shi_number,
        cn_date,
        month_day,
        number,
        amount,
        percent,
        quantity,
        fullwidth,
        paragraphs,
        sentence,
        clause,
        numbering_level,
        run_in,
        is_heading_line,
        unnumbered,
    )
}
