"""Appending one entry to a progress ledger without changing a byte that was already there.

The file is only ever *added to*: the new entry's lines are inserted after the last line of
the existing ``entries`` sequence (or at the end of the file), written with the file's own
newline style (LF or CRLF) and the indentation its entries already use. Comments, key
order, quoting, blank lines and a byte-order mark stay exactly as they were. The
exceptions: an empty ``entries: []`` (or ``entries: ~``): those few characters that
mean "no entries" give way to the first entry, since an empty flow list cannot grow in
block style any other way; and in a file without a final newline whose last note is a
``|`` block, that block's indicator becomes ``|-`` so the note keeps its exact value.

Pure text in, text out; no file system and no printing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fedplan import source
from fedplan.diagnostics import Diagnostic, FedplanError
from fedplan.model import Entry, Number
from fedplan.schema.fields import plain_decimal
from fedplan.source import compose, decode

DEFAULT_DASH = 2  # "  - date: …" as in SPEC §3.2
_COMMENT_LINE = re.compile(r"[ \t]*#")


def entry_fields(entry: Entry) -> list[tuple[str, str]]:
    """Key and YAML scalar text of each field of ``entry``, in the order SPEC §3.2 writes them."""
    rows = [("date", entry.date.isoformat())]
    if entry.target is not None:
        rows.append(("target", scalar(entry.target)))
    if entry.item is not None:
        rows.append(("item", scalar(entry.item)))
    if entry.value is not None:
        rows.append(("value", format_number(entry.value)))
    if entry.done:
        rows.append(("done", "true"))
    if entry.note:
        rows.append(("note", scalar(entry.note)))
    if entry.by:
        rows.append(("by", scalar(entry.by)))
    return rows


def format_number(value: Number) -> str:
    """120 → "120", 12.5 → "12.5", 300.0 → "300", 0.000001 → "0.000001" (never "1e-06":
    YAML 1.1 reads an exponent without a dot as text, so the entry would not load back)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return plain_decimal(value) if isinstance(value, float) else str(value)


# --- YAML scalars, also written by fedplan import and fedplan init -----------------------

