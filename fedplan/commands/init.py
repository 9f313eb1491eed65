"""fedplan init [DIR] [--org ORG]: a plan repository ready to use; existing files are left alone."""

from __future__ import annotations

from pathlib import Path

import click

from fedplan import dates
from fedplan.diagnostics import FedplanError
from fedplan.fsutil import atomic_write
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
    where = directory.resolve()
    click.echo(f"在 {where} 中新建了 {len(written)} 个文件：" if written else f"{where} 中没有新建文件。")
    for rel in written:
        click.echo(f"  {rel}")
    if kept:
        click.echo(f"以下 {len(kept)} 个文件已存在，未改动：")
        for rel in kept:
            click.echo(f"  {rel}")
    click.echo("下一步：")
    if org is None and "fedplan.yaml" in written:
        # Re-running init keeps every existing file, so --org then would change nothing.
        click.echo(
            f"  - 单位名称暂写作“{PLACEHOLDER_ORG}”，请把 fedplan.yaml 中的 org: {PLACEHOLDER_ORG} 改为实际名称"
            "（计划和报告都从这里取单位名称）"
        )
    click.echo(f"  - 把 plans/{year}/plan.yaml 中的示例改成本单位的工作要点，运行 fedplan validate 检查")
    click.echo("  - git init && git add . && git commit -m 初始化计划仓库")
    return 0
