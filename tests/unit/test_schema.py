"""fedplan/schema/: what one document alone can tell — keys, types, dates, ids, numbers.

One broken input per test, with its exact diagnostics ``(path, line, col, code)`` and the
part of the hint a user acts on. Line numbers of PLAN_2012 (tests/conftest.py):
7 ``- id: shuangxue``, 10 ``- id: farm-training``, 12 ``target: 300``, 13 ``unit: 人次``,
14 ``- id: launch``, 16 ``due: 2012-06-30``.
"""

from __future__ import annotations

import json
import re

import pytest

from fedplan.diagnostics import Diagnostic
from fedplan.schema import KINDS, json_schema
from tests.conftest import PLAN_2012, PLAN_PATH

P = "plans/2012/progress.yaml"
LEDGER_HEAD = "kind: progress\nyear: 2012\nentries:\n"


def keys(found: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    return [d.key() for d in found]


def plan(old: str, new: str) -> dict[str, str]:
    """The files of a repository whose plan has ``old`` replaced by ``new`` (once)."""
    assert PLAN_2012.count(old) == 1, old
    return {PLAN_PATH: PLAN_2012.replace(old, new)}


def ledger(*entry_lines: str) -> str:
    """A progress file with one entry of these lines (the first at line 4)."""
    return LEDGER_HEAD + "  - " + "\n    ".join(entry_lines) + "\n"


# --- keys ----------------------------------------------------------------------------------


def test_the_minimal_plan_is_valid(diagnose, plan_2012):
    assert diagnose(plan_2012) == []


def test_unknown_key_suggests_the_near_one(diagnose):
    found = diagnose(plan("            unit: 人次\n", "            unit: 人次\n            piont: 40\n"))
    assert keys(found) == [(PLAN_PATH, 14, 13, "unknown-key")]
    assert found[0].hint == "是不是“points”？"


def test_unknown_key_far_from_any_lists_the_keys(diagnose):
    found = diagnose(plan("year: 2012\n", "year: 2012\n负责人: 张三\n"))
    assert keys(found) == [(PLAN_PATH, 4, 1, "unknown-key")]
    assert found[0].hint.startswith("可用的键：kind、org、year")


def test_missing_required_key(diagnose):
    found = diagnose(plan("        title: 着力推进“双学双比”竞赛活动\n", ""))
    assert keys(found) == [(PLAN_PATH, 7, 9, "missing-key")]
    assert "“title”" in found[0].message


def test_duplicate_key_is_reported_at_the_duplicate(diagnose):
    found = diagnose(plan("            unit: 人次\n", "            unit: 人次\n            unit: 个\n"))
    assert keys(found) == [(PLAN_PATH, 14, 13, "duplicate-key")]
    assert "第 13 行" in found[0].message


def test_full_width_colon_says_so(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: "kind：progress\nyear：2012\n"})
    assert keys(found) == [(P, 1, 1, "type")]
    assert "中文冒号" in found[0].hint


def test_merge_key_is_not_supported(diagnose):
    found = diagnose(plan("    items:\n", "    <<: {title: 其他}\n    items:\n"))
    assert keys(found) == [(PLAN_PATH, 6, 5, "unknown-key")]
    assert "<<" in found[0].message


def test_missing_kind(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: "year: 2012\nentries: []\n"})
    assert keys(found) == [(P, 1, 1, "missing-kind")]


def test_unknown_kind_suggests(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: "kind: progres\nyear: 2012\nentries: []\n"})
    assert keys(found) == [(P, 1, 7, "unknown-kind")]
    assert found[0].hint == "是不是“progress”？"


def test_plan_without_org_anywhere(diagnose):
    found = diagnose(plan("org: 测试区妇联\n", ""))
    assert keys(found) == [(PLAN_PATH, 1, 1, "missing-key")]
    assert "fedplan.yaml" in found[0].hint


def test_plan_org_may_come_from_settings(diagnose):
    assert diagnose({**plan("org: 测试区妇联\n", ""), "fedplan.yaml": "org: 测试区妇联\n"}) == []


# --- types -----------------------------------------------------------------------------------


def test_year_in_chinese_numerals(diagnose):
    assert keys(diagnose(plan("year: 2012", "year: 二〇一二"))) == [(PLAN_PATH, 3, 7, "type")]


def test_quoted_number(diagnose):
    found = diagnose(plan("target: 300", 'target: "300"'))
    assert keys(found) == [(PLAN_PATH, 12, 21, "type")]
    assert "引号" in found[0].hint


def test_thousands_separator(diagnose):
    found = diagnose(plan("target: 300", "target: 2,000"))
    assert keys(found) == [(PLAN_PATH, 12, 21, "type")]
    assert "千位分隔符" in found[0].hint


