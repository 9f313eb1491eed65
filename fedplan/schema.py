"""The schema of every document kind (SPEC §3, §6): one declaration, three uses.

The same field lists drive the walk from YAML nodes to typed documents (keeping the
position of every value), the Chinese error messages, and ``fedplan schema`` (JSON
Schema for editors). Checks that need only one document live here too; checks across
documents are in fedplan/checks/.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any, NamedTuple, TypeVar

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fedplan import entries, model, rules
from fedplan.dates import parse_date
from fedplan.diagnostics import Diagnostic, Pos, codes, error

# The codes typing one document may report (fedplan.diagnostics.REGISTRY).
CODES = codes(
    "missing-kind", "unknown-kind", "type", "missing-key", "unknown-key", "duplicate-key", "empty-value",
    "unsafe-tag", "bad-value", "missing-unit", "milestone-field", "entry-ref", "entry-field", "missing-note",
    "bad-id", "bad-date", "date-order", "number-with-unit", "number-format", "out-of-range",
)

ID_PATTERN = re.compile(r"^[\w-]+$")

_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_MERGE = _TAG + "merge"
_STR_TAG, _INT_TAG, _TIMESTAMP_TAG = _TAG + "str", _TAG + "int", _TAG + "timestamp"
_SHORT_TAGS = {tag: tag[len(_TAG) :] for tag in _SAFE_TAGS}
_CONSTRUCT = SafeConstructor()
_LOOK_LIKE_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1"}


def _digits_meant(raw: str) -> str | None:
    """The number ``raw`` was meant to be when letters that look like digits stand among its
    digits (2O27, 1O0), else None."""
    text = raw.strip()
    if not re.search(r"\d", text) or not any(c in _LOOK_LIKE_DIGITS for c in text):
        return None
    meant = "".join(_LOOK_LIKE_DIGITS.get(c, c) for c in text)
    return meant if re.fullmatch(r"[-+]?\d+(\.\d+)?", meant) else None


_UNIT_IN_NUMBER = re.compile(r"^\s*[-+]?[\d.,，]+\s*(\S+)\s*$")
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_FULLWIDTH_DIGITS = re.compile(r"[０-９]")


# --- the declaration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, whether it must be written, and what it means."""

    name: str
    type: str  # str | text | id | int | number | date | bool | enum | ids | strs | node | <Spec name>
    description: str
    required: bool = False
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    spec: Spec | None = None  # for a mapping, or the items of a list of mappings
    many: bool = False  # a list of ``spec`` mappings
    shape: Mapping[str, Any] | None = None  # JSON Schema of a ``node`` value (read by its own parser)

    @cached_property
    def attr(self) -> str:
        """The model attribute this key fills (``from`` is a Python keyword)."""
        return "from_" if self.name == "from" else self.name

    @cached_property
    def fast(self) -> int:
        """Which common, always-valid spelling the walk may take without the full checks:
        1 text, 2 id, 3 unbounded number, 4 date; 0 none (see _Walk.mapping)."""
        if self.spec is not None:
            return 0
        if self.type in ("str", "text"):
            return 1
        if self.type == "id":
            return 2
        if self.type in ("int", "number") and (self.minimum, self.maximum, self.exclusive_minimum) == (None, None, None):
            return 3
        return 4 if self.type == "date" else 0


@dataclass(frozen=True)
class Spec:
    name: str  # Chinese name of the mapping, for messages ("目标", "进展记录")
    fields: tuple[Field, ...]
    description: str = ""

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    # Looked up once per key of every mapping of every document: a dict, not a scan.
    @cached_property
    def _by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _kind(kind: str) -> Field:
    return Field("kind", "enum", "文档类型", required=True, choices=(kind,))


SIGNATURE = Spec(
    "落款",
    (
        Field("org", "str", "发文机关署名"),
        Field("date", "date", "成文日期，如 2012-12-28 或 2012年12月28日"),
    ),
)

