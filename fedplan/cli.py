"""The command line: parse options, make one call into fedplan.commands, exit with its code.

Only click lives here. Everything heavy is imported inside the command that needs it so
``fedplan --help`` stays about as fast as importing click.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from fedplan import __version__
from fedplan.cli_chinese import ChineseGroup, NegativeNumbersCommand
from fedplan.formats import DIAGNOSTICS, DOCUMENTS, TABLES
from fedplan.hanzi import SCRIPTS
from fedplan.kinds import IMPORTABLE, SCHEMAS

F = TypeVar("F", bound=Callable[..., Any])



class DateParam(click.ParamType):
    """A date written 2012-03-08 or 2012年3月8日."""

    name = "日期"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from fedplan.dates import parse_date

        parsed = parse_date(str(value))
        if parsed is None:
            self.fail(f"“{value}”不是日期，请写成 2012-03-08 或 2012年3月8日", param, ctx)
        return parsed


DATE = DateParam()

# click.Path asks gettext for its name (“file”, “directory”) each time one is made, and
# gettext looks for catalogue files every time: the few kinds are made once and shared
# (a parameter type keeps no state), 4 lookups instead of 13 at every start.
FILE = click.Path(dir_okay=False, path_type=Path)
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
FOLDER = click.Path(file_okay=False, path_type=Path)
ANY_PATH = click.Path(path_type=Path)


class StatusParam(click.ParamType):
    """Status names as the table prints them (滞后) or in English (behind); several at once
    may be separated by 、 or commas."""

    name = "状态"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[str]:
        if isinstance(value, list):
            return value
        from fedplan.status import STATUS_LABELS

        by_word = {**{label: key for key, label in STATUS_LABELS.items()}, **{key: key for key in STATUS_LABELS}}
        found = []
        for word in re.split(r"[、,，\s]+", str(value).strip()):
            word = word.lstrip("●○◐ ")
            if word not in by_word:
                self.fail(f"“{word}”不是状态；可写 {'、'.join(STATUS_LABELS.values())}", param, ctx)
            found.append(by_word[word])
        return found


STATUS = StatusParam()


class App:
    """What every command needs: where the user asked us to work. The current folder is
    read here, once; the library below only sees the paths it is handed."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.cwd = Path.cwd()

    def root(self) -> Path:
        from fedplan.repo import find_root

        return find_root(self.cwd, self.directory)


def _run(call: Callable[[], int]) -> None:
    """Run a command body and exit with its code. A FedplanError it raises goes up to
    ChineseGroup.main (fedplan.cli_chinese), the one place that prints it.

    The command runs with the cyclic garbage collector paused (fedplan.bulk): a process
    that exits soon owns it, a library call does not."""
    from fedplan.bulk import collector_paused

    with collector_paused():
        code = call()
    sys.exit(code)


def entry() -> None:
    """The ``fedplan`` console script (and ``python -m fedplan``): ``main``, then leave
    without freeing what the command loaded, once its output is written and the exit
    handlers have run. Freeing a million entries object by object took a third of a
    second of a ``validate`` that had finished; the system takes the memory back at once.
    (``main`` itself, for a caller in the same process, returns as click does; and the
    model it loaded is freed, fedplan.bulk.keep.)"""
    from fedplan import bulk

    bulk.leaving = True
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    # (an exception other than SystemExit is a bug: Python reports it and exits as usual)
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # (`fedplan status | head`: the reader took what it wanted)
        except OSError as exc:  # what was buffered not written (a full disk)
            if stream is sys.stdout:
                from fedplan.cli_chinese import output_failed, show_failure

                show_failure(output_failed(exc))
            code = code or 1
        except ValueError:  # a closed stream
            code = code or 1
    os._exit(code)


def at_option(func: F) -> F:
    return click.option(
        "--at",
        "rev",
        metavar="版本",
        help="读取某个 git 版本中的文件（不改动工作区），如 HEAD~3 或标签。",
    )(func)


def year_argument(*, required: bool) -> Callable[[F], F]:
    """The year a command works on: required (report, sheet, new) or, shown [年度], chosen
    from today or --as-of (status, score)."""
    return click.argument("year", type=int, required=required, metavar="年度" if required else "[年度]")


def as_of_option(help: str = "统计截止日期（默认今天，限定在计划年度内）。") -> Callable[[F], F]:
    return click.option("--as-of", type=DATE, help=help)


def owner_option(help: str) -> Callable[[F], F]:
    return click.option("--owner", metavar="部门", help=help)


