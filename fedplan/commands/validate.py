"""fedplan validate: read and check everything, report every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from fedplan.repo import load_repository
from fedplan.reporters import diagnostics as report


def run(
    root: Path, *, paths: list[Path], strict: bool, fmt: str, rev: str | None, cwd: Path | None = None
) -> int:
    loaded = load_repository(root, rev=rev, only=paths or None, cwd=cwd)
    found = loaded.diagnostics
    if fmt == "json":
        click.echo(report.as_json(found), nl=False)
    elif fmt == "github":
        click.echo(report.as_github(found), nl=False)
        click.echo(report.summary(found), err=True)
    else:
        click.echo(report.as_text(found, loaded.sources), nl=False)
    failed = any(d.is_error for d in found) or (strict and bool(found))
    return 1 if failed else 0
