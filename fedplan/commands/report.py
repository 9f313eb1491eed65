"""fedplan report YEAR: the year's report, or the annual summary drafted from plan and ledger."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from fedplan.commands.status import choose_as_of, warn_other_errors
from fedplan.diagnostics import FedplanError
from fedplan.model import Plan, Report, Repository
from fedplan.render.sandbox import UnknownTarget
from fedplan.repo import load_repository, refuse_if_errors
from fedplan.status import PlanStatus, compute_status, repository_status

ANNUAL_ID = "annual"


@dataclass(frozen=True)
class Prepared:
    """A document ready to render: its default template, the template's context, its date,
    and the status its figures come from (for the HTML charts)."""

    template: str
    context: dict[str, Any]
    date: dt.date | None
    status: PlanStatus | None = None
    plan: Plan | None = None


def run(
    root: Path,
    *,
    year: int,
    report_id: str | None,
    as_of: dt.date | None,
    output: Path | None,
    fmt: str | None,
    script: str | None,
    template: str | None,
    rev: str | None,
) -> int:
    from fedplan.render.output import choose_format

    fmt = choose_format(output, fmt)
    loaded = load_repository(root, rev=rev)
    warn_other_errors(refuse_if_errors(loaded, year))
    repo = loaded.repo
    report = choose_report(repo, year, report_id)
    prepared = prepare_report(repo, report, as_of) if report else prepare_summary(repo, year, as_of)
    deliver(repo, prepared, fmt=fmt, output=output, script=script, template=template)
    return 0


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


def prepare_report(repo: Repository, report: Report, as_of: dt.date | None) -> Prepared:
    """A written report, its bodies' figures as of ``as_of`` (else the report's own as_of)."""
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
    date = report.signature.date if report.signature and report.signature.date else day
    return Prepared("report.md.j2", context, date, status, plan)


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


def _refuse_own_documents(repo: Repository, output: Path) -> None:
    """``-o`` must not overwrite a document of the repository (``render plan.yaml -o plan.yaml
    --format md`` would replace the plan by its own rendering)."""
    if not output.exists():
        return
    for document in repo.documents():
        source = repo.root / document.path
        if source.exists() and os.path.samefile(output, source):
            raise FedplanError(
                f"-o {output} 是仓库中的文档 {document.path} 本身，不能用生成的文件覆盖它",
                code="output-is-source",
                hint="-o 写到另一个文件，如 " + Path(document.path).with_suffix(".docx").name,
                exit_code=2,
            )


def deliver(
    repo: Repository,
    prepared: Prepared,
    *,
    fmt: str,
    output: Path | None,
    script: str | None,
    template: str | None,
) -> None:
    """Render ``prepared`` to ``fmt`` and write it to ``output`` (atomically) or stdout."""
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
    )
    data = produce(markdown, fmt, how)
    if output is not None:
        from fedplan.fsutil import atomic_write  # tempfile and its imports: only for -o

        _refuse_own_documents(repo, output)
        atomic_write(output, data)
    else:
        click.echo(data, nl=False)