TARGET = Spec(
    "目标",
    (
        Field("id", "id", "目标编号（字母、数字、汉字、_ 或 -），台账和报告用它引用此目标", required=True),
        Field("name", "str", "目标名称", required=True),
        Field("target", "number", "目标数值（不含单位）；不写则为节点任务", exclusive_minimum=0),
        Field("unit", "str", "计量单位，如 人次、个、名、%、万元；写了 target 就必须写"),
        Field("measure", "enum", "sum：各次记录累加（默认）；latest：取最新一次（如比率）", choices=("sum", "latest")),
        Field("direction", "enum", "up：至少达到（默认）；down：控制在以下（如发生率）", choices=("up", "down")),
        Field("baseline", "number", "基数（默认 0）"),
        Field("start", "date", "开始日期（默认当年 1 月 1 日）"),
        Field("due", "date", "完成时限（默认当年 12 月 31 日）"),
        Field("points", "number", "考核分值", minimum=0),
        Field(
            "pace", "node", "进度要求：linear 均匀、hold 全年保持、[一至四季度末累计比例]、12 个月末比例、{日期: 比例} 或 fedplan.yaml 中的进度方案名",
            shape={"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "number"}}, {"type": "object"}]},
        ),
    ),
)

ITEM = Spec(
    "工作事项",
    (
        Field("id", "id", "事项编号，台账和建议用它引用此事项", required=True),
        Field("title", "str", "事项标题（不含序号）", required=True),
        Field("text", "text", "事项正文，照计划原文"),
        Field("owner", "str", "牵头部门"),
        Field("partners", "strs", "配合单位"),
        Field("targets", "list", "量化目标和节点任务", spec=TARGET, many=True),
    ),
)

SECTION = Spec(
    "部分",
    (
        Field("title", "str", "部分标题（不含“一、”等序号）", required=True),
        Field("items", "list", "本部分的工作事项（序号全文连续编排）", required=True, spec=ITEM, many=True),
    ),
)

PLAN = Spec(
    "工作要点",
    (
        _kind("plan"),
        Field("org", "str", "单位名称；不写则取 fedplan.yaml 的 org"),
        Field("year", "int", "年度", required=True, minimum=1949, maximum=2200),
        Field("title", "str", "标题；默认“{单位}{年度}年工作要点”"),
        Field("total_points", "number", "考核总分；写了则各目标 points 之和必须等于它", exclusive_minimum=0),
        Field("preamble", "text", "总体思路，每行一段"),
        Field("sections", "list", "各部分（一、二、……）", required=True, spec=SECTION, many=True),
    ),
    "年度工作要点（计划）",
)

ENTRY = Spec(
    "进展记录",
    (
        Field("date", "date", "日期，如 2012-03-15 或 2012年3月15日", required=True),
        Field("target", "id", "所属目标的 id（与 item 二选一）"),
        Field("item", "id", "所属事项的 id（与 target 二选一，只记文字进展）"),
        Field("value", "number", "数值目标的本次完成数（sum）或最新水平（latest）"),
        Field("done", "bool", "节点任务已完成时写 true"),
        Field("note", "text", "说明"),
        Field("by", "str", "填报部门或人"),
        Field("indicator", "id", "考核指标的 id（按件计分或评等级的指标）"),
        Field("bonus", "id", "加分项的 id（每条记录算一次）"),
        Field("veto", "id", "一票否决项的 id"),
        Field("grade", "str", "评定等级（评等级的指标），如 好、较好"),
        Field("evidence", "strs", "佐证材料：仓库内的文件路径或网址"),
    ),
)

PROGRESS = Spec(
    "进展台账",
    (
        _kind("progress"),
        Field("year", "int", "年度", required=True, minimum=1949, maximum=2200),
        Field("entries", "list", "进展记录", required=True, spec=ENTRY, many=True),
    ),
    "进展台账",
)

REPORT_SECTION = Spec(
    "报告部分",
    (
        Field("title", "str", "部分标题（不含序号）", required=True),
        Field("body", "text", "正文；可用 {{ t('目标id').actual }} 等表达式引用统计结果"),
    ),
)

REPORT = Spec(
    "报告",
    (
        _kind("report"),
        Field("year", "int", "年度", required=True, minimum=1949, maximum=2200),
        Field("id", "id", "报告编号；默认取文件名"),
        Field("title", "str", "标题", required=True),
        Field("as_of", "date", "统计截止日期；默认当年 12 月 31 日"),
        Field("preamble", "text", "开头一段（导语），每行一段；照原文输出"),
        Field("sections", "list", "各部分", required=True, spec=REPORT_SECTION, many=True),
        Field("signature", "map", "落款", spec=SIGNATURE),
    ),
    "工作总结 / 工作情况汇报",
)

RECOMMENDATION = Spec(
    "建议条目",
    (
        Field("title", "str", "建议标题（不含序号）", required=True),
        Field("body", "text", "建议正文"),
        Field("items", "ids", "关联的同年度计划事项 id"),
    ),
)

PROPOSAL = Spec(
    "建议",
    (
        _kind("proposal"),
        Field("year", "int", "年度；默认取 date 的年份；关联计划事项时必需", minimum=1949, maximum=2200),
        Field("title", "str", "标题", required=True),
        Field("from", "str", "提出单位"),
        Field("to", "str", "主送机关"),
        Field("date", "date", "日期"),
        Field("background", "text", "背景"),
        Field("problems", "strs", "存在的问题（排为“主要体现在：一是……；二是……”）"),
        Field("recommendations", "list", "建议条目", required=True, spec=RECOMMENDATION, many=True),
        Field("signature", "map", "落款", spec=SIGNATURE),
    ),
    "建议",
)

SETTINGS = Spec(
    "仓库设置",
    (
        Field("org", "str", "默认单位名称"),
        Field("script", "enum", "输出文字：hans 简体、hant 繁体", choices=("hans", "hant")),
        Field("at_risk_below", "number", "低于序时进度的此比例为严重滞后（默认 0.7）", exclusive_minimum=0, maximum=1),
        Field("warn_days", "int", "节点任务到期前多少天提示滞后（默认 14）", minimum=0),
        Field("stale_days", "int", "数值目标多少天没有记录即提示（默认 60）", minimum=1),
        Field("date_style", "enum", "成文日期写法：auto、2012（阿拉伯数字）、1999（汉字）", choices=("auto", "2012", "1999")),
        Field(
            "pace_profiles", "node", "命名的进度方案：{名称: [一至四季度末累计比例]}（或 12 个月末），目标用 pace: 名称 引用",
            shape={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "number"}}},
        ),
    ),
    "fedplan.yaml 仓库设置",
)

