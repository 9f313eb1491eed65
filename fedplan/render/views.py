"""What each template receives: the documents with their numbers, figures and verdicts
already worked out (templates format and arrange; they do no arithmetic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fedplan.bodies.sandbox import render_body
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
from fedplan.records import record
from fedplan.render import phrases
from fedplan.render.chinese import cn_date, month_day, number, percent, resolve_date_style
from fedplan.status import PlanStatus, TargetStatus

PROBLEM_STATUSES = ("overdue", "at-risk", "behind")


def over_fulfilled(ts: TargetStatus) -> bool:
    """超额完成: past 100%. Only an "at least" target can be: a "down" one stops at 100%."""
    return ts.percent is not None and ts.percent > 100


@record
class TargetView:
    target: Target
    goal: str
    status: TargetStatus | None = None
    done_on: dt.date | None = None  # a milestone: the day it was reported done

    @property
    def over(self) -> bool:
        return self.status is not None and over_fulfilled(self.status)


@record
class ItemView:
    number: int  # continuous across sections
    item: Item
    targets: tuple[TargetView, ...]
    notes: tuple[Entry, ...] = ()  # progress notes on the item and its targets, date order


@record
class SectionView:
    number: int
    section: Section
    items: tuple[ItemView, ...]


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
    return TargetView(target, phrases.goal_phrase(target), ts, done_on)


def plan_context(plan: Plan) -> dict[str, Any]:
    return {"plan": plan, "title": plan.title, "sections": _sections(plan, None, ())}


@record
class ResultRow:
    """One row of the summary's table of targets, its words already chosen."""

    name: str
    goal: str  # 300人次 / 6月30日前
    done: str  # 320人次 / 7月12日 / 未完成
    rate: str  # 106.7% / —
    verdict: str  # 超额完成 / 已完成 / 未完成 / 推迟完成 / 滞后 …
    score: str | None  # None when the plan gives no points


@record
class SummaryItem:
    number: int  # continuous across sections
    item: Item
    results: tuple[str, ...]  # one sentence per target, figures first
    notes: tuple[str, ...]  # at most a few dated sentences of what was done (no setbacks)


@record
class SummarySection:
    number: int
    section: Section
    items: tuple[SummaryItem, ...]


@record
class SummaryView:
    """The drafted 工作总结: every sentence chosen here (fedplan/render/phrases.py); the
    template only arranges them."""

    title: str
    subtitle: str | None  # （截至2012年9月30日） before year end, except at 6月30日
    whole_year: bool
    opening: str  # the first paragraph, without its score
    # The score sentence after the opening. i13 (the assessment) may put its quote here;
    # the template prints whatever this holds, or nothing.
    score_line: str | None
    sections: tuple[SummarySection, ...]
    rows: tuple[ResultRow, ...]
    problems: tuple[str, ...]  # paragraphs of 存在的问题 (一是…… when more than one)
    plans: tuple[str, ...]  # paragraphs of 下一步工作打算
    org: str
    date: dt.date


def _done_on(ts: TargetStatus) -> dt.date | None:
    return next((e.date for e in ts.entries if e.done), None) if ts.is_milestone else None


def _late(ts: TargetStatus) -> bool:
    done_on = _done_on(ts)
    return done_on is not None and done_on > ts.due


def _result(ts: TargetStatus, target: Target, year_end: bool) -> str:
    if ts.is_milestone:
        return phrases.milestone_result(ts, _done_on(ts), year_end=year_end)
    return phrases.numeric_result(ts, target, year_end=year_end)


def _row(ts: TargetStatus, year_end: bool, points: bool) -> ResultRow:
    score = (number(ts.score) if ts.score is not None else "—") if points else None
    if ts.is_milestone:
        done_on = _done_on(ts)
        if done_on is not None:
            verdict = "推迟完成" if done_on > ts.due else "已完成"
        else:
            verdict = "未完成" if year_end else ts.label
        done = month_day(done_on) if done_on else "未完成"  # the column is 完成: the day says it
        return ResultRow(ts.name, f"{month_day(ts.due)}前", done, "—", verdict, score)
    if over_fulfilled(ts):
        verdict = "超额完成"
    elif ts.status == "done":
        verdict = "已完成"
    else:
        verdict = "未完成" if year_end else ts.label
    assert not isinstance(ts.actual, bool)
    return ResultRow(
        ts.name,
        phrases.amount_of(ts.target, ts.unit),
        phrases.amount_of(ts.actual, ts.unit),
        percent(ts.percent),
        verdict,
        score,
    )


