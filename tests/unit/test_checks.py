"""fedplan/checks/: what only several documents together can tell.

One broken input per test, with exact diagnostics ``(path, line, col, code)``. The plan is
PLAN_2012 of tests/conftest.py: numeric target ``farm-training`` (300 人次, line 10),
milestone ``launch`` (due 2012-06-30, line 14), items ``shuangxue`` and ``volunteer``.
``today`` defaults to the real date (a later year), so no warning about 2012 is "news".
"""

from __future__ import annotations

import datetime as dt

import pytest

from fedplan.diagnostics import Diagnostic, Severity
from tests.conftest import PLAN_2012, PLAN_PATH, watch_helpers

P = "plans/2012/progress/fazhanbu.yaml"
LEDGER_HEAD = "kind: progress\nyear: 2012\nentries:\n"


def keys(found: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    return [d.key() for d in found]


def ledger(*entry_lines: str) -> str:
    """A progress file with one entry of these lines (the first at line 4, column 5)."""
    return LEDGER_HEAD + "  - " + "\n    ".join(entry_lines) + "\n"


def plan_with(old: str, new: str) -> str:
    assert PLAN_2012.count(old) == 1, old
    return PLAN_2012.replace(old, new)


# --- references from the ledger ----------------------------------------------------------------


def test_valid_ledger_of_every_kind_of_entry(diagnose, plan_2012):
    text = (
        LEDGER_HEAD
        + "  - {date: 2012-03-15, target: farm-training, value: 120}\n"
        + "  - {date: 2012年5月20日, target: launch, done: true}\n"
        + "  - {date: 2012-03-08, item: volunteer, note: 组织巾帼志愿者开展活动}\n"
    )
    assert diagnose({**plan_2012, P: text}) == []


@pytest.mark.parametrize("processes", [1, 2])
def test_a_long_ledger_is_checked_part_by_part_and_each_problem_found_at_its_entry(diagnose, plan_2012, processes, monkeypatch):
    # check_entries reads a ledger's columns 4,096 entries at a time: problems in the first
    # part, the second and at the seam are each reported at their own entry, once. With two
    # processes (a ledger of forked.LARGE entries), a forked helper looks at the later parts
    # (and matches the later batches of the reading): the same diagnostics.
    from fedplan import forked

    helped: list[bool] = []
    if processes == 2:
        helped = watch_helpers(monkeypatch)
        monkeypatch.setattr(forked, "LARGE", 1)
    lines = [f"  - {{date: 2012-03-15, target: farm-training, value: {n}}}" for n in range(9000)]
    wrong = {0: "farm-trainng", 4095: "farm-trainng", 4096: "farm-trainng", 8999: "farm-trainng"}
    for n, target in wrong.items():
        lines[n] = f"  - {{date: 2012-03-15, target: {target}, value: {n}}}"
    lines[5000] = "  - {date: 2013-01-02, target: farm-training, value: 1}"  # outside the year
    lines[6000] = "  - {date: 2012-03-15, target: launch, value: 1}"  # a milestone given a value
    found = diagnose({**plan_2012, P: LEDGER_HEAD + "\n".join(lines) + "\n"})
    def col(n: int, key: str) -> int:
        return lines[n].index(f"{key}: ") + len(key) + 3

    assert keys(found) == sorted(
        [(P, 4 + n, col(n, "target"), "unknown-target") for n in wrong]
        + [(P, 4 + 5000, col(5000, "date"), "date-outside-year"), (P, 4 + 6000, col(6000, "value"), "value-on-milestone")]
    )
    assert bool(helped) == (processes == 2) and all(helped)  # (the reading's helper and the check's sent their shares)


def test_unknown_target_suggests_the_near_one(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: farm-trainng", "value: 120")})
    assert keys(found) == [(P, 5, 13, "unknown-target")]
    assert found[0].hint == "是不是“farm-training”？"


def test_unknown_target_far_from_any(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: 小额贷款", "value: 120")})
    assert keys(found) == [(P, 5, 13, "unknown-target")]
    assert "plan.yaml" in found[0].hint


def test_item_id_used_as_a_target(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: volunteer", "value: 12")})
    assert keys(found) == [(P, 5, 13, "unknown-target")]
    assert "item: volunteer" in found[0].hint


def test_target_id_used_as_an_item(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "item: launch", "note: 开会")})
    assert keys(found) == [(P, 5, 11, "unknown-item")]
    assert "target: launch" in found[0].hint


def test_unknown_item_suggests(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "item: volunter", "note: 活动")})
    assert keys(found) == [(P, 5, 11, "unknown-item")]
    assert found[0].hint == "是不是“volunteer”？"


