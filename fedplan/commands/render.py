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

    fmt = choose_format(output, fmt)
    loaded = load_repository(root)
    refuse_if_errors(loaded)
    repo = loaded.repo
    prepared = reporting.prepare_document(repo, document_at(loaded, path, cwd=cwd), as_of)
    emit(repo, reporting.produce_document(repo, prepared, fmt=fmt, script=script, template=template), output)
    return 0
