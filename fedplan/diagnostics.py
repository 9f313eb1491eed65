"""Problems found in the data, as small sortable values (never raised, never printed here)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple

from fedplan.records import record


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


class Pos(NamedTuple):
    """A 1-based place in a file; ``path`` is relative to the repository root, with ``/``.

    A named tuple (ordered by path, line, column): one is made for every mapping a file
    holds, so it is made in C, kept in 64 bytes and pickled as its three values."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@record
class Diagnostic:
    """One problem: where, how bad, a stable English code, a Chinese message and a hint.

    Two diagnostics are equal only when everything about them is: two different problems
    at one place are two diagnostics. They sort by place, then code, then the rest, so a
    list of them reads top to bottom through each file.
    """

    pos: Pos
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def _order(self) -> tuple[Pos, str, str, str, str]:
        return (self.pos, self.code, self.message, self.hint, self.severity.value)

    def __lt__(self, other: Diagnostic) -> bool:
        return self._order() < other._order()

    def __le__(self, other: Diagnostic) -> bool:
        return self._order() <= other._order()

    def __gt__(self, other: Diagnostic) -> bool:
        return self._order() > other._order()

    def __ge__(self, other: Diagnostic) -> bool:
        return self._order() >= other._order()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def key(self) -> tuple[str, int, int, str]:
        """The short form tests compare against: (path, line, col, code)."""
        return (self.pos.path, self.pos.line, self.pos.col, self.code)

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity.label}: {self.message} [{self.code}]"


# --- the registry of codes ------------------------------------------------------------------
#
# Every code a Diagnostic can carry is declared here once, like yamllint's rule ids: its
# severity, a one-line Chinese summary and its family (the section of docs/checks.md it is
# documented in). error()/warning() refuse a code that is not here, or not of their
# severity: that is a bug in fedplan, and every code's documented example trips it in tests.
# Add a new code here, to the CODES of the module that emits it, and to docs/checks.md.


class Code(NamedTuple):
    id: str
    severity: Severity
    summary: str
    family: str


# Family id → the heading of its section in docs/checks.md (before " · ").
FAMILIES: dict[str, str] = {
    "source": "文件与 YAML 语法",
    "structure": "结构",
    "refs": "编号与引用",
    "dates": "日期",
    "numbers": "数值与分值",
    "report": "报告正文",
    "freshness": "台账新鲜度",
    "assessment": "考核细则与进度要求",
    "import": "导入时的提示",
    # Placed problems found by a command in what it is given (a row of 台账.xlsx), listed in
    # the command errors' table.
    "command": "命令的错误",
}

_E, _W = Severity.ERROR, Severity.WARNING

