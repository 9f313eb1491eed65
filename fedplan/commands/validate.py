"""fedplan validate: read and check everything, report every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from fedplan.diagnostics import FedplanError, chosen, unknown_code_hint
from fedplan.repo import check_repository
from fedplan.reporters import diagnostics as report


def run(
    root: Path,
    *,
    paths: list[Path],
    strict: bool,
    fmt: str,
    rev: str | None,
    cwd: Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> int:
    select, ignore = _codes("--select", select), _codes("--ignore", ignore)
    checked = check_repository(root, rev=rev, only=paths or None, cwd=cwd)
    found = chosen(checked.diagnostics, select=select, ignore=(*ignore, *checked.ignore))
    click.echo(report.WRITERS[fmt](found, checked.sources), nl=False)
    if fmt == "github":  # the annotations go to the log; people still see the count
        click.echo(report.summary(found), err=True)
    failed = any(d.is_error for d in found) or (strict and bool(found))
    return 1 if failed else 0


def _codes(option: str, given: tuple[str, ...]) -> tuple[str, ...]:
    """The codes of ``--select``/``--ignore`` (each given once or comma-separated), all known."""
    names = tuple(name.strip() for value in given for name in value.replace("，", ",").split(",") if name.strip())
    for name in names:
        hint = unknown_code_hint(name)
        if hint is not None:
            raise FedplanError(f"{option} 中的“{name}”不是 fedplan 的检查代码", code="unknown-code", hint=hint, exit_code=2)
    return names
