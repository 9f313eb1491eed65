"""fedplan status: where the year stands against every target (SPEC §4, §5)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fedplan.commands import emit_table, warn_other_errors
from fedplan.reporting import choose_table_format, filter_targets, open_year, status_at
from fedplan.status import repository_status


def run(
    root: Path,
    *,
    year: int | None,
    as_of: dt.date | None,
    fmt: str | None,
    statuses: list[str],
    owner: str | None,
    compare: str | None,
    rev: str | None,
    output: Path | None = None,
    ids: bool = False,
) -> int:
    fmt = choose_table_format(output, fmt)
    chosen = open_year(root, year, as_of, rev=rev)
    repo, plan, day = chosen.repo, chosen.plan, chosen.day
    warn_other_errors(chosen.other_errors)
    status = repository_status(repo, plan, as_of=day)
    before = status_at(root, compare, year=plan.year, as_of=day) if compare is not None else None
    shown = filter_targets(status, plan, statuses=statuses, owner=owner)

    from fedplan.reporters import status as report

    if emit_table(
        repo,
        fmt,
        output,
        json=lambda: report.as_json(shown, before=before, rev=compare),
        csv=lambda: report.as_csv(shown, before=before, rev=compare),
        sheet=lambda: report.as_sheet(shown, before=before, rev=compare),
    ):
        return 0
    console = report.make_console(sys.stdout)
    report.print_table(
        shown,
        total_targets=len(status.targets),
        before=before,
        rev=compare,
        console=console,
        ids=ids,
    )
    assessment = repo.assessment_for(plan.year)
    if assessment is not None:  # the 考核细则's score, below the plan's own points
        from fedplan.reporters.score import headline
        from fedplan.scoring import score_assessment

        score = score_assessment(assessment, plan, repo.entries_for(plan.year), as_of=day, settings=repo.settings)
        console.print(headline(score) + "（fedplan score 查看明细）")
    return 0
