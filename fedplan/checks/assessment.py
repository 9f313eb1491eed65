"""Checks on a year's 考核细则 (SPEC §3.5) and the ledger entries that feed it: indicators
naming real targets with a rule that fits them, points adding up, entries naming real
indicators, bonus items and vetoes in the form their rule takes, and 佐证材料 that exist."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from fedplan.checks.base import CheckContext, did_you_mean, emits
from fedplan.dates import year_end, year_start
from fedplan.diagnostics import Diagnostic, error, warning
from fedplan.model import Assessment, Entry, Indicator, Target

# Rules that score a plan target's figures, and those that score the indicator's own entries.
TARGET_RULES = ("proportional", "shortfall", "steps", "on_time")
OWN_RULES = ("per_unit", "grades")


@emits("duplicate-assessment", "no-plan", "points-sum", "rule-target", "unknown-target")
def check_assessments(ctx: CheckContext) -> Iterator[Diagnostic]:
    """One 细则 a year, for a year with a plan; each indicator's ``target`` exists and suits
    its rule (on_time scores a milestone; shortfall and steps a number; per_unit and
    grades score the indicator's own entries, so take no target); points add up.

    Passes::

        indicators: [{id: training, name: 培训, points: 40, target: farm-training}]

    Fails (``unknown-target``)::

        indicators: [{id: training, name: 培训, points: 40, target: farm-trainng}]
    """
    seen: dict[int, Assessment] = {}
    for assessment in ctx.repo.assessments:
        first = seen.setdefault(assessment.year, assessment)
        if first is not assessment:
            yield error(
                assessment.at("year"),
                "duplicate-assessment",
                f"{assessment.year} 年已有考核细则（{first.path}）",
                "一个年度只有一份考核细则；请合并或删除其一",
            )
            continue
        plan = ctx.repo.plan_for(assessment.year)
        if plan is None:
            yield error(assessment.at("year"), "no-plan", f"{assessment.year} 年没有工作要点，考核细则无从计分", "先建立该年度的 plan.yaml")
            continue
        targets = {t.id: t for _, _, t in plan.targets()}
        for indicator in assessment.indicators:
            yield from _indicator_target(indicator, targets, plan.year)
        if assessment.total_points is not None:
            total = sum(i.points for i in assessment.indicators)
            if abs(total - assessment.total_points) > 1e-9:
                yield error(
                    assessment.at("total_points"),
                    "points-sum",
                    f"各考核指标分值之和为 {total:g}，与总分 total_points {assessment.total_points:g} 不符",
                    f"调整各指标的 points，或把 total_points 改为 {total:g}",
                )


def _indicator_target(indicator: Indicator, targets: dict[str, Target], year: int) -> Iterator[Diagnostic]:
    form = indicator.rule.form
    if indicator.target is None:
        if form in TARGET_RULES:
            yield error(
                indicator.pos,
                "rule-target",
                f"指标“{indicator.name}”按 {form} 计分，要写所依据的计划目标 target",
                "添加 target: 目标id；不依据计划目标的指标用 per_unit（按件计分）或 grades（评等级）",
            )
        return
    if form in OWN_RULES:
        yield error(
            indicator.at("target"),
            "rule-target",
            f"指标“{indicator.name}”按 {form} 计分，依据的是台账中 indicator: {indicator.id} 的记录，不能写 target",
            "删除 target，或改用 proportional、shortfall、steps 等按目标计分的办法",
        )
        return
    target = targets.get(indicator.target)
    if target is None:
        yield error(
            indicator.at("target"),
            "unknown-target",
            f"{year} 年计划中没有编号为“{indicator.target}”的目标",
            did_you_mean(indicator.target, targets) or "目标编号见 plan.yaml 各 targets 的 id",
        )
        return
    if form == "on_time" and not target.is_milestone:
        yield error(indicator.at("rule"), "rule-target", f"on_time 按完成时间计分，只用于节点任务；“{target.name}”是数值目标", "数值目标用 proportional、shortfall 或 steps")
    elif form in ("shortfall", "steps") and target.is_milestone:
        yield error(indicator.at("rule"), "rule-target", f"{form} 按完成数计分；“{target.name}”是节点任务", "节点任务用 proportional（完成得满分）或 on_time")
    elif form == "steps" and indicator.rule.of == "actual" and target.direction == "down":
        yield error(indicator.at("rule"), "rule-target", f"“{target.name}”是控制在以下的目标，steps 的门槛按“达到”比较", "改用 of: percent")


@emits("unknown-indicator", "evidence-missing", "indicator-entry", "unknown-grade", "evidence-outside", "evidence-not-found")
def check_assessment_entries(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Entries with ``indicator:``, ``bonus:`` or ``veto:`` name an id of the year's 细则, and
    an indicator entry carries what its rule takes (``value`` for per_unit, a ``grade`` of
    its table); ``evidence`` paths exist inside the repository; an indicator or bonus item
    with ``evidence: required`` warns for an entry without any.

    Passes::

        - {date: 2012-05-04, indicator: jiceng, grade: 好}

    Fails (``unknown-grade``)::

        - {date: 2012-05-04, indicator: jiceng, grade: 很好}
    """
    by_year = {a.year: a for a in reversed(ctx.repo.assessments)}
    for progress in ctx.repo.progress:
        assessment = by_year.get(progress.year)
        required = _evidence_required(assessment) if assessment else {}
        targets_required = required.get("target")
        for entry in progress.entries:
            if not entry.evidence and entry.indicator is None and entry.bonus is None and entry.veto is None:
                # the usual entry, about a target or an item, with no evidence: only a
                # target whose indicator requires evidence has anything to say
                if targets_required and entry.target in targets_required:
                    yield _no_evidence(entry)
                continue
            yield from _evidence(ctx, entry)
            kind, ident = _subject(entry)
            if kind == "target" and ident in required.get("target", set()) and not entry.evidence:
                yield _no_evidence(entry)
            if kind not in ("indicator", "bonus", "veto"):
                continue
            if assessment is None:
                yield error(entry.at(kind), "unknown-indicator", f"{progress.year} 年没有考核细则，无法记 {kind}: {ident}", "先把上级的考核细则写成 kind: assessment 的文件")
                continue
            yield from _assessment_entry(assessment, entry, kind, ident)
            if ident in required.get(kind, set()) and not entry.evidence:
                yield _no_evidence(entry)


def _subject(entry: Entry) -> tuple[str, str]:
    for kind in ("target", "item", "indicator", "bonus", "veto"):
        ident = getattr(entry, kind)
        if ident is not None:
            return kind, ident
    return "", ""  # pragma: no cover - the schema keeps only entries with one subject


def _evidence_required(assessment: Assessment) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"target": set(), "indicator": set(), "bonus": set()}
    for indicator in assessment.indicators:
        if indicator.evidence_required:
            out["target" if indicator.target else "indicator"].add(indicator.target or indicator.id)
    out["bonus"] = {b.id for b in assessment.bonus if b.evidence_required}
    return out


