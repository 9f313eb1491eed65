"""fedplan/rules.py: every spelling of an indicator's rule and a target's pace, read into
the model, and the malformed ones refused with their code at their place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fedplan.model import Pace, Rule
from fedplan.repo import load_repository
from tests.conftest import PLAN_2012, PLAN_PATH, MakeRepo, RunLine

ASSESSMENT = """\
kind: assessment
year: 2012
title: 考核细则
indicators:
  - {{id: x, name: 指标, points: 40, {where}rule: {rule}}}
"""


def _rule(make_repo: MakeRepo, rule: str, where: str = "target: farm-training, ") -> tuple[Rule | None, list[str]]:
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/assessment.yaml": ASSESSMENT.format(rule=rule, where=where)})
    loaded = load_repository(root)
    found = loaded.repo.assessments[0].indicators if loaded.repo.assessments else ()
    return (found[0].rule if found else None), [d.code for d in loaded.diagnostics]


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ("proportional", "target: farm-training, ", Rule()),
        ("{shortfall: [[10, 5], [20, 10], [null, 30]]}", "target: farm-training, ", Rule(form="shortfall", bands=((10, 5), (20, 10), (None, 30)))),
        ("{steps: [[300, 40], [250, 30]], of: actual}", "target: farm-training, ", Rule(form="steps", bands=((300, 40), (250, 30)), of="actual")),
        ("{steps: [[100, 40], [90.5, 20]]}", "target: farm-training, ", Rule(form="steps", bands=((100, 40), (90.5, 20)), of="percent")),
        ("{per_unit: -2}", "", Rule(form="per_unit", per_unit=-2)),
        ("{on_time: 1, late: 0.5}", "target: launch, ", Rule(form="on_time", on_time=1, late=0.5)),
        ("{on_time: 0.9}", "target: launch, ", Rule(form="on_time", on_time=0.9, late=0)),
        ("{grades: {好: 1, 较好: 0.8, 差: 0}}", "", Rule(form="grades", grades=(("好", 1), ("较好", 0.8), ("差", 0)))),
    ],
)
def test_each_rule_form_is_read(make_repo: MakeRepo, text: str, where: str, expected: Rule):
    rule, codes = _rule(make_repo, text, where)
    assert codes == []
    assert rule == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("proportinal", "bad-rule"),  # a misspelt form
        ("steps", "bad-rule"),  # a form that needs its arguments
        ("{steps: [[100, 40]], late: 1}", "bad-rule"),  # a key of another form
        ("{steps: [[100, 50]]}", "bad-rule"),  # step points above the indicator's 40
        ("{steps: [[90, 20], [100, 40]]}", "rule-order"),  # thresholds not descending
        ("{shortfall: [[20, 10], [10, 5]]}", "rule-order"),  # limits not ascending
        ("{shortfall: [[10, 10], [20, 5]]}", "rule-order"),  # deductions falling
        ("{shortfall: [[null, 5], [20, 10]]}", "bad-rule"),  # null only as the last band
        ("{on_time: 1, late: 1.5}", "bad-rule"),
        ("{per_unit: 0}", "bad-rule"),
        ("{grades: {好: 2}}", "bad-rule"),
    ],
)
def test_malformed_rules_are_refused(make_repo: MakeRepo, text: str, code: str):
    rule, codes = _rule(make_repo, text)
    assert rule is None
    assert codes == [code]


def _pace(make_repo: MakeRepo, pace: str, settings: str = "") -> tuple[Pace | None, list[str]]:
    plan = PLAN_2012.replace("            unit: 人次\n", f"            unit: 人次\n            pace: {pace}\n")
    files = {PLAN_PATH: plan}
    if settings:
        files["fedplan.yaml"] = settings
    loaded = load_repository(make_repo(files))
    target = loaded.repo.plans[0].target("farm-training") if loaded.repo.plans else None
    return (target.pace if target else None), [d.code for d in loaded.diagnostics]


def test_pace_forms_are_read(make_repo: MakeRepo, tmp_path: Path):
    assert _pace(make_repo, "hold") == (Pace(form="hold"), [])
    assert _pace(make_repo, "[0.3, 0.5, 0.6, 1]", ) == (Pace(form="shares", shares=(0.3, 0.5, 0.6, 1)), [])
    dated = Pace(form="dates", dates=((dt.date(2012, 6, 30), 0.5), (dt.date(2012, 9, 30), 0.8)))
    # checkpoints come back in date order, whichever order they were written in
    assert _pace(make_repo, "{2012-09-30: 0.8, 2012年6月30日: 0.5}") == (dated, [])
    profile = "pace_profiles:\n  农时: [0.3, 0.5, 0.6, 1.0]\n"
    assert _pace(make_repo, "农时", profile) == (Pace(form="shares", shares=(0.3, 0.5, 0.6, 1.0), name="农时"), [])


@pytest.mark.parametrize(
    ("pace", "code"),
    [
        ("[0.3, 0.5, 1]", "bad-pace"),  # neither 4 nor 12 shares
        ("[0.5, 0.3, 0.6, 1]", "bad-pace"),  # falling
        ("[0.3, 0.5, 0.6, 0.9]", "bad-pace"),  # not ending at 1
        ("{2012-06-30: 1.2}", "bad-pace"),
        ("{2013-06-30: 0.5}", "bad-pace"),  # outside the target's dates (a cross-document check)
        ("农时", "unknown-pace"),
        ("liner", "unknown-pace"),
    ],
)
def test_malformed_paces_are_refused(make_repo: MakeRepo, pace: str, code: str):
    assert _pace(make_repo, pace)[1] == [code]


def test_a_pace_on_a_milestone_is_a_milestone_field(make_repo: MakeRepo):
    plan = PLAN_2012.replace("            due: 2012-06-30\n", "            due: 2012-06-30\n            pace: hold\n")
    codes = [d.code for d in load_repository(make_repo({PLAN_PATH: plan})).diagnostics]
    assert codes == ["milestone-field"]


def test_a_bad_profile_in_settings_is_reported_and_left_out(make_repo: MakeRepo):
    loaded = load_repository(make_repo({PLAN_PATH: PLAN_2012, "fedplan.yaml": "pace_profiles:\n  淡季: [0.1, 0.2]\n  农时: [0.3, 0.5, 0.6, 1]\n"}))
    assert [d.code for d in loaded.diagnostics] == ["bad-pace"]
    assert dict(loaded.repo.settings.pace_profiles) == {"农时": (0.3, 0.5, 0.6, 1)}


def test_schema_command_describes_the_assessment(run_line: RunLine):
    import json

    result = run_line(["schema", "assessment"])
    schema = json.loads(result.output)
    indicator = schema["properties"]["indicators"]["items"]
    assert indicator["required"] == ["id", "name", "points"]
    assert {"enum": ["proportional"]} in indicator["properties"]["rule"]["anyOf"]
    assert schema["properties"]["kind"] == {"enum": ["assessment"], "description": "文档类型"}