_EVIDENCE = Field("evidence", "enum", "写 required 则每条记录都应附佐证材料", choices=("required",))
_RULE_SHAPE = {"anyOf": [{"enum": ["proportional"]}, {"type": "object"}]}

INDICATOR = Spec(
    "考核指标",
    (
        Field("id", "id", "指标编号，台账用它记按件计分或评等级的指标", required=True),
        Field("name", "str", "考核内容", required=True),
        Field("points", "number", "分值", required=True, minimum=0),
        Field("target", "id", "计分所依据的同年度计划目标 id"),
        Field(
            "rule", "node", "评分办法：proportional（默认）、shortfall、steps、per_unit、on_time/late 或 grades",
            shape=_RULE_SHAPE,
        ),
        _EVIDENCE,
    ),
)

BONUS_ITEM = Spec(
    "加分项",
    (
        Field("id", "id", "加分项编号", required=True),
        Field("name", "str", "加分内容", required=True),
        Field("points", "number", "每次加分", required=True, exclusive_minimum=0),
        Field("max", "number", "本项最多加分", exclusive_minimum=0),
        _EVIDENCE,
    ),
)

BONUS = Spec(
    "加分项",
    (
        Field("max", "number", "加分合计上限", exclusive_minimum=0),
        Field("items", "list", "加分项", required=True, spec=BONUS_ITEM, many=True),
    ),
)

VETO = Spec(
    "一票否决项",
    (
        Field("id", "id", "否决项编号", required=True),
        Field("name", "str", "否决情形", required=True),
    ),
)

ASSESSMENT = Spec(
    "考核细则",
    (
        _kind("assessment"),
        Field("year", "int", "年度", required=True, minimum=1949, maximum=2200),
        Field("title", "str", "标题，如 2012年度区县妇联工作目标管理考核细则", required=True),
        Field("issuer", "str", "制定单位，如 市妇联"),
        Field("total_points", "number", "总分；写了则各指标 points 之和必须等于它", exclusive_minimum=0),
        Field("indicators", "list", "考核指标", required=True, spec=INDICATOR, many=True),
        Field("bonus", "map", "加分项", spec=BONUS),
        Field("veto", "list", "一票否决项", spec=VETO, many=True),
    ),
    "考核细则（上级的评分办法）",
)

KINDS: dict[str, Spec] = {
    "plan": PLAN,
    "progress": PROGRESS,
    "report": REPORT,
    "proposal": PROPOSAL,
    "assessment": ASSESSMENT,
}

TYPE_NAMES = {
    "str": "文字",
    "text": "文字",
    "id": "编号",
    "int": "整数",
    "number": "数字",
    "date": "日期",
    "bool": "true 或 false",
    "enum": "选项",
    "ids": "编号列表",
    "strs": "文字列表",
    "list": "列表",
    "map": "键值映射",
    "node": "规则",
}


# --- the walk ------------------------------------------------------------------------------


