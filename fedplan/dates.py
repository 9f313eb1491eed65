"""Every way fedplan reads a date, in one place: the two forms a document's fields take
(SPEC §3: 2012-03-08 and 2012年3月8日, ``parse_date``), what people type into tables
(``parse_loose_date``), a date written out on a line of old text (``parse_written_date``,
also in Chinese numerals) and a plan's "11月底前" (``due_by``/``due_date``); plus today
(FEDPLAN_TODAY) and the as-of date of a year."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from fedplan.headings import cn_digits, cn_number
from fedplan.lazyre import lazy_re

_ISO = lazy_re(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CN = lazy_re(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` names, or None if it is not one of the accepted forms or not a real day."""
    text = text.strip()
    match = _ISO.fullmatch(text) or _CN.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def today() -> dt.date:
    """Today, or the day the environment variable FEDPLAN_TODAY names (2026-11-28): every
    command then runs as on that day — to reproduce an old output, or a documented one
    (docs/walkthrough.md is run that way by its test)."""
    given = os.environ.get("FEDPLAN_TODAY")
    if given:
        day = parse_date(given)
        if day is not None:
            return day
    return dt.date.today()


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def clip_to_year(day: dt.date, year: int) -> dt.date:
    """``day`` moved into ``year`` (the default as-of date of a past or future plan)."""
    return min(max(day, year_start(year)), year_end(year))


def choose_as_of(as_of: dt.date | None, year: int, *, years: Sequence[int] = ()) -> dt.date:
    """``as_of`` if it lies in ``year``; by default today, clipped into the year. A date in
    another plan's year (``years``) says to choose that year."""
    if as_of is None:
        return clip_to_year(today(), year)
    if as_of.year != year:
        from fedplan.diagnostics import FedplanError

        hint = f"写 {year}-01-01 到 {year}-12-31 之间的日期，或省略 --as-of"
        if as_of.year in years:
            hint = f"{as_of.year} 年有工作要点：年度写 {as_of.year}（或不写年度），" + hint
        raise FedplanError(
            f"截止日期 {as_of.isoformat()} 不在 {year} 年内",
            code="as-of-outside-year",
            hint=hint,
        )
    return as_of


# How dates are typed into spreadsheets and forms: 2012-03-08, 2012/3/8, 2012.3.8,
# 2012年3月8日, and without the year (3月8日, 3/8, 3-8) when the year is known from context.
_LOOSE_FULL = lazy_re(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_LOOSE_SHORT = lazy_re(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_loose_date(text: str, *, default_year: int | None = None) -> dt.date | None:
    """The date ``text`` names in any of the ways people type one into a table, or None."""
    text = text.strip()
    full = _LOOSE_FULL.fullmatch(text)
    if full is not None:
        year, month, day = (int(g) for g in full.groups())
    else:
        short = _LOOSE_SHORT.fullmatch(text)
        if short is None or default_year is None:
            return None
        year, (month, day) = default_year, (int(g) for g in short.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# How documents write a date out in full, on a line of its own (成文日期, a signature):
# 2012年2月15日, or in Chinese numerals 二〇一二年二月十五日 (zero typed 〇, ○, 零 or O).
_WRITTEN = lazy_re(
    r"([\d〇○零O一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日"
)


def parse_written_date(text: str) -> dt.date | None:
    """The day ``text`` writes out with 年月日, in digits or Chinese numerals, or None (also for
    a day that does not exist). A bare 2012-02-15 is not one: documents sign with 年月日."""
    match = _WRITTEN.fullmatch(text.strip())
    if match is None:
        return None
    year_text, month_text, day_text = match.groups()
    year = int(year_text) if year_text.isdigit() else cn_digits(year_text)
    month, day = (int(t) if t.isdigit() else cn_number(t) for t in (month_text, day_text))
    if not (year and month and day):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# A date a commitment is due by, as plans write it: "11月底前完成" (the month's last day),
# "6月15日前", "3月末以前".
_DUE = lazy_re(r"(?<!\d)(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底|末)\s*(?:前|以前|之前)")


def due_by(text: str) -> tuple[int, int | None] | None:
    """The month (and day) ``text`` says something is due by: "11月底前" → (11, None), the day
    None meaning the month's end; None when it says none (or names no real month)."""
    match = _DUE.search(text)
    if match is None or not 1 <= int(match.group(1)) <= 12:
        return None
    day = int(match.group(2)) if match.group(2) else None
    return int(match.group(1)), day if day is None or 1 <= day <= 31 else None


def due_date(due: tuple[int, int | None] | None, year: int | None) -> dt.date | None:
    """The day ``due`` (from ``due_by``) falls on in ``year``: (11, None) → 11-30; a day past
    the month's end is its last day; None without a year."""
    if due is None or year is None:
        return None
    month, day = due
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day or last, last))
