"""fedplan status: where the year stands against every target (SPEC §4, §5)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fedplan.commands import emit, warn_other_errors
from fedplan.dates import choose_as_of
from fedplan.diagnostics import FedplanError
from fedplan.repo import load_repository, refuse_if_errors
from fedplan.reporting import choose_plan, choose_table_format, filter_targets, status_at
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
    loaded = load_repository(root, rev=rev)
    repo = loaded.repo
    plan = choose_plan(repo, year, as_of=as_of)
    warn_other_errors(refuse_if_errors(loaded, plan.year))
    day = choose_as_of(as_of, plan.year, years=repo.years())
    status = repository_status(repo, plan, as_of=day)
    before = status_at(root, compare, year=plan.year, as_of=day) if compare is not None else None
    shown = filter_targets(status, plan, statuses=statuses, owner=owner)

    from fedplan.reporters import status as report

    data: bytes | None = None
    if fmt == "json":
        data = report.as_json(shown, before=before, rev=compare).encode("utf-8")
    elif fmt == "csv":
        # The BOM is what makes Excel and WPS read UTF-8 rather than the ANSI code page.
        data = report.as_csv(shown, before=before, rev=compare).encode("utf-8-sig")
    elif fmt == "xlsx":
        from fedplan.render.xlsx import write_workbook

        data = write_workbook([report.as_sheet(shown, before=before, rev=compare)])
    elif output is not None:
        raise FedplanError(
            "终端表格不能写入文件",
            code="table-needs-format",
            hint="写入文件请用 .xlsx、.csv 或 .json 作扩展名，或加 --format",
            exit_code=2,
        )
    if data is not None:
        emit(repo, data, output)
    else:
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
            console.print(headline(score) + "（fedplan score 查看明细）", markup=False)
    return 0