class _Walk:
    """Reads one document's nodes against a Spec, collecting Diagnostics as it goes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        # (mapping position, key) of values written but refused with an error, so the
        # builder does not pile a second, misleading error ("missing value") on top.
        self.rejected: set[tuple[Pos, str]] = set()

    def pos(self, node: Node) -> Pos:
        # source.node_pos inlined: this runs for every value of every document.
        mark = node.start_mark
        return Pos(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: Node, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(error(self.pos(node), code, message, hint))

    def safe_tag(self, node: Node) -> bool:
        if node.tag in _SAFE_TAGS:
            return True
        self.error(
            node,
            "unsafe-tag",
            f"不允许使用 YAML 标签 {node.tag.replace(_TAG, '!!', 1)}",
            "删除以 ! 开头的标签；fedplan 只读普通的文字、数字、日期、列表和映射",
        )
        return False

    def mapping(self, node: Node, spec: Spec) -> tuple[dict[str, Any], Spans] | None:
        """Values of the keys ``spec`` knows, with positions; None if ``node`` is no mapping."""
        if not self.safe_tag(node):
            return None
        if not isinstance(node, MappingNode):
            hint = "每个键后写半角冒号和空格，如 “title: 标题”"
            if isinstance(node, ScalarNode) and "：" in str(node.value):
                hint = "键和值之间要用半角冒号加空格（: ），不能用中文冒号“：”"
            self.error(node, "type", f"{spec.name}应为键值映射（key: value）", hint)
            return None
        values: dict[str, Any] = {}
        spans = _Spans(self.path)
        marks = spans.marks
        seen: dict[str, Node] = {}
        by_name = spec._by_name
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:  # libyaml tags "<<" itself
                self.unknown_key(key_node, "<<", spec)
                continue
            if key_node.tag not in _SAFE_TAGS and not self.safe_tag(key_node):
                continue
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, "type", "键必须是简单的文字")
                continue
            key = str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.error(
                    key_node,
                    "duplicate-key",
                    f"键“{key}”重复出现（第一次在第 {first} 行）",
                    "YAML 只会保留最后一个值，前面的内容会悄悄丢失；请删除或合并重复的键",
                )
                continue
            seen[key] = key_node
            field = by_name.get(key)
            if field is None:
                meant = self.unknown_key(key_node, key, spec)
                if meant is not None and meant not in seen:
                    # `valeu: 3` is one mistake: don't also report "value is missing".
                    self.rejected.add((self.pos(node), by_name[meant].attr))
                continue
            fast = field.fast
            if fast and value_node.__class__ is ScalarNode:
                # The spellings nearly every value has, read inline: this loop runs for
                # every key of every document, and the general path below costs several
                # calls a value. Anything unusual falls through to it unchanged.
                tag, raw = value_node.tag, value_node.value
                got: Any = _INVALID
                if tag == _STR_TAG:
                    if fast == 1:
                        text = raw.rstrip("\n") if field.type == "text" else raw.strip()
                        if not field.required or text.strip():
                            got = text
                    elif fast == 2:
                        text = raw.strip()
                        if ID_PATTERN.match(text):
                            got = text
                elif tag == _INT_TAG:
                    if fast == 3 and raw.isascii() and raw.isdigit() and (raw[0] != "0" or raw == "0"):
                        got = int(raw)
                elif tag == _TIMESTAMP_TAG and fast == 4 and len(raw) == 10:
                    try:
                        got = dt.date.fromisoformat(raw)
                    except ValueError:
                        pass
                if got is not _INVALID:
                    values[field.attr] = got
                    marks[field.attr] = value_node.start_mark
                    continue
            before = len(self.diagnostics)
            value = self.value(value_node, field)
            if value is _INVALID and len(self.diagnostics) > before:
                self.rejected.add((self.pos(node), field.attr))
            elif value.__class__ is _Elements:
                # A list of scalars: each element keeps its own place ("items.0", …), so a
                # check can point at the one id that is wrong, not at the list.
                values[field.attr] = value.values
                marks[field.attr] = value_node.start_mark
                for n, mark in enumerate(value.marks):
                    marks[f"{field.attr}.{n}"] = mark
            elif value is not _INVALID:
                values[field.attr] = value
                marks[field.attr] = value_node.start_mark
        for field in spec.required:
            if field.attr not in values and field.name not in seen and (self.pos(node), field.attr) not in self.rejected:
                self.error(
                    node,
                    "missing-key",
                    f"{spec.name}缺少必填的键“{field.name}”（{field.description}）",
                    f"添加一行 {field.name}: …",
                )
        return values, spans

    def unknown_key(self, key_node: Node, key: str, spec: Spec) -> str | None:
        """Report a key the spec does not know; return the key it probably meant."""
        if key == "<<":
            self.error(key_node, "unknown-key", "不支持 YAML 合并键“<<”", "把要合并的内容直接写出来")
            return None
        close = difflib.get_close_matches(key, spec.names, n=1, cutoff=0.6)
        hint = f"是不是“{close[0]}”？" if close else "可用的键：" + "、".join(spec.names)
        self.error(key_node, "unknown-key", f"{spec.name}中没有“{key}”这个键", hint)
        return close[0] if close else None

    def value(self, node: Node, field: Field) -> Any:
        if node.tag not in _SAFE_TAGS and not self.safe_tag(node):
            return _INVALID
        kind = field.type
        if field.spec is not None:
            if field.many:
                return self.mappings(node, field)
            got = self.mapping(node, field.spec)
            return _INVALID if got is None else got
        if kind in ("ids", "strs"):
            return self.scalar_list(node, field)
        if kind == "node":  # read by its own parser (fedplan.rules), which knows its forms
            return node
        if not isinstance(node, ScalarNode):
            self.error(
                node,
                "type",
                f"“{field.name}”应为{TYPE_NAMES[kind]}，不能是{'列表' if isinstance(node, SequenceNode) else '映射'}",
                f"{field.name}：{field.description}",
            )
            return _INVALID
        return self.scalar(node, field)

    def mappings(self, node: Node, field: Field) -> Any:
        assert field.spec is not None
        if isinstance(node, ScalarNode) and node.tag == _TAG + "null":
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, "type", f"“{field.name}”应为列表（每项以“- ”开头）", f"{field.name}：{field.description}")
            return _INVALID
        out = []
        for child in node.value:
            got = self.mapping(child, field.spec)
            if got is not None:
                out.append((got[0], got[1], self.pos(child)))
        return out

    def scalar_list(self, node: Node, field: Field) -> Any:
        if isinstance(node, ScalarNode) and node.tag == _TAG + "null":
            return _Elements((), ())
        if not isinstance(node, SequenceNode):
            self.error(node, "type", f"“{field.name}”应为列表，如 [甲, 乙]", f"{field.name}：{field.description}")
            return _INVALID
        out: list[str] = []
        marks: list[Any] = []
        for child in node.value:
            if not self.safe_tag(child):
                continue
            if not isinstance(child, ScalarNode) or child.tag == _TAG + "null":
                self.error(child, "type", f"“{field.name}”的每一项应为文字")
                continue
            text = str(child.value).strip()
            if field.type == "ids" and not ID_PATTERN.match(text):
                self.bad_id(child, text)
                continue
            out.append(text)
            marks.append(child.start_mark)
        return _Elements(tuple(out), tuple(marks))

    def bad_id(self, node: Node, text: str) -> None:
        self.error(
            node,
            "bad-id",
            f"编号“{text}”不合规：只能由字母、数字、汉字、下划线和连字符组成",
            "去掉空格和标点，如 farm-training 或 农技培训",
        )

    def scalar(self, node: ScalarNode, field: Field) -> Any:
        tag = _SHORT_TAGS.get(node.tag) or node.tag[len(_TAG) :]
        raw = str(node.value)
        kind = field.type
        if tag == "null":
            if field.required:
                self.error(node, "empty-value", f"“{field.name}”不能为空", f"{field.name}：{field.description}")
            return _INVALID
        if kind in ("str", "text", "id", "enum"):
            text = raw.strip() if kind != "text" else raw.rstrip("\n")
            if kind == "id" and not ID_PATTERN.match(text):
                self.bad_id(node, text)
                return _INVALID
            if kind == "enum":
                if text not in {str(c) for c in field.choices}:
                    choices = "、".join(str(c) for c in field.choices)
                    close = difflib.get_close_matches(text, [str(c) for c in field.choices], n=1)
                    hint = f"是不是“{close[0]}”？" if close else f"可选：{choices}"
                    self.error(node, "bad-value", f"“{field.name}”只能是 {choices}，不能是“{text}”", hint)
                    return _INVALID
                return text
            if not text.strip() and field.required:
                self.error(node, "empty-value", f"“{field.name}”不能为空", f"{field.name}：{field.description}")
                return _INVALID
            return text
        if kind in ("int", "number"):
            return self.number(node, field, tag, raw)
        if kind == "bool":
            if tag != "bool":
                self.error(node, "type", f"“{field.name}”应为 true 或 false，不能是“{raw}”")
                return _INVALID
            return bool(_CONSTRUCT.construct_yaml_bool(node))
        if kind == "date":
            return self.date(node, field, tag, raw)
        raise AssertionError(kind)  # pragma: no cover - every declared type is handled above

    def number(self, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        if tag == "int" and raw.isascii() and raw.isdigit() and (raw[0] != "0" or raw == "0"):
            return self.in_range(node, field, int(raw))  # the usual 300 (not octal 0300)
        if tag == "int" and not _PLAIN_INT.fullmatch(raw):
            # YAML 1.1 reads 0300 as octal 192, 1:30 as 90 and 0x1F as 31: a figure that
            # would silently become another number is refused, not guessed.
            digits = raw.lstrip("+-").replace("_", "")
            hint = (
                f"去掉开头的 0，写成 {field.name}: {digits.lstrip('0') or '0'}"
                if digits.isdigit()
                else "写成普通的十进制数（不用冒号，不用 0x、0o、0b 前缀）"
            )
            self.error(
                node,
                "number-format",
                f"“{field.name}”的写法“{raw}”会被 YAML 当作另一个数（八进制、六十进制或十六进制）",
                hint,
            )
            return _INVALID
        if tag in ("int", "float"):
            try:
                value: int | float = (
                    _CONSTRUCT.construct_yaml_int(node) if tag == "int" else _CONSTRUCT.construct_yaml_float(node)
                )
            except (ConstructorError, ValueError):
                self.error(node, "type", f"“{field.name}”应为数字，不能是“{raw}”")
                return _INVALID
            if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
                self.error(node, "type", f"“{field.name}”应为有限的数字")
                return _INVALID
            if field.type == "int" and not isinstance(value, int):
                self.error(node, "type", f"“{field.name}”应为整数，不能是“{raw}”")
                return _INVALID
            if isinstance(value, float) and value.is_integer() and "." not in raw:
                value = int(value)
            return self.in_range(node, field, value)
        hint = f"{field.name}：{field.description}"
        unit = _UNIT_IN_NUMBER.match(raw)
        if _FULLWIDTH_DIGITS.search(raw):
            hint = "请用半角数字 0-9，不要用全角数字"
        elif (meant := _digits_meant(raw)) is not None:
            swaps = "，".join(
                f"字母 {c} 改成数字 {_LOOK_LIKE_DIGITS[c]}" for c in sorted({c for c in raw if c in _LOOK_LIKE_DIGITS})
            )
            self.error(
                node,
                "type",
                f"“{field.name}”的值“{raw}”里混进了像数字的字母，应为纯数字",
                f"改成 {field.name}: {meant}（{swaps}）",
            )
            return _INVALID
        elif unit and re.search(r"\d", raw) and not re.fullmatch(r"[\d.,，]+", unit.group(1)):
            number = raw[: raw.index(unit.group(1))].strip()
            hint = (
                f"数字和单位要分开写：{field.name}: {number}，并另写 unit: {unit.group(1)}"
                if field.name == "target"
                else f"这里只写数字：{field.name}: {number}（单位写在目标的 unit 中）"
            )
            self.error(node, "number-with-unit", f"“{field.name}”的值“{raw}”带有单位或文字，应为纯数字", hint)
            return _INVALID
        elif re.fullmatch(r"[\d,，]+(\.\d+)?", raw.strip()):
            hint = "不要用千位分隔符或引号，直接写数字，如 2000"
        self.error(node, "type", f"“{field.name}”应为数字，不能是“{raw}”", hint)
        return _INVALID

    def in_range(self, node: ScalarNode, field: Field, value: float) -> Any:
        low, high, above = field.minimum, field.maximum, field.exclusive_minimum
        if (low is not None and value < low) or (high is not None and value > high) or (
            above is not None and value <= above
        ):
            bounds = []
            if above is not None:
                bounds.append(f"大于 {above:g}")
            if low is not None:
                bounds.append(f"不小于 {low:g}")
            if high is not None:
                bounds.append(f"不大于 {high:g}")
            self.error(node, "out-of-range", f"“{field.name}”应{'且'.join(bounds)}，不能是 {value:g}", field.description)
            return _INVALID
        return value

    def date(self, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        if tag == "timestamp":
            if len(raw) == 10:  # the usual 2012-03-08: one C call instead of PyYAML's regex
                try:
                    return dt.date.fromisoformat(raw)
                except ValueError:
                    pass  # 2012-02-30: said below, in the same words as any bad date
            try:
                value = _CONSTRUCT.construct_yaml_timestamp(node)
            except (ConstructorError, ValueError):
                value = None
            if isinstance(value, dt.datetime):
                self.error(node, "bad-date", f"“{field.name}”只写日期，不写时间：“{raw}”", "写成 2012-03-08")
                return _INVALID
            if isinstance(value, dt.date):
                return value
        elif tag == "str":
            parsed = parse_date(raw)
            if parsed is not None:
                return parsed
        self.error(
            node,
            "bad-date",
            f"“{field.name}”不是有效日期：“{raw}”",
            "写成 2012-03-08 或 2012年3月8日（并确认该日存在）",
        )
        return _INVALID


_INVALID: Any = object()


class _Elements(NamedTuple):
    """What the walk read from a list of scalars: the values and where each was written."""

    values: tuple[str, ...]
    marks: tuple[Any, ...]


class _Spans(Mapping[str, Pos]):
    """Where each key's value was written, as Pos made on demand from PyYAML's marks.

    There is one per value of every document and few are ever asked for (a check that
    fails): building them all took a fifth of the walk on a large repository.
    """

    __slots__ = ("marks", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Pos:
        mark = self.marks[key]
        return Pos(self.path, mark.line + 1, mark.column + 1)

    def __contains__(self, key: object) -> bool:
        return key in self.marks

    def __iter__(self) -> Iterator[str]:
        return iter(self.marks)

    def __len__(self) -> int:
        return len(self.marks)


Spans = Mapping[str, Pos]


# --- building typed documents ---------------------------------------------------------------

Values = tuple[dict[str, Any], Spans, Pos]


_Model = TypeVar("_Model")


def _assemble(cls: type[_Model], values: dict[str, Any], **more: Any) -> _Model:
    """A frozen model object from values the walk has already checked, made without the
    dataclass __init__, whose object.__setattr__ per field was the largest single cost of
    reading a large ledger. Fields not given keep their defaults (class attributes)."""
    made = object.__new__(cls)
    made.__dict__.update(values, **more)
    return made


def _build_many(rows: list[Values] | None, build: Callable[[Values], Any]) -> tuple[Any, ...]:
    out = []
    for row in rows or ():
        built = build(row)
        if built is not None:
            out.append(built)
    return tuple(out)


class _Builder:
    """Turns walked values into model objects, adding the checks one document can answer."""

    def __init__(self, walk: _Walk, settings: model.Settings) -> None:
        self.walk = walk
        self.path = walk.path
        self.settings = settings

    def add(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.walk.diagnostics.append(error(pos, code, message, hint))

    def rejected(self, pos: Pos, *keys: str) -> bool:
        """Whether any of ``keys`` was written at the mapping at ``pos`` but refused."""
        rejected = self.walk.rejected
        return bool(rejected) and any((pos, key) in rejected for key in keys)

    def target(self, row: Values) -> model.Target | None:
        values, spans, pos = row
        if "id" not in values or "name" not in values:
            return None
        if "target" in values:
            if "unit" not in values:
                self.add(pos, "missing-unit", f"目标“{values['id']}”写了 target，缺少计量单位 unit", "添加 unit: 人次（或 个、名、%、万元 等）")
        elif not self.rejected(pos, "target"):  # `target: 300人次` is reported, not a milestone
            for key in ("unit", "measure", "direction", "baseline", "pace"):
                if key in values:
                    self.add(
                        spans[key],
                        "milestone-field",
                        f"目标“{values['id']}”没有 target 数值，是节点任务，不能写 {key}",
                        "数值目标请补上 target；节点任务只需 name 和 due",
                    )
        start, due = values.get("start"), values.get("due")
        if start and due and due < start:
            self.add(spans["due"], "date-order", f"目标“{values['id']}”的完成时限 {due} 早于开始日期 {start}", "检查 start 和 due")
        if "pace" in values:
            values["pace"] = rules.read_pace(self.walk, values["pace"], self.settings) if "target" in values else None
        return _assemble(model.Target, values, pos=pos, spans=spans)

    def item(self, row: Values) -> model.Item | None:
        values, spans, pos = row
        if "id" not in values or "title" not in values:
            return None
        values["targets"] = _build_many(values.get("targets"), self.target)
        return _assemble(model.Item, values, pos=pos, spans=spans)

    def section(self, row: Values) -> model.Section | None:
        values, spans, pos = row
        if "title" not in values:
            return None
        values["items"] = _build_many(values.get("items"), self.item)
        return _assemble(model.Section, values, pos=pos, spans=spans)

    def plan(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Plan | None:
        values.pop("kind", None)
        org = values.get("org") or self.settings.org
        if not org:
            self.add(pos, "missing-key", "计划缺少单位名称 org", "在计划中写 org: 某某区妇联，或在 fedplan.yaml 中设置 org")
            return None
        if "year" not in values:
            return None
        values["org"] = org
        values.setdefault("title", f"{org}{values['year']}年工作要点")
        values["sections"] = _build_many(values.get("sections"), self.section)
        return _assemble(model.Plan, values, path=self.path, pos=pos, spans=spans)

    def entry(self, row: Values) -> model.Entry | None:
        values, spans, pos = row
        if "date" not in values or self.rejected(pos, "target", "item", "value", "done"):
            return None  # its error is reported; checking the rest would only add noise
        refs = [k for k in _ENTRY_REFS if k in values]
        if len(refs) != 1:
            self.add(
                pos,
                "entry-ref",
                "进展记录要写 target 或 item 之一" if not refs else f"进展记录不能同时写 {' 和 '.join(refs)}",
                "数值或节点任务写 target: 目标id；只记文字进展写 item: 事项id",
            )
            return None
        if "item" in values:  # a target's rules need the plan: fedplan.checks.progress
            for broken in entries.breaks(entries.ITEM, values):
                if broken.field is not None:
                    self.add(spans[broken.field], "entry-field", f"事项进展（item）不能写 {broken.field}", "数值写在对应的目标（target）下")
                elif not self.rejected(pos, "note"):
                    self.add(pos, "missing-note", "事项进展（item）要写 note 说明做了什么", "添加 note: …")
        allowed = _ENTRY_REFS[refs[0]]
        for key in ("grade",) if refs[0] == "item" else ("value", "done", "grade"):
            if key in values and key not in allowed:
                what = "事项进展（item）" if refs[0] == "item" else f"{refs[0]} 记录"
                self.add(spans[key], "entry-field", f"{what}不能写 {key}", _ENTRY_FIELD_HINT[refs[0]])
        return _assemble(model.Entry, values, path=self.path, pos=pos, spans=spans)

    def progress(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Progress | None:
        values.pop("kind", None)
        if "year" not in values:
            return None
        values["entries"] = _build_many(values.get("entries"), self.entry)
        return _assemble(model.Progress, values, path=self.path, pos=pos, spans=spans)

    def report(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Report | None:
        values.pop("kind", None)
        if "year" not in values or "title" not in values:
            return None
        values.setdefault("id", PurePosixPath(self.path).stem)
        if not ID_PATTERN.match(values["id"]):
            self.add(pos, "bad-id", f"报告编号“{values['id']}”（取自文件名）不合规", "给报告写 id: 字母数字编号，或改文件名")
        values.setdefault("as_of", dt.date(values["year"], 12, 31))
        values["sections"] = _build_many(
            values.get("sections"),
            lambda row: _assemble(model.ReportSection, row[0], spans=row[1], pos=row[2]) if "title" in row[0] else None,
        )
        values["signature"] = self._signature(values, spans)
        return _assemble(model.Report, values, path=self.path, pos=pos, spans=spans)

    def _signature(self, values: dict[str, Any], spans: Spans) -> model.Signature | None:
        got = values.get("signature")
        if got is None:
            return None
        sig_values, sig_spans = got
        return _assemble(model.Signature, sig_values, pos=spans["signature"], spans=sig_spans)

    def proposal(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Proposal | None:
        values.pop("kind", None)
        if "title" not in values:
            return None
        if "year" not in values and values.get("date"):
            values["year"] = values["date"].year
        values["recommendations"] = _build_many(
            values.get("recommendations"),
            lambda row: _assemble(model.Recommendation, row[0], spans=row[1], pos=row[2]) if "title" in row[0] else None,
        )
        values["signature"] = self._signature(values, spans)
        return _assemble(model.Proposal, values, path=self.path, pos=pos, spans=spans)


    def assessment(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Assessment | None:
        values.pop("kind", None)
        if "year" not in values or "title" not in values:
            return None
        values["indicators"] = _build_many(values.get("indicators"), self.indicator)
        bonus = values.pop("bonus", None)
        if bonus is not None:
            bonus_values = bonus[0]
            values["bonus_max"] = bonus_values.get("max")
            values["bonus"] = _build_many(bonus_values.get("items"), self.bonus_item)
        values["veto"] = _build_many(
            values.get("veto"),
            lambda row: _assemble(model.VetoItem, row[0], pos=row[2], spans=row[1]) if {"id", "name"} <= row[0].keys() else None,
        )
        return _assemble(model.Assessment, values, path=self.path, pos=pos, spans=spans)

    def indicator(self, row: Values) -> model.Indicator | None:
        values, spans, pos = row
        if not {"id", "name", "points"} <= values.keys():
            return None
        node = values.pop("rule", None)
        rule = rules.read_rule(self.walk, node, values["points"]) if node is not None else model.Rule(pos=pos)
        if rule is None:
            return None
        values["rule"] = rule
        values["evidence_required"] = values.pop("evidence", None) == "required"
        return _assemble(model.Indicator, values, pos=pos, spans=spans)

    def bonus_item(self, row: Values) -> model.BonusItem | None:
        values, spans, pos = row
        if not {"id", "name", "points"} <= values.keys():
            return None
        values["evidence_required"] = values.pop("evidence", None) == "required"
        return _assemble(model.BonusItem, values, pos=pos, spans=spans)


# Which figure each form of entry takes (SPEC §3.2, §3.5); the rest are reported.
_ENTRY_REFS: dict[str, tuple[str, ...]] = {
    "target": ("value", "done"),
    "item": (),
    "indicator": ("value", "grade"),
    "bonus": (),
    "veto": (),
}
_ENTRY_FIELD_HINT = {
    "target": "grade 只用于评等级的考核指标（indicator:）",
    "item": "数值写在对应的目标（target）下",
    "indicator": "按件计分的指标写 value，评等级的指标写 grade",
    "bonus": "加分项每条记录算一次，不写数值",
    "veto": "一票否决项只记发生的日期和说明",
}


def read_document(
    path: str, node: Node, settings: model.Settings
) -> tuple[model.Document | None, list[Diagnostic]]:
    """The typed document a file's root node describes, and every problem found in it alone."""
    walk = _Walk(path)
    kind = _kind_of(walk, node)
    if kind is None:
        return None, walk.diagnostics
    got = walk.mapping(node, KINDS[kind])
    if got is None:
        return None, walk.diagnostics
    values, spans = got
    builder = _Builder(walk, settings)
    build: Mapping[str, Callable[[dict[str, Any], Spans, Pos], Any]] = {
        "plan": builder.plan,
        "progress": builder.progress,
        "report": builder.report,
        "proposal": builder.proposal,
        "assessment": builder.assessment,
    }
    document = build[kind](values, spans, walk.pos(node))
    return document, walk.diagnostics


