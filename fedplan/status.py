"""The arithmetic of SPEC §4: where each target stands as of a date. Pure: no I/O.

Numbers are kept exact while computing (ints stay ints, a float from YAML becomes the
decimal it was written as, via ``Fraction(repr(x))``), so ``0.1 + 0.2`` is ``0.3`` and a
percentage sitting exactly on a boundary is not pushed over it by binary noise. Only the
values handed out are rounded:

- ``percent``, ``expected`` and ``score`` to one decimal, half away from zero (四舍五入,
  what an office expects: 12.25 → 12.3, not Python's banker's 12.2);
- a whole result is handed out as an ``int`` (``100``, not ``100.0``), so templates and
  JSON print ``100%``.

Statuses are decided on the exact values, not on the rounded ones.

Two readings of SPEC §4 worth knowing:

- ``behind`` is SPEC §4 to the letter: ``actual ≥ at_risk_below · expected``. With a
  baseline this is lenient (a rate aiming from 90 % to 100 % counts as behind down to
  about 66 %); measuring the progress above the baseline would be sharper, but other tools
  are written against the SPEC, so the change is proposed in docs/status.md, not made.
- ``score`` is never negative (a ``latest`` level below its baseline gives a negative
  percent, but earns 0 points, not minus points).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Literal

from fedplan.dates import year_end, year_start
from fedplan.model import Entry, Number, Plan, Repository, Settings, Target
from fedplan.records import record

StatusName = Literal["done", "overdue", "not-started", "on-track", "behind", "at-risk"]

STATUS_LABELS: dict[str, str] = {
    "done": "已完成",
    "overdue": "已逾期",
    "not-started": "未开始",
    "on-track": "正常",
    "behind": "滞后",
    "at-risk": "严重滞后",
}

# An exact number: ints stay ints (fast, and most ledgers hold only ints).
Exact = int | Fraction


@record
class TargetStatus:
    id: str
    name: str
    section: str  # the section's title
    section_index: int  # 0-based position of the section in the plan
    item: str  # the item's id
    item_title: str
    item_number: int  # 1-based, continuous across sections as in the plan
    target: Number | None
    unit: str | None
    actual: Number | bool  # bool for a milestone
    percent: float | None  # one decimal; None for milestones
    expected: float | None  # one decimal; None for milestones
    status: StatusName
    start: dt.date
    due: dt.date
    points: Number | None
    score: float | None  # one decimal; None when the target has no points
    entries: tuple[Entry, ...]  # the entries counted, date order
    last_entry: dt.date | None
    stale: bool  # numeric, not done, no entry for settings.stale_days
    owner: str | None = None  # the item's 牵头部门
    idle_days: int | None = None  # days since the last entry (or the start); None before start

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_milestone(self) -> bool:
        return self.target is None


@record
class PlanStatus:
    org: str
    year: int
    as_of: dt.date
    score: float
    total_points: Number
    targets: tuple[TargetStatus, ...]

    def target(self, target_id: str) -> TargetStatus | None:
        return self._by_id.get(target_id)

    @cached_property
    def _by_id(self) -> dict[str, TargetStatus]:
        by_id: dict[str, TargetStatus] = {}
        for t in self.targets:
            by_id.setdefault(t.id, t)  # the first, as a scan would find
        return by_id


def compute_status(
    plan: Plan, entries: tuple[Entry, ...], *, as_of: dt.date, settings: Settings
) -> PlanStatus:
    """Status of every target of ``plan`` as of ``as_of`` (SPEC §4).

    ``entries`` are the year's entries in date order (``Repository.entries_for``); those
    dated after ``as_of`` and those naming no target of the plan are ignored.
    """
    by_target: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.target is not None and entry.date <= as_of:
            by_target[entry.target].append(entry)

    statuses: list[TargetStatus] = []
    item_number = 0
    for section_index, section in enumerate(plan.sections):
        for item in section.items:
            item_number += 1
            place = _Place(
                section.title, section_index, item.id, item.title, item_number, item.owner
            )
            for target in item.targets:
                counted = tuple(by_target.get(target.id, ()))
                statuses.append(
                    _target_status(
                        target, counted, place=place, as_of=as_of, year=plan.year, settings=settings
                    )
                )

    if plan.total_points is not None:
        total_points: Number = plan.total_points
    else:
        total_points = _tidy(sum((_exact(t.points) for t in statuses if t.points is not None), 0))
    # The plan's score is the sum of the scores as shown, so the table adds up to it.
    score = sum((_exact(t.score) for t in statuses if t.score is not None), 0)
    return PlanStatus(
        org=plan.org,
        year=plan.year,
        as_of=as_of,
        score=_tidy(score),
        total_points=total_points,
        targets=tuple(statuses),
    )


def repository_status(repo: Repository, plan: Plan, *, as_of: dt.date) -> PlanStatus:
    """``plan``'s status from its repository's ledger for the year and its settings."""
    return compute_status(plan, repo.entries_for(plan.year), as_of=as_of, settings=repo.settings)


def change(before: TargetStatus | None, after: TargetStatus) -> float | None:
    """How far a numeric target's ``actual`` moved since ``before`` (``status --compare``).

    None for a milestone, or a target that was not in the plan then.
    """
    if before is None or isinstance(after.actual, bool) or isinstance(before.actual, bool):
        return None
    return _tidy(_exact(after.actual) - _exact(before.actual))


@record
class _Place:
    """Where a target sits in the plan (the TargetStatus fields that are not arithmetic)."""

    section: str
    section_index: int
    item: str
    item_title: str
    item_number: int
    owner: str | None


def _target_status(
    target: Target,
    entries: tuple[Entry, ...],
    *,
    place: _Place,
    as_of: dt.date,
    year: int,
    settings: Settings,
) -> TargetStatus:
    start = target.start or year_start(year)
    due = target.due or year_end(year)
    last_entry = entries[-1].date if entries else None
    # Silence before the target's start is not neglect: count idle days from the later one.
    idle_days = None if as_of < start else (as_of - max(start, last_entry or start)).days

    actual: Number | bool
    if target.target is None:
        done = any(e.done for e in entries)
        actual = done
        percent = expected = None
        status = _milestone_status(done, as_of=as_of, start=start, due=due, settings=settings)
        exact_score = _exact(target.points) if done else 0
        stale = False
    else:
        goal = _exact(target.target)
        baseline = _exact(target.baseline)
        exact_actual = _actual(target, entries, baseline)
        exact_percent = _percent(
            target.direction, actual=exact_actual, goal=goal, baseline=baseline
        )
        exact_expected = baseline + (goal - baseline) * pace_share(target, as_of=as_of, start=start, due=due)
        status = _numeric_status(
            target.direction,
            actual=exact_actual,
            goal=goal,
            baseline=baseline,
            expected=exact_expected,
            as_of=as_of,
            start=start,
            due=due,
            settings=settings,
        )
        actual = _tidy(exact_actual)
        percent = _round1(exact_percent)
        expected = _round1(exact_expected)
        share: Fraction = min(Fraction(1), exact_percent / 100)
        exact_score = max(Fraction(0), _exact(target.points) * share)
        stale = status != "done" and idle_days is not None and idle_days > settings.stale_days

    return TargetStatus(
        id=target.id,
        name=target.name,
        section=place.section,
        section_index=place.section_index,
        item=place.item,
        item_title=place.item_title,
        item_number=place.item_number,
        target=target.target,
        unit=target.unit,
        actual=actual,
        percent=percent,
        expected=expected,
        status=status,
        start=start,
        due=due,
        points=target.points,
        score=None if target.points is None else _round1(exact_score),
        entries=entries,
        last_entry=last_entry,
        stale=stale,
        owner=place.owner,
        idle_days=idle_days,
    )


def _milestone_status(
    done: bool, *, as_of: dt.date, start: dt.date, due: dt.date, settings: Settings
) -> StatusName:
    if done:
        return "done"
    if as_of > due:
        return "overdue"
    if as_of < start:
        return "not-started"
    if (due - as_of).days > settings.warn_days:
        return "on-track"
    return "behind"


def _actual(target: Target, entries: Iterable[Entry], baseline: Exact) -> Exact:
    values = [e.value for e in entries if e.value is not None]
    if target.measure == "latest":
        # entries are in date order, stable for equal dates: the last one written wins
        return _exact(values[-1]) if values else baseline
    # Decimal adds the written decimals exactly and is ~10× faster than Fraction per value.
    whole = 0
    decimals = Decimal(0)
    for value in values:
        if isinstance(value, float):
            decimals += Decimal(repr(value)) if math.isfinite(value) else 0
        else:
            whole += int(value)
    return baseline + whole + (Fraction(decimals) if decimals else 0)


def _percent(direction: str, *, actual: Exact, goal: Exact, baseline: Exact) -> Fraction:
    if direction == "down":
        return Fraction(100) if actual <= goal else Fraction(100 * goal, actual)
    if goal == baseline:  # nothing to gain: a schema check reports it, here it is simply met
        return Fraction(100) if actual >= goal else Fraction(0)
    return Fraction(100 * (actual - baseline), goal - baseline)


def _elapsed_share(as_of: dt.date, *, start: dt.date, due: dt.date) -> Fraction:
    """f = clamp((D − start)/(due − start), 0, 1), in days."""
    span = (due - start).days
    if span <= 0:
        return Fraction(1) if as_of >= due else Fraction(0)
    elapsed = min(span, max(0, (as_of - start).days))
    return Fraction(elapsed, span)


def pace_share(target: Target, *, as_of: dt.date, start: dt.date, due: dt.date) -> Fraction:
    """The share of the way from baseline to target expected by ``as_of`` (SPEC §3.1 pace).

    ``linear`` (default for sum): the days elapsed from start to due. ``hold`` (default for
    latest): the whole target from the start on. Shares at quarter or month ends, or dated
    checkpoints: a polyline from (start, 0) through each point, reaching 1 at due, read
    by days between points; points before the start or after the due are left out.
    """
    pace = target.pace
    form = pace.form if pace is not None else ("hold" if target.measure == "latest" else "linear")
    if form == "linear":
        return _elapsed_share(as_of, start=start, due=due)
    if form == "hold" or pace is None:
        return Fraction(1) if as_of >= start else Fraction(0)
    if form == "shares":
        year = due.year
        points = list(zip(_period_ends(year, len(pace.shares)), map(_exact, pace.shares), strict=True))
    else:
        points = [(day, _exact(s)) for day, s in pace.dates]
    knots: list[tuple[dt.date, Exact]] = [(start, 0)]
    knots += [(day, share) for day, share in points if start < day <= due]
    if knots[-1][0] < due:
        knots.append((due, 1))
    if as_of <= start:
        return Fraction(0)
    for (day0, share0), (day1, share1) in itertools.pairwise(knots):
        if as_of <= day1:
            return share0 + (share1 - share0) * Fraction((as_of - day0).days, (day1 - day0).days)
    return Fraction(knots[-1][1])


def _period_ends(year: int, periods: int) -> list[dt.date]:
    """The last days of the year's 4 quarters or 12 months."""
    step = 12 // periods
    return [dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1) for m in range(step, 13, step)]