def org_option(help: str) -> Callable[[F], F]:
    return click.option("--org", metavar="单位", help=help)


def output_option(help: str, *, required: bool = False) -> Callable[[F], F]:
    """-o FILE: the file a command writes (status, score, report, render, sheet)."""
    return click.option(
        "-o", "--output", required=required, type=FILE, metavar="文件", help=help
    )


def table_output_options(func: F) -> F:
    """--format and -o of the commands that print a table (status, score)."""
    func = output_option("写入文件（原子写入）：.xlsx、.csv 或 .json。")(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLES.names),
        default=None,
        help=f"输出格式：{TABLES.described()}；默认按 -o 的扩展名推断。",
    )(func)


def output_options(func: F) -> F:
    """--as-of, -o, --format, --script and --template of the commands that write a document
    (report, render)."""
    func = click.option(
        "--template", "template", metavar="模板", help="使用的模板文件名（仓库 templates/ 中的优先）。"
    )(func)
    func = click.option(
        "--script",
        type=click.Choice(SCRIPTS),
        default=None,
        help="输出简体（hans）或繁体（hant）；默认取 fedplan.yaml 的 script。",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(DOCUMENTS.names),
        default=None,
        help=f"输出格式；默认按 -o 的扩展名推断，否则为 {DOCUMENTS.default}。",
    )(func)
    func = output_option("写入文件（原子写入）；不给则输出到标准输出（docx 必须给）。")(func)
    return as_of_option("统计截止日期。")(func)


def _flat(ctx: click.Context, param: click.Parameter, value: tuple[list[str], ...]) -> list[str]:
    """A repeated option whose every value is a list (--status 滞后、严重滞后 --status 正常)."""
    return [word for words in value for word in words]


@click.group("fedplan", cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=FOLDER,
    metavar="目录",
    help="在此目录中运行（仓库根目录），而不是向上查找。",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="不读也不写解析缓存 .fedplan/cache/（也可设环境变量 FEDPLAN_NO_CACHE=1）。",
)
@click.version_option(
    __version__, prog_name="fedplan", message="%(prog)s %(version)s", help="显示版本号并退出。"
)
@click.pass_context
def main(ctx: click.Context, directory: Path | None, no_cache: bool) -> None:
    """fedplan：把工作要点、进展台账、工作总结和建议作为 YAML 存在 git 中，
    校验、统计进度，并按 GB/T 9704-2012 生成公文。

    \b
    例：fedplan validate
        fedplan status
        fedplan log farm-training 120 --note 第一期培训班
        fedplan report 2026 -o 总结.docx

    各命令的用法：fedplan 命令 --help"""
    from fedplan import parsecache

    parsecache.turn_on(not no_cache)
    ctx.obj = App(directory)


pass_app = click.make_pass_decorator(App)

# Each command below declares its options once, as decorators, and hands them on unchanged
# (``**options``) to its fedplan.commands module, whose ``run`` takes the same names.


@main.command()
@click.argument(
    "paths", nargs=-1, type=ANY_PATH, metavar="[路径]...", callback=lambda c, p, v: list(v)
)
@click.option("--strict", is_flag=True, help="警告也视为失败。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIAGNOSTICS.names),
    default=DIAGNOSTICS.default,
    help=f"输出格式：{DIAGNOSTICS.described()}。",
)
@click.option(
    "--select", multiple=True, metavar="代码", help="只报告这些代码（或类别，如 refs）的问题；可写多次或用逗号分隔。"
)
@click.option(
    "--ignore", multiple=True, metavar="代码", help="不报告这些代码（或类别）的问题；仓库可在 fedplan.yaml 的 ignore 中长期设置。"
)
@at_option
@pass_app
def validate(app: App, **options: Any) -> None:
    """检查全部文档（或给出的文件）：语法、结构、引用、日期、分值……

    \b
    例：fedplan validate
        fedplan validate plans/2026/progress/发展部.yaml
        fedplan validate --strict --format github
        fedplan validate --ignore stale-target,future-date
    """
    from fedplan.commands import validate as command

    _run(lambda: command.run(app.root(), cwd=app.cwd, **options))


