"""fedplan new YEAR [--from YEAR]: next year's plan from an earlier one, never overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from fedplan import dates
from fedplan.commands import refuse_impossible_year
from fedplan.diagnostics import FedplanError
from fedplan.files import PLANS_DIR
from fedplan.fsutil import atomic_write
from fedplan.repo import load_repository
from fedplan.reporters import diagnostics as report
from fedplan.reporters import files as files_report
from fedplan.scaffold import carry_plan


def run(root: Path, *, year: int, from_year: int | None, today: dt.date | None = None) -> int:
    today = today or dates.today()
    refuse_impossible_year(year, "fedplan new")
    loaded = load_repository(root, today=today)
    repo = loaded.repo
    existing = repo.plan_for(year)
    if existing is not None:
        raise FedplanError(
            f"{year} 年已有工作要点：{existing.path}", code="plan-exists", hint="fedplan new 不会覆盖已有文件"
        )
    rel = f"{PLANS_DIR}/{year}/plan.yaml"
    path = root / rel
    _refuse_existing(path, rel)
    source_year = from_year if from_year is not None else _newest_before(repo.years(), year)
    source = repo.plan_for(source_year)
    if source is None:
        raise FedplanError(
            f"没有 {source_year} 年的工作要点可作底本",
            code="no-plan",
            hint="已有计划的年度：" + "、".join(map(str, repo.years())) if repo.years() else "先用 fedplan init 建立计划",
        )
    source_errors = [d for d in loaded.errors() if d.pos.path == source.path]
    if source_errors:
        click.echo(report.as_text(source_errors, loaded.sources), err=True, nl=False)
        raise FedplanError(
            f"底本 {source.path} 有错误，先改正再生成新计划", code="source-has-errors", hint="运行 fedplan validate 查看"
        )
    header = (
        f"由 fedplan new {year} --from {source_year} 以 {source.path} 为底于 {today.isoformat()} 生成：\n"
        f"部分、事项、牵头部门和目标沿用，目标日期已移至 {year} 年，进展未带入。\n"
        "请按新一年的部署修改总体思路（preamble）、各项工作的正文和目标数值。"
    )
    data = carry_plan(
        (root / source.path).read_bytes(), from_year=source_year, to_year=year, path=source.path, header=header
    )
    after = load_repository(root, overrides={rel: data}, today=today)
    problems = [d for d in after.diagnostics if d.pos.path == rel and d.is_error]
    if problems:  # a bug in carry_plan, not the user's: say so rather than write a broken plan
        click.echo(report.as_text(problems, after.sources), err=True, nl=False)
        raise FedplanError(f"生成的 {rel} 未通过检查，未写入", code="new-plan-invalid", hint="请把以上输出报告给 fedplan 的维护者")
    _refuse_existing(path, rel)  # again: someone may have written it meanwhile
    atomic_write(path, data)
    for line in files_report.plan_created(rel, source_year, after.repo.plan_for(year)):
        click.echo(line)
    return 0


def _newest_before(years: list[int], year: int) -> int:
    earlier = [y for y in years if y < year]
    if not earlier:
        raise FedplanError(
            f"没有 {year} 年以前的工作要点可作底本",
            code="no-plan",
            hint="用 --from 指定年度" if years else "先用 fedplan init 建立计划",
        )
    return earlier[-1]


def _refuse_existing(path: Path, rel: str) -> None:
    if path.exists():
        raise FedplanError(f"{rel} 已存在", code="plan-exists", hint="fedplan new 不会覆盖已有文件")