REGISTRY: dict[str, Code] = {
    c.id: c
    for c in (
        # 文件与 YAML 语法
        Code("encoding-gbk", _E, "文件是 GBK/GB18030 编码，不是 UTF-8", "source"),
        Code("encoding", _E, "文件是 UTF-16/UTF-32，或含有无法解码的字节", "source"),
        Code("yaml-syntax", _E, "文件不是合法的 YAML", "source"),
        Code("yaml-too-deep", _E, "嵌套超过 1000 层，拒绝读取", "source"),
        Code("yaml-alias-cycle", _E, "YAML 别名引用了包含它自己的锚点", "source"),
        Code("yaml-alias-bomb", _E, "YAML 别名展开后节点过多，拒绝读取", "source"),
        Code("empty-document", _E, "文件是空的，或只有注释", "source"),
        Code("link-outside-repository", _E, "文件是指向仓库以外的符号链接，未读取", "source"),
        Code("unreadable-folder", _E, "文件夹无法打开，其中的文档未检查", "source"),
        Code("unreadable-file", _E, "文件无法读取，未检查", "source"),
        Code("leftover-temp-file", _W, "fedplan 写入时被中断留下的临时文件", "source"),
        # 结构
        Code("missing-kind", _E, "文档没有写 kind", "structure"),
        Code("unknown-kind", _E, "kind 不是 plan、progress、report、proposal 之一", "structure"),
        Code("type", _E, "值的类型不对", "structure"),
        Code("missing-key", _E, "缺少必填的键", "structure"),
        Code("unknown-key", _E, "这个位置没有这个键", "structure"),
        Code("duplicate-key", _E, "同一个映射里一个键出现了两次", "structure"),
        Code("empty-value", _E, "必填的键没有值", "structure"),
        Code("unsafe-tag", _E, "不允许使用 YAML 标签", "structure"),
        Code("bad-value", _E, "只能选几个值之一的键写了别的值", "structure"),
        Code("missing-unit", _E, "数值目标没有计量单位 unit", "structure"),
        Code("milestone-field", _E, "节点任务写了只有数值目标才有的键", "structure"),
        Code("entry-ref", _E, "进展记录要写 target 或 item 之一", "structure"),
        Code("entry-field", _E, "事项进展写了 value 或 done", "structure"),
        Code("missing-note", _E, "事项进展没有写 note", "structure"),
        Code("unknown-code", _E, "fedplan.yaml 的 ignore 写了不存在的代码", "structure"),
        Code("numbered-title", _W, "标题自带编号，生成的文档会自动编号", "structure"),
        # 编号与引用
        Code("bad-id", _E, "编号含有不允许的字符", "refs"),
        Code("duplicate-id", _E, "编号在同一年度内重复", "refs"),
        Code("duplicate-plan", _E, "同一年度有两份计划", "refs"),
        Code("no-plan", _E, "所属年度没有计划", "refs"),
        Code("unknown-target", _E, "引用了计划中没有的目标", "refs"),
        Code("unknown-item", _E, "引用了计划中没有的事项", "refs"),
        Code("value-on-milestone", _E, "节点任务的记录写了 value", "refs"),
        Code("missing-done", _E, "节点任务的记录没有写 done: true", "refs"),
        Code("done-on-numeric", _E, "数值目标的记录写了 done", "refs"),
        Code("missing-value", _E, "数值目标的记录没有写 value", "refs"),
        # 日期
        Code("bad-date", _E, "不是有效的日期", "dates"),
        Code("date-order", _E, "完成时限早于开始日期", "dates"),
        Code("date-outside-year", _E, "日期不在所属年度内", "dates"),
        Code("future-date", _W, "记录日期晚于今天", "dates"),
        # 数值与分值
        Code("number-with-unit", _E, "数字带了单位或文字", "numbers"),
        Code("number-format", _E, "数字的写法会被 YAML 当作另一个数", "numbers"),
        Code("out-of-range", _E, "数值超出允许的范围", "numbers"),
        Code("number-magnitude", _E, "数字大得或小得不合常理（绝对值超过 10^12，或不为 0 而小于 10^-6）", "numbers"),
        Code("points-sum", _E, "各目标分值之和与考核总分不符", "numbers"),
        # 报告正文
        Code("report-syntax", _E, "报告正文的表达式不符合模板语法", "report"),
        Code("unsafe-template", _E, "报告正文的表达式不安全，拒绝执行", "report"),
        Code("report-error", _E, "报告正文的表达式无法计算", "report"),
        Code("body-too-costly", _E, "报告正文的表达式计算量过大，停止执行", "report"),
        # 台账新鲜度
        Code("stale-target", _W, "数值目标久未记录进展", "freshness"),
        # 考核细则与进度要求
        Code("bad-rule", _E, "评分办法不是六种写法之一，或参数不对", "assessment"),
        Code("rule-order", _E, "评分办法的分档顺序写反了", "assessment"),
        Code("rule-target", _E, "指标的 target 与评分办法不配", "assessment"),
        Code("unknown-grade", _E, "记了等级表中没有的等级", "assessment"),
        Code("unknown-indicator", _E, "引用了考核细则中没有的指标、加分项或否决项", "assessment"),
        Code("indicator-entry", _E, "指标记录的写法与评分办法不符", "assessment"),
        Code("duplicate-assessment", _E, "同一年度有两份考核细则", "assessment"),
        Code("evidence-not-found", _E, "佐证材料不存在", "assessment"),
        Code("evidence-outside", _E, "佐证材料不在仓库中", "assessment"),
        Code("evidence-missing", _W, "要求附佐证材料的记录没有附", "assessment"),
        Code("bad-pace", _E, "进度要求的写法不对", "assessment"),
        Code("unknown-pace", _E, "进度要求引用了没有定义的进度方案", "assessment"),
        # fedplan import 对原文件的提示
        Code("mojibake", _W, "原文有乱码，无法确定原字，已在生成的 YAML 中标出；请对照原件补正", "import"),
        Code("mojibake-repaired", _W, "原文的乱码按上下文修复了，请核对修复的字", "import"),
        Code("import-encoding", _W, "原文件按 GB18030（GBK）或 Big5 解码；生成的 YAML 一律是 UTF-8", "import"),
        Code("import-no-sections", _W, "计划中没有找到“一、”这样的大标题，没有分节，请核对", "import"),
        Code("import-numbering", _W, "原文的编号不连续（如 1. 之后是 3.），可能漏了一段，请核对原文", "import"),
        # fedplan log --from 台账.xlsx：表格中某一行的问题
        Code("sheet-target", _E, "表格某行没有写目标，或写的目标、事项在计划中不存在", "command"),
        Code("sheet-date", _E, "表格某行的日期写错、缺少或不在计划年度内", "command"),
        Code("sheet-value", _E, "表格某行的数值写错、单位与目标不符，或缺少应写的内容", "command"),
    )
}


