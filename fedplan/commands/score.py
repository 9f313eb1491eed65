"""fedplan score: the year's score under its 考核细则 (SPEC §3.5, §5)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fedplan.commands import emit_table, warn_other_errors
from fedplan.diagnostics import FedplanError
from fedplan.model import Assessment, Repository
from fedplan.reporting import choose_table_format, open_year
from fedplan.scoring import score_assessment


def run(
    root: Path,
    *,
    year: int | None,
    as_of: dt.date | None,
    fmt: str | None,
    output: Path | None,
    projected: bool,
    gaps: bool,
    rev: str | None = None,
) -> int:
    fmt = choose_table_format(output, fmt)
    chosen = open_year(root, year, as_of, rev=rev)
    repo, plan = chosen.repo, chosen.plan
    warn_other_errors(chosen.other_errors)
    assessment = choose_assessment(repo, plan.year)
    score = score_assessment(
        assessment, plan, repo.entries_for(plan.year), as_of=chosen.day, settings=repo.settings, projected=projected
    )

    from fedplan.reporters import score as report

    if not emit_table(
        repo,
        fmt,
        output,
        json=lambda: report.as_json(score, gaps=gaps),
        csv=lambda: report.as_csv(score),
        sheet=lambda: report.as_sheet(score, gaps=gaps),
    ):
        report.print_table(score, gaps=gaps, console=report.make_console(sys.stdout))
    return 0


def choose_assessment(repo: Repository, year: int) -> Assessment:
    found = repo.assessment_for(year)
    if found is None:
        years = "、".join(str(a.year) for a in repo.assessments)
        raise FedplanError(
            f"{year} 年没有考核细则（kind: assessment）",
            code="no-assessment",
            hint=(f"有考核细则的年度：{years}；" if years else "")
            + "把上级的考核细则写成 plans/年度/assessment.yaml（格式见 SPEC §3.5）；没有细则时 fedplan status 按目标 points 计分",
        )
    return found
