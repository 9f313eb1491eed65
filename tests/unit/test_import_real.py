"""What real offices' files do that import must read (issue 12), one test per failure class.

The fixtures under tests/data/import/real/ are written for these tests: they copy the
layout and the traps of texts found on public pages (share sites, portals, school sites,
Traditional and Simplified), not their words. The corpus they were modelled on and the
measured figures are in docs/import.md (bench/import_quality.py measures any folder).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fedplan.importer import Imported, Options, import_text
from fedplan.importer.clean import clean, split_inline_headings, split_lines
from fedplan.importer.structure import split_documents, split_title_run_in, title_year
from fedplan.importer.targets import find_targets

REAL = Path(__file__).parents[1] / "data" / "import" / "real"


def imported(name: str, **options: object) -> list[Imported]:
    text = (REAL / name).read_text(encoding="utf-8")
    return [o.document for o in import_text(text, source=name, options=Options(**options)).outputs]  # type: ignore[arg-type]


def targets_of(doc: Imported) -> list[tuple[object, str, str]]:
    return [(t.found.target, t.found.unit, t.found.direction) for t in doc.targets()]


# --- headings in the middle of a line; page furniture around the title -------------------


def test_a_whole_plan_on_one_line_behind_share_site_furniture() -> None:
    (plan,) = imported("midline_plan.txt")
    assert (plan.kind, plan.title, plan.year, plan.org) == ("plan", "2023年区妇联工作要点", 2023, "区妇联")
    assert [s.title for s in plan.sections] == ["加强思想引领", "服务妇女发展"]
    assert [[i.title for i in s.items] for s in plan.sections] == [
        ["开展主题宣讲", "选树先进典型"], ["技能培训", "创业扶持", "关爱帮扶"]
    ]  # run-in item titles end at "："
    assert plan.items()[0].text.startswith("组织巾帼宣讲团进社区")
    assert targets_of(plan) == [
        (40, "场", "up"), (30, "户", "up"), (1500, "人次", "up"), (15000, "万元", "up"), (2000, "份", "up")
    ]


def test_headings_are_cut_only_where_their_number_comes_next() -> None:
    lines = split_lines("一、目标 1. 加强学习。 2. 开展活动。 二、措施 1. 落实责任。\n全年达到1.5万人次，做到统一、规范。\n")
    assert [line.text for line in split_inline_headings(lines)] == [
        "一、目标", "1. 加强学习。", "2. 开展活动。", "二、措施", "1. 落实责任。", "全年达到1.5万人次，做到统一、规范。"
    ]
    # A heading's title running straight into its first item.
    lines = split_lines("二、工作重点1、确保通过复审。2、推进创建工作。\n")
    assert [line.text for line in split_inline_headings(lines)] == ["二、工作重点", "1、确保通过复审。", "2、推进创建工作。"]


def test_a_title_running_into_the_text() -> None:
    assert split_title_run_in("2008年街道办工作总结一年来，社区环境进一步改善。") == ("2008年街道办工作总结", "一年来，社区环境进一步改善。")
    assert split_title_run_in("女职工部2023年重点工作安排2023年总体思路是：") == ("女职工部2023年重点工作安排", "2023年总体思路是：")
    assert split_title_run_in("根据要求，制定本年度工作计划如下：") is None


# --- other outline systems -----------------------------------------------------------------


def test_formal_numerals_as_top_level_and_roc_school_year() -> None:
    (plan,) = imported("traditional_school.txt")
    assert (plan.kind, plan.year) == ("plan", 2020)  # 109學年度
    assert [s.title for s in plan.sections] == ["计划目标", "实施策略"]  # 壹、 貳、 above 一、
    assert [i.title for i in plan.items()] == ["提升教学品质", "营造友善校园", "结合社区资源办理亲职讲座2场"]
    assert (30, "%", "down") in targets_of(plan)  # 控制在30%以内


@pytest.mark.parametrize(
    ("text", "sections", "items"),
    [
        ("第一章 总体要求\n1.1 指导思想\n坚持服务。\n1.2 工作目标\n全年培训。\n第二章 保障\n1.1 组织保障\n成立小组。\n", 2, 3),
        ("（一）加强学习。组织学习。\n（二）开展活动。举办活动。\n", 2, 0),
        ("一、加强组织\n1、建立制度。\n2.完善台账。\n二、开展活动\n1、举办讲座。\n", 2, 3),
        ("一、重点工作\n①建立台账。\n②定期调度。\n", 1, 2),
    ],
)
def test_other_outline_systems(text: str, sections: int, items: int) -> None:
    (plan,) = [o.document for o in import_text("某单位2020年工作计划\n" + text, source="t", options=Options()).outputs]
    assert len(plan.sections) == sections
    assert sum(i.numbered for i in plan.items()) == items


def test_an_item_heading_on_its_own_line_takes_the_paragraph_under_it() -> None:
    text = "某团委2020年工作计划\n一、组织建设\n1. 干部培训\n（1）举办团干部培训班。\n（2）开展轮训。\n"
    (plan,) = [o.document for o in import_text(text, source="t", options=Options()).outputs]
    (item,) = plan.items()
    assert (item.title, item.text) == ("干部培训", "（1）举办团干部培训班。\n（2）开展轮训。")


# --- kind from content ---------------------------------------------------------------------


def test_untitled_plan_is_a_plan_with_its_targets_as_written() -> None:
    (plan,) = imported("untitled_things.txt")
    assert plan.kind == "plan" and plan.preamble.startswith("今年街道团工委工作的总体思路是")
    assert [s.title for s in plan.sections] == ["夯实组织基础", "丰富青年活动", "加强自身建设"]
    assert targets_of(plan) == [
        (5, "个", "up"), (3, "个百分点", "up"),  # 比上年提高3个百分点
        (4, "场", "up"), (600, "人次", "up"),  # 一是…二是…
        (3, "天", "down"), (600, "万美元", "up"), (5, "%", "down"),  # several in one sentence; ≤5%
    ]
    names = [t.found.name for t in plan.targets()]
    assert names[3] == "参与人数"  # not "参与人数力争"
    # 十九大, 四个自信, 100周年 and a page count are no targets.
    assert {t.found.target for t in plan.targets()}.isdisjoint({19, 100, 12})


def test_task_completion_with_past_results_is_a_report_without_targets() -> None:
    (report,) = imported("past_tasks.txt")
    assert report.kind == "report"
    assert report.preamble == "对照年初确定的重点任务，逐项梳理全年任务完成情况如下。"
    assert [title for title, _ in report.parts] == ["总体情况", "主要做法"]
    assert report.targets() == []


def test_half_year_summary_and_plan_is_a_report_and_a_plan() -> None:
    report, plan = imported("half_year.txt")
    assert (report.kind, report.title, report.year) == ("report", "社区2021年上半年工作总结和下半年工作计划", 2021)
    assert [title for title, _ in report.parts] == ["上半年工作完成情况"]
    assert report.targets() == []  # past figures (12次, 360人次, 98%) never become targets
    assert (plan.kind, plan.title, plan.year) == ("plan", "社区2021年下半年工作计划", 2021)
    assert [s.title for s in plan.sections] == ["深化党建引领", "提升服务水平"]
    assert targets_of(plan) == [(24, "次", "up"), (2, "个", "up"), (95, "%", "up")]


def test_kind_from_the_title_words() -> None:
    def kind(title: str) -> str:
        return imported_text(f"{title}\n一、工作\n正文。\n")[0].kind

    assert kind("团委2020年工作安排") == kind("妇联工作思路") == kind("乡村振兴专案") == "plan"
    assert kind("街道2021年工作总结暨2022年工作计划") == "report"
    assert kind("关于制定2013年工作计划的建议") == "proposal"


def imported_text(text: str, **options: object) -> list[Imported]:
    return [o.document for o in import_text(text, source="t", options=Options(**options)).outputs]  # type: ignore[arg-type]


def test_kind_option_says_it_outright() -> None:
    (doc,) = imported_text("区妇联2012年工作总结\n一、主要成绩\n全年培训妇女300人次。\n", kind="plan")
    assert doc.kind == "plan" and [t.found.target for t in doc.targets()] == [300]


# --- targets as written, non-targets kept out -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("覆盖率≥42%", [(42, "%", "up")]),
        ("发生率≤3%", [(3, "%", "down")]),
        ("满意率不低于90%，培训1500人次以上", [(90, "%", "up"), (1500, "人次", "up")]),
        ("经费控制在20万元以内", [(20, "万元", "down")]),
        ("分别不低于24%和30%", [(24, "%", "up"), (30, "%", "up")]),
        ("落实2015年部署，实施109年计划，完成2008-2009学年任务", []),
        ("学习十九大精神，坚定四个自信，纪念建党100周年，11月底前完成", []),
        ("项目占地300亩，涉及居民134户，可提供近2000个岗位，明确等7大类32项职责", []),
    ],
)
def test_targets_as_written(text: str, found: list[tuple[object, str, str]]) -> None:
    assert [(t.target, t.unit, t.direction) for t in find_targets(text)] == found


# --- title, org and year amid page furniture --------------------------------------------------


@pytest.mark.parametrize(
    ("title", "year"),
    [("团委2023的工作计划", 2023), ("2005学年度第二学期工作计划", 2005), ("西亭中学2008-2009年度第一学期工作计划", 2008),
     ("103年度施政计画", 2014), ("苏发〔2000〕23号文件", None), ("建团100周年活动方案", None),
     ("二〇一二年工作要点", 2012), ("区妇联二○一三年工作总结", 2013), ("一九九九学年工作计划", 1999),
     ("一二三四五年规划", None)],
)
def test_title_year(title: str, year: int | None) -> None:
    assert title_year(title) == year


def test_web_publication_dates_and_bylines_are_not_the_document() -> None:
    report, _ = imported("half_year.txt")
    assert report.line == 2  # the title line; the breadcrumb and the byline are furniture
    cleaned = clean((REAL / "half_year.txt").read_text(encoding="utf-8"))
    assert all("发布时间" not in line.text and ">" not in line.text for line in cleaned.lines)
    assert cleaned.removed["furniture"] == 2


def test_org_does_not_swallow_the_year() -> None:
    (plan,) = imported_text("2023年市妇联工作要点\n一、加强引领\n1.开展宣讲。\n")
    assert plan.org == "市妇联"


# --- debris with precision ---------------------------------------------------------------------


def test_question_marks_pinyin_with_a_space_and_a_mojibake_run() -> None:
    text = (REAL / "debris.txt").read_text(encoding="utf-8")
    result = import_text(text, source="debris.txt", options=Options())
    (report,) = [o.document for o in result.outputs]
    assert report.preamble == "怎样才能把妇女工作做得更好呢？我们认真思考后提出以下做法。"
    (spot,) = [d for d in result.diagnostics if d.code == "mojibake"]
    assert "?cè)鯓硬拍軐?xiě)" in spot.message and (spot.pos.line, spot.pos.col) == (4, 3)
    assert report.parts[0][1] == "全镇〓好材料，举办培训班6期。"


def test_share_site_chunk_numbers_that_split_words() -> None:
    (report,) = imported("chunked_report.txt")
    assert (report.kind, report.title, report.year) == ("report", "镇团委2019年工作总结", 2019)
    assert report.preamble.startswith("一年来，镇团委在镇党委的领导下")
    assert [title for title, _ in report.parts] == ["加强组织建设", "服务青年成长"]
    assert "组织开展青年文化节活动" in report.parts[0][1]  # "文\n2、化" joined


def test_a_repeated_title_does_not_split_one_document_into_two() -> None:
    text = "镇妇联年度工作总结\n时间：2023-01-31 12:23:52 妇联工作总结 我要投稿\n镇妇联年度工作总结（集合5篇）\n镇妇联年度工作总结1\n一年来，我镇妇联做了以下工作。\n一、抓组织\n建立妇女之家。\n"
    (report,) = imported_text(text)
    assert report.title == "镇妇联年度工作总结" and [t for t, _ in report.parts] == ["抓组织"]
    assert split_documents(clean(text).lines)[0].dropped == ("镇妇联年度工作总结（集合5篇）", "镇妇联年度工作总结1")


# --- dry run: the outline first ------------------------------------------------------------------


def test_title_spellings_of_one_document_and_an_uploader_tag() -> None:
    text = (
        "2022年村妇联工作总结汇报（2022年村妇联工作总结汇报）\n***某用户 2024-09-20 12:17:01\n"
        "2022年村妇联工作总结汇报\n一、工作回顾\n开展了妇女培训。\n二、存在的问题\n经费不足。\n"
    )
    (report,) = imported_text(text)
    assert (report.title, report.year) == ("2022年村妇联工作总结汇报（2022年村妇联工作总结汇报）", 2022)
    assert [t for t, _ in report.parts] == ["工作回顾", "存在的问题"]
    text = "首页>工作计划>2023年村妇联工作计划（模板7篇）\n2023年村妇联工作计划（模板7篇）\n村妇联工作计划篇一\n1、以教育培训为基础，培育新型女农民按照社会主义新农村建设的要求，以培养有文化、懂技术、会经营的新型女农民为目标，加强对农村妇女的教育培训，今年培训农村妇女5000名。\n"
    (plan,) = imported_text(text)
    assert (plan.title, plan.year) == ("2023年村妇联工作计划", 2023)
    assert [(t.found.target, t.found.unit) for t in plan.targets()] == [(5000, "名")]


def test_a_numbered_title_running_into_its_first_heading() -> None:
    (plan,) = imported_text("2022年妇联工作计划1一、以教育培训为根本，增强素质\n一是加强教育培训，通过专家授课等形式提高妇女素质。\n")
    assert (plan.title, [s.title for s in plan.sections]) == ("2022年妇联工作计划", ["以教育培训为根本，增强素质"])
    assert plan.items()[0].title == "一是加强教育培训，通过专家授课等形式提高妇女素质"  # its own paragraph


def test_a_whole_paragraph_behind_a_number_is_titled_by_its_first_clause() -> None:
    text = "村妇联2023年工作计划\n1、以教育培训为基础，培育新型女农民按照社会主义新农村建设的要求，以培养有文化、懂技术、会经营的新型女农民为目标加强对农村妇女的教育培训。今年实现培训农村妇女5000名。\n"
    (plan,) = imported_text(text)
    (section,) = plan.sections
    assert section.title == "以教育培训为基础"
    assert section.items[0].text.endswith("今年实现培训农村妇女5000名。")
