"""fedplan/dates.py: every way fedplan reads a date, in one place."""

from __future__ import annotations

import datetime as dt

import pytest

from fedplan.dates import due_by, due_date, parse_date, parse_loose_date, parse_written_date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2012-03-08", dt.date(2012, 3, 8)),
        ("2012年3月8日", dt.date(2012, 3, 8)),
        (" 2012 年 3 月 8 日 ", dt.date(2012, 3, 8)),
        ("2012-02-30", None),
        ("2012/3/8", None),
        ("3月8日", None),
    ],
)
def test_parse_date_takes_the_two_forms_of_a_document(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


def test_parse_loose_date_takes_what_people_type_into_tables() -> None:
    assert parse_loose_date("2012/3/8") == parse_loose_date("2012.3.8") == dt.date(2012, 3, 8)
    assert parse_loose_date("3/8", default_year=2012) == dt.date(2012, 3, 8)
    assert parse_loose_date("3月8日") is None  # no year to put it in


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("二○○六年二月十五日", dt.date(2006, 2, 15)),
        ("二〇一二年十二月二十八日", dt.date(2012, 12, 28)),
        ("2012年2月15日", dt.date(2012, 2, 15)),
        ("2012年2月30日", None),
        ("2012年，是关键一年", None),
        ("2012-02-15", None),
        ("二OO六年二月十五日", dt.date(2006, 2, 15)),
        ("2012 年 2 月 15 日", dt.date(2012, 2, 15)),
        ("二〇一二年3月8日", dt.date(2012, 3, 8)),
        ("二〇一二年十三月一日", None),
    ],
)
def test_parse_written_date(text: str, date: dt.date | None) -> None:
    assert parse_written_date(text) == date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("11月底前完成", (11, None)),
        ("6月15日前召开", (6, 15)),
        ("3月末以前", (3, None)),
        ("于 9 月 30 日之前", (9, 30)),
        ("13月底前", None),
        ("6月40日前", (6, None)),
        ("2012年6月", None),
    ],
)
def test_due_by(text: str, due: tuple[int, int | None] | None) -> None:
    assert due_by(text) == due


def test_due_date_is_the_months_last_day_or_the_day_given() -> None:
    assert due_date((11, None), 2012) == dt.date(2012, 11, 30)
    assert due_date((2, None), 2012) == dt.date(2012, 2, 29)
    assert due_date((12, None), 2013) == dt.date(2013, 12, 31)
    assert due_date((2, 30), 2013) == dt.date(2013, 2, 28)
    assert due_date((6, 15), 2012) == dt.date(2012, 6, 15)
    assert due_date((6, 15), None) is None and due_date(None, 2012) is None
