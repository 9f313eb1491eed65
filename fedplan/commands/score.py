"""fedplan score: the year's score under its 考核细则 (SPEC §3.5, §5)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fedplan.commands import emit, warn_other_errors
from fedplan.dates import choose_as_of
from fedplan.diagnostics import FedplanError
from fedplan.model import Assessment, Repository
from fedplan.repo import load_repository, refuse_if_errors
from fedplan.reporting import choose_plan, choose_table_format
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
    loaded = load_repository(root, rev=rev)
    repo = loaded.repo
    plan = choose_plan(repo, year, as_of=as_of)
    warn_other_errors(refuse_if_errors(loaded, plan.year))
    assessment = choose_assessment(repo, plan.year)
    day = choose_as_of(as_of, plan.year, years=repo.years())
    score = score_assessment(
        assessment, plan, repo.entries_for(plan.year), as_of=day, settings=repo.settings, projected=projected
    )

    from fedplan.reporters import score as report

    data: bytes | None = None
    if fmt == "json":
        data = report.as_json(score, gaps=gaps).encode("utf-8")
    elif fmt == "csv":
        data = report.as_csv(score).encode("utf-8-sig")
    elif fmt == "xlsx":
        from fedplan.render.xlsx import write_workbook

        data = write_workbook([report.as_sheet(score, gaps=gaps)])
    elif output is not None:
        raise FedplanError(
            "终端表格不能写入文件",
            code="table-needs-format",
            hint="写入文件请用 .xlsx、.csv 或 .json 作扩展名，或加 --format",
            exit_code=2,
        )
    if data is None:
        from fedplan.reporters.status import make_console

        report.print_table(score, gaps=gaps, console=make_console(sys.stdout))
    else:
        emit(repo, data, output)
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
