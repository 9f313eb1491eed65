"""The way from a repository to a finished document, shared by ``fedplan report`` and
``fedplan render``: which report, its figures as of which day, the template's context,
the bytes in the chosen format, and writing them without replacing a source document.
No printing here: the commands send the bytes to stdout when there is no ``-o``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from fedplan import dates, records
from fedplan.dates import choose_as_of
from fedplan.diagnostics import Diagnostic, FedplanError
from fedplan.formats import TABLES
from fedplan.model import Assessment, Document, Plan, Progress, Proposal, Report, Repository
from fedplan.records import record
from fedplan.repo import load_repository, refuse_if_errors
from fedplan.status import PlanStatus, compute_status, repository_status

ANNUAL_ID = "annual"


@record
class Prepared:
    """A document ready to render: its default template, the template's context, its date,
    and the status its figures come from (for the HTML charts)."""

    template: str
    context: dict[str, Any]
    date: dt.date | None
    status: PlanStatus | None = None
    plan: Plan | None = None
    addressed: bool = False  # the template writes a 主送机关 under the title
    signer: str | None = None  # the issuer's name, when it closes the document without a date


def choose_report(repo: Repository, year: int, report_id: str | None) -> Report | None:
    """The report ``report_id`` of ``year``; without an id the ``annual`` one, if written —
    else None (the summary is drafted), unless the year has no plan to draft it from and
    just one report (an imported old year): then that one."""
    reports = repo.reports_for(year)
    if report_id is None:
        annual = next((r for r in reports if r.id == ANNUAL_ID), None)
        if annual is None and repo.plan_for(year) is None and len(reports) == 1:
            return reports[0]
        return annual
    found = next((r for r in reports if r.id == report_id), None)
    if found is None:
        ids = "、".join(r.id for r in reports)
        raise FedplanError(
            f"{year} 年没有 id 为“{report_id}”的报告",
            code="unknown-report",
            hint=f"{year} 年的报告：{ids}" if ids else "不加 --id 可生成按计划和台账汇总的年度总结",
        )
    return found


def prepare_year(repo: Repository, year: int, report_id: str | None, as_of: dt.date | None) -> Prepared:
    """``fedplan report YEAR``: the chosen report, else the summary drafted for the year."""
    report = choose_report(repo, year, report_id)
    return prepare_report(repo, report, as_of) if report else prepare_summary(repo, year, as_of)


def prepare_document(repo: Repository, document: Document, as_of: dt.date | None) -> Prepared:
    """``fedplan render PATH``: any plan, report or proposal; a ledger is not a document."""
    from fedplan.render.views import plan_context, proposal_context

    if isinstance(document, Plan):
        return Prepared("plan.md.j2", plan_context(document), None)
    if isinstance(document, Report):
        return prepare_report(repo, document, as_of)
    if isinstance(document, Proposal):
        plan = repo.plan_for(document.year) if document.year is not None else None
        context = proposal_context(document, plan, repo.settings)
        return Prepared(
            "proposal.md.j2",
            context,
            context["date"],
            addressed=bool(document.to),
            signer=None if context["date"] else context["signature_org"],
        )
    if isinstance(document, Assessment):
        return prepare_self_assessment(repo, document, as_of)
    year = getattr(document, "year", "")
    hint = f"看进度用 fedplan status {year}；成文用 fedplan report {year}"
    if isinstance(document, Progress):
        raise FedplanError(f"{document.path} 是进展台账，不单独成文", code="not-renderable", hint=hint)
    raise FedplanError(f"{document.path} 不单独成文", code="not-renderable", hint=hint)


def prepare_report(repo: Repository, report: Report, as_of: dt.date | None) -> Prepared:
    """A written report, its bodies' figures as of ``as_of`` (else the report's own as_of)."""
    from fedplan.bodies.bounds import TooCostly
    from fedplan.bodies.sandbox import TOO_COSTLY_HINT, UnknownTarget
    from fedplan.render.views import report_context

    day = choose_as_of(as_of, report.year, years=repo.years()) if as_of is not None else report.as_of
    plan = repo.plan_for(report.year)
    status = repository_status(repo, plan, as_of=day) if plan is not None else None
    try:
        context = report_context(report, status, repo.settings)
    except UnknownTarget as exc:  # validate reports this with its line; this is the fallback
        raise FedplanError(
            f"{report.path} 的正文引用了不存在的目标“{exc.target_id}”",
            code="unknown-target",
            hint="运行 fedplan validate 查看位置",
        ) from None
    except TooCostly as exc:  # untrusted bodies: refused, never run unbounded
        raise FedplanError(
            f"{report.path} 的正文计算量过大，已停止生成：{exc.reason}",
            code="body-too-costly",
            hint=TOO_COSTLY_HINT + "；运行 fedplan validate 查看位置",
        ) from None
    date = report.signature.date if report.signature and report.signature.date else day
    signer = report.signature.org if report.signature and not report.signature.date else None
    return Prepared("report.md.j2", context, date, status, plan, signer=signer)


def prepare_self_assessment(repo: Repository, assessment: Assessment, as_of: dt.date | None) -> Prepared:
    """The 自评表 of ``assessment``: its year scored as of ``as_of`` (default today, in the year)."""
    from fedplan.render.self_assessment import self_assessment_context
    from fedplan.scoring import score_assessment

    plan = repo.plan_for(assessment.year)
    if plan is None:  # validate reports it at the file; this is the fallback
        raise FedplanError(
            f"{assessment.year} 年没有工作要点，考核细则无从计分",
            code="unknown-year",
            hint="先建立该年度的 plan.yaml",
        )
    day = choose_as_of(as_of, assessment.year)
    entries = repo.entries_for(assessment.year)
    score = score_assessment(assessment, plan, entries, as_of=day, settings=repo.settings)
    return Prepared("assessment.md.j2", self_assessment_context(score, repo.settings), day)


def prepare_summary(repo: Repository, year: int, as_of: dt.date | None) -> Prepared:
    """The annual summary drafted from the plan and its ledger (no report YAML for the year)."""
    from fedplan.render.views import summary_context

    plan = repo.plan_for(year)
    if plan is None:
        years = "、".join(str(y) for y in repo.years())
        raise FedplanError(
            f"{year} 年既没有工作要点，也没有 id 为 annual 的报告",
            code="unknown-year",
            hint=(f"有工作要点的年度：{years}；" if years else "")
            + "已有报告可用 fedplan report 年度 --id 报告id，或 fedplan render 报告文件",
        )
    day = choose_as_of(as_of, year, years=repo.years())
    entries = repo.entries_for(year)
    status = compute_status(plan, entries, as_of=day, settings=repo.settings)
    context = summary_context(plan, status, entries, repo.settings, repo.plan_for(year + 1))
    context["assessment_line"] = assessment_line(repo, plan, day)
    return Prepared("summary.md.j2", context, day, status, plan)


def assessment_line(repo: Repository, plan: Plan, day: dt.date) -> str | None:
    """The summary's sentence on the year's 考核细则 self-score, or None without one."""
    assessment = repo.assessment_for(plan.year)
    if assessment is None:
        return None
    from fedplan.rule_words import summary_sentence
    from fedplan.scoring import score_assessment

    score = score_assessment(assessment, plan, repo.entries_for(plan.year), as_of=day, settings=repo.settings)
    return summary_sentence(score)


def produce_document(
    repo: Repository, prepared: Prepared, *, fmt: str, script: str | None, template: str | None
) -> bytes:
    """``prepared`` rendered to ``fmt`` (md, html, txt, docx)."""
    from fedplan.render.env import make_environment
    from fedplan.render.html import chart_names, charts_for
    from fedplan.render.output import Rendering, produce, render_markdown

    env = make_environment(repo.root)
    markdown = render_markdown(env, template or prepared.template, prepared.context)
    how = Rendering(
        env=env,
        script=script or repo.settings.script,
        date=prepared.date,
        charts=charts_for(prepared.status, prepared.plan) if fmt == "html" else None,
        chart_names=chart_names(prepared.status) if fmt == "html" else None,
        addressed=prepared.addressed,
        signer=prepared.signer,
    )
    return produce(markdown, fmt, how)


def write_output(repo: Repository, output: Path, data: bytes) -> None:
    """``data`` written to ``output`` atomically — never onto a document of the repository
    (``render plan.yaml -o plan.yaml --format md`` would replace the plan by its rendering)."""
    if output.exists():
        for document in repo.documents():
            source = repo.root / document.path
            if source.exists() and os.path.samefile(output, source):
                raise FedplanError(
                    f"-o {output} 是仓库中的文档 {document.path} 本身，不能用生成的文件覆盖它",
                    code="output-is-source",
                    hint="-o 写到另一个文件，如 " + Path(document.path).with_suffix(".docx").name,
                    exit_code=2,
                )
    from fedplan.fsutil import atomic_write  # tempfile and its imports: only for -o

    atomic_write(output, data)


# --- status and score: which plan, which targets, which table format ------------------

def choose_table_format(output: Path | None, fmt: str | None) -> str:
    """``--format`` if given, else the extension of ``-o``, else the terminal table."""
    return TABLES.choose(output, fmt)


@record
class TableYear:
    """Where status and score start: the repository read, the year's plan, the as-of day,
    and the errors elsewhere that did not block it (for the command's warning line)."""

    repo: Repository
    plan: Plan
    day: dt.date
    other_errors: list[Diagnostic]


def open_year(root: Path, year: int | None, as_of: dt.date | None, *, rev: str | None) -> TableYear:
    """Read the repository (at ``rev``), choose the plan (``choose_plan``), refuse errors
    that feed it, and choose the as-of day within its year."""
    loaded = load_repository(root, rev=rev)
    repo = loaded.repo
    plan = choose_plan(repo, year, as_of=as_of)
    other_errors = refuse_if_errors(loaded, plan.year)
    return TableYear(repo, plan, choose_as_of(as_of, plan.year, years=repo.years()), other_errors)


def choose_plan(repo: Repository, year: int | None, *, as_of: dt.date | None = None) -> Plan:
    """The plan of ``year``; without one, the plan of ``as_of``'s year, else the plan whose
    year holds today, else the newest (so ``fedplan new`` for next year changes nothing
    until next year comes). A clear error when there is none."""
    years = repo.years()
    if not years:
        raise FedplanError(
            "仓库中还没有工作要点（kind: plan）",
            code="no-plan",
            hint="用 fedplan new 新建，或用 fedplan import 导入旧计划",
        )
    if year is None:
        wanted = (as_of or dates.today()).year
        year = wanted if wanted in years else dates.today().year if dates.today().year in years else years[-1]
    plan = repo.plan_for(year)
    if plan is None:
        raise FedplanError(
            f"{year} 年没有工作要点；已有：{'、'.join(str(y) for y in years)}",
            code="unknown-year",
            hint=f"例如 fedplan status {years[-1]}",
        )
    return plan


def status_at(root: Path, rev: str, *, year: int, as_of: dt.date) -> PlanStatus | None:
    """The status as committed at ``rev``, on the same as-of day, so only the data differs.

    None when ``rev`` had no plan for ``year`` (every target then shows as new).
    """
    loaded = load_repository(root, rev=rev)
    errors = loaded.errors()
    if errors:
        raise FedplanError(
            f"版本 {rev} 中的仓库有 {len(errors)} 个错误，无法比较",
            code="compare-has-errors",
            hint=f"运行 fedplan validate --at {rev} 查看；或换一个版本比较",
        )
    plan = loaded.repo.plan_for(year)
    if plan is None:
        return None
    return repository_status(loaded.repo, plan, as_of=as_of)


def filter_targets(
    status: PlanStatus, plan: Plan, *, statuses: list[str], owner: str | None
) -> PlanStatus:
    """The targets with one of ``statuses`` (if any) under items led by ``owner`` (if given).

    The plan's score stays the whole plan's: a filter changes what is listed, not the result.
    """
    if owner is not None:
        owners = sorted({item.owner for _, item in plan.items() if item.owner})
        if owner not in owners:
            listed = "、".join(owners) if owners else "（计划中没有写 owner）"
            raise FedplanError(
                f"没有牵头部门为“{owner}”的事项；计划中的牵头部门：{listed}",
                code="unknown-owner",
                hint="--owner 取事项的 owner 字段",
            )
    kept = tuple(
        t
        for t in status.targets
        if (not statuses or t.status in statuses) and (owner is None or t.owner == owner)
    )
    return records.replace(status, targets=kept)
