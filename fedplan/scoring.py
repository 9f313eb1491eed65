"""Scoring a year against its 考核细则 (SPEC §3.5): pure functions, no I/O, no prose.

Every figure is kept exact (ints and Fractions, as in fedplan.status) and every decision
— which band, which step, whether a cap bites — is taken on the exact values; only the
figures handed out are rounded, half up to one decimal. The total is the sum of the
indicator scores as shown plus the bonus as shown, so a printed table adds up.

The words of a 细则 (评分标准, 得分说明) are made from these results in fedplan.rule_words.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from typing import Literal

from fedplan.dates import year_end, year_start
from fedplan.model import Assessment, Entry, Indicator, Number, Plan, RuleForm, Settings, Target
from fedplan.records import record
from fedplan.status import (
    Exact,
    PlanStatus,
    TargetStatus,
    _actual,
    _exact,
    _percent,
    _round1,
    _tidy,
    compute_status,
    pace_share,
)


@record
class Facts:
    """What an indicator's score was decided on (exact values), for the explanation."""

    actual: Exact | None = None  # the target's figure (numeric targets)
    percent: Fraction | None = None
    shortfall: Fraction | None = None  # 100 − percent, ≥ 0 (shortfall rule)
    band: int | None = None  # the shortfall band or step that applied; None: none did
    done_on: dt.date | None = None  # milestones: the day it was recorded done
    late: bool | None = None  # on_time: done after the due
    units: Exact | None = None  # per_unit: units recorded
    grade: str | None = None  # grades: the newest grade
    capped: bool = False  # per_unit: the points cap (or the floor of 0) was reached


GapKind = Literal["more", "milestone", "grade"]


@record
class Gap:
    """Points still to be had on one indicator, and the work that earns them."""

    indicator: str
    name: str
    gain: float  # points, one decimal
    kind: GapKind  # more: ``work`` more units; milestone: finish it; grade: a better grade
    work: Exact = 1  # units of work (1 for a milestone or a grade)
    unit: str | None = None
    measure: str = "sum"  # the target's measure: sum — add ``work``; latest — reach ``level``
    level: Exact | None = None  # the figure to reach (latest) or the total after the work (sum)
    grade: str | None = None  # the grade to reach

    @property
    def per_unit(self) -> Fraction:
        return Fraction(_exact(self.gain)) / Fraction(self.work or 1)


@record
class IndicatorScore:
    id: str
    name: str
    points: Number
    form: RuleForm
    indicator: Indicator
    target: TargetStatus | None  # the plan target's status, if it scores one
    score: float  # one decimal
    facts: Facts
    evidence: tuple[str, ...]  # 佐证材料 of the entries counted
    gap: Gap | None = None

    @property
    def full(self) -> bool:
        return _exact(self.score) >= _exact(self.points)


@record
class BonusScore:
    id: str
    name: str
    points: Number
    max: Number | None
    count: int  # occurrences recorded
    score: float  # after this item's cap (one decimal)
    evidence: tuple[str, ...]


@record
class VetoHit:
    id: str
    name: str
    date: dt.date
    note: str


@record
class AssessmentScore:
    org: str
    year: int
    as_of: dt.date
    title: str
    issuer: str | None
    total_points: Number
    indicators: tuple[IndicatorScore, ...]
    indicators_score: float
    bonus_items: tuple[BonusScore, ...]
    bonus: float  # after every cap
    bonus_max: Number | None
    bonus_capped: bool  # the cap on all bonus points took something off
    vetoes: tuple[VetoHit, ...]
    score: float  # indicators + bonus
    projected: bool = False

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def gaps(self) -> list[Gap]:
        """Points still to be had, best value for the work first (then more points first,
        then the 细则's order)."""
        found = [(n, i.gap) for n, i in enumerate(self.indicators) if i.gap is not None]
        return [g for _, g in sorted(found, key=lambda ng: (-ng[1].per_unit, -_exact(ng[1].gain), ng[0]))]


