"""Field types as objects (mkdocs' config_options): each knows how to read its values, its
fast path for the common spellings, its JSON Schema fragment and its Chinese name.

A ``Field`` is one key of a mapping — its name, its type (an instance of one of the classes
below, carrying that type's parameters: bounds, choices, the nested ``Spec``), whether it
must be written and what it means. A ``Spec`` is the keys of one kind of mapping.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cached_property
from sys import intern
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import Node, ScalarNode, SequenceNode

from fedplan.dates import parse_date
from fedplan.hanzi import HAN_IDEOGRAPHS
from fedplan.records import record
from fedplan.source import ChunkedSequence
from fedplan.suggest import did_you_mean

if TYPE_CHECKING:
    from fedplan.schema.walk import Walk

ID_PATTERN = re.compile(r"^[\w-]+$")
# Texts this short (units, departments, short notes) are kept once however often written.
SHARED_TEXT = 24
# Editors run schema patterns as JavaScript regular expressions, where \w is ASCII only:
# spell out the letters ids may use (ASCII word characters and CJK ideographs), so an id
# like 农技培训 that `fedplan validate` accepts is not underlined in the editor.
EDITOR_ID_PATTERN = f"^[0-9A-Za-z_{HAN_IDEOGRAPHS}-]+$"

TAG = "tag:yaml.org,2002:"
SAFE_TAGS = frozenset(TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))
MERGE_TAG = TAG + "merge"
STR_TAG, INT_TAG, NULL_TAG, TIMESTAMP_TAG = TAG + "str", TAG + "int", TAG + "null", TAG + "timestamp"
BOOL_TAG, FLOAT_TAG = TAG + "bool", TAG + "float"
_SHORT_TAGS = {tag: tag[len(TAG) :] for tag in SAFE_TAGS}
_CONSTRUCT = SafeConstructor()

# What a reader returns for a value it refused (having reported why) or could not take.
INVALID: Any = object()

Quick = Callable[[str, str], Any]  # (tag, raw text) → value, or INVALID to take the full path


class Elements(NamedTuple):
    """What a list of scalars was read as: the values and where each was written."""

    values: tuple[str, ...]
    marks: tuple[Any, ...]


class FieldType:
    """How one type of value is read, described to editors and named in messages."""

    label: ClassVar[str]  # Chinese, as in “value”应为{label}

    def read(self, walk: Walk, node: Node, field: Field) -> Any:
        """The value of ``node`` (its tag already known safe), or INVALID after an error."""
        if not isinstance(node, ScalarNode):
            walk.error(
                node,
                "type",
                f"“{field.name}”应为{self.label}，不能是{'列表' if isinstance(node, SequenceNode) else '映射'}",
                f"{field.name}：{field.description}",
            )
            return INVALID
        tag = _SHORT_TAGS.get(node.tag) or node.tag[len(TAG) :]
        if tag == "null":
            if field.required:
                walk.error(node, "empty-value", f"“{field.name}”不能为空", f"{field.name}：{field.description}")
            return INVALID
        return self.scalar(walk, node, field, tag, str(node.value))

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        raise NotImplementedError  # pragma: no cover - every scalar type defines it

    def quick(self, field: Field) -> Quick | None:
        """A reader for the spellings nearly every value has, which the walk tries inline
        before read(): it returns INVALID for anything unusual, never reports. None: none."""
        return None

    def verbatim(self, field: Field) -> float:
        """The length above which ``quick`` reads a plain token YAML takes as text (tag str),
        without trailing spaces, as that token itself (the fast ledger reader then need
        not ask it); infinite: never so."""
        return math.inf

    def json(self) -> dict[str, Any]:
        """This type's JSON Schema fragment (the field adds its description)."""
        raise NotImplementedError  # pragma: no cover


class Str(FieldType):
    """One line of text (surrounding spaces dropped)."""

    label = "文字"

    def text(self, raw: str) -> str:
        return raw.strip()

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        text = self.text(raw)
        if not text.strip() and field.required:
            walk.error(node, "empty-value", f"“{field.name}”不能为空", f"{field.name}：{field.description}")
            return INVALID
        return text

    def quick(self, field: Field) -> Quick | None:
        required, text_of = field.required, self.text

        def read(tag: str, raw: str) -> Any:
            if tag != STR_TAG:
                return INVALID
            text = text_of(raw)
            if len(text) <= SHARED_TEXT:  # units, departments: one string, not one per entry
                text = intern(text)
            return text if not required or text.strip() else INVALID

        return read

    def json(self) -> dict[str, Any]:
        return {"type": "string"}


