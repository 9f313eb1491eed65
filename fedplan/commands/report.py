"""fedplan report YEAR: the year's report, or the annual summary drafted from plan and
ledger (fedplan.reporting does the work)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fedplan import reporting
from fedplan.commands import emit, warn_other_errors
from fedplan.repo import load_repository, refuse_if_errors


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
    prepared = reporting.prepare_year(repo, year, report_id, as_of)
    emit(repo, reporting.produce_document(repo, prepared, fmt=fmt, script=script, template=template), output)
    return 0
