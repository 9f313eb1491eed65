"""SPEC §4 pinned on hand-computed cases.

Calendar facts used below (2012 is a leap year):
  Jan 1 → Jul 1 = 31+29+31+30+31+30 = 182 days;  Jan 1 → Dec 31 = 365 days;
  Jan 1 → Mar 1 = 31+29 = 60 days;  May 1 → Jul 1 = 61 days;  May 2 → Jul 1 = 60 days.
So with the default start/due, a target of 365 has an expected pace of exactly "days
elapsed": 182 on Jul 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fedplan.model import Entry, Item, Pace, Plan, Progress, Repository, Section, Settings, Target
from fedplan.status import STATUS_LABELS, TargetStatus, compute_status, repository_status

D = dt.date
JUL1 = D(2012, 7, 1)


def entry(
    date: dt.date, target: str = "t", value: float | None = None, done: bool = False
) -> Entry:
    return Entry(path="progress.yaml", date=date, target=target, value=value, done=done)


def plan_of(*targets: Target, total_points: float | None = None) -> Plan:
    item = Item(id="item", title="事项", owner="发展部", targets=targets)
    return Plan(
        path="plan.yaml",
        org="金川区妇联",
        year=2012,
        title="金川区妇联2012年工作要点",
        sections=(Section(title="一部分", items=(item,)),),
        total_points=total_points,
    )


def status_of(
    target: Target,
    entries: list[Entry],
    as_of: dt.date = JUL1,
    settings: Settings | None = None,
) -> TargetStatus:
    result = compute_status(
        plan_of(target),
        tuple(sorted(entries, key=lambda e: e.date)),
        as_of=as_of,
        settings=settings or Settings(),
    )
    (only,) = result.targets
    return only


def numeric(**fields: object) -> Target:
    defaults: dict[str, object] = {"id": "t", "name": "培训", "target": 365, "unit": "人次"}
    return Target(**{**defaults, **fields})  # type: ignore[arg-type]


# --- sum, up ---------------------------------------------------------------------------


def test_sum_up_on_track_ignores_entries_after_as_of() -> None:
    # actual = 100 + 90 = 190 (the Aug 1 entry of 50 is after as-of and does not count)
    # percent = 100·190/365 = 52.054… → 52.1 ; expected = 365·182/365 = 182
    # 190 ≥ 182 → on-track ; score = 40·190/365 = 20.82… → 20.8
    s = status_of(
        numeric(points=40),
        [
            entry(D(2012, 3, 15), value=100),
            entry(D(2012, 6, 20), value=90),
            entry(D(2012, 8, 1), value=50),
        ],
    )
    assert (s.actual, s.percent, s.expected, s.status, s.score) == (
        190,
        52.1,
        182,
        "on-track",
        20.8,
    )
    assert isinstance(s.actual, int) and isinstance(s.expected, int)
    assert [e.date for e in s.entries] == [D(2012, 3, 15), D(2012, 6, 20)]
    assert s.last_entry == D(2012, 6, 20)
    assert s.label == "正常"


def test_sum_up_behind() -> None:
    # actual 130; 0.7·182 = 127.4 ≤ 130 < 182 → behind ; percent 13000/365 = 35.616… → 35.6
    s = status_of(numeric(), [entry(D(2012, 6, 1), value=130)])
    assert (s.actual, s.percent, s.expected, s.status) == (130, 35.6, 182, "behind")


def test_sum_up_at_risk() -> None:
    # actual 127 < 127.4 = 0.7·182 → at-risk ; percent 12700/365 = 34.79… → 34.8
    s = status_of(numeric(), [entry(D(2012, 6, 1), value=127)])
    assert (s.actual, s.percent, s.status) == (127, 34.8, "at-risk")


def test_sum_up_over_fulfilment_is_done_above_100_percent_and_score_is_capped() -> None:
    # target 300: 200 + 160 = 360 ≥ 300 → done before the due date
    # percent = 100·360/300 = 120 (not capped) ; score = 40·min(1, 1.2) = 40
    s = status_of(
        numeric(target=300, points=40),
        [entry(D(2012, 3, 1), value=200), entry(D(2012, 5, 1), value=160)],
    )
    assert (s.actual, s.percent, s.status, s.score) == (360, 120, "done", 40)
    assert isinstance(s.percent, int)


def test_sum_with_baseline() -> None:
    # 在册巾帼文明岗 baseline 20, target 28; entries +3 +2 → actual 25
    # percent = 100·(25−20)/(28−20) = 62.5 ; expected = 20 + 8·182/365 = 23.989… → 24
    # 25 ≥ 23.99 → on-track ; score = 10·0.625 = 6.25 → 6.3 (half up)
    s = status_of(
        numeric(target=28, unit="个", baseline=20, points=10),
        [entry(D(2012, 2, 1), value=3), entry(D(2012, 6, 1), value=2)],
    )
    assert (s.actual, s.percent, s.expected, s.status, s.score) == (25, 62.5, 24, "on-track", 6.3)


def test_float_values_are_added_exactly() -> None:
    # 0.1 + 0.2 万元 is 0.3, which meets a target of 0.3 exactly → done, 100 %
    s = status_of(
        numeric(target=0.3, unit="万元"),
        [entry(D(2012, 3, 1), value=0.1), entry(D(2012, 4, 1), value=0.2)],
    )
    assert (s.actual, s.percent, s.status) == (0.3, 100, "done")


def test_percent_rounds_half_up() -> None:
    # 100·1/400 = 0.25 → 0.3 (四舍五入; Python's round() would give 0.2)
    # expected = 400·182/365 = 199.452… → 199.5
    s = status_of(numeric(target=400), [entry(D(2012, 3, 1), value=1)])
    assert (s.percent, s.expected) == (0.3, 199.5)


# --- latest ----------------------------------------------------------------------------


def test_latest_takes_newest_entry_and_later_of_equal_dates() -> None:
    # levels 95 (Mar 1), 98 then 97 (both Jun 1: the later one written wins), 100 (Aug 1,
    # after as-of): actual 97. target 100 from baseline 0: percent 97
    # pace: hold (the default for latest): expected = 100 all year ; 97 < 100 → not done,
    # 97 ≥ 0.7·100 = 70 → behind
    s = status_of(
        numeric(target=100, unit="%", measure="latest"),
        [
            entry(D(2012, 3, 1), value=95),
            entry(D(2012, 6, 1), value=98),
            entry(D(2012, 6, 1), value=97),
            entry(D(2012, 8, 1), value=100),
        ],
    )
    assert (s.actual, s.percent, s.expected, s.status) == (97, 97, 100, "behind")


def test_latest_with_baseline_and_no_entry_is_the_baseline() -> None:
    # 还贷率 baseline 90 → 100, nothing recorded: actual 90, percent 0
    # pace hold (default for latest): expected = 90 + 10·1 = 100 ; 90 ≥ 0.7·100 → behind
    s = status_of(numeric(target=100, unit="%", measure="latest", baseline=90, points=20), [])
    assert (s.actual, s.percent, s.expected, s.status, s.score) == (90, 0, 100, "behind", 0)
    assert s.last_entry is None


@pytest.mark.parametrize(
    ("level", "percent", "status"),
    [
        # written pace: linear (not the default hold): expected = 90 + 10·182/365 = 94.986;
        # SPEC §4: behind if actual ≥ 0.7·94.986 = 66.49
        (97, 70, "on-track"),  # 97 ≥ 94.99
        (94, 40, "behind"),  # 94 ≥ 66.49
        (93, 30, "behind"),  # 93 ≥ 66.49 (the literal SPEC rule, kept on purpose)
        (66, -240, "at-risk"),  # 66 < 66.49; percent 100·(66−90)/10 = −240
    ],
)
def test_latest_with_baseline_pace(level: int, percent: int, status: str) -> None:
    s = status_of(
        numeric(target=100, unit="%", measure="latest", baseline=90, pace=Pace(form="linear")),
        [entry(D(2012, 6, 1), value=level)],
    )
    assert (s.actual, s.percent, s.status) == (level, percent, status)


def test_latest_below_baseline_scores_nothing() -> None:
    # 88 below baseline 90: percent 100·(−2)/10 = −20 ; score max(0, 20·−0.2) = 0
    # status: 88 ≥ 0.7·94.986 = 66.49 → behind (SPEC §4 literally)
    s = status_of(
        numeric(target=100, unit="%", measure="latest", baseline=90, points=20),
        [entry(D(2012, 6, 1), value=88)],
    )
    assert (s.percent, s.score, s.status) == (-20, 0, "behind")


# --- down ------------------------------------------------------------------------------


def rate_cap(**fields: object) -> Target:
    # 发生率控制在5%以下
    return numeric(target=5, unit="%", measure="latest", direction="down", **fields)


def test_down_within_limit_before_due_is_on_track_not_done() -> None:
    # 4 ≤ 5 but D = Jul 1 < due Dec 31 → not done; on-track ; percent 100
    # expected: pace hold (default for latest) → the limit 5 itself all year
    s = status_of(rate_cap(), [entry(D(2012, 3, 1), value=4)])
    assert (s.actual, s.percent, s.expected, s.status) == (4, 100, 5, "on-track")


def test_down_within_limit_at_due_is_done() -> None:
    s = status_of(rate_cap(points=30), [entry(D(2012, 3, 1), value=4)], as_of=D(2012, 12, 31))
    assert (s.status, s.percent, s.score) == ("done", 100, 30)


def test_down_over_limit_is_at_risk_with_partial_percent() -> None:
    # 8 > 5: percent = 100·5/8 = 62.5 ; no "behind" for down → at-risk ; score 30·0.625 = 18.75 → 18.8
    s = status_of(rate_cap(points=30), [entry(D(2012, 3, 1), value=8)])
    assert (s.percent, s.status, s.score) == (62.5, "at-risk", 18.8)


def test_down_over_limit_after_due_is_overdue() -> None:
    s = status_of(rate_cap(due=D(2012, 6, 30)), [entry(D(2012, 3, 1), value=8)])
    assert s.status == "overdue"


def test_down_expected_runs_from_baseline_to_target() -> None:
    # pace linear, baseline 8 → 5: expected = 8 + (5−8)·182/365 = 8 − 1.4959 = 6.504… → 6.5
    s = status_of(rate_cap(baseline=8, pace=Pace(form="linear")), [entry(D(2012, 3, 1), value=4.5)])
    assert (s.expected, s.actual, s.status) == (6.5, 4.5, "on-track")


def test_down_with_sum_measure_counts_increments() -> None:
    # 重大案件 at most 10 in the year: 3 + 4 = 7 ≤ 10 → on-track (not yet at due)
    s = status_of(
        numeric(target=10, unit="件", direction="down"),
        [entry(D(2012, 2, 1), value=3), entry(D(2012, 5, 1), value=4)],
    )
    assert (s.actual, s.percent, s.status) == (7, 100, "on-track")


# --- start and due ---------------------------------------------------------------------


def test_start_after_as_of_is_not_started_with_expected_at_baseline() -> None:
    # start Sep 1 > Jul 1: f clamps to 0 → expected = baseline 0 ; not stale, no idle days
    s = status_of(numeric(start=D(2012, 9, 1)), [])
    assert (s.status, s.expected, s.stale, s.idle_days) == ("not-started", 0, False, None)


def test_done_takes_precedence_over_not_started() -> None:
    s = status_of(numeric(target=10, start=D(2012, 9, 1)), [entry(D(2012, 6, 1), value=10)])
    assert s.status == "done"


def test_due_passed_is_overdue() -> None:
    # due Jun 30 < Jul 1, 300 < 365 → overdue (even though 300 ≥ expected 365)
    s = status_of(numeric(due=D(2012, 6, 30)), [entry(D(2012, 6, 1), value=300)])
    assert (s.status, s.expected) == ("overdue", 365)


def test_due_on_the_as_of_day_is_judged_on_pace() -> None:
    # due = D: not overdue yet; f = 1 → expected = 365 ; 300 ≥ 0.7·365 = 255.5 → behind
    s = status_of(numeric(due=JUL1), [entry(D(2012, 6, 1), value=300)])
    assert (s.status, s.expected, s.due) == ("behind", 365, JUL1)


def test_custom_start_and_due_pace() -> None:
    # start Jun 1, due Jul 31: span 60 days, D − start = 30 → f = 1/2 ; expected 100 of 200
    s = status_of(
        numeric(target=200, start=D(2012, 6, 1), due=D(2012, 7, 31)),
        [entry(D(2012, 6, 15), value=70)],
    )
    # 70 ≥ 0.7·100 = 70 → behind (the boundary belongs to behind)
    assert (s.expected, s.percent, s.status, s.start) == (100, 35, "behind", D(2012, 6, 1))


# --- milestones ------------------------------------------------------------------------


def milestone(**fields: object) -> Target:
    return Target(**{"id": "t", "name": "召开启动大会", **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("due", "status"),
    [
        (D(2012, 7, 20), "on-track"),  # 19 days left > 14
        (D(2012, 7, 16), "on-track"),  # 15 days left > 14
        (D(2012, 7, 15), "behind"),  # 14 days left: inside the warning window
        (JUL1, "behind"),  # due today: still not overdue
        (D(2012, 6, 30), "overdue"),  # due yesterday
    ],
)
def test_milestone_warning_window(due: dt.date, status: str) -> None:
    s = status_of(milestone(due=due), [])
    assert (s.status, s.actual, s.percent, s.expected, s.stale) == (
        status,
        False,
        None,
        None,
        False,
    )


def test_milestone_done_earns_its_points() -> None:
    s = status_of(milestone(due=D(2012, 6, 30), points=10), [entry(D(2012, 5, 20), done=True)])
    assert (s.status, s.actual, s.score) == ("done", True, 10)


def test_milestone_done_after_as_of_does_not_count() -> None:
    s = status_of(milestone(points=10), [entry(D(2012, 8, 1), done=True)])
    assert (s.status, s.actual, s.score) == ("on-track", False, 0)


def test_milestone_not_started() -> None:
    assert status_of(milestone(start=D(2012, 8, 1), due=D(2012, 8, 31)), []).status == "not-started"


def test_settings_thresholds() -> None:
    # at_risk_below 0.5: 100 ≥ 0.5·182 = 91 → behind (at 0.7 it would be at-risk: 100 < 127.4)
    s = status_of(
        numeric(), [entry(D(2012, 6, 1), value=100)], settings=Settings(at_risk_below=0.5)
    )
    assert s.status == "behind"
    # warn_days 30: 19 days left is now inside the window
    s = status_of(milestone(due=D(2012, 7, 20)), [], settings=Settings(warn_days=30))
    assert s.status == "behind"


# --- staleness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "as_of", "idle", "stale"),
    [
        ([entry(D(2012, 5, 1), value=1)], JUL1, 61, True),  # 61 > 60
        ([entry(D(2012, 5, 2), value=1)], JUL1, 60, False),  # exactly 60 is not yet stale
        ([], D(2012, 3, 1), 60, False),  # no entry: counted from the start, Jan 1
        ([], D(2012, 3, 2), 61, True),
    ],
)
def test_staleness(entries: list[Entry], as_of: dt.date, idle: int, stale: bool) -> None:
    s = status_of(numeric(), entries, as_of=as_of)
    assert (s.idle_days, s.stale) == (idle, stale)


def test_done_target_is_never_stale() -> None:
    s = status_of(numeric(target=10), [entry(D(2012, 2, 1), value=10)], as_of=D(2012, 12, 1))
    assert (s.status, s.stale) == ("done", False)


def test_stale_counts_from_start_when_entries_predate_it() -> None:
    # an entry Feb 1 before the start May 2: idle since May 2 → 60 days on Jul 1, not stale
    s = status_of(numeric(start=D(2012, 5, 2)), [entry(D(2012, 2, 1), value=1)])
    assert (s.idle_days, s.stale) == (60, False)


def test_stale_days_setting() -> None:
    s = status_of(numeric(), [entry(D(2012, 6, 1), value=200)], settings=Settings(stale_days=20))
    assert (s.idle_days, s.stale) == (30, True)


# --- the plan as a whole ---------------------------------------------------------------


def two_section_plan(total_points: float | None) -> Plan:
    a = Target(id="a", name="培训", target=300, unit="人次", points=40)
    b = Target(id="b", name="文明岗", target=8, unit="个", points=25)
    c = Target(id="c", name="启动大会", due=D(2012, 6, 30), points=10)
    d = Target(id="d", name="宣传", target=5, unit="次")  # no points
    return Plan(
        path="plan.yaml",
        org="金川区妇联",
        year=2012,
        title="t",
        total_points=total_points,
        sections=(
            Section(
                title="一",
                items=(Item(id="i1", title="事项一", targets=(a,)), Item(id="i2", title="无目标")),
            ),
            Section(
                title="二",
                items=(Item(id="i3", title="事项三", owner="宣传部", targets=(b, c, d)),),
            ),
        ),
    )


def test_plan_numbering_and_score() -> None:
    entries = (
        entry(D(2012, 3, 1), "a", 150),
        entry(D(2012, 4, 1), "b", 3),
        entry(D(2012, 5, 1), "c", done=True),
        entry(D(2012, 5, 2), "unknown", 9),  # names no target: ignored
        Entry(path="p.yaml", date=D(2012, 5, 3), item="i1", note="活动"),  # item note: ignored
    )
    result = compute_status(two_section_plan(None), entries, as_of=JUL1, settings=Settings())
    rows = [
        (t.id, t.section, t.section_index, t.item, t.item_number, t.owner) for t in result.targets
    ]
    assert rows == [
        ("a", "一", 0, "i1", 1, None),
        ("b", "二", 1, "i3", 3, "宣传部"),  # i2 (no targets) still takes number 2
        ("c", "二", 1, "i3", 3, "宣传部"),
        ("d", "二", 1, "i3", 3, "宣传部"),
    ]
    # a: 40·150/300 = 20 ; b: 25·3/8 = 9.375 → 9.4 ; c: 10 ; d: no points
    assert [t.score for t in result.targets] == [20, 9.4, 10, None]
    assert result.score == 39.4  # 20 + 9.4 + 10, the scores as shown
    assert result.total_points == 75  # 40 + 25 + 10
    assert (result.org, result.year, result.as_of) == ("金川区妇联", 2012, JUL1)
    assert result.target("b") is result.targets[1]
    assert result.target("zz") is None


def test_plan_total_points_given() -> None:
    result = compute_status(two_section_plan(1000), (), as_of=JUL1, settings=Settings())
    assert (result.total_points, result.score) == (1000, 0)


def test_every_status_has_a_chinese_label() -> None:
    assert set(STATUS_LABELS) == {"done", "overdue", "not-started", "on-track", "behind", "at-risk"}


def test_repository_status_takes_the_years_ledger_in_date_order_and_settings() -> None:
    plan = plan_of(numeric())
    ledgers = (
        Progress(path="p2.yaml", year=2012, entries=(entry(D(2012, 6, 1), value=100),)),
        Progress(path="p1.yaml", year=2012, entries=(entry(D(2012, 3, 1), value=50),)),
        Progress(path="p0.yaml", year=2011, entries=(entry(D(2011, 6, 1), value=1000),)),
    )
    settings = Settings(stale_days=10)
    repo = Repository(root=Path("."), settings=settings, plans=(plan,), progress=ledgers)
    result = repository_status(repo, plan, as_of=JUL1)
    (only,) = result.targets
    assert (only.actual, only.last_entry, only.idle_days, only.stale) == (150, D(2012, 6, 1), 30, True)


# --- pace (SPEC §3.1): expected follows the target's pace; percent does not ----------------


def _expected(pace: Pace | None, as_of: dt.date, *, target: float = 300, measure: str = "sum") -> float | None:
    t = Target(id="t", name="目标", target=target, unit="人次", measure=measure, pace=pace)  # type: ignore[arg-type]
    return compute_status(plan_of(t), (), as_of=as_of, settings=Settings()).targets[0].expected


def test_hold_is_the_default_for_latest_and_expects_the_level_from_the_start():
    # A rate of 100 that must hold all year: 100 is expected on Jan 1 and on Jul 1 alike,
    # where the linear pace would ask 100 × 182/365 = 49.9 on Jul 1.
    assert _expected(None, D(2012, 1, 1), target=100, measure="latest") == 100
    assert _expected(None, JUL1, target=100, measure="latest") == 100
    assert _expected(Pace(form="linear"), JUL1, target=100, measure="latest") == 49.9


def test_quarter_shares_are_interpolated_by_days():
    q = Pace(form="shares", shares=(0.3, 0.5, 0.6, 1.0))
    # Jan 1 → Mar 31 is 90 days (31 + 29 + 30): 0.3 × 300 = 90 at Mar 31,
    # and on Feb 15 (45 days in) half of it: 0.15 × 300 = 45.
    assert _expected(q, D(2012, 3, 31)) == 90
    assert _expected(q, D(2012, 2, 15)) == 45
    # Mar 31 → Jun 30 is 91 days; May 15 is 45 of them: (0.3 + 0.2 × 45/91) × 300
    # = 90 + 2700/91 = 119.67… → 119.7.
    assert _expected(q, D(2012, 5, 15)) == 119.7
    assert _expected(q, D(2012, 12, 31)) == 300


def test_month_shares_use_month_ends():
    shares = (0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1)
    m = Pace(form="shares", shares=shares)
    # nothing expected through February (the slack season written as 0, 0) …
    assert _expected(m, D(2012, 2, 29)) == 0
    # … then Feb 29 → Mar 31 (31 days) climbs to 0.1: on Mar 16, 16 days in, 0.1 × 16/31 × 300 = 15.48… → 15.5
    assert _expected(m, D(2012, 3, 16)) == 15.5


def test_dated_checkpoints_then_on_to_the_due():
    p = Pace(form="dates", dates=((D(2012, 6, 30), 0.5), (D(2012, 9, 30), 0.8)))
    # Jun 30 → Sep 30 is 92 days; Aug 15 is 46 in: 0.5 + 0.3 × 1/2 = 0.65 → 65 of 100.
    assert _expected(p, D(2012, 8, 15), target=100) == 65
    # after the last checkpoint the share goes on to 1 at the due (Dec 31): Sep 30 → Dec 31
    # is 92 days, Nov 15 is 46 in: 0.8 + 0.2 × 1/2 = 0.9 → 90.
    assert _expected(p, D(2012, 11, 15), target=100) == 90


def test_pace_changes_the_status_not_the_percent():
    # 115 of 300 on May 15: percent 115/300 = 38.3 either way. Linear: Jan 1 → May 15 is
    # 135 days, expected 300 × 135/365 = 110.96 → on track. The quarter pace above expects
    # 119.67 → 115 is behind (≥ 0.7 × 119.67 = 83.8, so not at risk).
    def at(pace: Pace | None) -> TargetStatus:
        t = Target(id="t", name="目标", target=300, unit="人次", pace=pace)
        return compute_status(plan_of(t), (entry(D(2012, 5, 1), value=115),), as_of=D(2012, 5, 15), settings=Settings()).targets[0]

    linear, seasonal = at(None), at(Pace(form="shares", shares=(0.3, 0.5, 0.6, 1.0)))
    assert (linear.percent, linear.expected, linear.status) == (38.3, 111, "on-track")
    assert (seasonal.percent, seasonal.expected, seasonal.status) == (38.3, 119.7, "behind")
