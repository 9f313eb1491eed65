"""Chinese formatting filters (fedplan/render/chinese.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from fedplan.render.chinese import (
    amount,
    clause,
    cn_date,
    cn_numeral,
    cn_year,
    item_number,
    month_day,
    number,
    numbering_level,
    paragraphs,
    percent,
    quantity,
    resolve_date_style,
    run_in,
    section_number,
    sentence,
    shi_number,
    sub_number,
    subitem_number,
    to_traditional,
)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (2012, "二千零一十二"),
        (9999, "九千九百九十九"),
    ],
)
def test_cn_numeral(n: int, text: str) -> None:
    assert cn_numeral(n) == text


def test_cn_numeral_range() -> None:
    with pytest.raises(ValueError):
        cn_numeral(10000)
    with pytest.raises(ValueError):
        cn_numeral(-1)


def test_cn_year_uses_ling_circle() -> None:
    assert cn_year(2012) == "二〇一二"
    assert cn_year(2006) == "二〇〇六"


def test_numbering() -> None:
    assert section_number(1) == "一、"
    assert section_number(12) == "十二、"
    assert sub_number(3) == "（三）"
    assert item_number(15) == "15."
    assert subitem_number(2) == "（2）"
    assert shi_number(2) == "二是"


@pytest.mark.parametrize(
    ("day", "style", "text"),
    [
        (dt.date(2012, 2, 15), "2012", "2012年2月15日"),
        (dt.date(2012, 2, 15), "1999", "二〇一二年二月十五日"),
        (dt.date(2006, 2, 15), "auto", "二〇〇六年二月十五日"),
        (dt.date(2012, 6, 30), "auto", "二〇一二年六月三十日"),
        (dt.date(2012, 7, 1), "auto", "2012年7月1日"),
        (dt.date(2012, 12, 28), "auto", "2012年12月28日"),
        (dt.date(2001, 10, 1), "1999", "二〇〇一年十月一日"),
    ],
)
def test_cn_date(day: dt.date, style: str, text: str) -> None:
    assert cn_date(day, style) == text


def test_date_style_auto_follows_document_date() -> None:
    assert resolve_date_style("auto", dt.date(2012, 6, 30)) == "1999"
    assert resolve_date_style("auto", dt.date(2012, 7, 1)) == "2012"
    assert resolve_date_style("auto", None) == "2012"
    assert resolve_date_style("1999", dt.date(2020, 1, 1)) == "1999"


def test_month_day() -> None:
    assert month_day(dt.date(2012, 3, 8)) == "3月8日"


@pytest.mark.parametrize(
    ("value", "text"),
    [(300, "300"), (300.0, "300"), (6.6, "6.6"), (6.60, "6.6"), (0.25, "0.25"), (None, "—")],
)
def test_number(value: float | None, text: str) -> None:
    assert number(value) == text


def test_amount() -> None:
    assert amount(6.6) == "6.6万元"
    assert amount(2000) == "2000万元"
    assert amount(2000.0) == "2000万元"
    assert amount(66000, "元") == "6.6万元"
    assert amount(500, "元") == "500元"


def test_percent() -> None:
    assert percent(105.3) == "105.3%"
    assert percent(100.0) == "100%"
    assert percent(37.5) == "37.5%"
    assert percent(None) == "—"


def test_quantity() -> None:
    assert quantity(300, "人次") == "300人次"
    assert quantity(2000, "万元") == "2000万元"
    assert quantity(99.5, "%") == "99.5%"
    assert quantity(8, None) == "8"


def test_paragraphs_one_per_line_joining_wrapped_lines() -> None:
    text = "全年举办培训班，培训妇女300人次，\n完成年度任务的100%。\n1.组织状况\n第二段。\n\n第三段\n"
    assert paragraphs(text) == [
        "全年举办培训班，培训妇女300人次，完成年度任务的100%。",
        "1.组织状况",
        "第二段。",
        "第三段",
    ]
    assert paragraphs("") == []


def test_numbering_level_and_run_in() -> None:
    assert numbering_level("一、总体") == 1
    assert numbering_level("（二）培训") == 2
    assert numbering_level("3.培训") == 3
    assert numbering_level("6.26禁毒日") == 0
    assert numbering_level("（4）培训") == 4
    assert numbering_level("培训") == 0
    assert run_in("（一）培训工作。上半年培训120人次。") == ("（一）培训工作。", "上半年培训120人次。")
    assert run_in("（三）要高度重视。") == ("", "（三）要高度重视。")
    assert run_in("一是帮教工作。做好") == ("", "一是帮教工作。做好")


def test_sentence_and_clause() -> None:
    assert sentence("创先争优") == "创先争优。"
    assert sentence("创先争优？") == "创先争优？"
    assert clause("举办培训班。") == "举办培训班"


def test_traditional_keeps_kaohe() -> None:
    # Plain s2t writes 考覈; the Taiwan-standard config keeps 考核.
    assert to_traditional("妇联干部考核") == "婦聯幹部考核"


def test_unnumbered_drops_a_typed_number_only() -> None:
    from fedplan.render.chinese import unnumbered

    assert unnumbered("二、优化环境") == "优化环境"
    assert unnumbered("（一）加强宣传") == "加强宣传"
    assert unnumbered("3.加强宣传") == "加强宣传"
    assert unnumbered("1.5万元贷款") == "1.5万元贷款"  # a figure, not a number mark
    assert unnumbered("6.26禁毒日宣传") == "6.26禁毒日宣传"  # a date
    assert unnumbered("一、") == "一、"  # nothing would be left
