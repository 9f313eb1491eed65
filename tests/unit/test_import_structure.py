"""fedplan/importer/structure.py and headings.py: documents, kinds, headings, dates, lists."""

from __future__ import annotations

import datetime as dt

import pytest

from fedplan.headings import cn_digits, cn_number, parse_heading
from fedplan.importer.clean import split_lines
from fedplan.importer.structure import (
    check_numbering,
    document_kind,
    heading_title,
    likeliest_year,
    outline,
    split_documents,
    split_problems,
    split_run_in_headings,
    take_signature,
)


@pytest.mark.parametrize(
    ("line", "level", "number", "rest"),
    [
        ("一、加快垃圾消纳设施建设。合理规划", 1, 1, "加快垃圾消纳设施建设。合理规划"),
        ("十二、其他", 1, 12, "其他"),
        ("（三）作为样板", 2, 3, "作为样板"),
        ("(二)每位副区长", 2, 2, "每位副区长"),
        ("1.创先争优", 3, 1, "创先争优"),
        ("12．进一步加强", 3, 12, "进一步加强"),
        ("3、推进基层", 3, 3, "推进基层"),
        ("（1）建邺区", 4, 1, "建邺区"),
        ("(2)建邺区", 4, 2, "建邺区"),
    ],
)
def test_parse_heading(line: str, level: int, number: int, rest: str) -> None:
    heading = parse_heading(line)
    assert heading is not None
    assert (heading.level, heading.number, heading.rest) == (level, number, rest)


@pytest.mark.parametrize(
    "line", ["2012年，是党的十八大召开之年", "6.6万元", "1月9日，区委召开", "一是帮教工作", "十八大以来", "三八期间"]
)
def test_not_headings(line: str) -> None:
    assert parse_heading(line) is None


def test_cn_number() -> None:
    assert [cn_number(t) for t in ("一", "十", "十二", "二十", "二十三", "百")] == [1, 10, 12, 20, 23, None]


def test_cn_digits() -> None:
    assert [cn_digits(t) for t in ("二〇一二", "二○○六", "二OO六", "一九九九", "二十", "")] == [
        2012, 2006, 2006, 1999, None, None
    ]


def test_split_documents_on_volume_markers() -> None:
    lines = split_lines(
        "第一篇：关于加强妇联工作的建议\n关于加强妇联工作的建议\n近几年来。\n"
        "第二篇：区妇联2012年工作要点）\n金川区妇联2012年工作要点\n2012年，是关键一年。\n"
    )
    docs = split_documents(lines)
    assert [(d.number, d.title, d.start, [line.text for line in d.lines]) for d in docs] == [
        (1, "关于加强妇联工作的建议", 2, ["近几年来。"]),
        (2, "金川区妇联2012年工作要点", 5, ["2012年，是关键一年。"]),
    ]


def test_split_documents_on_repeated_titles() -> None:
    lines = split_lines(
        "关于加强妇联工作的建议\n近几年来，成绩显著。\n一、加强学习\n"
        "区妇联2012年工作总结\n一、主要成绩\n全年培训妇女。\n"
    )
    docs = split_documents(lines)
    assert [(d.title, len(d.lines)) for d in docs] == [("关于加强妇联工作的建议", 2), ("区妇联2012年工作总结", 2)]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("金川区妇联2012年工作要点", "plan"),
        ("某县团委2015年工作计划", "plan"),
        ("关于进一步加强我区妇联工作的建议", "proposal"),
        ("关于制定2013年工作计划的建议", "proposal"),  # the last kind word wins
        ("区妇联工作情况汇报", "report"),
        ("区妇联2012年工作总结", "report"),
        ("區婦聯工作情況匯報", "report"),
    ],
)
def test_document_kind_from_title(title: str, kind: str) -> None:
    doc = split_documents(split_lines(f"{title}\n正文。\n"))[0]
    assert document_kind(doc) == kind


def test_run_in_heading_title_and_paragraph() -> None:
    assert heading_title("加快垃圾消纳设施建设。合理规划选址。") == ("加快垃圾消纳设施建设", "合理规划选址。")
    assert heading_title("对区政府领导班子成员这个层面来讲") == ("对区政府领导班子成员这个层面来讲", "")
    assert heading_title("人事、监察等职能部门要充分发挥作用。") == ("人事、监察等职能部门要充分发挥作用", "")


def test_split_run_in_level_three_heading() -> None:
    lines = split_lines("一、区妇联组织状况1.组织状况全区妇联组织设有6个街道社区妇联。\n")
    assert [line.text for line in split_run_in_headings(lines)] == [
        "一、区妇联组织状况",
        "1.组织状况",  # repeats its parent's last words: a title of its own
        "全区妇联组织设有6个街道社区妇联。",
    ]
    lines = split_lines("一、加强思想引领1.深化主题教育。组织学习。\n")
    assert [line.text for line in split_run_in_headings(lines)] == ["一、加强思想引领", "1.深化主题教育。组织学习。"]


def test_a_figure_inside_a_heading_is_not_a_run_in_heading() -> None:
    lines = split_lines("一、完成培训，共1.5万人次\n")
    assert len(split_run_in_headings(lines)) == 1


def test_outline_and_numbering_that_runs_on_or_restarts() -> None:
    lines = split_lines("前言。\n1.甲\n正文甲。\n2.乙\n")
    before, nodes = outline(lines, 3)
    assert [line.text for line in before] == ["前言。"]
    assert [(n.title, n.body()) for n in nodes] == [("甲", "正文甲。"), ("乙", "")]
    assert check_numbering(nodes) == []
    assert check_numbering(nodes, previous=4) == []  # restarting at 1 is fine too
    run_on = outline(split_lines("5.甲\n6.乙\n"), 3)[1]
    assert check_numbering(run_on, previous=4) == []


def test_numbering_gap_is_reported_at_its_line() -> None:
    nodes = outline(split_lines("一、甲\n二、乙\n四、丁\n"), 1)[1]
    notices = check_numbering(nodes)
    assert [(n.line, n.code) for n in notices] == [(3, "import-numbering")]


def test_take_signature() -> None:
    lines = split_lines("（四）人事部门要发挥作用。\n***区委加强执行力建设领导小组办公室\n二○○六年二月十五日\n")
    body, signature = take_signature(lines)
    assert [line.text for line in body] == ["（四）人事部门要发挥作用。"]
    assert signature is not None
    assert (signature.org, signature.date) == ("区委加强执行力建设领导小组办公室", dt.date(2006, 2, 15))


def test_no_signature() -> None:
    lines = split_lines("正文。\n")
    assert take_signature(lines) == (list(lines), None)


def test_split_problems() -> None:
    text = "然而，仍存在许多问题，主要体现在：一是风气不够浓，素质有待提高；二是维权缺乏手段；三是统一是难点。此外还有。"
    before, problems, after = split_problems(text)
    assert before == "然而，仍存在许多问题，"
    assert problems == ["风气不够浓，素质有待提高", "维权缺乏手段", "统一是难点"]
    assert after == "此外还有。"


def test_likeliest_year_ignores_document_numbers_and_ranges() -> None:
    texts = ["二、2000年妇联工作简况", "三、2001年妇联工作思路", "2001年全区", "苏发〔2000〕23号", "《2000—2010年规划》"]
    assert likeliest_year(texts) == 2001