def _no_evidence(entry: Entry) -> Diagnostic:
    return warning(entry.pos, "evidence-missing", "考核细则要求这项工作附佐证材料，这条记录没有 evidence", "添加 evidence: [材料/文件名.pdf]（仓库内的路径或网址）")


def _assessment_entry(assessment: Assessment, entry: Entry, kind: str, ident: str) -> Iterator[Diagnostic]:
    parts: dict[str, dict[str, object]] = {
        "indicator": {i.id: i for i in assessment.indicators},
        "bonus": {b.id: b for b in assessment.bonus},
        "veto": {v.id: v for v in assessment.veto},
    }
    ids = parts[kind]
    names = {"indicator": "考核指标", "bonus": "加分项", "veto": "一票否决项"}[kind]
    if ident not in ids:
        yield error(
            entry.at(kind),
            "unknown-indicator",
            f"{assessment.year} 年考核细则中没有编号为“{ident}”的{names}",
            did_you_mean(ident, ids) or f"{names}编号见 {assessment.path}",
        )
        return
    if kind != "indicator":
        return
    indicator = ids[ident]
    assert isinstance(indicator, Indicator)
    form = indicator.rule.form
    if form not in ("per_unit", "grades"):
        hint = f"按计划目标记：target: {indicator.target}" if indicator.target else "见考核细则中该指标的 rule"
        yield error(entry.at("indicator"), "indicator-entry", f"指标“{indicator.name}”按目标完成情况计分，不单独记 indicator", hint)
    elif form == "per_unit" and entry.value is None:
        yield error(entry.pos, "indicator-entry", f"指标“{indicator.name}”按件计分，记录要写件数 value", "如 value: 1")
    elif form == "grades":
        grades = [g for g, _ in indicator.rule.grades]
        if entry.grade is None:
            yield error(entry.pos, "indicator-entry", f"指标“{indicator.name}”按等级计分，记录要写 grade", "可选：" + "、".join(grades))
        elif entry.grade not in grades:
            yield error(
                entry.at("grade"),
                "unknown-grade",
                f"等级“{entry.grade}”不在指标“{indicator.name}”的等级表中",
                did_you_mean(entry.grade, grades) or "可选：" + "、".join(grades),
            )


_OUTSIDE_HINT = "把材料放进仓库（如 evidence/ 目录），写相对于仓库根目录的路径"


def _evidence(ctx: CheckContext, entry: Entry) -> Iterator[Diagnostic]:
    """Each evidence path names a file inside the repository: not absolute, not above the
    root, not a link that leads out of it (the file is never read, but a path CI accepts
    must not point at the runner's files), and there."""
    for ref in entry.evidence:
        if "://" in ref:
            continue  # a web address: not ours to fetch
        pos = entry.at("evidence")
        norm = posixpath.normpath(ref.replace("\\", "/"))
        if ref.startswith(("/", "\\")) or (len(ref) > 1 and ref[1] == ":") or norm == ".." or norm.startswith("../"):
            yield error(pos, "evidence-outside", f"佐证材料“{ref}”不在仓库中", _OUTSIDE_HINT)
            continue
        where = ctx.where(norm)
        if where == "outside":
            yield error(pos, "evidence-outside", f"佐证材料“{ref}”是指向仓库之外的链接", "把文件本身放进仓库，不要用指向仓库外的符号链接")
        elif where == "unreadable":
            yield error(pos, "evidence-not-found", f"佐证材料“{ref}”无法找到：路径含控制字符、过长，或是循环的符号链接", "检查路径（相对于仓库根目录）")
        elif where != "file":
            yield error(pos, "evidence-not-found", f"佐证材料“{ref}”不存在", "检查路径（相对于仓库根目录），或先把文件加入仓库")


@emits("bad-pace")
def check_paces(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A pace's dated checkpoints lie between the target's start and due.

    Passes::

        pace: {2012-06-30: 0.5}

    Fails (``bad-pace``)::

        pace: {2013-06-30: 0.5}
    """
    for plan in ctx.repo.plans:
        for _, _, target in plan.targets():
            pace = target.pace
            if pace is None or pace.form != "dates":
                continue
            start = target.start or year_start(plan.year)
            due = target.due or year_end(plan.year)
            for day, _ in pace.dates:
                if not start <= day <= due:
                    yield error(pace.pos, "bad-pace", f"进度节点 {day} 不在目标“{target.name}”的起止日期 {start} 至 {due} 之内", "进度节点应在开始日期和完成时限之间")
                    break