class Text(Str):
    """Text that may run over several lines, kept as written (but its last newline)."""

    def text(self, raw: str) -> str:
        return raw.rstrip("\n")

    def verbatim(self, field: Field) -> float:
        # quick: a str token, its last newline dropped (a one-line token has none), kept
        # whole when longer than SHARED_TEXT (not interned), never empty then.
        return SHARED_TEXT


def bad_id(walk: Walk, node: Node, text: str) -> None:
    walk.error(
        node,
        "bad-id",
        f"编号“{text}”不合规：只能由字母、数字、汉字、下划线和连字符组成",
        "去掉空格和标点，如 farm-training 或 农技培训",
    )


class Id(FieldType):
    """An id: letters, digits, Han characters, ``_`` and ``-``."""

    label = "编号"

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        text = raw.strip()
        if not ID_PATTERN.match(text):
            bad_id(walk, node, text)
            return INVALID
        return text

    def quick(self, field: Field) -> Quick | None:
        def read(tag: str, raw: str) -> Any:
            if tag != STR_TAG:
                return INVALID
            text = raw.strip()
            return intern(text) if ID_PATTERN.match(text) else INVALID  # an id repeats in every entry

        return read

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": EDITOR_ID_PATTERN}


class Choice(FieldType):
    """One of a few words."""

    label = "选项"

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        text = raw.strip()
        if text not in self.choices:
            listed = "、".join(self.choices)
            hint = did_you_mean(text, self.choices, f"可选：{listed}")
            walk.error(node, "bad-value", f"“{field.name}”只能是 {listed}，不能是“{text}”", hint)
            return INVALID
        return text

    def json(self) -> dict[str, Any]:
        # A choice spelt in digits (date_style: 2012) is a number to YAML and to editors.
        return {"enum": [*self.choices, *(int(c) for c in self.choices if c.isdigit())]}


_LOOK_LIKE_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1"}
# 1e3, 2.5E-4: YAML 1.1 (PyYAML) reads an exponent without a dot and a sign as text.
SCIENTIFIC = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d{1,4}")
# The figure is taken whole ((?![\d.,，])): retried shorter, the unit would be its last
# digits (which the caller disregards) and "1111…1 a b" rescanned them once per digit.
_UNIT_IN_NUMBER = re.compile(r"^\s*[-+]?[\d.,，]+(?![\d.,，])\s*(\S+)\s*$")
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_PLAIN_FRACTION = re.compile(r"[0-9]+\.[0-9]+")
_FULLWIDTH_DIGITS = re.compile(r"[０-９]")

# Every figure a plan, ledger or assessment holds — a count of 人次, 万元, a score, a ratio —
# lies far inside these bounds; outside them arithmetic overflows floats (a 401-digit value
# crashed status and report), Python refuses to read the digits (over 4,300 of them), or a
# value such as 4.9e-324 is a typing slip that renders as 0. Refused with number-magnitude.
MAGNITUDE_MAX = 10**12
MAGNITUDE_MIN = 1e-6
_MAX_DIGITS = len(str(MAGNITUDE_MAX))