@main.command()
@year_argument(required=False)
@as_of_option()
@table_output_options
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=STATUS,
    callback=_flat,
    help="只显示这些状态（可重复，或用顿号、逗号隔开）：已完成、已逾期、未开始、正常、滞后、严重滞后"
    "（也可写 done、overdue、not-started、on-track、behind、at-risk）。",
)
@owner_option("只显示该牵头部门的目标。")
@click.option("--ids", is_flag=True, help="表格中加一列目标的 id（fedplan log 用的就是它）。")
@click.option("--compare", metavar="版本", help="与某个 git 版本相比，各目标的变化。")
@at_option
@pass_app
def status(app: App, **options: Any) -> None:
    """各项目标截至某日的完成情况、序时进度和得分。

    年度默认取今天所在年度的计划（没有则取最新一年）；给了 --as-of 时取该日所在年度。

    \b
    例：fedplan status
        fedplan status 2026 --as-of 2026-06-30
        fedplan status --status 滞后、严重滞后 --ids
        fedplan status -o 进度.xlsx
    """
    from fedplan.commands import status as command

    _run(lambda: command.run(app.root(), **options))


@main.command()
@year_argument(required=False)
@as_of_option()
@table_output_options
@click.option("--projected", is_flag=True, help="按目前的完成速度（对照进度要求）预计年终得分。")
@click.option("--gaps", is_flag=True, help="列出还能得的分，按每单位工作可得分数排序。")
@at_option
@pass_app
def score(app: App, **options: Any) -> None:
    """按考核细则（kind: assessment）计算年度得分：各指标分值、评分标准、完成情况、得分和说明。

    \b
    例：fedplan score 2026
        fedplan score 2026 --projected
        fedplan score 2026 -o 自评表.xlsx
    """
    from fedplan.commands import score as command

    _run(lambda: command.run(app.root(), **options))


@main.command()
@year_argument(required=True)
@click.option("--id", "report_id", metavar="报告id", help="报告的 id（默认：id 为 annual 的报告；没有则按计划和台账自动生成年度工作总结）。")
@output_options
@at_option
@pass_app
def report(app: App, **options: Any) -> None:
    """生成某年度的报告（没有报告文件时，按计划和台账自动生成年度工作总结）。

    \b
    例：fedplan report 2026
        fedplan report 2026 -o 总结.docx
        fedplan report 2026 --id half-year --as-of 2026-06-30 -o 上半年.docx
    """
    from fedplan.commands import report as command

    _run(lambda: command.run(app.root(), **options))


@main.command()
@click.argument("path", type=EXISTING_FILE, metavar="路径")
@output_options
@pass_app
def render(app: App, **options: Any) -> None:
    """把任一文档（计划、报告、建议）生成为 md / txt / html / docx。

    \b
    例：fedplan render plans/2026/plan.yaml -o 工作要点.docx
        fedplan render plans/2026/proposals/垃圾分类.yaml -o 建议.html
    """
    from fedplan.commands import render as command

    _run(lambda: command.run(app.root(), cwd=app.cwd, **options))


@main.command("log", cls=NegativeNumbersCommand)
@click.argument("target", required=False, metavar="目标")
@click.argument("value", required=False, metavar="[数值]")
@click.option("--total", metavar="累计数", help="截至该日的累计完成数；由 fedplan 减去台账已有的，算出本次新增并写入。")
@click.option("--done", is_flag=True, help="节点任务已完成。")
@click.option("--date", "date", type=DATE, help="日期（默认今天；与 --from 同用时，是表中没写日期的行的日期）。")
@click.option("--note", metavar="说明", help="这次做了什么。")
@click.option("--by", "by", metavar="部门", help="填报部门或人。")
@click.option("--file", "file", type=FILE, metavar="路径", help="写入的台账文件。")
@click.option(
    "--from",
    "source",
    type=EXISTING_FILE,
    metavar="表格",
    help="从 Excel/WPS 表格（.xlsx）或 CSV 逐行记入：按表头找列（日期、指标、本期完成或累计、说明…）。",
)
@click.option("--sheet", metavar="工作表", help="与 --from 同用：读取的工作表（默认第一张）。")
@click.option("--dry-run", is_flag=True, help="与 --from 同用：只显示将记入的记录和记入后的进度，不写文件。")
@click.option("--skip-bad", is_flag=True, help="与 --from 同用：有错的行列出并跳过，其余照常记入。")
@pass_app
def log_(app: App, source: Path | None, sheet: str | None, dry_run: bool, skip_bad: bool, **entry: Any) -> None:
    """在进展台账中追加一条记录（不改动文件原有的任何字节）；或用 --from 从表格逐行记入。

    \b
    数值是本次新增的完成数，不是累计数：台账把各次的数值相加（measure:
    latest 的目标除外，它取最新一次）。手头只有累计数时，用 --total
    给出累计数，由 fedplan 算出本次新增。更正多记的数，写负数，如 -20。

    \b
    例：fedplan log farm-training 120 --date 2026-03-15 --note 第一期培训班
        fedplan log farm-training --total 260 --date 2026-05-10
        fedplan log farm-training -20 --note 更正：重复计入
        fedplan log launch --done --date 2026-04-20
        fedplan log --from 台账.xlsx --dry-run
    """
    from fedplan.commands import log as command

    if source is not None:
        if any(entry[name] not in (None, False) for name in ("target", "done", "note", "file", "total")):
            raise click.UsageError("--from 从表格读取记录，不能再写 目标、数值、--total、--done、--note 或 --file")
        _run(
            lambda: command.run_from(
                app.root(),
                source=source,
                sheet=sheet,
                date=entry["date"],
                by=entry["by"],
                dry_run=dry_run,
                skip_bad=skip_bad,
            )
        )
        return
    if sheet is not None or dry_run or skip_bad:
        raise click.UsageError("--sheet、--dry-run、--skip-bad 只与 --from 同用")
    if entry["target"] is None:
        raise click.UsageError("缺少参数：目标（目标或事项的 id），或用 --from 从表格记入")
    _run(lambda: command.run(app.root(), cwd=app.cwd, **entry))


