"""fedplan sheet: the fill-in sheet (填报表) for a year's targets, to hand out and take back
with ``fedplan log --from``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from fedplan import dates
from fedplan.dates import clip_to_year
from fedplan.diagnostics import FedplanError
from fedplan.fsutil import atomic_write
from fedplan.repo import load_repository, refuse_if_errors
from fedplan.status import repository_status


def run(root: Path, *, year: int, output: Path, owner: str | None, today: dt.date | None = None) -> int:
    if output.suffix.lower() != ".xlsx":
        raise FedplanError(
            f"填报表是 Excel 工作簿，文件名要以 .xlsx 结尾：{output.name}",
            code="unknown-format",
            hint="如 -o 填报表.xlsx",
            exit_code=2,
        )
    loaded = load_repository(root)
    refuse_if_errors(loaded)
    repo = loaded.repo
    plan = repo.plan_for(year)
    if plan is None:
        years = "、".join(str(y) for y in repo.years()) or "（还没有）"
        raise FedplanError(f"{year} 年没有工作要点；已有：{years}", code="unknown-year", hint="fedplan sheet 年度 -o 填报表.xlsx")
    owners = sorted({i.owner for _, i in plan.items() if i.owner})
    if owner is not None and owner not in owners:
        raise FedplanError(
            f"没有牵头部门为“{owner}”的事项；计划中的牵头部门：{'、'.join(owners) or '（计划中没有写 owner）'}",
            code="unknown-owner",
            hint="--owner 取事项的 owner 字段",
        )
    from fedplan.render.xlsx import write_workbook
    from fedplan.reporters.fillin import fill_in_sheet

    status = repository_status(repo, plan, as_of=clip_to_year(today or dates.today(), year))
    sheet = fill_in_sheet(plan, status, owner=owner)
    atomic_write(output, write_workbook([sheet]))
    rows = sum(1 for r in sheet.rows if not r.open)
    click.echo(f"已生成填报表 {output}：{rows} 行（{plan.org}{year}年{('，' + owner) if owner else ''}）")
    click.echo(f"填好交回后：fedplan log --from {output.name} --dry-run 先看一遍，再去掉 --dry-run 记入台账")
    return 0