def test_list_where_text_belongs(diagnose):
    found = diagnose(plan("title: 推进巾帼志愿服务工作", "title: [推进, 巾帼志愿服务工作]"))
    assert keys(found) == [(PLAN_PATH, 18, 16, "type")]


def test_mapping_where_a_list_belongs(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER_HEAD + "  date: 2012-03-08\n"})
    assert keys(found) == [(P, 4, 3, "type")]


def test_text_where_true_or_false_belongs(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: launch", "done: 是")})
    assert keys(found) == [(P, 6, 11, "type")]


def test_list_of_texts_with_a_mapping_in_it(diagnose):
    found = diagnose(plan("        title: 推进巾帼志愿服务工作\n", "        title: 推进巾帼志愿服务工作\n        partners: [团区委, {a: 1}]\n"))
    assert keys(found) == [(PLAN_PATH, 19, 25, "type")]


def test_empty_required_text(diagnose):
    found = diagnose(plan("title: 以服务群众为主题，引领妇女参与经济社会发展", 'title: ""'))
    assert keys(found) == [(PLAN_PATH, 5, 12, "empty-value")]


def test_enum_value_suggests(diagnose):
    found = diagnose(plan("unit: 人次\n", "unit: 人次\n            measure: sume\n"))
    assert keys(found) == [(PLAN_PATH, 14, 22, "bad-value")]
    assert found[0].hint == "是不是“sum”？"


def test_target_must_be_above_zero(diagnose):
    assert keys(diagnose(plan("target: 300", "target: 0"))) == [(PLAN_PATH, 12, 21, "out-of-range")]


def test_points_cannot_be_negative(diagnose):
    found = diagnose(plan("unit: 人次\n", "unit: 人次\n            points: -5\n"))
    assert keys(found) == [(PLAN_PATH, 14, 21, "out-of-range")]


def test_not_a_number_is_refused(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", "value: .nan")})
    assert keys(found) == [(P, 6, 12, "type")]


# --- numbers written as people write them ----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "yaml_reads_it_as"),
    [("0300", "octal 192"), ("1:30", "sexagesimal 90"), ("0x1F", "hex 31")],
)
def test_a_number_yaml_would_read_as_another_is_refused(diagnose, plan_2012, written, yaml_reads_it_as):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", f"value: {written}")})
    assert keys(found) == [(P, 6, 12, "number-format")], yaml_reads_it_as


def test_digit_separators_and_signs_are_plain_numbers(diagnose, plan_2012):
    for written in ("1_000", "-5", "+5", "0"):
        found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", f"value: {written}")})
        assert keys(found) == [], written


def test_target_with_its_unit_says_split_it(diagnose):
    found = diagnose(plan("target: 300\n            unit: 人次\n", "target: 300人次\n"))
    assert keys(found) == [(PLAN_PATH, 12, 21, "number-with-unit")]
    assert found[0].hint == "数字和单位要分开写：target: 300，并另写 unit: 人次"


def test_target_with_its_unit_and_a_unit_is_one_error(diagnose):
    # Not also "a milestone cannot have a unit": the number was refused, not left out.
    assert keys(diagnose(plan("target: 300", "target: 300人次"))) == [(PLAN_PATH, 12, 21, "number-with-unit")]


def test_value_with_a_unit(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", "value: 120人次")})
    assert keys(found) == [(P, 6, 12, "number-with-unit")]
    assert "value: 120" in found[0].hint


def test_amount_in_wan_yuan(diagnose):
    found = diagnose(plan("target: 300\n            unit: 人次\n", "target: 2000万元\n"))
    assert keys(found) == [(PLAN_PATH, 12, 21, "number-with-unit")]
    assert "unit: 万元" in found[0].hint


def test_full_width_digits(diagnose):
    found = diagnose(plan("target: 300", "target: ３００"))
    assert keys(found) == [(PLAN_PATH, 12, 21, "type")]
    assert "半角数字" in found[0].hint


def test_letter_o_in_a_year_is_not_a_unit(diagnose):
    found = diagnose(plan("year: 2012", "year: 2O12"))
    assert [k for k in keys(found) if k[0] == PLAN_PATH and k[1] == 3] == [(PLAN_PATH, 3, 7, "type")]
    d = next(d for d in found if d.pos.line == 3)
    assert "字母" in d.message and "unit" not in d.hint
    assert d.hint == "改成 year: 2012（字母 O 改成数字 0）"


def test_letters_l_and_o_in_a_target(diagnose):
    found = diagnose(plan("target: 300", "target: l0O"))
    assert keys(found) == [(PLAN_PATH, 12, 21, "type")]
    assert found[0].hint == "改成 target: 100（字母 O 改成数字 0，字母 l 改成数字 1）"


def test_numeric_target_needs_a_unit(diagnose):
    found = diagnose(plan("            unit: 人次\n", ""))
    assert keys(found) == [(PLAN_PATH, 10, 13, "missing-unit")]


def test_milestone_takes_no_unit(diagnose):
    found = diagnose(plan("due: 2012-06-30\n", "due: 2012-06-30\n            unit: 次\n"))
    assert keys(found) == [(PLAN_PATH, 17, 19, "milestone-field")]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2012-06-30", "2012年6月30日", "2012 年 6 月 30 日", "'2012-6-30'"])
def test_both_date_forms_are_accepted(diagnose, written):
    assert diagnose(plan("due: 2012-06-30", f"due: {written}")) == []


def test_day_that_does_not_exist(diagnose):
    found = diagnose(plan("due: 2012-06-30", "due: 2012-02-30"))
    assert keys(found) == [(PLAN_PATH, 16, 18, "bad-date")]
    assert "该日存在" in found[0].hint


def test_chinese_date_that_does_not_exist(diagnose):
    assert keys(diagnose(plan("due: 2012-06-30", "due: 2011年2月29日"))) == [(PLAN_PATH, 16, 18, "bad-date")]


def test_date_with_a_time_is_refused(diagnose):
    found = diagnose(plan("due: 2012-06-30", "due: 2012-06-30 09:30:00"))
    assert keys(found) == [(PLAN_PATH, 16, 18, "bad-date")]
    assert "不写时间" in found[0].message


def test_due_before_start(diagnose):
    found = diagnose(plan("due: 2012-06-30\n", "due: 2012-06-30\n            start: 2012-07-01\n"))
    assert keys(found) == [(PLAN_PATH, 16, 18, "date-order")]


# --- ids ------------------------------------------------------------------------------------------


def test_id_with_a_space(diagnose):
    found = diagnose(plan("id: farm-training", "id: farm training"))
    assert keys(found) == [(PLAN_PATH, 10, 17, "bad-id")]


def test_chinese_id_is_fine(diagnose):
    assert diagnose(plan("id: farm-training", "id: 农技培训")) == []


def test_report_id_from_a_file_name_with_a_space(diagnose, plan_2012):
    path = "plans/2012/reports/半年 总结.yaml"
    found = diagnose({**plan_2012, path: "kind: report\nyear: 2012\ntitle: 半年总结\nsections: []\n"})
    assert keys(found) == [(path, 1, 1, "bad-id")]


def test_proposal_item_link_that_is_no_id(diagnose, plan_2012):
    path = "plans/2012/proposals/p.yaml"
    text = "kind: proposal\nyear: 2012\ntitle: 建议\nrecommendations:\n  - title: 一\n    items: [双学 双比]\n"
    assert keys(diagnose({**plan_2012, path: text})) == [(path, 6, 13, "bad-id")]


# --- progress entries -------------------------------------------------------------------------------


def test_entry_with_both_target_and_item(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", "item: shuangxue", "value: 3")})
    assert keys(found) == [(P, 4, 5, "entry-ref")]
    assert "不能同时" in found[0].message


def test_entry_with_neither_target_nor_item(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, P: ledger("date: 2012-03-08", "value: 3")})) == [(P, 4, 5, "entry-ref")]


def test_item_entry_takes_no_value(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "item: volunteer", "value: 3", "note: 活动")})
    assert keys(found) == [(P, 6, 12, "entry-field")]


