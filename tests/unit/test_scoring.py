"""fedplan/scoring.py (and the sentences of fedplan/rule_words.py) pinned on hand-computed
cases: every rule form, the bonus caps, the veto, the defaults, rounding and the gaps.

The arithmetic is worked in each test's comments. Calendar facts (2012 is a leap year):
Jan 1 → Jul 1 = 182 days; Jan 1 → Dec 31 = 365 days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fedplan import rule_words
from fedplan.model import (
    Assessment,
    BonusItem,
    Entry,
    Indicator,
    Item,
    Plan,
    Rule,
    Section,
    Settings,
    Target,
    VetoItem,
)
from fedplan.scoring import AssessmentScore, IndicatorScore, score_assessment

D = dt.date
JUL1 = D(2012, 7, 1)
DEC31 = D(2012, 12, 31)
MAR1 = D(2012, 3, 1)
APR1 = D(2012, 4, 1)

TARGETS = (
    Target(id="train", name="农村妇女骨干培训", target=300, unit="人次"),
    Target(id="gang", name="巾帼文明岗创建", target=8, unit="个"),
    Target(id="ten", name="十个示范点", target=10, unit="个"),
    Target(id="repay", name="小额贷款还贷率", target=100, unit="%", measure="latest"),
    Target(id="plan", name="家庭教育规划", due=D(2012, 6, 30)),
    Target(id="cases", name="案件", target=100, unit="件"),
)
PLAN = Plan(
    path="plan.yaml",
    org="测试区妇联",
    year=2012,
    title="测试区妇联2012年工作要点",
    sections=(Section(title="一部分", items=(Item(id="item", title="事项", targets=TARGETS),)),),
)


def value(target: str, v: float, day: dt.date = MAR1) -> Entry:
    return Entry(path="p.yaml", date=day, target=target, value=v)


def done(target: str, day: dt.date) -> Entry:
    return Entry(path="p.yaml", date=day, target=target, done=True)


def own(kind: str, ident: str, day: dt.date = APR1, **fields: object) -> Entry:
    return Entry(path="p.yaml", date=day, **{kind: ident}, **fields)  # type: ignore[arg-type]


def score(
    *indicators: Indicator,
    entries: tuple[Entry, ...] = (),
    as_of: dt.date = DEC31,
    projected: bool = False,
    **assessment: object,
) -> AssessmentScore:
    a = Assessment(path="a.yaml", year=2012, title="考核细则", indicators=indicators, **assessment)  # type: ignore[arg-type]
    ordered = tuple(sorted(entries, key=lambda e: e.date))
    return score_assessment(a, PLAN, ordered, as_of=as_of, settings=Settings(), projected=projected)


def one(indicator: Indicator, *entries: Entry, as_of: dt.date = DEC31) -> IndicatorScore:
    return score(indicator, entries=entries, as_of=as_of).indicators[0]


# --- proportional (the default) -----------------------------------------------------------


def test_proportional_is_points_times_percent_capped_at_full():
    ind = Indicator(id="t", name="培训", points=40, target="train")
    # 210 of 300 = 70 % → 40 × 0.7 = 28
    assert one(ind, value("train", 210)).score == 28
    # 330 of 300 = 110 % → min(1, 1.1) → 40, not 44
    assert one(ind, value("train", 330)).score == 40
    # nothing yet → 0
    assert one(ind).score == 0
    assert rule_words.criterion(ind, unit="人次") == "完成目标得40分，未完成按完成比例得分"
    assert rule_words.explanation(one(ind, value("train", 210))) == "完成210人次，完成率70%，按比例得28分"


def test_proportional_on_a_milestone_is_all_or_nothing():
    ind = Indicator(id="m", name="规划", points=20, target="plan")
    assert one(ind, done("plan", D(2012, 9, 1))).score == 20  # done, even late: proportional ignores the due
    assert one(ind).score == 0


def test_half_up_rounding_and_a_total_that_adds_up():
    # 49 of 100 with 25 points: 25 × 0.49 = 12.25 → 12.3 (half up; banker's would say 12.2)
    ind = Indicator(id="c", name="案件", points=25, target="cases")
    assert one(ind, value("cases", 49)).score == 12.3
    # two indicators of 40/3 = 13.333… each: shown 13.3 + 13.3 = 26.6 (not 26.7, the rounded
    # exact sum), so the printed table adds up
    a = Indicator(id="a", name="培训", points=40, target="train")
    b = Indicator(id="b", name="培训二", points=40, target="train")
    s = score(a, b, entries=(value("train", 100),))
    assert [i.score for i in s.indicators] == [13.3, 13.3]
    assert s.score == 26.6
    assert s.total_points == 80  # default: the sum of the indicators' points


# --- shortfall -------------------------------------------------------------------------------

GANG = Indicator(
    id="g", name="巾帼文明岗创建", points=30, target="gang", rule=Rule(form="shortfall", bands=((10, 5), (20, 10), (None, 30)))
)


def test_shortfall_deducts_by_the_band_the_shortfall_falls_in():
    # 8 of 8: nothing short → 30
    assert one(GANG, value("gang", 8)).score == 30
    # 7 of 8: 87.5 % → 12.5 short → first band whose limit ≥ 12.5 is 20 → 30 − 10 = 20
    s = one(GANG, value("gang", 7))
    assert (s.score, s.facts.band) == (20, 1)
    assert rule_words.explanation(s) == "完成7个，比目标少12.5%，按“低于10%–20%扣10分”得20分"
    # 5 of 8: 62.5 % → 37.5 short → the null band ("more") → 30 − 30 = 0
    assert one(GANG, value("gang", 5)).score == 0
    assert rule_words.criterion(GANG, unit="个") == "完成目标得30分；低于目标10%以内扣5分，低于10%–20%扣10分，低于目标20%以上扣30分"


def test_shortfall_on_a_band_limit_is_inside_that_band():
    ten = Indicator(id="t", name="示范点", points=30, target="ten", rule=GANG.rule)
    # 9 of 10 = 90 % exactly → 10 short → "≤ 10" → deduct 5 → 25 (decided on the exact 10)
    assert one(ten, value("ten", 9)).score == 25


def test_shortfall_beyond_the_last_limited_band_earns_nothing_and_floors_at_zero():
    rule = Rule(form="shortfall", bands=((10, 5), (20, 10)))
    # 5 of 8 = 37.5 short, past the last limit 20 → 0 (the 细则 grants nothing below its bands)
    s = one(Indicator(id="g", name="岗", points=30, target="gang", rule=rule), value("gang", 5))
    assert (s.score, s.facts.band) == (0, None)
    # a deduction larger than the points: 7 of 8 (12.5 short) in points 4 − 10 → floor 0
    assert one(Indicator(id="g", name="岗", points=4, target="gang", rule=rule), value("gang", 7)).score == 0


# --- steps -------------------------------------------------------------------------------------

REPAY = Indicator(
    id="r", name="还贷率", points=40, target="repay", rule=Rule(form="steps", bands=((100, 40), (98, 30), (95, 20)), of="actual")
)


@pytest.mark.parametrize(
    ("level", "points"),
    [
        (100, 40),  # the first threshold reached
        (98.5, 30),  # 98.5 ≥ 98 (but < 100)
        (95, 20),  # exactly on the threshold counts as reached
        (94.9, 0),  # below the last step: nothing
    ],
)
def test_steps_of_actual_take_the_first_threshold_reached(level: float, points: int):
    assert one(REPAY, value("repay", level)).score == points


def test_steps_of_percent_compare_the_completion_rate():
    ind = Indicator(id="t", name="培训", points=10, target="train", rule=Rule(form="steps", bands=((100, 10), (80, 6))))
    # 240 of 300 = 80 % → the 80 step → 6 ; 239 = 79.67 % → 0
    assert one(ind, value("train", 240)).score == 6
    assert one(ind, value("train", 239)).score == 0
    assert rule_words.criterion(REPAY, unit="%") == "达到100%得40分，98%得30分，95%得20分，低于95%不得分"
    assert rule_words.explanation(one(REPAY, value("repay", 98.5))) == "完成98.5%，达到“98%得30分”一档，得30分"


# --- per_unit ----------------------------------------------------------------------------------


def test_per_unit_counts_the_indicators_own_entries_up_to_the_points():
    ind = Indicator(id="x", name="信息报送", points=10, rule=Rule(form="per_unit", per_unit=2))
    entries = [own("indicator", "x", value=1), own("indicator", "x", value=1), own("indicator", "x", value=2)]
    # 1 + 1 + 2 = 4 units × 2 = 8
    assert one(ind, *entries).score == 8
    # two more units (6 × 2 = 12) → capped at 10
    s = one(ind, *entries, own("indicator", "x", value=2))
    assert (s.score, s.facts.capped) == (10, True)
    # an entry after the as-of day does not count: 4 units on Jun 30
    assert one(ind, *entries, own("indicator", "x", D(2012, 8, 1), value=2), as_of=D(2012, 6, 30)).score == 8
    assert rule_words.criterion(ind) == "每件得2分，最多10分"


def test_negative_per_unit_deducts_from_the_points_down_to_zero():
    ind = Indicator(id="a", name="会议出席", points=5, rule=Rule(form="per_unit", per_unit=-1))
    # 2 absences × −1 → 5 − 2 = 3
    assert one(ind, own("indicator", "a", value=1), own("indicator", "a", value=1)).score == 3
    # 7 absences → 5 − 7 → floor 0 (扣完为止)
    assert one(ind, own("indicator", "a", value=7)).score == 0
    assert rule_words.criterion(ind) == "每次扣1分，扣完为止"
    # none → the full 5
    assert one(ind).score == 5


# --- on_time / late ---------------------------------------------------------------------------

ON_TIME = Indicator(id="f", name="家庭教育规划", points=20, target="plan", rule=Rule(form="on_time", on_time=1, late=0.5))


def test_on_time_late_and_not_done():
    assert one(ON_TIME, done("plan", D(2012, 6, 20))).score == 20  # by the due: 20 × 1
    assert one(ON_TIME, done("plan", D(2012, 6, 30))).score == 20  # on the due day itself
    late = one(ON_TIME, done("plan", D(2012, 7, 5)))
    assert (late.score, late.facts.late) == (10, True)  # after the due: 20 × 0.5
    assert one(ON_TIME).score == 0
    assert rule_words.criterion(ON_TIME) == "按时完成得20分，逾期完成得10分，未完成不得分"
    assert rule_words.explanation(late) == "7月5日完成，晚于时限6月30日，按逾期完成得10分"


def test_late_defaults_to_nothing():
    ind = Indicator(id="f", name="规划", points=20, target="plan", rule=Rule(form="on_time", on_time=1))
    assert one(ind, done("plan", D(2012, 7, 5))).score == 0


# --- grades -------------------------------------------------------------------------------------

GRADES = Indicator(
    id="j", name="基层组织建设", points=20, rule=Rule(form="grades", grades=(("好", 1), ("较好", 0.8), ("一般", 0.6), ("差", 0)))
)


def test_grades_take_the_newest_grade():
    # 较好 → 20 × 0.8 = 16
    assert one(GRADES, own("indicator", "j", grade="较好")).score == 16
    # 一般 in March, then 好 in November: the newest counts → 20
    assert one(GRADES, own("indicator", "j", D(2012, 3, 1), grade="一般"), own("indicator", "j", D(2012, 11, 1), grade="好")).score == 20
    # no grade yet → 0
    assert one(GRADES).score == 0
    assert rule_words.criterion(GRADES) == "按等级计分：好得20分，较好得16分，一般得12分，差得0分"


# --- bonus and veto ----------------------------------------------------------------------------


def test_bonus_items_capped_each_and_together():
    ind = Indicator(id="t", name="培训", points=40, target="train")
    award = BonusItem(id="award", name="获省级以上表彰", points=5, max=10)
    media = BonusItem(id="media", name="省级媒体报道", points=3)
    entries = (value("train", 300), *[own("bonus", "award")] * 3, *[own("bonus", "media")] * 4)
    s = score(ind, entries=entries, bonus=(award, media), bonus_max=20)
    # award: 3 × 5 = 15 → its max 10 ; media: 4 × 3 = 12, no cap of its own
    assert [(b.count, b.score) for b in s.bonus_items] == [(3, 10), (4, 12)]
    # together 22 → the cap on all bonus points, 20 ; total 40 + 20 = 60
    assert (s.bonus, s.bonus_capped, s.score) == (20, True, 60)
    # without the overall cap: 40 + 22 = 62
    assert score(ind, entries=entries, bonus=(award, media)).score == 62


def test_a_veto_marks_the_result_and_leaves_the_figures():
    ind = Indicator(id="t", name="培训", points=40, target="train")
    safety = VetoItem(id="safety", name="发生重大安全责任事故")
    clean = score(ind, entries=(value("train", 300),), veto=(safety,))
    assert (clean.vetoed, clean.score) == (False, 40)
    hit = score(ind, entries=(value("train", 300), own("veto", "safety", note="某村发生火灾")), veto=(safety,))
    assert (hit.vetoed, hit.score) == (True, 40)
    assert [(v.id, v.date) for v in hit.vetoes] == [("safety", D(2012, 4, 1))]


# --- projection and gaps -------------------------------------------------------------------------


def test_projected_keeps_the_present_rate_against_the_pace():
    ind = Indicator(id="t", name="培训", points=40, target="train")
    # 100 on Jul 1; linear pace share 182/365 → year end 100 × 365/182 = 200.55 → 66.85 %
    # → 40 × 0.6685 = 26.74 → 26.7 ; as it stands now: 40 × 100/300 = 13.3
    entries = (value("train", 100),)
    assert score(ind, entries=entries, as_of=JUL1).score == 13.3
    assert score(ind, entries=entries, as_of=JUL1, projected=True).score == 26.7
    # a rate (latest) stays as it is: 98.5 → the 98 step → 30
    assert score(REPAY, entries=(value("repay", 98.5),), as_of=JUL1, projected=True).score == 30


def test_gaps_are_the_next_band_in_whole_units_best_value_first():
    train = Indicator(id="t", name="培训", points=40, target="train")
    s = score(GANG, train, REPAY, ON_TIME, entries=(value("gang", 7), value("train", 210), value("repay", 98.5)), as_of=JUL1)
    gaps = s.gaps()
    # 巾帼文明岗 7 of 8: the next band (≤ 10 short) needs 7.2 → 1 whole 岗, which reaches 8 → full:
    # 30 − 20 = 10 points for 1 unit. 规划 not done, due Jun 30 passed on Jul 1: late 0.5 → 10
    # for 1 task. 还贷率 98.5 → 100 (+1.5) earns 10: 6.67 a unit. 培训 210 → 300: 90 more for
    # 40 − 28 = 12: 0.13 a unit.
    assert [(g.indicator, g.work, g.gain) for g in gaps] == [("g", 1, 10), ("f", 1, 10), ("r", 1.5, 10), ("t", 90, 12)]
    assert rule_words.gap_text(gaps[0]) == "巾帼文明岗创建：再完成1个可再得10分"
    assert rule_words.gap_text(gaps[2]) == "还贷率：提高到100%可再得10分"