def _kind_of(walk: _Walk, node: Node) -> str | None:
    if not isinstance(node, MappingNode):
        walk.mapping(node, PLAN)  # reports "should be a mapping" with the right hint
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "kind":
            if not walk.safe_tag(value_node):
                return None
            kind = str(value_node.value).strip() if isinstance(value_node, ScalarNode) else ""
            if kind in KINDS:
                return kind
            close = difflib.get_close_matches(kind, list(KINDS), n=1)
            walk.error(
                value_node,
                "unknown-kind",
                f"不认识的文档类型“{kind}”",
                f"是不是“{close[0]}”？" if close else "kind 可以是 plan、progress、report、proposal、assessment",
            )
            return None
    walk.error(
        node,
        "missing-kind",
        "文档缺少 kind，无法判断是计划、台账、报告还是建议",
        "在第一行写 kind: plan（或 progress、report、proposal）",
    )
    return None


def read_settings(path: str, node: Node) -> tuple[model.Settings, list[Diagnostic]]:
    """Repository settings from fedplan.yaml's root node; defaults for whatever is invalid."""
    walk = _Walk(path)
    got = walk.mapping(node, SETTINGS)
    if got is None:
        return model.Settings(), walk.diagnostics
    values, spans = got
    if "date_style" in values:
        values["date_style"] = str(values["date_style"])
    # a default_factory field has no class default for _assemble to fall back on
    values["pace_profiles"] = rules.read_profiles(walk, values["pace_profiles"]) if "pace_profiles" in values else {}
    return _assemble(model.Settings, values, pos=walk.pos(node), spans=spans), walk.diagnostics


