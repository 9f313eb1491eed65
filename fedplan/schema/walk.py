"""The walk: one document's YAML nodes read against a Spec, with the position of every value
kept and every problem collected as a Diagnostic. What each value may be is its field type's
business (fedplan.schema.fields); the walk does the mapping: keys, duplicates, tags."""

from __future__ import annotations

from array import array
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from fedplan.diagnostics import Diagnostic, Pos, error
from fedplan.model import Spans  # the parse cache unpickles it without the schema
from fedplan.schema.fields import INVALID, MERGE_TAG, SAFE_TAGS, TAG, Elements, Field, Spec
from fedplan.suggest import closest, did_you_mean

# The key tuples of the mappings read so far, so that every entry written with the same keys
# shares one tuple (bounded: a pathological file of distinct keys only stops the sharing).
_KEY_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_KEY_TUPLES = 4096


def shared_keys(keys: list[str]) -> tuple[str, ...]:
    found = tuple(keys)
    kept = _KEY_TUPLES.get(found)
    if kept is not None:
        return kept
    if len(_KEY_TUPLES) < _MAX_KEY_TUPLES:
        _KEY_TUPLES[found] = found
    return found


class EntryColumns:
    """A batch of ledger entries (fedplan.fastledger): those written one key a line, read
    by columns, and the rows of the others between them. Of the former: for each entry its SpansForm and the line it starts at; for each key written in
    any of them, its values in entry order (None where not written) and which entries wrote
    it (None: all did). The builder makes their model objects column by column."""

    __slots__ = ("columns", "forms", "inserts", "lines")

    def __init__(
        self,
        forms: list[Any],
        lines: list[int],
        columns: dict[str, tuple[list[Any], list[bool] | None]],
        inserts: list[tuple[int, Any]] | None = None,
    ) -> None:
        self.forms = forms
        self.lines = lines
        self.columns = columns
        # The entries between them read otherwise, as rows: (how many of the run come
        # before it, the row), in order.
        self.inserts = inserts or []

    def __len__(self) -> int:
        return len(self.lines)

    def values(self, n: int) -> dict[str, Any]:
        """The values of entry ``n``, as the walk gives a mapping's."""
        return {attr: got[n] for attr, (got, wrote) in self.columns.items() if wrote is None or wrote[n]}


class Walk:
    """Reads one document's nodes against a Spec, collecting Diagnostics as it goes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        # (mapping position, key) of values written but refused with an error, so the
        # builder does not pile a second, misleading error ("missing value") on top.
        self.rejected: set[tuple[Pos, str]] = set()
        # Line and column (1-based) of every value read, two integers each (see Spans).
        self.table: array[int] = array("I")
        # Lines before the nodes being read: a chunk of a large ledger is composed alone
        # (fedplan.source.ChunkedSequence), its marks counting from its first line.
        self.line_offset = 0

    def pos(self, node: Node) -> Pos:
        # source.node_pos inlined: this runs for every value of every document.
        mark = node.start_mark
        return Pos(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def error(self, node: Node, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(error(self.pos(node), code, message, hint))

    def safe_tag(self, node: Node) -> bool:
        if node.tag in SAFE_TAGS:
            return True
        self.error(
            node,
            "unsafe-tag",
            f"不允许使用 YAML 标签 {node.tag.replace(TAG, '!!', 1)}",
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
        keys: list[str] = []
        places: list[int] = []  # line, column of each of keys
        below = 1 + self.line_offset  # a mark's 0-based line → the file's 1-based one
        seen: dict[str, Node] = {}
        by_name = spec.by_name
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:  # libyaml tags "<<" itself
                self.unknown_key(key_node, "<<", spec)
                continue
            if key_node.tag not in SAFE_TAGS and not self.safe_tag(key_node):
                continue
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, "type", "键必须是简单的文字")
                continue
            key = str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + below
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
            quick = field.quick
            if quick is not None and value_node.__class__ is ScalarNode:
                # The spellings nearly every value has, read inline by the field's type: this
                # loop runs for every key of every document, and the full reading costs
                # several calls a value. Anything unusual falls through to it unchanged.
                got = quick(value_node.tag, value_node.value)
                if got is not INVALID:
                    values[field.attr] = got
                    mark = value_node.start_mark
                    keys.append(field.attr)
                    places.append(mark.line + below)
                    places.append(mark.column + 1)
                    continue
            before = len(self.diagnostics)
            value = self.value(value_node, field)
            if value is INVALID:
                if len(self.diagnostics) > before:
                    self.rejected.add((self.pos(node), field.attr))
            elif value.__class__ is Elements:
                # A list of scalars: each element keeps its own place ("items.0", …), so a
                # check can point at the one id that is wrong, not at the list.
                values[field.attr] = value.values
                mark = value_node.start_mark
                keys.append(field.attr)
                places += (mark.line + below, mark.column + 1)
                for n, mark in enumerate(value.marks):
                    keys.append(f"{field.attr}.{n}")
                    places += (mark.line + below, mark.column + 1)
            else:
                values[field.attr] = value
                mark = value_node.start_mark
                keys.append(field.attr)
                places += (mark.line + below, mark.column + 1)
        for field in spec.required:
            if field.attr not in values and field.name not in seen and (self.pos(node), field.attr) not in self.rejected:
                self.error(
                    node,
                    "missing-key",
                    f"{spec.name}缺少必填的键“{field.name}”（{field.description}）",
                    f"添加一行 {field.name}: …",
                )
        table = self.table
        mark = node.start_mark
        table.append(mark.line + below)
        table.append(mark.column + 1)
        spans = Spans(self.path, shared_keys(keys), table, len(table), origin=True)
        table.extend(places)
        return values, spans

    def unknown_key(self, key_node: Node, key: str, spec: Spec) -> str | None:
        """Report a key the spec does not know; return the key it probably meant."""
        if key == "<<":
            self.error(key_node, "unknown-key", "不支持 YAML 合并键“<<”", "把要合并的内容直接写出来")
            return None
        close = closest(key, spec.names)
        hint = did_you_mean(key, spec.names, "可用的键：" + "、".join(spec.names))
        self.error(key_node, "unknown-key", f"{spec.name}中没有“{key}”这个键", hint)
        return close[0] if close else None

    def value(self, node: Node, field: Field) -> Any:
        if node.tag not in SAFE_TAGS and not self.safe_tag(node):
            return INVALID
        return field.type.read(self, node, field)
