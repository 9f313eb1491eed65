"""fedplan init [DIR] [--org ORG]: a plan repository ready to use; existing files are left alone."""

from __future__ import annotations

from pathlib import Path

import click

from fedplan import dates
from fedplan.diagnostics import FedplanError
from fedplan.fsutil import atomic_write
from fedplan.reporters import files as files_report
from fedplan.scaffold import PLACEHOLDER_ORG, repository_files, schema_files


def run(directory: Path, *, org: str | None, year: int | None = None) -> int:
    if directory.exists() and not directory.is_dir():
        raise FedplanError(f"{directory} 不是目录", code="not-a-directory", hint="换一个目录名", exit_code=2)
    year = year or dates.today().year
    files = {**repository_files(org=org, year=year), **schema_files()}
    written, kept = [], []
    for rel, text in files.items():
        path = directory / rel
        if path.exists():
            kept.append(rel)
            continue
        try:
            atomic_write(path, text.encode("utf-8"))
        except OSError as exc:
            raise FedplanError(
                f"无法写入 {path}：{exc.strerror or exc}", code="write-failed", hint="检查目录的写权限"
            ) from None
        written.append(rel)
    placeholder = PLACEHOLDER_ORG if org is None and "fedplan.yaml" in written else None
    for line in files_report.initialised(directory.resolve(), written, kept, year=year, placeholder_org=placeholder):
        click.echo(line)
    return 0