def test_value_on_a_milestone(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: launch", "value: 1")})
    assert keys(found) == [(P, 6, 12, "value-on-milestone")]
    assert "done: true" in found[0].hint


def test_milestone_entry_without_done(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: launch", "note: 筹备中")})
    assert keys(found) == [(P, 4, 5, "missing-done")]


def test_done_on_a_numeric_target(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: farm-training", "value: 40", "done: true")})
    assert keys(found) == [(P, 7, 11, "done-on-numeric")]


def test_numeric_entry_without_a_value(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2012-03-15", "target: farm-training", "note: 办班")})
    assert keys(found) == [(P, 4, 5, "missing-value")]
    assert "人次" in found[0].hint


def test_ledger_for_a_year_without_a_plan(diagnose, plan_2012):
    path = "plans/2013/progress.yaml"
    text = "kind: progress\nyear: 2013\nentries:\n  - {date: 2013-03-15, item: volunteer, note: 活动}\n"
    found = diagnose({**plan_2012, path: text})
    assert keys(found) == [(path, 2, 7, "no-plan")]
    assert "2012" in found[0].hint


def test_a_plan_that_cannot_be_read_is_the_one_error_not_every_ledger_of_its_year(diagnose):
    entry = ledger("date: 2012-03-08", "item: volunteer", "note: 活动")
    ledgers = {P: entry, "plans/2012/progress/b.yaml": entry}
    broken = {
        "syntax": PLAN_2012.replace("year: 2012\n", "year: 2012\n\tx: 1\n"),
        "bad year": PLAN_2012.replace("year: 2012", "year: 2O12"),
        "gbk": PLAN_2012.encode("gbk"),
    }
    for why, plan in broken.items():
        found = diagnose({PLAN_PATH: plan, **ledgers})
        assert [d.pos.path for d in found] == [PLAN_PATH], why


def test_an_unreadable_plan_of_another_year_leaves_the_ledger_without_a_plan(diagnose, plan_2012):
    path = "plans/2013/progress.yaml"
    text = "kind: progress\nyear: 2013\nentries:\n  - {date: 2013-03-15, item: volunteer, note: 活动}\n"
    broken = PLAN_2012.replace("year: 2012\n", "year: 2011\n\tx: 1\n")
    found = diagnose({**plan_2012, "plans/2011/plan.yaml": broken, path: text})
    assert [k[3] for k in keys(found)] == ["yaml-syntax", "no-plan"]


# --- dates ----------------------------------------------------------------------------------------


def test_entry_dated_outside_its_year(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: ledger("date: 2013-01-05", "target: farm-training", "value: 10")})
    assert keys(found) == [(P, 4, 11, "date-outside-year")]
    assert "2013 年的台账" in found[0].hint


def test_entry_dated_after_today_warns(diagnose, plan_2012):
    # 50 days into the year: not yet long enough for the stale-target warning.
    found = diagnose(
        {**plan_2012, P: ledger("date: 2012-03-15", "target: farm-training", "value: 10")},
        today=dt.date(2012, 2, 20),
    )
    assert keys(found) == [(P, 4, 11, "future-date")]
    assert found[0].severity is Severity.WARNING


def test_target_due_outside_the_plan_year(diagnose):
    found = diagnose({PLAN_PATH: plan_with("due: 2012-06-30", "due: 2013-01-15")})
    assert keys(found) == [(PLAN_PATH, 16, 18, "date-outside-year")]


def test_report_as_of_outside_its_year(diagnose, plan_2012):
    path = "plans/2012/reports/annual.yaml"
    text = "kind: report\nyear: 2012\ntitle: 2012年工作总结\nas_of: 2013-01-10\nsections: []\n"
    found = diagnose({**plan_2012, path: text})
    assert keys(found) == [(path, 4, 8, "date-outside-year")]
    assert "2012-12-31" in found[0].hint


def test_numeric_target_without_news_for_long_warns(diagnose, plan_2012):
    found = diagnose(
        {**plan_2012, P: ledger("date: 2012-04-17", "target: farm-training", "value: 10")},
        today=dt.date(2012, 7, 1),
    )
    assert keys(found) == [(PLAN_PATH, 10, 13, "stale-target")]
    assert found[0].severity is Severity.WARNING and "75 天" in found[0].message


# --- the plan ------------------------------------------------------------------------------------------


def test_points_must_add_up_to_total_points(diagnose):
    text = plan_with("year: 2012\n", "year: 2012\ntotal_points: 100\n")
    text = text.replace("unit: 人次\n", "unit: 人次\n            points: 40\n")
    found = diagnose({PLAN_PATH: text})
    assert keys(found) == [(PLAN_PATH, 4, 15, "points-sum")]
    assert "改为 40" in found[0].hint


def test_points_that_add_up(diagnose):
    text = plan_with("year: 2012\n", "year: 2012\ntotal_points: 100\n")
    text = text.replace("unit: 人次\n", "unit: 人次\n            points: 60.5\n")
    text = text.replace("due: 2012-06-30\n", "due: 2012-06-30\n            points: 39.5\n")
    assert diagnose({PLAN_PATH: text}) == []


def test_second_plan_for_the_same_year(diagnose, plan_2012):
    found = diagnose({**plan_2012, "plans/2012/plan-copy.yaml": PLAN_2012})
    # "plan-copy.yaml" sorts before "plan.yaml" ('-' < '.'): plan.yaml is the second one.
    assert keys(found) == [(PLAN_PATH, 3, 7, "duplicate-plan")]
    assert "plans/2012/plan-copy.yaml" in found[0].message


def test_duplicate_target_id(diagnose):
    found = diagnose({PLAN_PATH: plan_with("id: launch", "id: farm-training")})
    assert keys(found) == [(PLAN_PATH, 14, 17, "duplicate-id")]
    assert "第 10 行" in found[0].message


def test_item_and_target_share_an_id(diagnose):
    found = diagnose({PLAN_PATH: plan_with("id: launch", "id: shuangxue")})
    assert keys(found) == [(PLAN_PATH, 14, 17, "duplicate-id")]


def test_two_reports_with_one_id(diagnose, plan_2012):
    report = "kind: report\nyear: 2012\nid: annual\ntitle: 总结\nsections: []\n"
    found = diagnose({**plan_2012, "plans/2012/reports/a.yaml": report, "plans/2012/reports/b.yaml": report})
    assert keys(found) == [("plans/2012/reports/b.yaml", 3, 5, "duplicate-id")]
    assert "plans/2012/reports/a.yaml" in found[0].message


# --- proposals ---------------------------------------------------------------------------------------------


PROPOSAL = "plans/2012/proposals/jianyi.yaml"


def proposal(head: str, items: str) -> str:
    return f"kind: proposal\n{head}title: 关于加强妇女工作的建议\nrecommendations:\n  - title: 开展双学双比\n    items: [{items}]\n"


def test_proposal_links_a_plan_item(diagnose, plan_2012):
    assert diagnose({**plan_2012, PROPOSAL: proposal("year: 2012\n", "shuangxue")}) == []


def test_proposal_year_from_its_date(diagnose, plan_2012):
    assert diagnose({**plan_2012, PROPOSAL: proposal("date: 2012-03-01\n", "shuangxue")}) == []


def test_proposal_links_an_unknown_item(diagnose, plan_2012):
    found = diagnose({**plan_2012, PROPOSAL: proposal("year: 2012\n", "shuangxeu")})
    assert keys(found) == [(PROPOSAL, 6, 13, "unknown-item")]  # at the id, not the list
    assert found[0].hint == "是不是“shuangxue”？"


def test_each_unknown_item_of_a_list_is_its_own_problem_at_its_own_place(diagnose, plan_2012):
    # Two different ids wrong in one list: two errors, each pointing at its element
    # (they used to collapse into one, both placed at the list's "[").
    found = diagnose({**plan_2012, PROPOSAL: proposal("year: 2012\n", "nosuch-a, shuangxue, nosuch-b")})
    assert keys(found) == [(PROPOSAL, 6, 13, "unknown-item"), (PROPOSAL, 6, 34, "unknown-item")]
    assert ["“nosuch-a”" in found[0].message, "“nosuch-b”" in found[1].message] == [True, True]


def test_the_same_id_wrong_twice_in_a_list_is_reported_twice(diagnose, plan_2012):
    text = proposal("year: 2012\n", "nosuch").replace("items: [nosuch]", "items:\n      - nosuch\n      - nosuch")
    found = diagnose({**plan_2012, PROPOSAL: text})
    assert keys(found) == [(PROPOSAL, 7, 9, "unknown-item"), (PROPOSAL, 8, 9, "unknown-item")]


def test_proposal_links_items_but_has_no_year(diagnose, plan_2012):
    found = diagnose({**plan_2012, PROPOSAL: proposal("", "shuangxue")})
    assert keys(found) == [(PROPOSAL, 5, 12, "no-plan")]
    assert "year" in found[0].message


def test_proposal_links_items_of_a_year_without_a_plan(diagnose, plan_2012):
    found = diagnose({**plan_2012, PROPOSAL: proposal("year: 2011\n", "shuangxue")})
    assert keys(found) == [(PROPOSAL, 6, 12, "no-plan")]


def test_proposal_without_links_needs_no_year(diagnose, plan_2012):
    text = "kind: proposal\ntitle: 建议\nrecommendations:\n  - title: 一\n"
    assert diagnose({**plan_2012, PROPOSAL: text}) == []


# --- all at once -----------------------------------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_sorted(diagnose, plan_2012):
    found = diagnose(
        {
            **plan_2012,
            "plans/2012/a.yaml": "kind: progress\nyear: 2012\nentries: [\n",
            "plans/2012/b.yaml": ledger("date: 2012-02-30", "target: farm-training", "value: 1"),
            "plans/2012/c.yaml": ledger("date: 2012-03-01", "target: nope", "value: 1"),
        }
    )
    assert keys(found) == [
        ("plans/2012/a.yaml", 4, 1, "yaml-syntax"),
        ("plans/2012/b.yaml", 4, 11, "bad-date"),
        ("plans/2012/c.yaml", 5, 13, "unknown-target"),
    ]


def test_evidence_is_a_file_inside_the_repository_or_refused(make_repo, tmp_path) -> None:
    """An evidence path names a file in the repository: a link inside to a file inside is
    fine; a link that leads out is refused like an absolute path (it used to pass as
    'not found' only when the target was missing, and was accepted when it existed); a link
    loop or a NUL in the path is a diagnostic, not a traceback (RuntimeError, ValueError)."""
    outside = tmp_path / "runner-secret.txt"
    outside.write_text("token")
    refs = ["材料/签到表.pdf", "材料/链接.pdf", "材料/外面.pdf", "材料/环1", "a\\u0000b", "../x.pdf", "/etc/passwd", "材料/没有.pdf"]
    entry = "{date: 2012-04-10, target: farm-training, value: 6, evidence: [" + ", ".join(f'"{r}"' for r in refs) + "]}"
    root = make_repo({PLAN_PATH: PLAN_2012, P: LEDGER_HEAD + "  - " + entry + "\n", "材料/签到表.pdf": b"%PDF"})
    (root / "材料/链接.pdf").symlink_to("签到表.pdf")
    (root / "材料/外面.pdf").symlink_to(outside)
    (root / "材料/环1").symlink_to("环2")
    (root / "材料/环2").symlink_to("环1")
    from fedplan.repo import load_repository

    found = [d for d in load_repository(root).diagnostics if d.code.startswith("evidence")]
    got = sorted((d.code, d.message) for d in found)
    assert got == sorted([
        ("evidence-outside", "佐证材料“材料/外面.pdf”是指向仓库之外的链接"),
        ("evidence-not-found", "佐证材料“材料/环1”无法找到：路径含控制字符、过长，或是循环的符号链接"),
        ("evidence-not-found", "佐证材料“a\x00b”无法找到：路径含控制字符、过长，或是循环的符号链接"),
        ("evidence-outside", "佐证材料“../x.pdf”不在仓库中"),
        ("evidence-outside", "佐证材料“/etc/passwd”不在仓库中"),
        ("evidence-not-found", "佐证材料“材料/没有.pdf”不存在"),
    ])
    assert all(d.pos.path == P for d in found)
