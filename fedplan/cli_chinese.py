"""click, in Chinese: help headings, the help option, and usage errors.

Our users read Chinese only; click's own words ("Usage:", "Options", "Show this message
and exit.", "Error: No such option") would be the only English they meet. click has no
catalogue to switch, so the few places it writes words are overridden here, and its
usage-error messages (a small, stable set) are translated by pattern; anything not
recognised is shown as click wrote it rather than guessed at.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from fedplan.lazyre import lazy_re

_SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


def _width(text: str) -> int:
    from fedplan.width import display_width

    return display_width(text, ambiguous_wide=False)


# A line never starts with these (Chinese line-breaking rules, 避头点) ...
_NO_LINE_START = set("，。、；：！？）》」』】”’…%,.;:!?)]")
_NO_LINE_END = set("（《「『【“‘([")  # nor ends with these (避尾点)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns: Chinese breaks between any two
    characters (not before closing punctuation), Latin words and numbers stay whole."""
    tokens = re.findall(r"[A-Za-z0-9_./:@=+~\-\[\]|%']+|\s+|.", text)
    lines: list[str] = []
    line = ""
    used = 0  # _width(line), kept as the line grows (measuring it again per token was most of --help)
    for token in tokens:
        if token.isspace():
            if line:
                line += " "
                used += 1
            continue
        size = _width(token)
        if line and used + size > width:
            line = line.rstrip()
            carried = ""
            if token[0] in _NO_LINE_START:
                # Closing punctuation never starts a line: the character before it goes down too.
                cut = len(line)
                while cut and line[cut - 1] in _NO_LINE_START:
                    cut -= 1
                if cut > 1 and not line[cut - 1].isspace():
                    carried, line = line[cut - 1 :], line[: cut - 1]
                else:
                    line += token  # nothing to push down: let it hang
                    used = _width(line)
                    continue
            while line and line[-1] in _NO_LINE_END:  # an opening bracket goes with what follows
                carried, line = line[-1] + carried, line[:-1]
            if line.strip():
                lines.append(line.rstrip())
            line = carried
            used = _width(line)
        line += token
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _joined(lines: list[str]) -> str:
    """A paragraph's source lines as one: no space where Chinese meets Chinese."""
    out = ""
    for line in (line.strip() for line in lines):
        if out and line and not (_width(out[-1]) == 2 or _width(line[0]) == 2):
            out += " "
        out += line
    return out


class _HelpFormatter(click.HelpFormatter):
    """click's help layout, measured in terminal columns (a Chinese character takes two)."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        # click's own width, found without the shutil import click would make for it (which
        # brings bz2, lzma and fnmatch: a tenth of `fedplan --help`)
        if width is None:
            from click.formatting import FORCED_WIDTH

            from fedplan.width import terminal_columns

            width = FORCED_WIDTH or max(min(terminal_columns(), max_width or 80) - 2, 50)
        super().__init__(indent_increment, width, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = f"{'用法：':>{self.current_indent}}{prog} "
        room = self.width - self.current_indent
        if (
            args
            and args == args.strip()
            and not any(c in args for c in "\t\n\r\x0b\x0c")
            and room >= len(prefix) + 20
            and len(prefix) + len(args) <= room
        ):
            # what click's wrap_text (textwrap, by characters) gives for a usage that fits on
            # one line, without importing textwrap for it
            self.write(f"{prefix}{args}\n")
            return
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 11)
        paragraphs = re.split(r"\n[ \t]*\n", text.strip("\n"))
        for number, paragraph in enumerate(paragraphs):
            if number:
                self.write("\n")
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":
                self.write("".join(f"{indent}{line}\n" for line in lines[1:]))
                continue
            self.write("".join(f"{indent}{line}\n" for line in wrap(_joined(lines), width)))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_width(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - self.current_indent, 10)) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_SECTIONS.get(name, name)):
            yield


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _ChineseHelp(click.Command):
    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示此帮助并退出。"
        return option


class ChineseCommand(_ChineseHelp):
    pass


_NEGATIVE_NUMBER = lazy_re(r"[-－−][0-9０-９.．]")


class NegativeNumbersCommand(ChineseCommand):
    """A command whose arguments may be negative numbers (a correction, ``log x -20``):
    click would take ``-20`` for an unknown option and ask for ``--`` first."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any(_NEGATIVE_NUMBER.match(arg) for arg in args):
            ctx.ignore_unknown_options = True
            known = {name for param in self.get_params(ctx) for name in (*param.opts, *param.secondary_opts)}
            for arg in args:
                name = arg.split("=", 1)[0]
                if arg.startswith("-") and not _NEGATIVE_NUMBER.match(arg) and name not in known:
                    raise click.NoSuchOption(name, ctx=ctx)
        return super().parse_args(ctx, args)


