"""fedplan status: where the year stands against every target (SPEC §4, §5)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from fedplan import dates
from fedplan.dates import clip_to_year
from fedplan.diagnostics import Diagnostic, FedplanError
from fedplan.fsutil import atomic_write
from fedplan.model import Plan, Repository
from fedplan.repo import load_repository, refuse_if_errors
from fedplan.status import PlanStatus, repository_status


def run(
    root: Path,
    *,
    year: int | None,
    as_of: dt.date | None,
    fmt: str | None,
    statuses: list[str],
    owner: str | None,
    compare: str | None,
    rev: str | None,
    output: Path | None = None,
    ids: bool = False,
) -> int:
    fmt = choose_table_format(output, fmt)
    loaded = load_repository(root, rev=rev)
    repo = loaded.repo
    plan = choose_plan(repo, year, as_of=as_of)
    warn_other_errors(refuse_if_errors(loaded, plan.year))
    day = choose_as_of(as_of, plan.year, years=repo.years())
    status = repository_status(repo, plan, as_of=day)
    before = status_at(root, compare, year=plan.year, as_of=day) if compare is not None else None
    shown = filter_targets(status, plan, statuses=statuses, owner=owner)

    from fedplan.reporters import status as report

    data: bytes | None = None
    if fmt == "json":
        data = report.as_json(shown, before=before, rev=compare).encode("utf-8")
    elif fmt == "csv":
        # The BOM is what makes Excel and WPS read UTF-8 rather than the ANSI code page.
        data = report.as_csv(shown, before=before, rev=compare).encode("utf-8-sig")
    elif fmt == "xlsx":
        from fedplan.render.xlsx import write_workbook

        data = write_workbook([report.as_sheet(shown, before=before, rev=compare)])
    elif output is not None:
        raise FedplanError(
            "终端表格不能写入文件",
            code="table-needs-format",
            hint="写入文件请用 .xlsx、.csv 或 .json 作扩展名，或加 --format",
            exit_code=2,
        )
    if data is not None:
        if output is not None:
            atomic_write(output, data)
        else:
            click.echo(data, nl=False)
    else:
        console = report.make_console(sys.stdout)
        report.print_table(
            shown,
            total_targets=len(status.targets),
            before=before,
            rev=compare,
            console=console,
            ids=ids,
        )
        assessment = repo.assessment_for(plan.year)
        if assessment is not None:  # the 考核细则's score, below the plan's own points
            from fedplan.reporters.score import headline
            from fedplan.scoring import score_assessment

            score = score_assessment(assessment, plan, repo.entries_for(plan.year), as_of=day, settings=repo.settings)
            console.print(headline(score) + "（fedplan score 查看明细）", markup=False)
    return 0


TABLE_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


def choose_table_format(output: Path | None, fmt: str | None) -> str:
    """``--format`` if given, else the extension of ``-o``, else the terminal table."""
    if fmt is None and output is not None:
        fmt = TABLE_EXTENSIONS.get(output.suffix.lower())
        if fmt is None:
            raise FedplanError(
                f"无法从文件名“{output.name}”判断输出格式",
                code="unknown-format",
                hint="用 .xlsx、.csv 或 .json 作扩展名，或加 --format",
                exit_code=2,
            )
    fmt = fmt or "table"
    if fmt == "xlsx" and output is None:
        raise FedplanError(
            "Excel 文件不能输出到终端",
            code="xlsx-needs-output",
            hint="加 -o 文件名.xlsx",
            exit_code=2,
        )
    return fmt


def choose_plan(repo: Repository, year: int | None, *, as_of: dt.date | None = None) -> Plan:
    """The plan of ``year``; without one, the plan of ``as_of``'s year, else the plan whose
    year holds today, else the newest (so ``fedplan new`` for next year changes nothing
    until next year comes). A clear error when there is none."""
    years = repo.years()
    if not years:
        raise FedplanError(
            "仓库中还没有工作要点（kind: plan）",
            code="no-plan",
            hint="用 fedplan new 新建，或用 fedplan import 导入旧计划",
        )
    if year is None:
        wanted = (as_of or dates.today()).year
        year = wanted if wanted in years else dates.today().year if dates.today().year in years else years[-1]
    plan = repo.plan_for(year)
    if plan is None:
        raise FedplanError(
            f"{year} 年没有工作要点；已有：{'、'.join(str(y) for y in years)}",
            code="unknown-year",
            hint=f"例如 fedplan status {years[-1]}",
        )
    return plan


def choose_as_of(as_of: dt.date | None, year: int, *, years: Sequence[int] = ()) -> dt.date:
    """``as_of`` if it lies in ``year``; by default today, clipped into the year. A date in
    another plan's year (``years``) says to choose that year."""
    if as_of is None:
        return clip_to_year(dates.today(), year)
    if as_of.year != year:
        hint = f"写 {year}-01-01 到 {year}-12-31 之间的日期，或省略 --as-of"
        if as_of.year in years:
            hint = f"{as_of.year} 年有工作要点：年度写 {as_of.year}（或不写年度），" + hint
        raise FedplanError(
            f"截止日期 {as_of.isoformat()} 不在 {year} 年内",
            code="as-of-outside-year",
            hint=hint,
        )
    return as_of


def warn_other_errors(errors: Sequence[Diagnostic]) -> None:
    """One line on stderr naming the documents whose errors did not stop this output."""
    if not errors:
        return
    paths = list(dict.fromkeys(d.pos.path for d in errors))
    shown = "、".join(paths[:3]) + ("等" if len(paths) > 3 else "")
    click.echo(
        f"fedplan: 警告: {shown} 中有 {len(errors)} 个错误，不影响本次输出；运行 fedplan validate 查看",
        err=True,
    )


def status_at(root: Path, rev: str, *, year: int, as_of: dt.date) -> PlanStatus | None:
    """The status as committed at ``rev``, on the same as-of day, so only the data differs.

    None when ``rev`` had no plan for ``year`` (every target then shows as new).
    """
    loaded = load_repository(root, rev=rev)
    errors = loaded.errors()
    if errors:
        raise FedplanError(
            f"版本 {rev} 中的仓库有 {len(errors)} 个错误，无法比较",
            code="compare-has-errors",
            hint=f"运行 fedplan validate --at {rev} 查看；或换一个版本比较",
        )
    plan = loaded.repo.plan_for(year)
    if plan is None:
        return None
    return repository_status(loaded.repo, plan, as_of=as_of)


def filter_targets(
    status: PlanStatus, plan: Plan, *, statuses: list[str], owner: str | None
) -> PlanStatus:
    """The targets with one of ``statuses`` (if any) under items led by ``owner`` (if given).

    The plan's score stays the whole plan's: a filter changes what is listed, not the result.
    """
    if owner is not None:
        owners = sorted({item.owner for _, item in plan.items() if item.owner})
        if owner not in owners:
            listed = "、".join(owners) if owners else "（计划中没有写 owner）"
            raise FedplanError(
                f"没有牵头部门为“{owner}”的事项；计划中的牵头部门：{listed}",
                code="unknown-owner",
                hint="--owner 取事项的 owner 字段",
            )
    kept = tuple(
        t
        for t in status.targets
        if (not statuses or t.status in statuses) and (owner is None or t.owner == owner)
    )
    return dataclasses.replace(status, targets=kept)