_RESOLVER = yaml.resolver.Resolver()
_PLAIN_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]")
# Characters no plain or block scalar may hold.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# What a YAML reader accepts unescaped in a double-quoted scalar (minus the line breaks
# \x85, \u2028, \u2029, which it would fold into spaces).
_UNPRINTABLE = re.compile("[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def scalar(value: str | int | float | bool | dt.date | None) -> str:
    """One YAML scalar that loads back as exactly ``value``: a string plain when YAML would
    read it back as itself, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, dt.date):
        return str(value)
    text = value
    plain = (
        text
        and not _PLAIN_START.match(text)
        and text == text.strip()
        and "\t" not in text
        and not text.endswith(":")
        and ": " not in text
        and " #" not in text
        and "\n" not in text
        and not CONTROL.search(text)
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    )
    return text if plain else quoted(text)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, every unprintable character escaped."""
    body = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def new_ledger(entry: Entry, *, year: int, header: str = "", newline: str = "\n") -> bytes:
    """A whole new progress file holding ``entry``; ``header`` lines become ``# `` comments."""
    comments = [f"# {line}".rstrip() for line in header.splitlines()]
    return _join([*comments, *_document_lines([entry], year=year)], newline).encode("utf-8")


def append_entry(data: bytes, entry: Entry, *, path: str = "progress.yaml") -> bytes:
    """``data`` (a progress file) with ``entry`` added at the end of its ``entries``."""
    return append_entries(data, [entry], path=path)


def append_entries(data: bytes, entries: Sequence[Entry], *, path: str = "progress.yaml") -> bytes:
    """``data`` with ``entries`` added, in order, at the end of its ``entries`` — the file is
    read once whatever their number (``log --from`` adds a whole spreadsheet)."""
    added = list(entries)
    entry = added[0]
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text, problems = decode(path, data)
    if text is None:
        first = problems[0]
        raise FedplanError(f"{path}: {first.message}", code="ledger-encoding", hint=first.hint)
    newline = "\r\n" if "\r\n" in text else "\n"
    root, problems = _compose_for_append(path, text)
    syntax = [d for d in problems if d.code != "empty-document"]
    if syntax:
        raise FedplanError(
            f"{syntax[0].pos}: {syntax[0].message}，无法追加记录",
            code="ledger-syntax",
            hint="先改正这个文件（fedplan validate 会指出位置）",
        )
    if root is not None and text and text[-1] not in "\r\n":
        fixed = _strip_last_block(path, root, text)
        if fixed != text:
            text = fixed
            root, _ = _compose_for_append(path, text)
    if root is None:  # empty, or comments only
        block = _join(_document_lines(added, year=entry.date.year), newline)
        return bom + _insert(text, len(text), block, newline).encode("utf-8")
    if not isinstance(root, MappingNode) or root.flow_style:
        raise unsupported(path, "文件的顶层不是逐行书写的键值映射")
    _check_kind(path, root)
    existing = _value_of(root, "entries")
    if existing is None:
        block = _join(["entries:", *_entries_lines(added, dash=DEFAULT_DASH, content=DEFAULT_DASH + 2)], newline)
        return bom + _insert(text, len(text), block, newline).encode("utf-8")
    key, value = existing
    if _is_empty(value):
        # "entries: []" / "entries: ~" / "entries:" — drop the empty value, add the block below.
        dash = key.start_mark.column + DEFAULT_DASH
        block = _join(_entries_lines(added, dash=dash, content=dash + 2), newline)
        start, end = value.start_mark.index, value.end_mark.index
        if start == end:  # a bare "entries:": the empty value's mark may sit on the next line
            start = end = key.end_mark.index
        elif not text[end : _line_end(text, end)].strip():
            while text[start - 1] == " ":  # no trailing blank after "entries:"
                start -= 1
        text = text[:start] + text[end:]
        offset = _line_end(text, start)
        return bom + _insert(text, offset, block, newline).encode("utf-8")
    if not isinstance(value, SequenceNode) or value.flow_style:
        raise unsupported(path, "entries 写成了一行内的 [ … ] 形式或不是列表")
    dash = value.start_mark.column
    first = value.value[0]
    content = first.start_mark.column if isinstance(first, MappingNode) and not first.flow_style else dash + 2
    block = _join(_entries_lines(added, dash=dash, content=content), newline)
    offset = _after_comments(text, _line_end(text, _content_end(value)), dash)
    return bom + _insert(text, offset, block, newline).encode("utf-8")


def appended(
    data: bytes, entries: Sequence[Entry], *, path: str = "progress.yaml", skip: tuple[int, int] | None = None
) -> tuple[int, bytes]:
    """``append_entries(data, entries)`` as ``(kept, rest)``: the new file is ``data[:kept]``
    followed by ``rest`` — a writer streams the first part from the old bytes, so a large
    ledger is not held twice.

    ``skip``: ``data[start:end]`` are whole lines of entries of the list at its dashes'
    column, after its first entry and before its last (the caller knows them from reading
    the file): the append never looks at them, since what it reads is the first entry's
    indent and where the last one ends. A ledger of a million entries is then appended to
    by reading two of them. If the change would reach before ``end``, the whole is read."""
    if skip is not None:
        start, end = skip
        reduced = data[:start] + data[end:]
        out = append_entries(reduced, entries, path=path)
        same = common_prefix(reduced, out)
        if same >= start:
            return same + end - start, out[same:]
    out = append_entries(data, entries, path=path)
    same = common_prefix(data, out)
    return same, out[same:]


def common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix of ``a`` and ``b``: slices compared in C by
    halving (a byte-by-byte loop took seconds on a ledger of a million entries)."""
    if b.startswith(a):
        return len(a)  # the usual case: entries appended at the end
    low, high = 0, min(len(a), len(b))  # a[:low] == b[:low]; a[:high + 1] != b[:high + 1]
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _compose_for_append(path: str, text: str) -> tuple[Node | None, list[Diagnostic]]:
    """The root of ``text`` as far as appending needs it. A large plain ledger is composed
    a chunk of entries at a time (fedplan.source.ChunkedSequence) and its ``entries`` kept
    as their first and last entry only: what the append reads is the dashes' column, the
    first entry's indent and where the last one ends, and a block list's items end in order.
    Composing a 142 MB ledger whole held 4 GB of nodes. Anything unusual — entries not
    running to the end of the file, a chunk that does not compose — composes it whole."""
    root, problems = compose(path, text, chunked=True)
    if root is None or problems or not isinstance(root, MappingNode):
        return root, problems
    places = [n for n, (_, value) in enumerate(root.value) if isinstance(value, source.ChunkedSequence)]
    if not places:
        return root, problems
    key, entries = root.value[places[0]]
    pruned = _first_and_last(entries) if entries.end == len(text) else None
    if pruned is None:
        return compose(path, text)
    root.value[places[0]] = (key, pruned)
    return root, problems


def _first_and_last(entries: source.ChunkedSequence) -> SequenceNode | None:
    """``entries`` with only its first and last entry, at their places in ``text``; None if a
    chunk does not compose as it should."""
    kept: list[Node] = []
    column = entries.start_mark.column
    try:
        for n, (line, nodes) in enumerate(entries.chunks()):
            start = entries.starts[n * source.CHUNK_ENTRIES] - column
            if not kept:
                kept.append(_moved(nodes[0], start, line))
            last = (nodes[-1], start, line)
    except source.ChunkFailed:
        return None
    kept.append(_moved(*last))
    return SequenceNode(entries.tag, kept, entries.start_mark, kept[-1].end_mark, flow_style=False)


def _moved(node: Node, index: int, line: int) -> Node:
    """``node``, composed from a piece of the text starting at ``index`` (line ``line``), with
    its marks where they are in the whole text (a fresh copy; columns are unchanged)."""

    def mark(old: yaml.Mark) -> yaml.Mark:
        return yaml.Mark(old.name, old.index + index, old.line + line, old.column, None, 0)

    if isinstance(node, ScalarNode):
        return ScalarNode(node.tag, node.value, mark(node.start_mark), mark(node.end_mark), node.style)
    if isinstance(node, SequenceNode):
        items = [_moved(child, index, line) for child in node.value]
        return SequenceNode(node.tag, items, mark(node.start_mark), mark(node.end_mark), node.flow_style)
    assert isinstance(node, MappingNode)
    pairs = [(_moved(k, index, line), _moved(v, index, line)) for k, v in node.value]
    return MappingNode(node.tag, pairs, mark(node.start_mark), mark(node.end_mark), node.flow_style)


def _strip_last_block(path: str, root: Node, text: str) -> str:
    """``text`` (which lacks a final newline) made safe to append to: a ``|`` or ``>`` block
    scalar running to the end of the file reads without a final line break only because the
    file ends there, so the line break the new entry brings would become part of it (the
    last note would change). Its indicator gains the strip sign (``|`` → ``|-``), which
    keeps the value exactly as it was; a ``|+`` block cannot be kept so and is refused."""
    last = _last_scalar(root)
    if last is None or last.style not in ("|", ">") or text[last.end_mark.index :].strip(" \t"):
        return text
    start = last.start_mark.index + 1
    end = start
    while end < len(text) and (text[end].isdigit() or text[end] in "+-"):
        end += 1
    indicators = text[start:end]
    if "-" in indicators:
        return text
    if "+" in indicators:
        raise unsupported(path, "文件末尾没有换行，且最后一条说明用了 |+ 写法")
    return text[:start] + "-" + text[start:]


def _last_scalar(node: Node) -> ScalarNode | None:
    """The scalar that ends last in ``node``."""
    if isinstance(node, ScalarNode):
        return node
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = list(node.value)
    elif isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    found = [s for s in (_last_scalar(child) for child in children) if s is not None]
    return max(found, key=lambda s: s.end_mark.index, default=None)


def _document_lines(entries: Sequence[Entry], *, year: int) -> list[str]:
    lines = ["kind: progress", f"year: {year}", "entries:"]
    return lines + _entries_lines(entries, dash=DEFAULT_DASH, content=DEFAULT_DASH + 2)


def _entries_lines(entries: Sequence[Entry], *, dash: int, content: int) -> list[str]:
    return [line for entry in entries for line in _entry_lines(entry, dash=dash, content=content)]


def _entry_lines(entry: Entry, *, dash: int, content: int) -> list[str]:
    lines = []
    for n, (key, text) in enumerate(entry_fields(entry)):
        lead = " " * dash + "-" + " " * (content - dash - 1) if n == 0 else " " * content
        lines.append(f"{lead}{key}: {text}")
    return lines


def _join(lines: list[str], newline: str) -> str:
    return newline.join(lines) + newline


def _insert(text: str, offset: int, block: str, newline: str) -> str:
    """``block`` inserted at ``offset`` (a line start, or the end of a last line without newline)."""
    if offset > 0 and text[offset - 1] not in "\r\n":
        block = newline + block
    return text[:offset] + block + text[offset:]


def _line_end(text: str, index: int) -> int:
    """The start of the line after the one holding ``index`` (or the end of the text)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _content_end(node: Node) -> int:
    """Where the last scalar inside ``node`` ends (a block's own end mark runs into what follows)."""
    if isinstance(node, ScalarNode):
        return int(node.end_mark.index)
    children: list[Node] = []
    if isinstance(node, SequenceNode) and not node.flow_style:
        children = list(node.value)
    elif isinstance(node, MappingNode) and not node.flow_style:
        children = [part for pair in node.value for part in pair]
    if not children:
        return int(node.end_mark.index)
    return max(_content_end(child) for child in children)


def _after_comments(text: str, offset: int, dash: int) -> int:
    """Past comment lines indented deeper than the entries' dashes: they belong to the last entry."""
    while offset < len(text):
        found = text.find("\n", offset)
        end = len(text) if found < 0 else found + 1
        line = text[offset:end].rstrip("\r\n")
        indent = len(line) - len(line.lstrip(" "))
        if not _COMMENT_LINE.match(line) or indent <= dash:
            break
        offset = end
    return offset


def _value_of(mapping: MappingNode, name: str) -> tuple[Node, Node] | None:
    for key, value in mapping.value:
        if isinstance(key, ScalarNode) and key.value == name:
            return key, value
    return None


def _is_empty(node: Node) -> bool:
    if isinstance(node, SequenceNode):
        return bool(node.flow_style) and not node.value
    return isinstance(node, ScalarNode) and node.tag.endswith(":null")


def _check_kind(path: str, root: MappingNode) -> None:
    found = _value_of(root, "kind")
    kind = found[1].value if found is not None and isinstance(found[1], ScalarNode) else None
    if kind != "progress":
        raise FedplanError(
            f"{path} 不是进展台账（kind: {kind or '未写'}），记录只能写入 kind: progress 的文件",
            code="not-a-ledger",
            hint="用 --file 指定 plans/<年度>/progress/ 下的台账文件",
        )


def unsupported(path: str, why: str) -> FedplanError:
    """The ledger at ``path`` cannot be appended to without changing what it holds: ``why``."""
    return FedplanError(
        f"无法在 {path} 末尾追加记录而不改动原有内容：{why}",
        code="ledger-layout",
        hint="把 entries 改为每条以“- ”开头、逐行书写的形式（如 SPEC 示例），或用 --file 写入另一个台账",
    )