def _numeric_status(
    direction: str,
    *,
    actual: Exact,
    goal: Exact,
    baseline: Exact,
    expected: Exact,
    as_of: dt.date,
    start: dt.date,
    due: dt.date,
    settings: Settings,
) -> StatusName:
    met = actual >= goal if direction == "up" else actual <= goal
    if met and (direction == "up" or as_of >= due):
        return "done"
    if as_of > due:
        return "overdue"
    if as_of < start:
        return "not-started"
    if direction == "down":
        return "on-track" if met else "at-risk"
    if actual >= expected:
        return "on-track"
    if actual >= _exact(settings.at_risk_below) * expected:
        return "behind"
    return "at-risk"


def _exact(number: Number | bool | None) -> Exact:
    """``number`` as an exact value: a float is taken as the decimal it was written as."""
    if isinstance(number, float):
        return Fraction(repr(number)) if math.isfinite(number) else Fraction(0)
    return int(number or 0)


def _round1(value: Exact) -> float:
    """One decimal, half away from zero (四舍五入); a whole result comes back as an int."""
    tenths = abs(Fraction(value)) * 10
    rounded = math.floor(tenths + Fraction(1, 2))
    if value < 0:
        rounded = -rounded
    return _tidy(Fraction(rounded, 10))


def _tidy(value: Exact) -> float:
    """An exact value as the plainest Python number: an int when whole, else a float."""
    if isinstance(value, int) or value.denominator == 1:
        return int(value)
    return float(value)
