"""fedplan score on a small repository: the JSON of SPEC §5, the table, CSV, xlsx,
--projected, --gaps, and the error when the year has no 考核细则.

The repository (hand-computed scores as of 2012-12-31):
  farm-training 240 of 300 = 80 %: proportional 40 × 0.8 = 32
  launch (due Jun 30) done Jul 10: on_time 1, late 0.5 → 20 × 0.5 = 10
  xinxi per_unit 2: 3 units → 6 (cap 10)
  bonus award 5 × 1 = 5 (max 10, bonus max 20)
  total 32 + 10 + 6 + 5 = 53 of 70
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import PLAN_2012, PLAN_PATH, MakeRepo, RunLine

ASSESSMENT = """\
kind: assessment
year: 2012
title: 2012年度考核细则
total_points: 70
indicators:
  - {id: training, name: 农业实用技术培训, points: 40, target: farm-training}
  - {id: launch, name: 召开启动大会, points: 20, target: launch, rule: {on_time: 1, late: 0.5}}
  - {id: xinxi, name: 信息报送, points: 10, rule: {per_unit: 2}}
bonus:
  max: 20
  items:
    - {id: award, name: 获省级以上表彰, points: 5, max: 10}
veto:
  - {id: safety, name: 发生重大安全责任事故}
"""
LEDGER = """\
kind: progress
year: 2012
entries:
  - {date: 2012-03-15, target: farm-training, value: 120}
  - {date: 2012-06-15, target: farm-training, value: 120}
  - {date: 2012-07-10, target: launch, done: true}
  - {date: 2012-04-01, indicator: xinxi, value: 1}
  - {date: 2012-09-01, indicator: xinxi, value: 2}
  - {date: 2012-11-01, bonus: award, note: 获省妇联表彰}