def test_item_entry_needs_a_note(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, P: ledger("date: 2012-03-08", "item: volunteer")})) == [(P, 4, 5, "missing-note")]


def test_entry_without_a_date(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("target: farm-training", "value: 3")})
    assert keys(found) == [(P, 4, 5, "missing-key")]


# --- settings ---------------------------------------------------------------------------------------


def test_settings_script_value(diagnose, plan_2012):
    found = diagnose({**plan_2012, "fedplan.yaml": "org: 测试区妇联\nscript: traditional\n"})
    assert keys(found) == [("fedplan.yaml", 2, 9, "bad-value")]
    assert "hans" in found[0].message and "hant" in found[0].message


def test_settings_unknown_key(diagnose, plan_2012):
    found = diagnose({**plan_2012, "fedplan.yaml": "stale_day: 30\n"})
    assert keys(found) == [("fedplan.yaml", 1, 1, "unknown-key")]
    assert found[0].hint == "是不是“stale_days”？"


def test_settings_threshold_above_one(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, "fedplan.yaml": "at_risk_below: 70\n"})) == [("fedplan.yaml", 1, 16, "out-of-range")]


def test_settings_date_style_as_a_number(diagnose, plan_2012):
    assert diagnose({**plan_2012, "fedplan.yaml": "date_style: 1999\n"}) == []