class ChineseGroup(_ChineseHelp, click.Group):
    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(  # type: ignore[override]  # click overloads main on standalone_mode; ours always is
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        """click's main, with its errors shown in Chinese (exit 2 for usage, as click does),
        and fedplan's own (FedplanError: one line, its code and hint; exit 1, or 2 for usage)."""
        extra.pop("standalone_mode", None)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as exc:
            show_usage_error(exc)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"fedplan: 错误: {chinese_message(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # The reader went away (`fedplan status | head`): it has what it wanted.
            _drop_stdout()
            sys.exit(1)
        except Exception as exc:  # the one place a failure becomes a message and an exit code
            # A FedplanError comes from fedplan.diagnostics, so that module is loaded by then;
            # looking it up here keeps `fedplan --help` from importing it.
            diagnostics = sys.modules.get("fedplan.diagnostics")
            if isinstance(exc, OSError) and exc.filename is None:
                # Writing the output failed (`> /dev/full`, a full disk, a lost terminal):
                # files fedplan reads or writes itself fail with their name, and as
                # FedplanErrors.
                exc = output_failed(exc)
            elif diagnostics is None or not isinstance(exc, diagnostics.FedplanError):
                raise
            show_failure(exc)
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


# Why a write fails, in the user's words (the system's own message is English).
_WRITE_FAILURES = {
    "ENOSPC": "磁盘已满",
    "EDQUOT": "超出了磁盘配额",
    "EFBIG": "文件超过了允许的大小",
    "EIO": "设备读写出错",
    "EBADF": "输出去处已关闭",
    "EROFS": "输出去处只读",
}


def output_failed(exc: OSError) -> Any:
    """The FedplanError for output that could not be written (``exc`` from writing stdout).
    stdout is pointed at /dev/null first, so that what is still buffered for it does not
    fail again, with Python's own complaint, when the process exits."""
    import errno

    from fedplan.diagnostics import FedplanError

    _drop_stdout()
    name = errno.errorcode.get(exc.errno or 0, "")
    reason = _WRITE_FAILURES.get(name) or exc.strerror or exc.__class__.__name__
    return FedplanError(
        f"无法写出输出：{reason}",
        code="output-unwritable",
        hint="腾出磁盘空间，或用 -o 把结果写到别处的文件",
    )


def show_failure(exc: Any) -> None:
    """A FedplanError as fedplan shows every one: its message and code, then its hint."""
    from fedplan.width import visible  # what the user typed may hold terminal escapes

    click.echo(f"fedplan: 错误: {visible(exc.message)} [{exc.code}]", err=True)
    if exc.hint:
        click.echo(f"  提示: {visible(exc.hint)}", err=True)


def _drop_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered for it goes nowhere. Only in the
    process the console script runs (fedplan.cli.entry): a program that calls ``main``
    keeps its own stdout."""
    import os

    from fedplan import bulk

    if not bulk.leaving:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # (no real stdout: an embedding caller's stream)


def show_usage_error(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    message = exc.format_message()
    click.echo(f"fedplan: 用法错误: {_visible(chinese_message(message))}", err=True)
    hint = chinese_hint(message)
    if ctx is not None:
        hint += ("；" if hint else "") + f"运行 {ctx.command_path} --help 查看用法"
    if hint:
        click.echo(f"  提示: {_visible(hint)}", err=True)


def _visible(text: str) -> str:
    from fedplan.width import visible  # a path the user typed may hold terminal escapes

    return visible(text)


def _quoted(text: str) -> str:
    return text.strip("'\"")


def _choices(text: str) -> str:
    return "、".join(_quoted(c.strip()) for c in text.split(","))


_Translate = Callable[[re.Match[str]], str]

_PERMISSION: dict[str, str] = {"readable": "没有读取权限", "writable": "没有写入权限", "executable": "没有进入（执行）权限"}

_MESSAGES: tuple[tuple[re.Pattern[str], _Translate], ...] = (
    (
        lazy_re(
            r"No such option:? '?(?P<opt>[^'\s]+?)'?\.?"
            r"(?:\s+\(?Did you mean (?:one of: )?(?P<alt>.+?)\?\)?)?"
        ),
        lambda m: f"没有选项 {m['opt']}" + (f"，是不是 {_choices(m['alt'])}？" if m["alt"] else ""),
    ),
    (
        lazy_re(r"No such command '(?P<name>[^']+)'\."),
        lambda m: f"没有命令“{m['name']}”",
    ),
    (
        lazy_re(r"Missing argument '(?P<name>[^']+)'\."),
        lambda m: f"缺少参数 {m['name']}",
    ),
    (
        lazy_re(r"Missing option '(?P<name>[^']+)'\."),
        lambda m: f"缺少选项 {m['name']}",
    ),
    (
        lazy_re(r"Option '(?P<name>[^']+)' requires an argument\."),
        lambda m: f"选项 {m['name']} 后面要写一个值",
    ),
    (
        lazy_re(r"Got unexpected extra arguments? \((?P<args>.*)\)"),
        lambda m: f"多余的参数：{m['args']}",
    ),
    (
        lazy_re(r"Invalid value for (?P<param>'[^']+'(?: / '[^']+')*): (?P<why>.*)", re.S),
        lambda m: f"{_param(m['param'])} 的值无效：{chinese_message(m['why'])}",
    ),
    (
        lazy_re(r"'(?P<value>.*)' is not a valid integer\."),
        lambda m: f"“{m['value']}”不是整数",
    ),
    (
        lazy_re(r"'(?P<value>.*)' is not one of (?P<choices>.*)\."),
        lambda m: f"“{m['value']}”不是可选的值（{_choices(m['choices'])}）",
    ),
    (
        lazy_re(r"'(?P<value>.*)' is not (?:one of )?'(?P<choice>[^']*)'\."),
        lambda m: f"“{m['value']}”不是可选的值（{m['choice']}）",
    ),
    (
        lazy_re(r"(?:File|Path|Directory) ['\"](?P<path>.*)['\"] does not exist\."),
        lambda m: f"“{m['path']}”不存在",
    ),
    (
        lazy_re(r"(?:File|Path) ['\"](?P<path>.*)['\"] is a directory\."),
        lambda m: f"“{m['path']}”是目录，这里要一个文件",
    ),
    (
        lazy_re(r"(?:Directory|Path) ['\"](?P<path>.*)['\"] is a file\."),
        lambda m: f"“{m['path']}”是文件，这里要一个目录",
    ),
    (
        lazy_re(r"(?:File|Directory|Path) ['\"](?P<path>.*)['\"] is not (?P<what>readable|writable|executable)\."),
        lambda m: f"“{m['path']}”{_PERMISSION[m['what']]}",
    ),
)

# What to do about the path errors click finds before a command runs (-o onto a folder, a
# file where a folder is wanted, a path that is not there or not permitted).
_HINTS: tuple[tuple[str, re.Pattern[str], _Translate], ...] = (
    (
        "folder",
        lazy_re(r"(?:File|Path) ['\"](?P<path>.*)['\"] is a directory\."),
        lambda m: f"在目录后写上文件名，如 {m['path'].rstrip('/')}/文件名",
    ),
    ("file", lazy_re(r"(?:Directory|Path) ['\"](?P<path>.*)['\"] is a file\."), lambda m: "这里要写一个目录的路径"),
    (
        "missing",
        lazy_re(r"(?:File|Directory|Path) ['\"](?P<path>.*)['\"] does not exist\."),
        lambda m: "检查路径是否写对；相对路径从当前目录算起",
    ),
    (
        "permission",
        lazy_re(r"(?:File|Directory|Path) ['\"](?P<path>.*)['\"] is not (?:readable|writable|executable)\."),
        lambda m: "用 ls -l 查看权限，改用有权限的位置，或请管理员开通",
    ),
)
# What the output options add: -o picks the format by the extension, and import's -o
# folder is made when it is not there.
_OUTPUT_HINTS = {
    ("-o/--output", "folder"): "（扩展名决定格式，如 .docx、.xlsx）",
    ("-o/--output-dir", "file"): "（不存在的目录会新建），或换一个名字",
}


def _param(names: str) -> str:
    """click's ``'-o' / '--output'`` as ``-o/--output``."""
    return "/".join(_quoted(name.strip()) for name in names.split(" / "))


def chinese_hint(message: str) -> str:
    """What to do about a click message (the part after ``Invalid value for …:`` decides),
    or "" when there is nothing to say beyond --help."""
    message = message.strip()
    inner = re.fullmatch(r"Invalid value for (?P<param>'[^']+'(?: / '[^']+')*): (?P<why>.*)", message, re.S)
    option = _param(inner["param"]) if inner else ""
    if inner:
        message = inner["why"].strip()
    for kind, pattern, hint in _HINTS:
        match = pattern.fullmatch(message)
        if match:
            return hint(match) + _OUTPUT_HINTS.get((option, kind), "")
    return ""


def chinese_message(message: str) -> str:
    """click's message in Chinese where it is one we know, else as click wrote it."""
    message = message.strip()
    for pattern, translate in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return translate(match)
    return message