# --- JSON Schema for editors ------------------------------------------------------------------

# Editors run schema patterns as JavaScript regular expressions, where \w is ASCII only:
# spell out the letters ids may use (ASCII word characters and CJK ideographs), so an id
# like 农技培训 that `fedplan validate` accepts is not underlined in the editor.
EDITOR_ID_PATTERN = r"^[0-9A-Za-z_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff-]+$"

_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{4}年\d{1,2}月\d{1,2}日$"},
    ]
}


def _field_schema(field: Field) -> dict[str, Any]:
    out: dict[str, Any]
    if field.spec is not None:
        inner = _spec_schema(field.spec)
        out = {"type": "array", "items": inner} if field.many else inner
    elif field.type in ("str", "text"):
        out = {"type": "string"}
    elif field.type == "id":
        out = {"type": "string", "pattern": EDITOR_ID_PATTERN}
    elif field.type == "int":
        out = {"type": "integer"}
    elif field.type == "number":
        out = {"type": "number"}
    elif field.type == "bool":
        out = {"type": "boolean"}
    elif field.type == "date":
        out = dict(_DATE_SCHEMA)
    elif field.type == "enum":
        out = {"enum": list(field.choices)}
        if field.name == "date_style":
            out = {"enum": ["auto", "2012", "1999", 2012, 1999]}
    elif field.type == "node":
        out = dict(field.shape or {})
    elif field.type in ("ids", "strs"):
        items: dict[str, Any] = {"type": "string"}
        if field.type == "ids":
            items["pattern"] = EDITOR_ID_PATTERN
        out = {"type": "array", "items": items}
    else:  # pragma: no cover
        raise AssertionError(field.type)
    for key, bound in (
        ("minimum", field.minimum),
        ("maximum", field.maximum),
        ("exclusiveMinimum", field.exclusive_minimum),
    ):
        if bound is not None:
            out[key] = bound
    out["description"] = field.description
    return out


def _spec_schema(spec: Spec) -> dict[str, Any]:
    required = [f.name for f in spec.fields if f.required]
    schema: dict[str, Any] = {
        "type": "object",
        "description": spec.description or spec.name,
        "properties": {f.name: _field_schema(f) for f in spec.fields},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft-07) of a document kind, or of the settings file (``settings``)."""
    spec = SETTINGS if kind == "settings" else KINDS[kind]
    schema = _spec_schema(spec)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = f"https://fedplan.invalid/schema/{kind}.json"
    schema["title"] = f"fedplan {kind}"
    return schema