class UnregisteredCode(AssertionError):
    """A Diagnostic was made with a code not in REGISTRY, or of the other severity (a bug)."""


def registered(code: str, severity: Severity) -> str:
    """``code`` itself, after making sure REGISTRY declares it with ``severity``."""
    found = REGISTRY.get(code)
    if found is None or found.severity is not severity:
        raise UnregisteredCode(
            f"diagnostic code {code!r} is not registered as {severity.value} in fedplan.diagnostics.REGISTRY"
            + (f" (it is registered as {found.severity.value})" if found is not None else "")
        )
    return code


def codes(*ids: str) -> frozenset[str]:
    """The codes a module or check emits, each checked against the registry when declared."""
    unknown = [code for code in ids if code not in REGISTRY]
    if unknown:
        raise UnregisteredCode(f"diagnostic codes not in fedplan.diagnostics.REGISTRY: {', '.join(unknown)}")
    return frozenset(ids)


def unknown_code_hint(name: str) -> str | None:
    """None if ``name`` is a registered code or family id; else a Chinese hint naming the
    nearest ones (a “是不是……？”), or where the list of codes is."""
    if name in REGISTRY or name in FAMILIES:
        return None
    from fedplan.suggest import did_you_mean

    return did_you_mean(name, [*REGISTRY, *FAMILIES], "全部代码见 docs/checks.md（也可写类别，如 refs、dates）")


def codes_named(names: Iterable[str]) -> frozenset[str]:
    """The codes ``names`` stand for: a code itself, or every code of a family id."""
    out: set[str] = set()
    for name in names:
        out.update([name] if name in REGISTRY else (c.id for c in REGISTRY.values() if c.family == name))
    return frozenset(out)


def chosen(
    found: Iterable[Diagnostic], *, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Diagnostic]:
    """The diagnostics to report under ``--select`` (only these codes or families, when given)
    and ``--ignore``/fedplan.yaml's ``ignore`` (never these), as ruff and yamllint do."""
    keep = codes_named(select)
    drop = codes_named(ignore)
    return [d for d in found if (not keep or d.code in keep) and d.code not in drop]


def error(pos: Pos, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, registered(code, Severity.ERROR), message, hint)


def warning(pos: Pos, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, Severity.WARNING, registered(code, Severity.WARNING), message, hint)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.is_error for d in diagnostics)


class FedplanError(Exception):
    """A user-facing failure outside the data (bad option, unknown year, git trouble).

    Carries a Chinese message, a stable code and a hint; the CLI prints it in one line and
    exits 1 (or 2 for usage). Never used for problems in the data: those are Diagnostics.
    """

    def __init__(self, message: str, *, code: str, hint: str = "", exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.exit_code = exit_code
