"""The output formats a command can write: which one a file name asks for, the default, and
which cannot go to a terminal. One table for documents (report, render), one for tables
(status, score) and one for validate's diagnostics, so a command's choices, its -o inference
and its refusals agree.

The command line reads ``names`` for its --format choices while building ``fedplan --help``,
so this module imports nothing else of fedplan (nor dataclasses) until a format is chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fedplan.diagnostics import FedplanError


class Formats:
    def __init__(
        self,
        *,
        default: str,
        extensions: Mapping[str, str],
        shown: tuple[str, ...],
        needs_file: Mapping[str, Callable[[], FedplanError]],
        names: tuple[str, ...],
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.default = default
        self.extensions = extensions  # file suffix → format
        self.shown = shown  # the suffixes named in the hint
        self.needs_file = needs_file  # format → its refusal without -o
        self.names = names  # every format, for --format
        self.labels = labels or {}  # format → a few words for --help

    def described(self) -> str:
        """The formats for --help: ``table（默认，终端表格）、json、…``."""
        return "、".join(f"{name}（{self.labels[name]}）" if name in self.labels else name for name in self.names)

    def choose(self, output: Path | None, fmt: str | None) -> str:
        """``--format`` if given, else the extension of ``-o``, else the default."""
        from fedplan.diagnostics import FedplanError

        if fmt is None and output is not None:
            fmt = self.extensions.get(output.suffix.lower())
            if fmt is None:
                raise FedplanError(
                    f"无法从文件名“{output.name}”判断输出格式",
                    code="unknown-format",
                    hint=f"用 {'、'.join(self.shown[:-1])} 或 {self.shown[-1]} 作扩展名，或加 --format",
                    exit_code=2,
                )
        fmt = fmt or self.default
        if fmt in self.needs_file and output is None:
            raise self.needs_file[fmt]()
        return fmt


def _refusal(message: str, *, code: str, hint: str) -> FedplanError:
    from fedplan.diagnostics import FedplanError

    return FedplanError(message, code=code, hint=hint, exit_code=2)


DOCUMENTS = Formats(
    default="md",
    extensions={".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html", ".docx": "docx"},
    shown=(".md", ".txt", ".html", ".docx"),
    needs_file={
        "docx": lambda: _refusal(
            "Word 文档不能输出到终端", code="docx-needs-output", hint="加 -o 文件名.docx"
        ),
    },
    names=("md", "html", "docx", "txt"),
)

TABLES = Formats(
    default="table",
    extensions={".xlsx": "xlsx", ".csv": "csv", ".json": "json"},
    shown=(".xlsx", ".csv", ".json"),
    needs_file={
        "xlsx": lambda: _refusal(
            "Excel 文件不能输出到终端", code="xlsx-needs-output", hint="加 -o 文件名.xlsx"
        ),
    },
    names=("table", "json", "csv", "xlsx"),
    labels={"table": "默认，终端表格", "csv": "UTF-8 带 BOM，可直接用 Excel/WPS 打开", "xlsx": "Excel 工作簿，需 -o"},
)

# validate's problem lists (their writers: fedplan.reporters.diagnostics.WRITERS); they go
# to standard output only.
DIAGNOSTICS = Formats(
    default="text",
    extensions={},
    shown=(),
    needs_file={},
    names=("text", "json", "github"),
    labels={"text": "默认，给人看", "github": "GitHub Actions 标注"},
)
