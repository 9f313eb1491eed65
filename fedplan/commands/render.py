"""fedplan render PATH: any one plan, report or proposal in any output format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fedplan.commands.report import Prepared, deliver, prepare_report
from fedplan.diagnostics import FedplanError
from fedplan.model import Assessment, Plan, Progress, Proposal, Report, Repository
from fedplan.repo import document_at, load_repository, refuse_if_errors


def run(
    root: Path,
    *,
    path: Path,
    as_of: dt.date | None,
    output: Path | None,
    fmt: str | None,
    script: str | None,
    template: str | None,
    cwd: Path | None = None,
) -> int:
    from fedplan.render.output import choose_format
    from fedplan.render.views import plan_context, proposal_context

    fmt = choose_format(output, fmt)
    loaded = load_repository(root)
    refuse_if_errors(loaded)
    repo = loaded.repo
    document = document_at(loaded, path, cwd=cwd)
    prepared: Prepared
    if isinstance(document, Plan):
        prepared = Prepared("plan.md.j2", plan_context(document), None)
    elif isinstance(document, Report):
        prepared = prepare_report(repo, document, as_of)
    elif isinstance(document, Proposal):
        plan = repo.plan_for(document.year) if document.year is not None else None
        context = proposal_context(document, plan, repo.settings)
        prepared = Prepared("proposal.md.j2", context, context["date"])
    elif isinstance(document, Assessment):
        prepared = prepare_self_assessment(repo, document, as_of)
    elif isinstance(document, Progress):
        raise FedplanError(
            f"{document.path} 是进展台账，不单独成文",
            code="not-renderable",
            hint=f"看进度用 fedplan status {document.year}；成文用 fedplan report {document.year}",
        )
    deliver(repo, prepared, fmt=fmt, output=output, script=script, template=template)
    return 0


def prepare_self_assessment(repo: Repository, assessment: Assessment, as_of: dt.date | None) -> Prepared:
    """The 自评表 of ``assessment``: its year scored as of ``as_of`` (default today, in the year)."""
    from fedplan.commands.status import choose_as_of
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
