"""The drafted 总结 as an office reads it: the shape, where setbacks go, the wording by
date, the plans drafted from what is unmet and next year's plan (fedplan/render/views.py
with the bundled example repository, plans/)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fedplan.render.markdown import parse_markdown
from tests.conftest import RunLine

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (ROOT / "plans/2012/plan.yaml").is_file(), reason="the example repository is not in this tree"
)


@pytest.fixture(scope="module")
def annual() -> str:
    from tests.conftest import fedplan_in

    result = fedplan_in(ROOT, "report", "2012", "--as-of", "2012-12-31")
    assert result.exit_code == 0, result.output
    return result.output


def section(markdown: str, heading: str) -> str:
    return markdown.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def test_the_shape_of_a_real_summary(annual: str) -> None:
    headings = [b.text for b in parse_markdown(annual) if b.kind == "heading" and b.level == 1]
    assert headings == ["一、主要工作及成效", "二、存在的问题", "三、下一步工作打算"]
    blocks = parse_markdown(annual)
    assert [b.kind for b in blocks[-2:]] == ["signature", "date"]
    assert "<div" not in annual and "<!--" not in annual  # clean Markdown


def test_items_lead_with_figures_and_setbacks_go_to_problems(annual: str) -> None:
    work = section(annual, "一、主要工作及成效")
    item = next(line for line in work.splitlines() if line.startswith("**5."))
    assert item.split("** ", 1)[1].startswith("农业实用技术妇女骨干培训320人次，为全年目标300人次的106.7%，超额完成")
    assert "工作进展：" not in annual
    assert "春耕农忙推迟" not in work
    assert len(re.findall(r"\d+月\d+日，", item)) <= 3  # a few notes, not the ledger
    assert "第三期培训班因春耕农忙推迟" in section(annual, "二、存在的问题")


def test_problems_say_each_shortfall_once(annual: str) -> None:
    problems = section(annual, "二、存在的问题")
    first = next(line for line in problems.splitlines() if line.startswith("一是"))
    assert first.count("为全年目标") == 1 and first.count("尚差") == 1  # was once per target
    assert "分别完成7个和1960万元" in first
    assert problems.count("原定") == 2 and problems.count("至年底尚未完成") == 1


def test_year_end_wording(annual: str) -> None:
    assert "序时进度" not in annual  # at year end a target is done or not
    assert "尚差1个，未完成全年任务" in annual
    assert "原定6月30日前完成，实际于7月12日完成，推迟12天" in annual
    assert not re.search(r"(?<![\d.])0项|\d+\.\d+(个|名|人次)", annual)


def test_mid_year_wording(run_line: RunLine) -> None:
    md = run_line(["-C", str(ROOT), "report", "2012", "--as-of", "2012-06-30"]).output
    assert md.startswith("# 金川区妇联2012年上半年工作总结")
    # farm-training's pace is the example's 农时 profile: 0.5 of 300 at Jun 30 = 150 persons
    assert "序时进度应完成150人次，进度滞后" in md
    assert "下一步工作打算" in md and "还需完成180人次" in md


def test_plans_follow_next_years_plan(tmp_path: Path, run_line: RunLine) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copy(ROOT / "fedplan.yaml", root / "fedplan.yaml")
    (root / "plans/2013").mkdir()
    (root / "plans/2013/plan.yaml").write_text(
        "kind: plan\norg: 金川区妇联\nyear: 2013\ntitle: 金川区妇联2013年工作要点\nsections:\n"
        "  - title: 一节\n    items:\n      - id: a\n        title: 一项\n        targets:\n"
        "          - id: b\n            name: 培训农村妇女\n            target: 350\n            unit: 人次\n",
        encoding="utf-8",
    )
    md = run_line(["-C", str(root), "report", "2012", "--as-of", "2012-12-31"]).output
    plans = section(md, "三、下一步工作打算")
    assert "认真落实《金川区妇联2013年工作要点》。2013年计划培训农村妇女350人次" in plans
    assert "尚差40万元（发展部）" in plans


def test_html_draws_the_charts_under_the_table(tmp_path: Path, run_line: RunLine) -> None:
    out = tmp_path / "summary.html"
    run_line(["-C", str(ROOT), "report", "2012", "--as-of", "2012-12-31", "-o", str(out)])
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 5  # the five numeric targets
    assert html.index("</table>") < html.index("<svg")