def _short(ts: TargetStatus, year_end: bool) -> bool:
    """A numeric target 存在的问题 names: unmet at year end; behind 序时进度 before it."""
    if ts.is_milestone or ts.status == "done":
        return False
    return year_end or ts.status in PROBLEM_STATUSES


def _unfinished(ts: TargetStatus, year_end: bool) -> bool:
    """A milestone 存在的问题 names: done late, or not done when it should have been."""
    if not ts.is_milestone:
        return False
    return _late(ts) or (not ts.actual and (year_end or ts.status == "overdue"))


def _problems(targets: Sequence[TargetStatus], setbacks: Sequence[Entry], year_end: bool) -> list[str]:
    points = []
    short = [t for t in targets if _short(t, year_end)]
    if short:
        head = "部分量化目标未完成。" if year_end else "部分目标进度滞后于序时进度。"
        points.append(head + phrases.sentence(phrases.shortfalls(short, year_end=year_end)))
    unfinished = [t for t in targets if _unfinished(t, year_end)]
    if unfinished:
        done = [(t, _done_on(t)) for t in unfinished]
        missing = [t for t, day in done if day is None]
        late = [(t, day) for t, day in done if day is not None]
        text = phrases.milestone_setbacks(missing, late, year_end=year_end)
        points.append("部分节点任务未按期完成。" + phrases.sentence(text))
    if setbacks:
        points.append("部分工作推进中遇到困难。" + "".join(phrases.dated(e.date, e.note) for e in setbacks))
    if points:
        return phrases.enumerate_points(points)
    if not targets:
        return ["工作要点未设定量化目标和节点任务，台账中也未记录工作推进中的困难。"]
    when = "全年" if year_end else "目前"
    return [f"对照工作要点，{when}各项目标任务均达到要求，台账中未记录工作推进中的困难。"]


def _owner(ts: TargetStatus) -> str:
    return f"（{ts.owner}）" if ts.owner else ""


def _plans_year_end(
    plan: Plan, targets: Sequence[TargetStatus], next_plan: Plan | None, setbacks: bool
) -> list[str]:
    points = []
    open_ends = [
        f"{t.name}尚差{phrases.remaining(t)}{_owner(t)}"
        for t in targets
        if not t.is_milestone and t.status != "done"
    ] + [f"{t.name}尚未完成{_owner(t)}" for t in targets if t.is_milestone and not t.actual]
    if open_ends:
        points.append("抓好未完成任务的收尾。" + "、".join(open_ends) + "，明确完成时限，逐项落实。")
    if setbacks:
        points.append("对工作推进中遇到的困难逐项分析原因，在安排新一年工作时提前应对。")
    following = plan.year + 1
    if next_plan is not None:
        goals = [phrases.goal_phrase(t) for _, item in next_plan.items() for t in item.targets]
        text = f"认真落实《{next_plan.title}》。"
        if goals:
            more = f"等{len(goals)}项目标任务" if len(goals) > 3 else ""
            text += f"{following}年计划{'、'.join(goals[:3])}{more}，年初分解落实到各牵头部门。"
        points.append(text)
    elif open_ends:
        points.append(f"及早谋划{following}年工作，把本年度未完成的任务纳入{following}年工作要点。")
    else:
        points.append(f"及早谋划{following}年工作，制定{following}年工作要点。")
    return phrases.enumerate_points(points)


def _plans_in_year(targets: Sequence[TargetStatus]) -> list[str]:
    points = []
    behind = [t for t in targets if not t.is_milestone and t.status in PROBLEM_STATUSES]
    if behind:
        owners = {t.owner for t in behind}
        if len(behind) > 1 and len(owners) == 1 and (owner := owners.pop()):  # one department: said once
            needed = f"{owner}牵头的" + phrases.still_needed([(t, "") for t in behind])
        else:
            needed = phrases.still_needed([(t, _owner(t)) for t in behind])
        points.append("加快滞后目标的进度。" + needed + "，确保完成全年任务。")
    overdue = [t for t in targets if t.is_milestone and not t.actual and t.status == "overdue"]
    if overdue:
        listed = "、".join(f"{t.name}（原定{month_day(t.due)}前）" for t in overdue)
        points.append(f"尽快完成逾期的节点任务。{listed}。")
    coming = [t for t in targets if t.is_milestone and not t.actual and t.status != "overdue"]
    if coming:
        listed = "、".join(f"{t.name}（{month_day(t.due)}前）" for t in coming)
        points.append(f"按期完成节点任务。{listed}。")
    steady = [t.name for t in targets if not t.is_milestone and t.status in ("on-track", "not-started")]
    if steady:
        points.append(f"保持{phrases.join_names(steady)}的工作进度，确保完成全年目标。")
    if not points:
        points.append("巩固已取得的成效，按计划推进各项工作。")
    return phrases.enumerate_points(points)