def test_settings_in_gbk(diagnose, plan_2012):
    found = diagnose({**plan_2012, "fedplan.yaml": "org: 测试区妇联\n".encode("gbk")})
    assert keys(found) == [("fedplan.yaml", 1, 6, "encoding-gbk")]


def test_empty_settings_file(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, "fedplan.yaml": ""})) == [("fedplan.yaml", 1, 1, "empty-document")]


# --- JSON Schema for editors ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [*KINDS, "settings"])
def test_json_schema_is_draft_07_and_closed(kind):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    json.dumps(schema, ensure_ascii=False)  # plain JSON, nothing Python-only


def test_a_misspelt_key_is_one_mistake_not_two(diagnose, plan_2012):
    # `valeu` is reported as unknown (with “是不是 value”); no second "value is missing".
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", "valeu: 3")})
    assert keys(found) == [(P, 6, 5, "unknown-key")]
    assert "value" in found[0].hint
    found = diagnose({**plan_2012, P: ledger("dat: 2012-03-08", "item: shuangxue", "note: 组织活动")})
    assert keys(found) == [(P, 4, 5, "unknown-key")]  # not also missing-key for date


def test_editor_id_pattern_accepts_chinese_ids_in_javascripts_regex_dialect():
    # JavaScript's \w is ASCII only, so the schema spells the CJK ranges out.
    pattern = json_schema("plan")["properties"]["sections"]["items"]["properties"]["items"]["items"][
        "properties"
    ]["id"]["pattern"]
    assert "\\w" not in pattern
    assert re.match(pattern, "农技培训") and re.match(pattern, "farm-training")
    assert not re.match(pattern, "farm training") and not re.match(pattern, "培训，")


# --- magnitudes no real figure has (issue 10: they crashed status, report, even validate) -----


@pytest.mark.parametrize(
    "written",
    ["9" * 401, "9" * 5000, "-" + "9" * 5000, "1_000_000_000_001", "1000000000001", "1.5e+12", "4.9e-324", "-1.0e-7"],
)
def test_a_value_of_absurd_magnitude_is_refused(diagnose, plan_2012, written):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", f"value: {written}")})
    assert keys(found) == [(P, 6, 12, "number-magnitude")], written
    assert len(found[0].message) < 80  # a 5,000-digit value is not echoed whole


@pytest.mark.parametrize("written", ["1000000000000", "-1000000000000", "0.000001", "0.0", "1.0e+12"])
def test_magnitudes_at_the_bounds_are_accepted(diagnose, plan_2012, written):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", f"value: {written}")})
    assert keys(found) == [], written


@pytest.mark.parametrize(("written", "code", "hint"), [("1e3", "type", "value: 1000"), ("25e-5", "type", "value: 0.00025"), ("1.5e12", "number-magnitude", "")])
def test_scientific_notation_that_yaml_reads_as_text_is_named_not_called_a_unit(diagnose, plan_2012, written, code, hint):
    """PyYAML reads 1e3 (no dot, no sign in the exponent) as text; it was reported as a
    number "带有单位" with the hint "value: 1"."""
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", f"value: {written}")})
    assert keys(found) == [(P, 6, 12, code)], written
    assert "单位" not in found[0].message and hint in (found[0].hint or "")


def test_a_tiny_target_is_refused(diagnose):
    found = diagnose(plan("target: 300", "target: 4.9e-324"))
    assert keys(found) == [(PLAN_PATH, 12, 21, "number-magnitude")]
    assert "太小" in found[0].message


@pytest.mark.parametrize(
    "value", ["300", "0", "-5", "0.5", "1000000000000", "1000000000001", "-1.0e+13", "1.0e+300", "4.9e-324", "-0.0000005", "0.000001"]
)
def test_json_schema_refuses_the_magnitudes_validate_refuses(diagnose, plan_2012, value):
    """The editor's schema flags what validate refuses with number-magnitude (|x| ≤ 10^12,
    a non-zero x not closer to 0 than 10^-6), on a bounded field and an unbounded one."""
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json_schema("progress")
    entry = {"date": "2012-03-08", "target": "farm-training", "value": yaml.safe_load(value)}
    editor_ok = jsonschema.Draft7Validator(schema).is_valid({"kind": "progress", "year": 2012, "entries": [entry]})
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-08", "target: farm-training", f"value: {value}")})
    assert editor_ok == (found == []), found
    target = json_schema("plan")["properties"]["sections"]["items"]["properties"]["items"]["items"]["properties"][
        "targets"
    ]["items"]["properties"]["target"]
    refused = diagnose(plan("target: 300", f"target: {value}"))
    assert jsonschema.Draft7Validator(target).is_valid(yaml.safe_load(value)) == (refused == []), refused