"""


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo({PLAN_PATH: PLAN_2012, "plans/2012/assessment.yaml": ASSESSMENT, "plans/2012/progress/p.yaml": LEDGER})


def test_json_has_the_spec_shape_and_the_hand_computed_score(run_line: RunLine, repo: Path):
    result = run_line(["-C", str(repo), "score", "2012", "--as-of", "2012-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"org", "year", "as_of", "score", "total_points", "bonus", "vetoed", "indicators"} <= data.keys()
    assert (data["score"], data["total_points"], data["bonus"], data["vetoed"]) == (53, 70, 5, False)
    rows = {i["id"]: i for i in data["indicators"]}
    assert {k: rows[k]["score"] for k in rows} == {"training": 32, "launch": 10, "xinxi": 6}
    assert rows["training"]["actual"] == 240
    assert rows["xinxi"]["actual"] == 3
    assert rows["launch"]["rule"] == "按时完成得20分，逾期完成得10分，未完成不得分"
    assert rows["launch"]["explanation"] == "7月10日完成，晚于时限6月30日，按逾期完成得10分"
    assert set(rows["training"]) >= {"id", "name", "points", "rule", "actual", "score", "explanation"}


def test_the_as_of_day_counts(run_line: RunLine, repo: Path):
    # Jun 30: training 240 → 32; launch not yet done (due today) → 0; xinxi 1 unit → 2; no bonus
    result = run_line(["-C", str(repo), "score", "--as-of", "2012-06-30", "--format", "json"])
    assert json.loads(result.output)["score"] == 34


def test_projected_and_gaps(run_line: RunLine, repo: Path):
    # Jun 30 (182 days of 365 after Jan 1, linear): training 240 → 240 × 365/182 = 481.3 → full 40;
    # xinxi 1 unit → 1 × 365/182 = 2.005 units → 4.0 points; launch still 0 → 44
    result = run_line(["-C", str(repo), "score", "--as-of", "2012-06-30", "--projected", "--format", "json"])
    data = json.loads(result.output)
    assert (data["projected"], data["score"]) == (True, 44)
    result = run_line(["-C", str(repo), "score", "--as-of", "2012-12-31", "--gaps"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    gaps = lines[lines.index("还可得分：") + 1 :]
    # xinxi: 2 more units earn 4 (2 a unit); training: 60 more 人次 earn 8 (0.13 a unit)
    assert [g.strip() for g in gaps] == ["1. 信息报送：再完成2件可再得4分", "2. 农业实用技术培训：再完成60人次可再得8分"]
    assert "考核自评得分 53 分（满分 70 分，含加分 5 分）" in result.output


def test_a_veto_is_shown(run_line: RunLine, make_repo: MakeRepo):
    ledger = LEDGER + "  - {date: 2012-08-01, veto: safety, note: 辖区发生火灾}\n"
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/assessment.yaml": ASSESSMENT, "plans/2012/progress/p.yaml": ledger})
    data = json.loads(run_line(["-C", str(root), "score", "--as-of", "2012-12-31", "--format", "json"]).output)
    assert (data["vetoed"], data["score"]) == (True, 53)
    table = run_line(["-C", str(root), "score", "--as-of", "2012-12-31"]).output
    assert "一票否决：发生重大安全责任事故" in table


def test_csv_and_xlsx_carry_the_same_rows(run_line: RunLine, repo: Path, tmp_path: Path):
    out = tmp_path / "score.csv"
    assert run_line(["-C", str(repo), "score", "--as-of", "2012-12-31", "-o", str(out)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["序号", "考核内容", "分值", "评分标准", "完成情况", "得分", "得分说明"]
    assert rows[1][:3] == ["1", "农业实用技术培训", "40"] and rows[1][5] == "32"
    assert rows[-1][1:3] == ["合计", "70"] and rows[-1][5] == "53"

    import openpyxl

    book = tmp_path / "score.xlsx"
    assert run_line(["-C", str(repo), "score", "--as-of", "2012-12-31", "-o", str(book)]).exit_code == 0
    sheet = openpyxl.load_workbook(book).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert any(row[:2] == ["合计", 70] and 53 in row for row in values)
    assert any("农业实用技术培训" in row and 32 in row for row in values)


def test_no_assessment_for_the_year(run_line: RunLine, make_repo: MakeRepo):
    root = make_repo({PLAN_PATH: PLAN_2012})
    result = run_line(["-C", str(root), "score", "2012"])
    assert result.exit_code == 1
    assert "2012 年没有考核细则" in result.output and "[no-assessment]" in result.output


EXAMPLE = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (EXAMPLE / "plans/2012/assessment.yaml").is_file(), reason="no bundled example in this tree")
def test_the_bundled_example_exercises_every_rule_form(run_line: RunLine):
    from fedplan.repo import load_repository

    loaded = load_repository(EXAMPLE)
    assert loaded.diagnostics == []
    assessment = loaded.repo.assessment_for(2012)
    assert assessment is not None
    assert {i.rule.form for i in assessment.indicators} == {"proportional", "shortfall", "steps", "per_unit", "on_time", "grades"}
    data = json.loads(run_line(["-C", str(EXAMPLE), "score", "2012", "--as-of", "2012-12-31", "--format", "json"]).output)
    got = {i["id"]: i["score"] for i in data["indicators"]}
    # proportional: training 320/300 → 40, biaobing 36/36 → 30, family-plan not done → 0,
    #   the three done milestones (sanba, weiquan, jindu) → 10 each
    # shortfall: gangwei 7 of 8 = 12.5 short → the ≤20 band, 30 − 10 = 20
    # steps: repay 100 ≥ 100 → 40; loan 1960/2000 = 98 % → the 95 step → 30
    # on_time: two-plans-launch done Jul 12 after Jun 30 → 20 × 0.5 = 10; two-plans-training
    #   Sep 20 before Sep 30 → 10
    # per_unit: xinxi 1 + 1 + 2 = 4 units × 2 = 8; huiyi 1 absence × −2 → 10 − 2 = 8
    # grades: jiceng 较好 → 20 × 0.8 = 16
    assert got == {
        "training": 40, "gangwei": 20, "biaobing": 30, "repay": 40, "loan": 30, "two-plans-launch": 10,
        "two-plans-training": 10, "family-plan": 0, "sanba": 10, "weiquan": 10, "jindu": 10,
        "xinxi": 8, "huiyi": 8, "jiceng": 16,
    }  # fmt: skip
    # indicators 242; bonus: award 1 × 5 + media 2 × 2 = 9 (under both caps) → 251 of 300
    assert (data["score"], data["bonus"], data["total_points"], data["vetoed"]) == (251, 9, 300, False)


def test_status_shows_the_assessment_line_and_the_summary_quotes_it(run_line: RunLine, repo: Path, make_repo: MakeRepo):
    table = run_line(["-C", str(repo), "status", "2012", "--as-of", "2012-12-31"]).output
    assert "考核自评得分 53 分（满分 70 分，含加分 5 分）" in table
    summary = run_line(["-C", str(repo), "report", "2012", "--as-of", "2012-12-31"]).output
    assert "对照《2012年度考核细则》自评，得分53分（满分70分，其中加分5分）。" in summary
    bare = make_repo({PLAN_PATH: PLAN_2012}, root=repo.parent / "bare")
    assert "考核自评" not in run_line(["-C", str(bare), "status", "2012", "--as-of", "2012-12-31"]).output
    assert "自评" not in run_line(["-C", str(bare), "report", "2012", "--as-of", "2012-12-31"]).output
