"""fedplan render PATH: any one plan, report or proposal in any output format
(fedplan.reporting does the work)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fedplan import reporting
from fedplan.commands import emit
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

    as_sheet = fmt is None and output is not None and output.suffix.lower() == ".xlsx"
    chosen = "" if as_sheet else choose_format(output, fmt)
    loaded = load_repository(root)
    refuse_if_errors(loaded)
    repo = loaded.repo
    prepared = reporting.prepare_document(repo, document_at(loaded, path, cwd=cwd), as_of)
    if as_sheet:
        emit(repo, _workbook(prepared, path), output)
        return 0
    emit(repo, reporting.produce_document(repo, prepared, fmt=chosen, script=script, template=template), output)
    return 0


def _workbook(prepared: reporting.Prepared, path: Path) -> bytes:
    """The 自评表 of a 考核细则 as an Excel workbook; other documents are prose, not tables."""
    if prepared.template != "assessment.md.j2":
        from fedplan.diagnostics import FedplanError

        raise FedplanError(
            f"{path.name} 不是考核细则，不能写成 Excel 表",
            code="not-a-table",
            hint="Excel 表用于考核细则的自评表（render 考核细则.yaml -o 自评表.xlsx）和 status、score 的表格",
            exit_code=2,
        )
    from fedplan.render.self_assessment import self_assessment_sheet
    from fedplan.render.xlsx import write_workbook

    return write_workbook([self_assessment_sheet(prepared.context)])
