"""What each template receives: the documents with their numbers, figures and verdicts
already worked out (templates format and arrange; they do no arithmetic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fedplan.model import (
    Entry,
    Item,
    Plan,
    Proposal,
    Recommendation,
    Report,
    Section,
    Settings,
    Target,
)
from fedplan.render.chinese import month_day, quantity, resolve_date_style
from fedplan.render.sandbox import render_body
from fedplan.status import PlanStatus, TargetStatus

PROBLEM_STATUSES = ("overdue", "at-risk", "behind")


def goal_phrase(target: Target) -> str:
    """What a target asks for, as a plan states it: 农业实用技术妇女骨干培训300人次."""
    if target.target is None:
        return f"{target.name}，{month_day(target.due)}前完成" if target.due else target.name
    figure = quantity(target.target, target.unit)
    if target.direction == "down":
        return f"{target.name}控制在{figure}以内"
    if target.measure == "latest":
        return f"{target.name}达到{figure}"
    return f"{target.name}{figure}"


def over_fulfilled(ts: TargetStatus) -> bool:
    """超额完成: past 100%. Only an "at least" target can be: a "down" one stops at 100%."""
    return ts.percent is not None and ts.percent > 100


@dataclass(frozen=True)
class TargetView:
    target: Target
    goal: str
    status: TargetStatus | None = None
    done_on: dt.date | None = None  # a milestone: the day it was reported done

    @property
    def over(self) -> bool:
        return self.status is not None and over_fulfilled(self.status)


@dataclass(frozen=True)
class ItemView:
    number: int  # continuous across sections
    item: Item
    targets: tuple[TargetView, ...]
    notes: tuple[Entry, ...] = ()  # progress notes on the item and its targets, date order


@dataclass(frozen=True)
class SectionView:
    number: int
    section: Section
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class Tally:
    """How many targets there are and how many are done, for a summary's opening sentence."""

    numeric: int
    numeric_done: int
    numeric_over: int
    milestones: int
    milestones_done: int


class NoteIndex:
    """The entries with a note, by the item and by the target they name, built in one pass
    (a report on 2,000 targets and 200k entries must not scan the ledger once per item)."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self._by_key: dict[tuple[str, str], list[int]] = {}
        self._entries = entries
        for n, e in enumerate(entries):
            if not e.note:
                continue
            if e.item is not None:
                self._by_key.setdefault(("item", e.item), []).append(n)
            if e.target is not None:
                self._by_key.setdefault(("target", e.target), []).append(n)

    def notes(self, item: Item) -> tuple[Entry, ...]:
        """The notes on ``item`` or on one of its targets, in the ledger's order."""
        keys = [("item", item.id)] + [("target", t.id) for t in item.targets]
        found = [self._by_key.get(key, []) for key in keys]
        if sum(bool(f) for f in found) <= 1:
            return tuple(self._entries[n] for f in found for n in f)
        return tuple(self._entries[n] for n in sorted({n for f in found for n in f}))


def _sections(plan: Plan, status: PlanStatus | None, entries: tuple[Entry, ...]) -> list[SectionView]:
    sections: list[SectionView] = []
    number = 0
    index = NoteIndex(entries)
    for s_index, section in enumerate(plan.sections, start=1):
        items: list[ItemView] = []
        for item in section.items:
            number += 1
            notes = index.notes(item)
            items.append(ItemView(number, item, tuple(_target_view(t, status) for t in item.targets), notes))
        sections.append(SectionView(s_index, section, tuple(items)))
    return sections


def _target_view(target: Target, status: PlanStatus | None) -> TargetView:
    ts = status.target(target.id) if status is not None else None
    done_on = None
    if ts is not None and ts.is_milestone:
        done_on = next((e.date for e in ts.entries if e.done), None)
    return TargetView(target, goal_phrase(target), ts, done_on)


def plan_context(plan: Plan) -> dict[str, Any]:
    return {"plan": plan, "title": plan.title, "sections": _sections(plan, None, ())}


def summary_context(
    plan: Plan, status: PlanStatus, entries: tuple[Entry, ...], settings: Settings
) -> dict[str, Any]:
    """The generated annual summary (no report YAML for the year): planned vs done."""
    counted = tuple(e for e in entries if e.date <= status.as_of)
    targets = status.targets
    numeric = [t for t in targets if not t.is_milestone]
    milestones = [t for t in targets if t.is_milestone]
    whole_year = status.as_of >= dt.date(plan.year, 12, 31)
    return {
        "plan": plan,
        "status": status,
        "title": f"{plan.org}{plan.year}年工作总结" if whole_year else f"{plan.org}{plan.year}年工作进展情况",
        "whole_year": whole_year,
        "sections": _sections(plan, status, counted),
        "tally": Tally(
            numeric=len(numeric),
            numeric_done=sum(t.status == "done" for t in numeric),
            numeric_over=sum(over_fulfilled(t) for t in numeric),
            milestones=len(milestones),
            milestones_done=sum(t.status == "done" for t in milestones),
        ),
        "problems": [t for t in targets if t.status in PROBLEM_STATUSES],
        "has_points": any(t.points is not None for t in targets),
        "date_style": resolve_date_style(settings.date_style, status.as_of),
        "date": status.as_of,
    }


@dataclass(frozen=True)
class ReportSectionView:
    number: int
    title: str
    body: str  # evaluated: expressions replaced by the figures


def report_context(report: Report, status: PlanStatus | None, settings: Settings) -> dict[str, Any]:
    """A report with its bodies evaluated in the sandbox against ``status``."""
    sections = [
        ReportSectionView(i, s.title, render_body(s.body, status))
        for i, s in enumerate(report.sections, start=1)
    ]
    date = report.signature.date if report.signature and report.signature.date else report.as_of
    return {
        "report": report,
        "title": report.title,
        "status": status,
        "sections": sections,
        "signature": report.signature,
        "date_style": resolve_date_style(settings.date_style, date),
    }


@dataclass(frozen=True)
class RecommendationView:
    number: int
    recommendation: Recommendation
    items: tuple[tuple[int, Item], ...]  # the plan items it links to, with their numbers


def proposal_context(proposal: Proposal, plan: Plan | None, settings: Settings) -> dict[str, Any]:
    numbered = {item.id: (n, item) for n, (_, item) in enumerate(plan.items(), start=1)} if plan else {}
    recommendations = []
    for i, rec in enumerate(proposal.recommendations, start=1):
        linked = tuple(numbered[item_id] for item_id in rec.items if item_id in numbered)
        recommendations.append(RecommendationView(i, rec, linked))
    signature = proposal.signature
    date = (signature.date if signature else None) or proposal.date
    return {
        "proposal": proposal,
        "title": proposal.title,
        "recommendations": recommendations,
        "signature_org": (signature.org if signature else None) or proposal.from_,
        "date": date,
        "date_style": resolve_date_style(settings.date_style, date),
    }
