"""fedplan log: add one progress entry (fedplan.logbook does the work), then say so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from fedplan import logbook
from fedplan.reporters import diagnostics as report
from fedplan.reporters import log as reporter


def run(
    root: Path,
    *,
    target: str,
    value: str | None,
    done: bool,
    date: dt.date | None,
    note: str | None,
    by: str | None,
    file: Path | None,
    today: dt.date | None = None,
    cwd: Path | None = None,
) -> int:
    try:
        recorded = logbook.record(
            root,
            target=target,
            value=value,
            done=done,
            date=date,
            note=note,
            by=by,
            file=file,
            today=today or dt.date.today(),
            cwd=cwd,
        )
    except logbook.EntryRejected as exc:
        click.echo(report.as_text(exc.diagnostics, exc.sources), err=True, nl=False)
        raise
    click.echo(reporter.written(recorded))
    if recorded.added:
        click.echo(report.as_text(recorded.added, recorded.after.sources), err=True, nl=False)
    click.echo(reporter.status_line(recorded))
    return 0
