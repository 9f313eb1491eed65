"""Checks on the progress ledger: every entry dated in its year, pointing at a real target
or item, and saying what that kind of target takes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import compress, repeat
from operator import attrgetter, is_

from fedplan import entries, forked
from fedplan.checks.base import CheckContext, did_you_mean, emits
from fedplan.diagnostics import Diagnostic, error, warning
from fedplan.model import Entry, Item, Plan, Target


@emits("no-plan")
def check_progress_year(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A ledger belongs to a year that has a plan.

    Passes: ``kind: progress`` with ``year: 2012`` and a plan for 2012.

    Fails (``no-plan``): ``year: 2013`` when no plan for 2013 exists.
    """
    years = ctx.repo.years()
    # A plan that is there but could not be read has its own error: that is the cause, said once.
    unread = {year for _, year in ctx.repo.unread_plans}
    for progress in ctx.repo.progress:
        if ctx.repo.plan_for(progress.year) is None and not unread & {progress.year, None}:
            yield error(
                progress.at("year"),
                "no-plan",
                f"{progress.year} 年没有工作要点，台账无处可记",
                f"已有计划的年度：{'、'.join(map(str, years))}" if years else "先建立该年度的 plan.yaml（fedplan new）",
            )


@emits("date-outside-year", "future-date", "unknown-item", "unknown-target", "value-on-milestone", "missing-done", "done-on-numeric", "missing-value")
def check_entries(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Each entry: dated inside the year (a future date warns), refers to an existing target
    or item, and carries what that target takes — ``value`` for a number, ``done: true`` for
    a milestone.

    Passes::

        - {date: 2012-03-15, target: farm-training, value: 120}

    Fails (``unknown-target``, with “是不是……” hint)::

        - {date: 2012-03-15, target: farm-trainng, value: 120}
    """
    # Every entry looks its target up: by id in a dict, not by a scan of the plan.
    plans = {plan.year: _Index(plan) for plan in reversed(ctx.repo.plans)}
    today = ctx.today
    for progress in ctx.repo.progress:
        index = plans.get(progress.year)
        year = progress.year
        first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
        # A column at a time (a ledger may hold a million entries), a part of the ledger at
        # a time (so the columns stay small): the entries dated outside the year or after
        # today, and those whose reference is wrong — an item not the plan's, a target not
        # the plan's, or what the target takes not carried (entries.breaking) — then each
        # of those in order, as the entries go.
        every = progress.entries

        def flagged(
            base: int, every: tuple[Entry, ...] = every, index: _Index | None = index, first: dt.date = first, last: dt.date = last
        ) -> tuple[set[int], set[int]]:
            """The entries of the part from ``base`` dated outside the year or after today,
            and those whose reference is wrong (indices in the part)."""
            found = every[base : base + _PART]
            dates = list(map(_DATE, found))
            if first <= min(dates) and max(dates) <= last:
                outside: set[int] = set()
            else:
                outside = {n for n, date in enumerate(dates) if not first <= date <= last}
            wrong: set[int] = set()
            if index is not None:
                items, targets = list(map(_ITEM, found)), list(map(_TARGET, found))
                kinds = list(map(index.kinds.get, targets))  # (None: no target of the plan, or none written)
                for n in compress(range(len(found)), map(is_, kinds, repeat(None))):
                    item = items[n]
                    if (item is not None and item not in index.items) or (item is None and targets[n] is not None):
                        wrong.add(n)
                wrong.update(entries.breaking(kinds, found))
            return outside, wrong

        # (a ledger of forked.LARGE entries: some parts looked at by a forked helper
        # meanwhile, in turn with this process; what it finds is a few indices a part. Its
        # share is the smaller: the pages it reads are copied for it.)
        bases = list(range(0, len(every), _PART))
        with forked.Shared(bases, flagged, 0.54 if len(every) >= forked.LARGE else 1.0) as parts:
            for base in bases:
                outside, wrong = parts.get(base)
                for n in sorted(outside | wrong):
                    entry = every[base + n]
                    if n in outside:
                        yield from _dates(ctx, year, entry)
                    if n in wrong:
                        yield from _reference(index, entry)  # type: ignore[arg-type]


_PART = 4096
_DATE, _ITEM, _TARGET = attrgetter("date"), attrgetter("item"), attrgetter("target")
_KIND = {True: entries.MILESTONE, False: entries.NUMERIC}


class _Index:
    """A plan's targets and items by id (the first of a repeated id, as Plan.target does)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.targets: dict[str, Target] = {}
        self.items: dict[str, Item] = {}
        for _, item in plan.items():
            self.items.setdefault(item.id, item)
            for target in item.targets:
                self.targets.setdefault(target.id, target)
        # What an entry about each target must carry (entries.kind_of), by target id.
        self.kinds = {key: _KIND[target.is_milestone] for key, target in self.targets.items()}


def _dates(ctx: CheckContext, year: int, entry: Entry) -> Iterator[Diagnostic]:
    if entry.date.year != year:
        yield error(
            entry.at("date"),
            "date-outside-year",
            f"记录日期 {entry.date} 不在台账年度 {year} 年内",
            f"改正日期，或把这条记录移到 {entry.date.year} 年的台账中",
        )
    elif entry.date > ctx.today:
        yield warning(
            entry.at("date"),
            "future-date",
            f"记录日期 {entry.date} 晚于今天（{ctx.today}）",
            "进展应在发生后记录；如是笔误请改正",
        )


def _reference(index: _Index, entry: Entry) -> Iterator[Diagnostic]:
    plan = index.plan
    if entry.item is not None:
        if entry.item not in index.items:
            hint = did_you_mean(entry.item, index.items)
            if not hint and entry.item in index.targets:
                hint = f"“{entry.item}”是目标，数值或完成情况请写 target: {entry.item}"
            yield error(
                entry.at("item"),
                "unknown-item",
                f"{plan.year} 年计划中没有编号为“{entry.item}”的事项",
                hint or "事项编号见 plan.yaml 各 items 的 id",
            )
        return
    if entry.target is None:
        return  # an assessment entry (indicator, bonus, veto): fedplan.checks.assessment
    target = index.targets.get(entry.target)
    if target is None:
        hint = did_you_mean(entry.target, index.targets)
        if not hint and entry.target in index.items:
            hint = f"“{entry.target}”是事项，文字进展请写 item: {entry.target}"
        yield error(
            entry.at("target"),
            "unknown-target",
            f"{plan.year} 年计划中没有编号为“{entry.target}”的目标",
            hint or "目标编号见 plan.yaml 各 targets 的 id",
        )
        return
    # What each kind of target takes is stated once, in fedplan.entries.
    for broken in entries.entry_breaks(entries.kind_of(target), entry):
        if broken.code == "value-on-milestone":
            yield error(
                entry.at("value"),
                "value-on-milestone",
                f"“{target.name}”是节点任务，没有数值，不能记 value",
                "完成时记 done: true；过程情况写在 note 中",
            )
        elif broken.code == "missing-done":
            yield error(
                entry.pos,
                "missing-done",
                f"节点任务“{target.name}”的记录要写 done: true",
                "尚未完成的过程情况请记到事项下（item: …）",
            )
        elif broken.code == "done-on-numeric":
            yield error(
                entry.at("done"),
                "done-on-numeric",
                f"“{target.name}”是数值目标，不用 done，记 value",
                f"写本次完成数，如 value: 10（单位：{target.unit}）",
            )
        else:
            yield error(
                entry.pos,
                "missing-value",
                f"数值目标“{target.name}”的记录缺少 value",
                f"添加 value: 数字（单位：{target.unit}；"
                + ("每条记录为本次新增数" if target.measure == "sum" else "填最新水平")
                + "）",
            )