def plain_decimal(value: float) -> str:
    """A number written out without an exponent: 1e3 → "1000", 2.5e-4 → "0.00025"."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _digits_meant(raw: str) -> str | None:
    """The number ``raw`` was meant to be when letters that look like digits stand among its
    digits (2O27, 1O0), else None."""
    text = raw.strip()
    if not re.search(r"\d", text) or not any(c in _LOOK_LIKE_DIGITS for c in text):
        return None
    meant = "".join(_LOOK_LIKE_DIGITS.get(c, c) for c in text)
    return meant if re.fullmatch(r"[-+]?\d+(\.\d+)?", meant) else None


class Number(FieldType):
    """A finite number, optionally bounded; never a figure YAML would silently change."""

    label = "数字"
    integer: ClassVar[bool] = False

    def __init__(
        self,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_minimum: float | None = None,
    ) -> None:
        self.minimum, self.maximum, self.exclusive_minimum = minimum, maximum, exclusive_minimum

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        if tag == "int" and raw.isascii() and raw.isdigit() and (raw[0] != "0" or raw == "0"):
            if len(raw) > _MAX_DIGITS or int(raw) > MAGNITUDE_MAX:
                return self.too_large(walk, node, field, raw)
            return self.in_range(walk, node, field, int(raw))  # the usual 300 (not octal 0300)
        if tag == "int" and not _PLAIN_INT.fullmatch(raw):
            # YAML 1.1 reads 0300 as octal 192, 1:30 as 90 and 0x1F as 31: a figure that
            # would silently become another number is refused, not guessed.
            digits = raw.lstrip("+-").replace("_", "")
            hint = (
                f"去掉开头的 0，写成 {field.name}: {digits.lstrip('0') or '0'}"
                if digits.isdigit()
                else "写成普通的十进制数（不用冒号，不用 0x、0o、0b 前缀）"
            )
            walk.error(
                node,
                "number-format",
                f"“{field.name}”的写法“{raw}”会被 YAML 当作另一个数（八进制、六十进制或十六进制）",
                hint,
            )
            return INVALID
        if tag in ("int", "float"):
            digits = raw.strip().lstrip("+-").replace("_", "")
            if tag == "int" and len(digits) > _MAX_DIGITS:
                return self.too_large(walk, node, field, raw)
            try:
                value: int | float = (
                    _CONSTRUCT.construct_yaml_int(node) if tag == "int" else _CONSTRUCT.construct_yaml_float(node)
                )
            except (ConstructorError, ValueError):
                walk.error(node, "type", f"“{field.name}”应为数字，不能是“{raw}”")
                return INVALID
            if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
                walk.error(node, "type", f"“{field.name}”应为有限的数字")
                return INVALID
            if self.integer and not isinstance(value, int):
                walk.error(node, "type", f"“{field.name}”应为整数，不能是“{raw}”")
                return INVALID
            if abs(value) > MAGNITUDE_MAX:
                return self.too_large(walk, node, field, raw)
            if value and abs(value) < MAGNITUDE_MIN:
                walk.error(
                    node,
                    "number-magnitude",
                    f"“{field.name}”的值“{raw}”太小：不为 0 的数，绝对值不能小于 0.000001",
                    f"{field.name}：{field.description}；检查是否多写了 e-、少写了小数位",
                )
                return INVALID
            if isinstance(value, float) and value.is_integer() and "." not in raw:
                value = int(value)
            return self.in_range(walk, node, field, value)
        hint = f"{field.name}：{field.description}"
        unit = _UNIT_IN_NUMBER.match(raw)
        if _FULLWIDTH_DIGITS.search(raw):
            hint = "请用半角数字 0-9，不要用全角数字"
        elif (meant := _digits_meant(raw)) is not None:
            swaps = "，".join(
                f"字母 {c} 改成数字 {_LOOK_LIKE_DIGITS[c]}" for c in sorted({c for c in raw if c in _LOOK_LIKE_DIGITS})
            )
            walk.error(
                node,
                "type",
                f"“{field.name}”的值“{raw}”里混进了像数字的字母，应为纯数字",
                f"改成 {field.name}: {meant}（{swaps}）",
            )
            return INVALID
        elif SCIENTIFIC.fullmatch(raw.strip()):
            value = float(raw)
            if abs(value) > MAGNITUDE_MAX:
                return self.too_large(walk, node, field, raw)
            walk.error(
                node,
                "type",
                f"“{field.name}”的值“{raw.strip()}”是科学计数法，应直接写出数字",
                f"改成 {field.name}: {plain_decimal(value)}",
            )
            return INVALID
        elif unit and re.search(r"\d", raw) and not re.fullmatch(r"[\d.,，]+", unit.group(1)):
            number = raw[: raw.index(unit.group(1))].strip()
            hint = (
                f"数字和单位要分开写：{field.name}: {number}，并另写 unit: {unit.group(1)}"
                if field.name == "target"
                else f"这里只写数字：{field.name}: {number}（单位写在目标的 unit 中）"
            )
            walk.error(node, "number-with-unit", f"“{field.name}”的值“{raw}”带有单位或文字，应为纯数字", hint)
            return INVALID
        elif re.fullmatch(r"[\d,，]+(\.\d+)?", raw.strip()):
            hint = "不要用千位分隔符或引号，直接写数字，如 2000"
        walk.error(node, "type", f"“{field.name}”应为数字，不能是“{raw}”", hint)
        return INVALID

    def too_large(self, walk: Walk, node: ScalarNode, field: Field, raw: str) -> Any:
        shown = raw.strip() if len(raw.strip()) <= 20 else f"{raw.strip()[:12]}…（共 {len(raw.strip())} 个字符）"
        walk.error(
            node,
            "number-magnitude",
            f"“{field.name}”的值“{shown}”太大：绝对值不能超过 1 万亿（10^12）",
            f"{field.name}：{field.description}；检查是否多写了数字或 e 后的指数",
        )
        return INVALID

    def inside(self, value: float) -> bool:
        low, high, above = self.minimum, self.maximum, self.exclusive_minimum
        return not (
            (low is not None and value < low) or (high is not None and value > high) or (above is not None and value <= above)
        )

    def in_range(self, walk: Walk, node: ScalarNode, field: Field, value: float) -> Any:
        if self.inside(value):
            return value
        bounds = []
        if self.exclusive_minimum is not None:
            bounds.append(f"大于 {self.exclusive_minimum:g}")
        if self.minimum is not None:
            bounds.append(f"不小于 {self.minimum:g}")
        if self.maximum is not None:
            bounds.append(f"不大于 {self.maximum:g}")
        walk.error(node, "out-of-range", f"“{field.name}”应{'且'.join(bounds)}，不能是 {value:g}", field.description)
        return INVALID

    def quick(self, field: Field) -> Quick | None:
        inside = self.inside
        bounded = (self.minimum, self.maximum, self.exclusive_minimum) != (None, None, None)

        integer = self.integer

        def read(tag: str, raw: str) -> Any:
            # The usual 300: plain ASCII digits, not octal 0300; out of bounds → full path.
            if tag == FLOAT_TAG and not integer and _PLAIN_FRACTION.fullmatch(raw):  # the usual 12.5
                fraction = float(raw)
                if fraction > MAGNITUDE_MAX or (fraction and fraction < MAGNITUDE_MIN):
                    return INVALID
                return fraction if not bounded or inside(fraction) else INVALID
            if tag != INT_TAG or not (raw.isascii() and raw.isdigit() and (raw[0] != "0" or raw == "0")):
                return INVALID
            if len(raw) > _MAX_DIGITS:
                return INVALID
            value = int(raw)
            if value > MAGNITUDE_MAX:
                return INVALID
            return value if not bounded or inside(value) else INVALID

        return read

    def json(self) -> dict[str, Any]:
        """The field's bounds, within the magnitudes every number keeps (|x| ≤ 10^12, and a
        non-zero x not closer to 0 than 10^-6), so an editor flags what validate refuses."""
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        low = -MAGNITUDE_MAX if self.minimum is None else max(self.minimum, -MAGNITUDE_MAX)
        high = MAGNITUDE_MAX if self.maximum is None else min(self.maximum, MAGNITUDE_MAX)
        if self.exclusive_minimum is None or self.exclusive_minimum < low:
            out["minimum"] = low
        out["maximum"] = high
        if self.exclusive_minimum is not None:
            out["exclusiveMinimum"] = self.exclusive_minimum
        if not self.integer and low < MAGNITUDE_MIN and high > -MAGNITUDE_MIN:
            out["not"] = {"exclusiveMinimum": -MAGNITUDE_MIN, "exclusiveMaximum": MAGNITUDE_MIN, "not": {"const": 0}}
        return out


class Integer(Number):
    label = "整数"
    integer = True


class Bool(FieldType):
    label = "true 或 false"

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
        if tag != "bool":
            walk.error(node, "type", f"“{field.name}”应为 true 或 false，不能是“{raw}”")
            return INVALID
        return bool(_CONSTRUCT.construct_yaml_bool(node))

    def quick(self, field: Field) -> Quick | None:
        words = SafeConstructor.bool_values

        def read(tag: str, raw: str) -> Any:
            return words.get(raw.lower(), INVALID) if tag == BOOL_TAG else INVALID

        return read

    def json(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Date(FieldType):
    """A day: 2012-03-08 or 2012年3月8日 (never a time)."""

    label = "日期"

    def scalar(self, walk: Walk, node: ScalarNode, field: Field, tag: str, raw: str) -> Any:
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
                walk.error(node, "bad-date", f"“{field.name}”只写日期，不写时间：“{raw}”", "写成 2012-03-08")
                return INVALID
            if isinstance(value, dt.date):
                return value
        elif tag == "str":
            parsed = parse_date(raw)
            if parsed is not None:
                return parsed
        walk.error(
            node,
            "bad-date",
            f"“{field.name}”不是有效日期：“{raw}”",
            "写成 2012-03-08 或 2012年3月8日（并确认该日存在）",
        )
        return INVALID

    def quick(self, field: Field) -> Quick | None:
        def read(tag: str, raw: str) -> Any:
            if tag != TIMESTAMP_TAG or len(raw) != 10:
                return INVALID
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                return INVALID

        return read

    def json(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}年\d{1,2}月\d{1,2}日$"},
            ]
        }


class Strs(FieldType):
    """A list of texts; each element keeps its own place (Elements)."""

    label = "文字列表"

    def element(self, walk: Walk, node: Node, text: str) -> bool:
        return True

    def read(self, walk: Walk, node: Node, field: Field) -> Any:
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            return Elements((), ())
        if not isinstance(node, SequenceNode):
            walk.error(node, "type", f"“{field.name}”应为列表，如 [甲, 乙]", f"{field.name}：{field.description}")
            return INVALID
        out: list[str] = []
        marks: list[Any] = []
        for child in node.value:
            if not walk.safe_tag(child):
                continue
            if not isinstance(child, ScalarNode) or child.tag == NULL_TAG:
                walk.error(child, "type", f"“{field.name}”的每一项应为文字")
                continue
            text = str(child.value).strip()
            if not self.element(walk, child, text):
                continue
            out.append(text)
            marks.append(child.start_mark)
        return Elements(tuple(out), tuple(marks))

    def json(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string"}}


class Ids(Strs):
    label = "编号列表"

    def element(self, walk: Walk, node: Node, text: str) -> bool:
        if ID_PATTERN.match(text):
            return True
        bad_id(walk, node, text)
        return False

    def json(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string", "pattern": EDITOR_ID_PATTERN}}


class Parsed(FieldType):
    """A value read later by its own parser (fedplan.rules: a scoring rule, a pace), which
    knows its forms; the walk hands over the node. ``shape`` is its JSON Schema."""

    label = "规则"

    def __init__(self, shape: Mapping[str, Any]) -> None:
        self.shape = shape

    def read(self, walk: Walk, node: Node, field: Field) -> Any:
        return node

    def json(self) -> dict[str, Any]:
        return dict(self.shape)


class Nested(FieldType):
    """A mapping of its own keys (a Spec): read as (values, spans)."""

    label = "键值映射"

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def read(self, walk: Walk, node: Node, field: Field) -> Any:
        got = walk.mapping(node, self.spec)
        return INVALID if got is None else got

    def json(self) -> dict[str, Any]:
        return self.spec.json()


class ListOf(FieldType):
    """A list of mappings of one Spec: read as [(values, spans, position), …]."""

    label = "列表"

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    def read(self, walk: Walk, node: Node, field: Field) -> Any:
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, SequenceNode):
            walk.error(node, "type", f"“{field.name}”应为列表（每项以“- ”开头）", f"{field.name}：{field.description}")
            return INVALID
        if isinstance(node, ChunkedSequence):  # a large ledger's entries: read where plain
            from fedplan.fastledger import read_entries

            return read_entries(node, walk, self.spec)
        out = []
        for child in node.value:
            got = walk.mapping(child, self.spec)
            if got is not None:
                out.append((got[0], got[1], walk.pos(child)))
        return out

    def json(self) -> dict[str, Any]:
        return {"type": "array", "items": self.spec.json()}


@record
class Field:
    """One key of a mapping: its type, whether it must be written, and what it means."""

    name: str
    type: FieldType
    description: str
    required: bool = False

    @cached_property
    def attr(self) -> str:
        """The model attribute this key fills (``from`` is a Python keyword)."""
        return "from_" if self.name == "from" else self.name

    @cached_property
    def quick(self) -> Quick | None:
        return self.type.quick(self)

    def json(self) -> dict[str, Any]:
        out = self.type.json()
        out["description"] = self.description
        return out


@record
class Spec:
    name: str  # Chinese name of the mapping, for messages ("目标", "进展记录")
    fields: tuple[Field, ...]
    description: str = ""

    def field(self, name: str) -> Field | None:
        return self.by_name.get(name)

    # Looked up once per key of every mapping of every document: a dict, not a scan.
    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def json(self) -> dict[str, Any]:
        """JSON Schema of this mapping: its keys, none other, the required ones."""
        schema: dict[str, Any] = {
            "type": "object",
            "description": self.description or self.name,
            "properties": {f.name: f.json() for f in self.fields},
            "additionalProperties": False,
        }
        required = [f.name for f in self.required]
        if required:
            schema["required"] = required
        return schema
