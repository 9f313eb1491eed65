"""The two ways a date may be written in a document (SPEC §3): 2012-03-08 and 2012年3月8日."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


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
_LOOSE_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_LOOSE_SHORT = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


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
