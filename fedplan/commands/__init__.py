"""One module per command: orchestrate the core and hand the result to a reporter.

No command imports another; what several share is in the core (fedplan.reporting,
fedplan.logbook, …) or, for the few lines that print, here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from fedplan.diagnostics import Diagnostic
    from fedplan.model import Repository
    from fedplan.render.table import Sheet


def refuse_impossible_year(year: int, command: str) -> None:
    """A year no plan may hold (the schema's bounds of ``year``), refused before any work:
    ``new 99999`` moved every date into year 99999 and crashed (ValueError); ``import --year
    99999`` blamed the files it would have written."""
    from fedplan import dates
    from fedplan.diagnostics import FedplanError
    from fedplan.schema.fields import Integer
    from fedplan.schema.kinds import PLAN

    field = PLAN.field("year")
    kind = field.type if field is not None else None
    if isinstance(kind, Integer) and not kind.inside(year):
        raise FedplanError(
            f"年度 {year} 不在计划可用的 {kind.minimum:g}—{kind.maximum:g} 年之间",
            code="year-out-of-range",
            hint=f"写四位数的年度，如 {command} {dates.today().year + 1}",
            exit_code=2,
        )


def emit(repo: Repository, data: bytes, output: Path | None) -> None:
    """``data`` to ``-o`` (atomically, never onto a document of the repository) or stdout."""
    if output is None:
        click.echo(data, nl=False)
        return
    from fedplan.reporting import write_output

    write_output(repo, output, data)


def emit_table(
    repo: Repository,
    fmt: str,
    output: Path | None,
    *,
    json: Callable[[], str],
    csv: Callable[[], str],
    sheet: Callable[[], Sheet],
) -> bool:
    """status's and score's table in ``fmt`` to -o or stdout: json, csv (UTF-8 with the BOM
    that makes Excel and WPS read it as UTF-8) or an xlsx workbook. False for the terminal
    table, which the caller prints (and which cannot go to a file)."""
    if fmt == "json":
        data = json().encode("utf-8")
    elif fmt == "csv":
        data = csv().encode("utf-8-sig")
    elif fmt == "xlsx":
        from fedplan.render.xlsx import write_workbook

        data = write_workbook([sheet()])
    elif output is not None:
        from fedplan.diagnostics import FedplanError

        raise FedplanError(
            "终端表格不能写入文件",
            code="table-needs-format",
            hint="写入文件请用 .xlsx、.csv 或 .json 作扩展名，或加 --format",
            exit_code=2,
        )
    else:
        return False
    emit(repo, data, output)
    return True


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