def _opening(plan: Plan, status: PlanStatus, year_end: bool) -> str:
    numeric = [t for t in status.targets if not t.is_milestone]
    milestones = [t for t in status.targets if t.is_milestone]
    parts = [
        phrases.tally(
            len(numeric),
            sum(t.status == "done" for t in numeric),
            sum(over_fulfilled(t) for t in numeric),
            kind="量化目标",
            year_end=year_end,
        ),
        phrases.tally(
            len(milestones), sum(bool(t.actual) for t in milestones), 0, kind="节点任务", year_end=year_end
        ),
    ]
    parts = [p for p in parts if p]
    text = f"{plan.year}年，{plan.org}按照《{plan.title}》的部署，扎实推进各项工作。"
    if parts:
        when = "对照工作要点，全年" if year_end else f"截至{month_day(status.as_of)}，"
        text += f"{when}{'；'.join(parts)}。"
    return text


def summary_context(
    plan: Plan,
    status: PlanStatus,
    entries: tuple[Entry, ...],
    settings: Settings,
    next_plan: Plan | None = None,
) -> dict[str, Any]:
    """The drafted summary of a year with no report YAML, in the shape of a real 总结:
    opening, 一、主要工作及成效 (each item's results in figures, then a few notes), 二、存在
    的问题 (shortfalls, late milestones, the setbacks the ledger notes), 三、下一步工作打算
    (what is unmet, and next year's plan when there is one)."""
    counted = [e for e in entries if e.date <= status.as_of]
    year_end = status.as_of >= dt.date(plan.year, 12, 31)
    subtitle = None
    if year_end:
        title = f"{plan.org}{plan.year}年工作总结"
    elif (status.as_of.month, status.as_of.day) == (6, 30):
        title = f"{plan.org}{plan.year}年上半年工作总结"
    else:
        title = f"{plan.org}{plan.year}年工作进展情况"
        subtitle = f"（截至{cn_date(status.as_of, '2012')}）"
    by_id = {t.id: t for t in status.targets}
    index = NoteIndex(tuple(counted))
    setbacks: list[Entry] = []
    sections = []
    item_number = 0
    for s_index, section in enumerate(plan.sections, start=1):
        items = []
        for item in section.items:
            item_number += 1
            results = tuple(phrases.sentence(_result(by_id[t.id], t, year_end)) for t in item.targets)
            item_notes = index.notes(item)
            setbacks.extend(e for e in item_notes if phrases.is_setback(e.note))
            done = [phrases.dated(e.date, e.note) for e in item_notes if not phrases.is_setback(e.note)]
            items.append(SummaryItem(item_number, item, results, tuple(phrases.spread(done))))
        sections.append(SummarySection(s_index, section, tuple(items)))
    setbacks.sort(key=lambda e: e.date)
    has_points = any(t.points is not None for t in status.targets)
    plans = (
        _plans_year_end(plan, status.targets, next_plan, bool(setbacks))
        if year_end
        else _plans_in_year(status.targets)
    )
    view = SummaryView(
        title=title,
        subtitle=subtitle,
        whole_year=year_end,
        opening=_opening(plan, status, year_end),
        score_line=phrases.score_phrase(status.score, status.total_points) if has_points else None,
        sections=tuple(sections),
        rows=tuple(_row(t, year_end, has_points) for t in status.targets),
        problems=tuple(_problems(status.targets, setbacks, year_end)),
        plans=tuple(plans),
        org=plan.org,
        date=status.as_of,
    )
    return {
        "plan": plan,
        "status": status,
        "summary": view,
        "title": title,
        "date_style": resolve_date_style(settings.date_style, status.as_of),
        "date": status.as_of,
    }


@record
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


@record
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