def score_assessment(
    assessment: Assessment,
    plan: Plan,
    entries: tuple[Entry, ...],
    *,
    as_of: dt.date,
    settings: Settings,
    projected: bool = False,
) -> AssessmentScore:
    """The year's score under ``assessment`` as of ``as_of``.

    ``entries`` are the year's entries in date order (``Repository.entries_for``). With
    ``projected``, the year-end score if every target keeps its present rate against its
    pace (a sum target's progress above its baseline divided by its pace share; a level,
    a grade, a milestone and a bonus stay as they are; per-unit counts grow linearly).
    """
    status = compute_status(plan, entries, as_of=as_of, settings=settings)
    counted = [e for e in entries if e.date <= as_of]
    own: dict[str, list[Entry]] = defaultdict(list)
    for entry in counted:
        for key in ("indicator", "bonus", "veto"):
            ident = getattr(entry, key)
            if ident is not None:
                own[f"{key}:{ident}"].append(entry)

    scored = tuple(
        _indicator(ind, plan, status, own.get(f"indicator:{ind.id}", []), as_of=as_of, projected=projected)
        for ind in assessment.indicators
    )
    bonus_items = []
    raw_bonus: Exact = 0
    for item in assessment.bonus:
        hits = own.get(f"bonus:{item.id}", [])
        value: Exact = _exact(item.points) * len(hits)
        if item.max is not None:
            value = min(value, _exact(item.max))
        raw_bonus += value
        bonus_items.append(
            BonusScore(item.id, item.name, item.points, item.max, len(hits), _round1(value), _evidence(hits))
        )
    bonus: Exact = raw_bonus
    if assessment.bonus_max is not None:
        bonus = min(raw_bonus, _exact(assessment.bonus_max))
    vetoes = tuple(
        VetoHit(v.id, v.name, e.date, e.note) for v in assessment.veto for e in own.get(f"veto:{v.id}", [])
    )
    indicators_score = sum((_exact(i.score) for i in scored), Fraction(0))
    total_points = assessment.total_points
    if total_points is None:
        total_points = _tidy(sum((_exact(i.points) for i in assessment.indicators), 0))
    return AssessmentScore(
        org=plan.org,
        year=assessment.year,
        as_of=as_of,
        title=assessment.title,
        issuer=assessment.issuer,
        total_points=total_points,
        indicators=scored,
        indicators_score=_tidy(indicators_score),
        bonus_items=tuple(bonus_items),
        bonus=_round1(bonus),
        bonus_max=assessment.bonus_max,
        bonus_capped=bonus < raw_bonus,
        vetoes=vetoes,
        score=_tidy(indicators_score + _exact(_round1(bonus))),
        projected=projected,
    )


def _evidence(entries: list[Entry] | tuple[Entry, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ref for e in entries for ref in e.evidence))


def _indicator(
    indicator: Indicator,
    plan: Plan,
    status: PlanStatus,
    own: list[Entry],
    *,
    as_of: dt.date,
    projected: bool,
) -> IndicatorScore:
    rule = indicator.rule
    points = _exact(indicator.points)
    target = plan.target(indicator.target) if indicator.target else None
    shown = status.target(indicator.target) if indicator.target else None
    entries: tuple[Entry, ...] = shown.entries if shown is not None else tuple(own)
    if target is not None and shown is not None:
        exact, facts, gap = _target_score(indicator, target, shown, points, as_of=as_of, projected=projected)
    elif rule.form == "per_unit":
        exact, facts, gap = _per_unit(indicator, own, points, as_of=as_of, projected=projected)
    elif rule.form == "grades":
        exact, facts, gap = _grades(indicator, own, points)
    else:  # a target-based rule whose target is missing: validate reports it; nothing earned
        exact, facts, gap = Fraction(0), Facts(), None
    return IndicatorScore(
        id=indicator.id,
        name=indicator.name,
        points=indicator.points,
        form=rule.form,
        indicator=indicator,
        target=shown,
        score=_round1(exact),
        facts=facts,
        evidence=_evidence(entries),
        gap=gap,
    )


# --- the rules on a plan target ------------------------------------------------------------


def _target_score(
    indicator: Indicator,
    target: Target,
    shown: TargetStatus,
    points: Exact,
    *,
    as_of: dt.date,
    projected: bool,
) -> tuple[Exact, Facts, Gap | None]:
    rule = indicator.rule
    if target.is_milestone:
        done_on = next((e.date for e in shown.entries if e.done), None)
        if rule.form == "on_time":
            late = None if done_on is None else done_on > shown.due
            share = 0 if done_on is None else _exact(rule.late if late else rule.on_time)
            facts = Facts(done_on=done_on, late=late)
            exact: Exact = points * share
            gap = None
            if done_on is None:
                open_share = _exact(rule.late if as_of > shown.due else rule.on_time)
                if open_share > 0:
                    gap = Gap(indicator.id, indicator.name, _round1(points * open_share), "milestone")
            return exact, facts, gap
        # proportional (shortfall and steps on a milestone are refused by validate)
        done = done_on is not None
        gap = None if done else Gap(indicator.id, indicator.name, _round1(points), "milestone")
        return (points if done else 0), Facts(done_on=done_on), gap

    baseline, goal = _exact(target.baseline), _exact(target.target)
    actual = _actual(target, shown.entries, baseline)
    if projected and target.measure == "sum":
        share = pace_share(target, as_of=as_of, start=shown.start, due=shown.due)
        if share > 0:
            actual = baseline + (actual - baseline) / share

    def at(level: Exact) -> tuple[Exact, Facts]:
        percent = _percent(target.direction, actual=level, goal=goal, baseline=baseline)
        return _numeric(indicator, points, level, percent)

    exact, facts = at(actual)
    gap = None
    if exact < points and target.direction == "up":
        gap = _numeric_gap(indicator, target, actual, exact, at)
    return exact, facts, gap