@main.command("sheet")
@year_argument(required=True)
@output_option("写入的 Excel 文件（.xlsx）。", required=True)
@owner_option("只列出该牵头部门的目标（每个部门一张表）。")
@pass_app
def sheet(app: App, **options: Any) -> None:
    """生成进展填报表（Excel）：每项目标一行，交回后用 log --from 记入台账。

    \b
    例：fedplan sheet 2012 -o 5月填报表.xlsx --owner 发展部
    """
    from fedplan.commands import sheet as command

    _run(lambda: command.run(app.root(), **options))


@main.command("import")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=EXISTING_FILE,
    metavar="文件...",
    callback=lambda c, p, v: list(v),
)
@click.option("--year", type=int, metavar="年度", help="文档年度（不给则从内容推断）。")
@org_option("单位名称（不给则从内容或 fedplan.yaml 推断）。")
@click.option("-o", "--output-dir", "out_dir", type=FOLDER, metavar="目录", help="写入此目录，代替仓库的 plans/（其下仍按 <年度>/ 分）。")
@click.option(
    "--kind",
    type=click.Choice(IMPORTABLE),
    help="文档类型：plan（工作要点/计划）、report（总结/汇报）、proposal（建议）；不给则从标题和内容判断。",
)
@click.option("--dry-run", is_flag=True, help="只显示找到的大纲和将要写入的内容。")
@click.option("--force", is_flag=True, help="允许覆盖已有文件。")
@pass_app
def import_(app: App, **options: Any) -> None:
    """把旧的纯文本计划、总结、建议转换为 YAML 文档。

    \b
    例：fedplan import 2012年工作要点.txt --dry-run
        fedplan import 旧文档/*.txt --org 金川区妇联
    """
    from fedplan.commands import import_ as command

    _run(lambda: command.run(app, **options))


@main.command()
@year_argument(required=True)
@click.option("--from", "from_year", type=int, metavar="年度", help="以哪一年的计划为底（默认最近一年）。")
@pass_app
def new(app: App, **options: Any) -> None:
    """以往年计划为底，新建某年度的工作要点。

    \b
    例：fedplan new 2027
        fedplan new 2027 --from 2026
    """
    from fedplan.commands import new as command

    _run(lambda: command.run(app.root(), **options))


@main.command()
@click.argument("directory", required=False, type=FOLDER, metavar="[目录]")
@org_option("单位名称，如 金川区妇联。")
@pass_app
def init(app: App, directory: Path | None, org: str | None) -> None:
    """新建一个计划仓库：设置、计划骨架、CI 与 pre-commit 配置。

    \b
    例：fedplan init 巾帼工作 --org 金川区妇联
    """
    from fedplan.commands import init as command

    _run(lambda: command.run(directory or app.directory or app.cwd, org=org))


@main.command(help=f"""输出文档的 JSON Schema，供编辑器（YAML language server）补全和检查。

    类型：{"、".join(SCHEMAS)}；不写则输出全部。

    \b
    例：fedplan schema progress > progress.schema.json""")
@click.argument("kind", required=False, type=click.Choice(SCHEMAS), metavar="[类型]")
def schema(kind: str | None) -> None:
    from fedplan.commands import schema as command

    _run(lambda: command.run(kind))
