"""fedplan log: add one progress entry (fedplan.logbook does the work), then say so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from fedplan import dates, logbook
from fedplan.reporters import diagnostics as report
from fedplan.reporters import log as reporter


def run(root: Path, *, today: dt.date | None = None, **entry: Any) -> int:
    """fedplan log TARGET VALUE: ``entry`` is logbook.record's (target, value, total, done,
    date, note, by, file, cwd), passed through as the command line gave it."""
    with _shown_if_rejected():
        recorded = logbook.record(root, today=today or dates.today(), **entry)
    click.echo(reporter.written(recorded))
    if recorded.added:
        click.echo(report.as_text(recorded.added, recorded.after.sources), err=True, nl=False)
    click.echo(reporter.status_line(recorded))
    return 0


@contextmanager
def _shown_if_rejected() -> Iterator[None]:
    """A rejected entry's diagnostics, with their lines, on stderr before the error itself."""
    try:
        yield
    except logbook.EntryRejected as exc:
        click.echo(report.as_text(exc.diagnostics, exc.sources), err=True, nl=False)
        raise


def run_from(
    root: Path,
    *,
    source: Path,
    sheet: str | None,
    date: dt.date | None,
    by: str | None,
    dry_run: bool,
    skip_bad: bool,
    today: dt.date | None = None,
) -> int:
    """fedplan log --from 台账.xlsx: every good row of a spreadsheet as an entry, or none."""
    from fedplan import intake as reading
    from fedplan.diagnostics import FedplanError
    from fedplan.repo import load_repository
    from fedplan.spreadsheet import read_grid

    today = today or dates.today()
    loaded = load_repository(root, today=today, checks=False)  # record_batch checks the year
    repo = loaded.repo
    year = logbook.choose_year(repo, date=date, file_rel=None, today=today)
    plan = repo.plan_for(year)
    if plan is None:
        raise FedplanError(
            f"没有 {year} 年的工作要点，无法记录进展",
            code="no-plan",
            hint="用 --date 指定表中记录所在年度的一天，如 --date 2012-12-31",
        )
    grid = read_grid(source, sheet=sheet)
    existing = [e for p in repo.progress if p.year == year for e in p.entries]
    try:
        found = reading.read_entries(grid, plan, existing, default_date=date, by=by)
    except reading.SheetLayoutError as exc:
        raise FedplanError(exc.message, code=exc.code, hint=exc.hint) from None
    if found.problems:
        click.echo(report.as_text(found.problems, {}), err=True, nl=False)
        if not skip_bad:
            raise FedplanError(
                f"{grid.file} 中有 {len(found.problems)} 处错误，未写入任何记录",
                code="sheet-rejected",
                hint="按上面的位置改正表格后重新导入；或加 --skip-bad 只写入正确的行",
            )
    batch = None
    if found.planned:
        with _shown_if_rejected():
            batch = logbook.record_batch(
                root, loaded, plan, [p.entry for p in found.planned], today=today, dry_run=dry_run
            )
    click.echo(reporter.batch(found, batch, dry_run=dry_run), nl=False)
    if batch is not None and batch.added:
        click.echo(report.as_text(batch.added, batch.after.sources), err=True, nl=False)
    return 0