def _numeric(indicator: Indicator, points: Exact, actual: Exact, percent: Fraction) -> tuple[Exact, Facts]:
    rule = indicator.rule
    if rule.form == "shortfall":
        shortfall = max(Fraction(0), 100 - percent)
        if shortfall == 0:
            return points, Facts(actual=actual, percent=percent, shortfall=shortfall)
        for n, (limit, deduct) in enumerate(rule.bands):
            if limit is None or shortfall <= _exact(limit):
                return max(Fraction(0), points - _exact(deduct)), Facts(actual, percent, shortfall, band=n)
        return Fraction(0), Facts(actual, percent, shortfall, band=None)  # beyond the last band
    if rule.form == "steps":
        value = actual if rule.of == "actual" else percent
        for n, (threshold, got) in enumerate(rule.bands):
            if value >= _exact(threshold):
                return _exact(got), Facts(actual=actual, percent=percent, band=n)
        return Fraction(0), Facts(actual=actual, percent=percent, band=None)
    # proportional
    share = min(Fraction(1), max(Fraction(0), percent / 100))
    return points * share, Facts(actual=actual, percent=percent)


def _numeric_gap(
    indicator: Indicator,
    target: Target,
    actual: Exact,
    now: Exact,
    at: Callable[[Exact], tuple[Exact, Facts]],
) -> Gap | None:
    """The nearest level above ``actual`` that earns more: the next band or step, or the
    full target for proportional — in whole units when the figures are whole numbers."""
    baseline, goal = _exact(target.baseline), _exact(target.target)
    rule = indicator.rule
    levels: list[Exact] = []
    if rule.form == "shortfall":
        levels = [goal] + [
            baseline + (goal - baseline) * Fraction(100 - _exact(limit), 100) for limit, _ in rule.bands if limit is not None
        ]
    elif rule.form == "steps":
        for threshold, _ in rule.bands:
            t = _exact(threshold)
            levels.append(t if rule.of == "actual" else baseline + (goal - baseline) * Fraction(t, 100))
    else:
        levels = [goal]
    whole = all(isinstance(x, int) or x.denominator == 1 for x in (actual, baseline, goal))
    best: tuple[Exact, Exact] | None = None  # (work, gain) of the smallest step that pays
    for level in sorted(set(levels)):
        if level <= actual:
            continue
        work: Exact = level - actual
        if whole:
            work = math.ceil(work)
        gain = at(actual + work)[0] - now
        if gain > 0 and (best is None or work < best[0]):
            best = (work, gain)
    if best is None:
        return None
    work, gain = best
    return Gap(
        indicator.id,
        indicator.name,
        _round1(gain),
        "more",
        work=work,
        unit=target.unit,
        measure=target.measure,
        level=actual + work,
    )


# --- the rules on the indicator's own entries ----------------------------------------------


def _per_unit(
    indicator: Indicator, own: list[Entry], points: Exact, *, as_of: dt.date, projected: bool
) -> tuple[Exact, Facts, Gap | None]:
    per = _exact(indicator.rule.per_unit)
    units: Exact = sum((_exact(e.value) for e in own if e.value is not None), 0)
    if projected:
        year = as_of.year
        share = Fraction((as_of - year_start(year)).days, (year_end(year) - year_start(year)).days)
        if share > 0:
            units = units / share
    raw = units * per
    if per > 0:
        exact = min(points, max(Fraction(0), Fraction(raw)))
        capped = raw > points
    else:
        exact = max(Fraction(0), points + raw)  # a deduction per unit, 扣完为止
        capped = exact == 0 and units > 0
    gap = None
    if per > 0 and exact < points:
        work = math.ceil(Fraction(points - exact) / per)
        gain = min(points, exact + work * per) - exact
        gap = Gap(indicator.id, indicator.name, _round1(gain), "more", work=work, unit="件")
    return exact, Facts(units=units, capped=capped), gap


def _grades(indicator: Indicator, own: list[Entry], points: Exact) -> tuple[Exact, Facts, Gap | None]:
    table = dict(indicator.rule.grades)
    graded = [e for e in own if e.grade is not None and e.grade in table]
    grade = graded[-1].grade if graded else None  # date order: the newest grade counts
    share = _exact(table[grade]) if grade is not None else 0
    exact = points * share
    best = max(table.items(), key=lambda kv: _exact(kv[1]))
    gap = None
    if _exact(best[1]) > share:
        gap = Gap(indicator.id, indicator.name, _round1(points * _exact(best[1]) - exact), "grade", grade=best[0])
    return exact, Facts(grade=grade), gap
