"""One module per command: orchestrate the core and hand the result to a reporter.

No command imports another; what several share is in the core (fedplan.reporting,
fedplan.logbook, …) or, for the few lines that print, here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from fedplan.diagnostics import Diagnostic
    from fedplan.model import Repository


def emit(repo: Repository, data: bytes, output: Path | None) -> None:
    """``data`` to ``-o`` (atomically, never onto a document of the repository) or stdout."""
    if output is None:
        click.echo(data, nl=False)
        return
    from fedplan.reporting import write_output

    write_output(repo, output, data)


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
