"""From bytes to YAML nodes with positions, the careful way.

- UTF-8 with or without BOM, LF or CRLF; GBK/GB18030, Big5 and other encodings are errors
  that say what the file is and how to convert it.
- Only composed, never constructed: a ``!!python/...`` tag is just a string on a node, and
  the schema walk rejects it. Nothing a document says is ever executed.
- libyaml's C composer when present (about 14× faster than the pure-Python one).
- Positions: PyYAML's marks are 0-based; :func:`pos_of` is the one place they become 1-based.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fedplan.diagnostics import Diagnostic, Pos, codes, error

# The codes reading a file's bytes into YAML nodes may report (fedplan.diagnostics.REGISTRY).
CODES = codes(
    "encoding-gbk", "encoding", "yaml-syntax", "yaml-too-deep", "yaml-alias-cycle", "yaml-alias-bomb",
    "empty-document",
)

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

USING_LIBYAML = _BaseLoader.__name__.startswith("C")

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_RESOLVED: dict[str, str] = {}


class _Loader(_BaseLoader):
    """The safe loader with a memo of plain scalars' implicit tags.

    PyYAML resolves every scalar in Python (the one part of libyaml composing that is not
    C): a dozen dict and regex steps each time, for keys like ``date`` and ``target`` that
    repeat thousands of times. With no path resolvers, a plain scalar's tag depends on its
    text alone, and a quoted one is always a string, so the answer can be remembered.
    """

    # The composer calls these two for every node, to follow path resolvers; there are none
    # (as resolve() below assumes), so C callables that do nothing stand in for two Python
    # calls per node: ``{}.get(parent, index)`` and ``{}.clear()`` on a dict that stays empty.
    descend_resolver = {}.get  # type: ignore[assignment,var-annotated]
    ascend_resolver = {}.clear

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 32 and len(_RESOLVED) < 20_000:
                    _RESOLVED[value] = tag
            return tag
        return _SEQ if kind is SequenceNode else _MAP


# The first characters an implicit tag other than str can start with (PyYAML's resolvers
# are keyed by them): a plain scalar starting otherwise — 召开…, farm-training — is a string.
RESOLVER_FIRSTS = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
_PLAIN_RESOLVER = _Loader("")


_ANY_FIRST = None in _Loader.yaml_implicit_resolvers  # a resolver for any first character


def plain_tag(value: str) -> str:
    """The tag YAML gives the plain (unquoted) scalar ``value``, as the composer would."""
    if value and value[0] not in RESOLVER_FIRSTS and not _ANY_FIRST:
        return _STR
    return _PLAIN_RESOLVER.resolve(ScalarNode, value, (True, False))

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@dataclass
class SourceFile:
    """One file as read: its text (None if it could not be decoded) and its root node."""

    path: str
    text: str | None = None
    node: Node | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    decoded: bool = False  # the text may be None though it decoded: see read()


def pos_of(path: str, mark: yaml.Mark | None) -> Pos:
    """The 1-based position of a PyYAML mark (0-based line and column, in characters)."""
    if mark is None:
        return Pos(path, 1, 1)
    return Pos(path, mark.line + 1, mark.column + 1)


def node_pos(path: str, node: Node) -> Pos:
    return pos_of(path, node.start_mark)


def _byte_pos(path: str, data: bytes, offset: int) -> Pos:
    """Line and column (in characters where decodable) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Pos(path, data.count(b"\n", 0, offset) + 1, column)


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or None and an error saying which encoding it is in and what to do."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF8):
            return None, [
                error(
                    Pos(path, 1, 1),
                    "encoding",
                    f"文件是 {name} 编码，fedplan 只读 UTF-8",
                    "在记事本或 WPS 中“另存为”，编码选 UTF-8",
                )
            ]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        where = _byte_pos(path, data, exc.start)
    if looks_like_big5(data):
        return None, [
            error(
                where,
                "encoding",
                "文件不是 UTF-8 编码，看起来是 Big5（台湾、香港的繁体中文编码）",
                f"用记事本或 WPS 打开后“另存为”，编码选 UTF-8；或运行 "
                f"iconv -f BIG5 -t UTF-8 {path} -o {path}.utf8 && mv {path}.utf8 {path}",
            )
        ]
    try:
        guessed = data.decode("gb18030")
    except UnicodeDecodeError:
        guessed = None
    if guessed is not None and _CJK.search(guessed):
        return None, [
            error(
                where,
                "encoding-gbk",
                "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 记事本、WPS 的常见默认编码）",
                f"用记事本或 WPS 打开后“另存为”，编码选 UTF-8；或运行 "
                f"iconv -f GB18030 -t UTF-8 {path} -o {path}.utf8 && mv {path}.utf8 {path}",
            )
        ]
    return None, [
        error(
            where,
            "encoding",
            "文件含有不是 UTF-8 的字节，无法读取",
            "请用编辑器把文件另存为 UTF-8 编码",
        )
    ]



def _ordinary_share(text: str, codec: str, leads: tuple[tuple[int, int], ...], sample: int = 4000) -> float:
    """The share of ``text``'s first ``sample`` non-ASCII characters that are ordinary in
    ``codec``: they encode in it with a lead byte in one of the ``leads`` ranges."""
    seen = ordinary = 0
    for char in text:
        if char < "\x80":
            continue
        seen += 1
        try:
            lead = char.encode(codec)[0]
        except UnicodeEncodeError:
            lead = 0
        ordinary += any(low <= lead <= high for low, high in leads)
        if seen >= sample:
            break
    return ordinary / seen if seen else 0.0


def looks_like_big5(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Big5 (Traditional Chinese, Taiwan/Hong Kong)
    rather than GB18030/GBK, which decodes almost any bytes and so cannot say no itself.

    A small scored check on character frequency, using how both encodings sort characters
    by how common they are. Big5 puts its 5,401 常用字 (common characters) under lead
    bytes A4–C6, punctuation under A1–A3; GB2312 puts its 6,763 hanzi under B0–F7,
    punctuation under A1–A3. Big5 text read as GB18030 lands mostly on kana, Greek, box
    drawing, private-use and rare GBK characters: measured on Big5 encodings of our
    fixtures, 8–28 % of its non-ASCII characters are GB2312 hanzi or punctuation, while the
    Big5 reading is 98–100 % common characters. Real GBK text is 56–99 % GB2312 (less when
    it is Traditional) and mostly does not decode as Big5 at all. So: Big5 when the bytes
    decode as Big5, at least 90 % of the Big5 reading is common, and at most half of the
    GB18030 reading is; with fewer than 4 non-ASCII characters there is nothing to judge.
    """
    try:
        big5 = data.decode("big5")
    except UnicodeDecodeError:
        return False
    if sum(1 for char in big5 if char >= "\x80") < 4:
        return False
    gb = data.decode("gb18030", errors="replace")
    return (_ordinary_share(big5, "big5", ((0xA1, 0xC6),)) >= 0.9
            and _ordinary_share(gb, "gb2312", ((0xA1, 0xA3), (0xB0, 0xF7))) <= 0.5)

_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    # (fragment of libyaml's problem, Chinese message, hint)
    (
        "found character '\\t'",
        "这里有 Tab 字符，YAML 的缩进只能用空格",
        "把 Tab 换成空格（每层缩进两个空格）",
    ),
    (
        "mapping values are not allowed",
        "这里不能出现“冒号+空格”",
        "文字中含有“: ”时请给整段文字加引号，或改用中文冒号“：”",
    ),
    (
        "did not find expected key",
        "缩进不一致，找不到预期的键",
        "同一层的键要对齐；列表项“- ”下的键要比“-”多缩进两格",
    ),
    (
        "did not find expected '-' indicator",
        "缩进不一致，列表项没有对齐",
        "同一列表的各项“- ”要上下对齐",
    ),
    (
        "found undefined alias",
        "引用了没有定义的锚点（*名称）",
        "先用 &名称 定义，再用 *名称 引用；或直接写出内容",
    ),
    (
        "found unexpected end of stream",
        "文件在引号或括号闭合之前就结束了",
        "检查是否少了一个引号或右括号",
    ),
    (
        "expected a single document",
        "一个文件只能有一个 YAML 文档",
        "删除多余的“---”分隔线，把其余内容放到另一个文件里",
    ),
    (
        "found unknown escape character",
        "双引号字符串中有无法识别的转义（反斜杠）",
        "改用单引号，或把 \\ 写成 \\\\",
    ),
    (
        "characters are not allowed",  # libyaml: "control …", pure Python: "special …"
        "文件中有不可见的控制字符",
        "删除该位置的控制字符（常见于从网页或 Word 复制的文字）",
    ),
)


def _syntax_error(path: str, text: str, exc: yaml.YAMLError) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        # A bad character carries an offset, not a mark: into the UTF-8 bytes libyaml was
        # handed, or into the text for the pure-Python reader.
        if USING_LIBYAML:
            where = _byte_pos(path, text.encode("utf-8"), exc.position)
        else:
            line_start = text.rfind("\n", 0, exc.position) + 1
            where = Pos(path, text.count("\n", 0, exc.position) + 1, exc.position - line_start + 1)
        problem = str(exc.reason)
    else:
        where = pos_of(path, mark)
        problem = str(getattr(exc, "problem", None) or exc)
        # libyaml says "cannot start any token" for a tab; the pure-Python scanner names it.
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "found character '\\t'"
        # "expected a single document" is libyaml's context, the problem is "another document".
    context = getattr(exc, "context", None) or ""
    cause = None if "'\\t'" in problem else _real_cause(path, text, mark)
    if cause is not None:
        return cause
    for fragment, message, hint in _PROBLEMS:
        if fragment in problem or fragment in context:
            return error(where, "yaml-syntax", f"YAML 语法错误：{message}", hint)
    return error(
        where,
        "yaml-syntax",
        f"YAML 语法错误：{problem}",
        "检查这一行及上一行的缩进、冒号和引号",
    )


# A key written with a full-width colon ("target：300"): libyaml reads the line as text and
# complains one line later that it "could not find expected ':'".
_FULLWIDTH_KEY = re.compile(r"^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)[ \t]*(：)")


def _real_cause(path: str, text: str, mark: yaml.Mark | None) -> Diagnostic | None:
    """What a Chinese user most likely typed, where libyaml's own words point elsewhere."""
    if mark is None:
        return None
    lines = text.split("\n")
    # A full-width colon after a key, on the error's line or the lines just before it.
    for number in range(min(mark.line, len(lines) - 1), max(mark.line - 3, 0) - 1, -1):
        found = _FULLWIDTH_KEY.match(lines[number])
        if found:
            key = found.group(2)
            return error(
                Pos(path, number + 1, found.start(3) + 1),
                "yaml-syntax",
                f"YAML 语法错误：“{key}”后面是中文冒号“：”，键和值之间要用英文冒号加空格",
                f"改成 {key}: {lines[number][found.end(3):].strip()}".rstrip(),
            )
    # A value that starts with a quote and goes on after the closing one: note: "双学双比"竞赛.
    if mark.line < len(lines) and mark.column > 0:
        line = lines[mark.line]
        before = line[mark.column - 1 : mark.column]
        rest = line[mark.column :].strip()
        if before in "\"'" and before and rest and not rest.startswith(("#", ":")):
            opening = line.rfind(before, 0, mark.column - 1)
            value = line[opening if opening >= 0 else 0 :].strip()
            other = "'" if before == '"' else '"'
            hint = "把文字中的引号改成中文引号“”"
            if other not in value:
                hint = f"把整段文字再用另一种引号括起来：{other}{value}{other}；或{hint}"
            return error(
                Pos(path, mark.line + 1, (opening if opening >= 0 else mark.column - 1) + 1),
                "yaml-syntax",
                f"YAML 语法错误：这段文字以引号 {before} 开头，YAML 把引号内的部分当作整个值，"
                f"引号后面的“{rest}”就多出来了",
                hint,
            )
    return None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


# libyaml's composer recurses in C once per level of nesting: some tens of thousands of
# "[" crash the interpreter (SIGSEGV) instead of raising. No plan nests deeper than a dozen.
MAX_DEPTH = 1000


def _could_nest_deeper_than(text: str, depth: int) -> bool:
    """Cheap upper bounds on the nesting. Each level opens with a bracket, or (block style)
    on a new line or after a "- " or "? " on the same line; and a block level takes at
    least half a column of a line's leading indentation and indicators ("- - - x"; a list
    may sit at its key's indentation)."""
    if len(text) <= depth:
        return False
    brackets = text.count("[") + text.count("{")
    # Counting single characters is the cheapest scan there is (a "- " is a "-").
    if brackets + text.count("\n") + text.count("-") + text.count("?") + 2 <= depth:
        return False  # the usual case
    # Deeper than ``depth`` iff flow + 2 × (the longest run of indentation and indicators
    # at a line start) + 2 > depth: look for a run of the length that would take it there
    # (one search for a line break and a fixed count, not a MULTILINE ``^`` tried at every
    # character of a large file).
    need = (depth - 2 - _flow_depth_bound(text, depth)) // 2 + 1
    if need <= 0:
        return True
    run = f"[ \\t?:-]{{{need}}}"
    return re.match(run, text) is not None or re.search("\n" + run, text) is not None
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_PAIR = re.compile(r"[\[{][\]}]")


def _flow_depth_bound(text: str, depth: int) -> int:
    """An upper bound on how deep the brackets of ``text`` nest (more than ``depth`` is
    enough to know): each pass removes every innermost pair, so lowers the deepest nesting
    by one; what no pass removes (brackets in quoted text) is counted whole. A ledger of
    many ``{date: …}`` entries has thousands of brackets but nests them one deep."""
    brackets = _NOT_BRACKET.sub("", text)
    passes = 0
    while brackets and passes <= depth:
        shorter = _BRACKET_PAIR.sub("", brackets)
        if len(shorter) == len(brackets):
            break
        brackets = shorter
        passes += 1
    return passes + len(brackets)


def _too_deep(text: str) -> int | None:
    """The 0-based line where nesting first exceeds MAX_DEPTH, read event by event (libyaml's
    parser keeps its own stack, so this cannot overflow), or None."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line if event.start_mark else 0
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        # Newer libyaml (PyYAML ≥ 6.0.4 wheels) stops at its own nesting limit first.
        mark = getattr(exc, "problem_mark", None)
        if "maximum nesting depth" in str(getattr(exc, "problem", "")) and mark is not None:
            return int(mark.line)
        return None  # composing reports it with its position
    return None


def _too_deep_error(path: str, line: int = 0) -> Diagnostic:
    return error(
        Pos(path, line + 1, 1),
        "yaml-too-deep",
        f"YAML 嵌套层数过深（超过 {MAX_DEPTH} 层），拒绝读取",
        "文档的层次不应超过十几层；检查是否有大量未闭合的 [ 或 {",
    )


def compose(path: str, text: str, *, chunked: bool = False) -> tuple[Node | None, list[Diagnostic]]:
    """The root node of the single YAML document in ``text`` (positions kept), or errors.

    ``chunked``: a large ledger's ``entries`` may come as a ChunkedSequence (see there),
    for a reader that walks them chunk by chunk and can start again without (ChunkFailed).
    """
    if chunked and len(text) >= CHUNKED_MIN_CHARS:
        found = _chunked(text)  # checks the nesting of each piece it composes
        if found is not None:
            return found, []
    if _could_nest_deeper_than(text, MAX_DEPTH):
        line = _too_deep(text)
        if line is not None:
            return None, [_too_deep_error(path, line)]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_syntax_error(path, text, exc)]
    except RecursionError:  # the pure-Python composer
        return None, [_too_deep_error(path)]
    finally:
        loader.dispose()
    if node is None:
        return None, [
            error(Pos(path, 1, 1), "empty-document", "文件是空的", "写上 kind: 及文档内容，或删除此文件")
        ]
    if "&" in text and "*" in text:  # anchors and aliases: bound what they expand to
        try:
            problem = _alias_problem(path, node)
        except RecursionError:
            return None, [_too_deep_error(path)]
        if problem is not None:
            return None, [problem]
    return node, []


# An alias is shared, not copied, when composing; it is the walk over the document that
# would expand it. A "billion laughs" file of a few hundred bytes names 10^9 nodes: refuse
# any document whose expanded size is beyond what a plan could hold.
MAX_EXPANDED_NODES = 200_000


def _alias_problem(path: str, root: Node) -> Diagnostic | None:
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise _Cycle(node)
        if isinstance(node.value, list):
            in_progress.add(key)
            total = 1
            for child in node.value:
                if isinstance(child, tuple):
                    total += size(child[0]) + size(child[1])
                else:
                    total += size(child)
                if total > MAX_EXPANDED_NODES:
                    break
            in_progress.discard(key)
        else:
            total = 1
        sizes[key] = total
        return total

    try:
        total = size(root)
    except _Cycle as cycle:
        return error(
            node_pos(path, cycle.node),
            "yaml-alias-cycle",
            "YAML 引用（*别名）指向了自身，形成循环",
            "不要在锚点（&名称）的内容里引用它自己",
        )
    if total > MAX_EXPANDED_NODES:
        return error(
            Pos(path, 1, 1),
            "yaml-alias-bomb",
            f"YAML 引用（*别名）展开后超过 {MAX_EXPANDED_NODES} 个节点，拒绝读取",
            "这通常是恶意构造的文件；直接写出内容，不要层层引用别名",
        )
    return None


class _Cycle(Exception):
    def __init__(self, node: Node) -> None:
        super().__init__("alias cycle")
        self.node = node


def read(path: str, data: bytes, *, chunked: bool = False) -> SourceFile:
    """Decode and compose one file; every problem is a Diagnostic on the result.

    ``chunked``: a ledger's ``entries`` may come as a ChunkedSequence over the file's bytes
    (see _chunked); ``text`` is then None, and ``decoded`` holds as long as reading the
    entries raises no ChunkFailed (the pieces are decoded as they are read)."""
    if chunked and len(data) >= CHUNKED_MIN_CHARS and not data.startswith(_WIDE_BOMS):
        # Not decoded whole first: each piece is decoded as it is read (piece_of), every
        # byte of the file once, and a piece that does not decode, or holds a line break
        # YAML counts and this reading does not, raises ChunkFailed — the file is then read
        # whole, which says what is wrong. (Decoding 142 MB only to check it, then again a
        # piece at a time, was a quarter of a second of every large ledger's reading.)
        found = _chunked(data, len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        if found is not None:
            return SourceFile(path, None, found, [], decoded=True)  # the bytes stand for the text
    text, problems = decode(path, data)
    source = SourceFile(path, text, None, problems, decoded=text is not None)
    if text is None:
        return source
    source.node, more = compose(path, text)
    source.diagnostics.extend(more)
    return source


# --- a ledger, a chunk of entries at a time -----------------------------------------------
#
# Composing a ledger of a million entries makes some ten million node and mark objects, all
# alive at once (4 GB), though the walk needs one entry at a time. So a file whose top-level
# ``entries:`` is a block list is composed in pieces: the rest of the document (the list's
# lines left blank, so every line keeps its number), and the list a chunk of entries at a
# time, each chunk composed alone when the walk comes to it — or, for entries written
# plainly, not composed at all (fedplan.fastledger), which is why every ledger, however
# small, is read this way. Each chunk must compose cleanly into exactly the entries whose
# dashes it starts with, at the lines they start on; anything else (a quoted text running
# over a dash line, an anchor, a syntax error) raises ChunkFailed and the reader composes
# the whole file as usual, so what a chunked read reports is what a whole one would.

CHUNKED_MIN_CHARS = 0
CHUNK_ENTRIES = 20_000
CHUNKED_MIN_ENTRIES = 1


class ChunkFailed(Exception):
    """A chunk did not compose into the entries its lines promised: read the whole file."""


class ChunkedSequence(SequenceNode):
    """The ``entries`` of a ledger, composed a chunk at a time by ``chunks()`` (or, where
    they are plain, read without composing: fedplan.fastledger). ``text`` is the file's
    text or its UTF-8 bytes (see _chunked); offsets are into it (piece_of gives text)."""

    def __init__(self, text: str | bytes, starts: list[int], first_line: int, end: int, dash: int) -> None:
        mark = yaml.Mark("", starts[0], first_line, dash, None, 0)
        super().__init__(_SEQ, [], mark, mark, flow_style=False)
        self.text, self.starts, self.end = text, starts, end
        self.newline: Any = b"\n" if isinstance(text, bytes) else "\n"

    def chunks(self) -> Iterator[tuple[int, list[Node]]]:
        """(line offset, the entry nodes) of each chunk, composed as it is asked for."""
        starts, dash = self.starts, self.start_mark.column
        line = self.start_mark.line
        for first in range(0, len(starts), CHUNK_ENTRIES):
            last = min(first + CHUNK_ENTRIES, len(starts))
            begin = starts[first] - dash
            end = starts[last] - dash if last < len(starts) else self.end
            if first:
                line += self.text.count(self.newline, starts[first - CHUNK_ENTRIES] - dash, begin)
            yield line, compose_entries(self.text, begin, end, last - first, starts[last - 1] - dash)


def piece_of(text: str | bytes, begin: int, end: int) -> str:
    """``text[begin:end]`` as text (decoded if ``text`` is bytes; both ends at line starts).
    Raises ChunkFailed for bytes that are not UTF-8 or hold a line break YAML counts and
    lines here are not counted by (see read)."""
    piece = text[begin:end]
    if isinstance(piece, str):
        return piece
    try:
        got = piece.decode("utf-8")
    except UnicodeDecodeError:
        raise ChunkFailed from None
    if _OTHER_BREAKS[0] in got or _OTHER_BREAKS[1] in got or _OTHER_BREAKS[2] in got:
        raise ChunkFailed
    return got


# Besides "\n" (and "\r\n", see _chunked), YAML breaks lines at these.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
# A file starting with one of these is not UTF-8 (decode says which it is).
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def compose_entries(text: str | bytes, begin: int, end: int, count: int, last: int) -> list[Node]:
    """The ``count`` entry nodes of ``text[begin:end]``, a run of a large ledger's entries
    from the line start ``begin``, whose last entry's line starts at ``last``; their marks
    count from ``begin``'s line. Raises ChunkFailed unless the piece composes cleanly into
    exactly those entries at the lines their dashes are on."""
    piece = piece_of(text, begin, end)
    last_line = text.count(b"\n" if isinstance(text, bytes) else "\n", begin, last)  # type: ignore[arg-type]
    if _could_nest_deeper_than(piece, MAX_DEPTH):
        raise ChunkFailed  # the whole file's reading says where, without crashing libyaml
    loader = _Loader(piece)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        raise ChunkFailed from None
    finally:
        loader.dispose()
    if (
        not isinstance(node, SequenceNode)
        or node.flow_style
        or len(node.value) != count
        or node.value[0].start_mark.line != 0
        or node.value[-1].start_mark.line != last_line
    ):
        raise ChunkFailed
    return list(node.value)


# A file this large (past its entries: line) is searched in two halves by two processes.
SPLIT_SCAN_BYTES = 16 << 20


@dataclass
class _Half:
    """What _Scan.part found in its part of a file."""

    marker: bool  # a document marker (---, ..., %) starts a line in it
    another: bool  # a second entries: line starts in it
    after: int  # where the first line that ends the list starts (its "\n"), or -1
    starts: list[int]  # where each entry starts (but the first), up to the list's end
    lines: int  # the line breaks from the list's start (or the part's) to its end (or the part's)


class _Scan:
    """The searches _chunked makes through a file, for a part of it at a time: exactly what
    one search through the whole file finds, cut at a line break. A search of the part
    before the cut looks a few characters past it (each pattern's longest match; a line,
    for entries:) and keeps only what starts before it; one of the last part starts there.
    (A match never spans the cut in a way that would hide another: each starts with a line
    break, and none holds one but at its ends.)"""

    def __init__(self, text: str | bytes, raw: bool, head_end: int, body_start: int, dash: int) -> None:
        self.text, self.head_end, self.body_start, self.dash = text, head_end, body_start, dash
        self.nl: Any = b"\n" if raw else "\n"
        self.marker = _pattern(r"\n(?:---|\.\.\.|%)", raw)
        self.entries_line = _pattern(r"\nentries[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n", raw)
        # The list ends at the first line that is not blank, not a comment, and not inside
        # it: less indented than its dashes, or at the dashes' column but not an entry.
        # (written space by space, each alternative after the spaces it shares with the
        # others: tried at each of a million lines, the pattern with a repeat each took
        # twice as long)
        ending = r"(?:[^ \r\n#-]|-[^ \r\n])"
        for _ in range(dash):
            ending = rf"(?:[^ \r\n#]| {ending})"
        self.ending = _pattern("\n" + ending, raw)
        self.item = entry_starts(dash, raw)

    def starts(self, begin: int, end: int) -> list[int]:
        """Where each entry starting in begin..end-1 starts (its dash column's line start plus the dash)."""
        offset = 1 + self.dash
        return [m.start() + offset for m in self.item.finditer(self.text, begin, end)]

    def combined(self, parts: list[_Half]) -> tuple[int, list[int], int] | None:
        """What one search through the whole file finds, from ``parts`` (the whole file, or
        the halves before and after a cut): where the list ends, where its entries start,
        its line breaks; None if a document marker or a second entries: line is there."""
        if any(part.marker or part.another for part in parts):
            return None
        ended = [part for part in parts if part.after >= 0]
        end = ended[0].after + 1 if ended else len(self.text)
        if len(parts) == 1 or parts[0].after >= 0:
            return end, parts[0].starts, parts[0].lines
        # (the list ends in the later half: an entry before the cut ends, with the character
        # after its dash, at the cut at the latest, so it is found as the whole search finds it)
        return end, parts[0].starts + parts[1].starts, parts[0].lines + parts[1].lines

    def part(self, lo: int, hi: int) -> _Half:
        text, size = self.text, len(self.text)
        last = hi == size
        reach = size if last else min(size, hi + self.dash + 3)  # (the ending's and an entry's longest match)
        marker = self.marker.search(text, lo, size if last else min(size, hi + 4))
        # (an entries: line is one line: one starting before the cut ends at the cut's break at the latest)
        another = self.entries_line.search(text, max(lo, self.head_end), size if last else hi + 1)
        begin = max(lo, self.body_start)
        after = self.ending.search(text, begin, reach)
        at = after.start() if after is not None and after.start() < hi else -1
        stop = at + 1 if at >= 0 else reach
        found = self.starts(begin, stop)
        if at < 0:
            while found and found[-1] - 1 - self.dash >= hi:
                found.pop()  # (past the cut: the next part's)
        lines = text.count(self.nl, begin, at + 1 if at >= 0 else hi)
        return _Half(
            marker is not None and marker.start() < hi,
            another is not None and another.start() < hi,
            at,
            found,
            lines,
        )


def _chunked(text: str | bytes, origin: int = 0) -> Node | None:
    """The root of ``text`` with its ``entries`` as a ChunkedSequence, or None (compose it
    whole) when the file is not a plain ledger of that shape. ``text`` may be the file's
    bytes, its document starting at ``origin`` (after a byte-order mark), not yet known to
    be UTF-8 (each piece is decoded as it is read: piece_of): a large ledger is then never
    held as text whole, only an entry or a run of them at a time (a million entries' text
    was 160 MB beside the bytes).

    Every search here looks for a line break followed by a fixed text (a literal prefix the
    regular-expression engine finds at memchr speed): a ``^`` pattern in MULTILINE mode is
    tried at every character of a 142 MB file, which took seconds."""
    raw = isinstance(text, bytes)

    def lit(value: str) -> Any:
        return value.encode("utf-8") if raw else value

    def pattern(expression: str) -> re.Pattern[Any]:
        return _pattern(expression, raw)

    nl = lit("\n")
    if lit("&") in text:
        return None
    if text.startswith(tuple(lit(m) for m in ("---", "...", "%", "entries")), origin):
        return None  # (a ledger that starts with its entries is composed whole: rare)
    # YAML counts these as line breaks too; lines here are counted by "\n". (In the bytes,
    # each piece is looked at as it is decoded, piece_of, and the rest below: a character,
    # not a byte sequence whose first two bytes begin every “ and ” of a Chinese text.)
    if not raw and any(b in text for b in _OTHER_BREAKS):
        return None
    if lit("\r") in text and text.count(lit("\r")) != text.count(lit("\r\n")):
        return None  # (a lone CR: the same)
    entries_line = pattern(r"\nentries[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n")
    head = entries_line.search(text)
    if head is None:
        return None
    # The first line after it that is neither blank nor a comment must be its first item.
    # (Not one pattern repeating blank lines and then the item: Python's matcher keeps a
    # backtracking point a repetition, and a pull request of a few MB of blank lines took
    # gigabytes.)
    filled = pattern(r"\n[ \t]*[^ \t\r\n#]").search(text, head.end() - 1)
    if filled is None:
        return None
    first = pattern(r"( *)-[ \r\n]").match(text, filled.start() + 1)
    if first is None:
        return None
    dash = len(first.group(1))
    body_start = text.rfind(nl, 0, first.start(1)) + 1
    # The rest is searched for through the whole file: a document marker (none may be
    # there), a second ``entries:`` line (the same), where the list ends and where each of
    # its entries starts. A large file is searched in two halves by two processes (_Scan).
    scan = _Scan(text, raw, head.end(), body_start, dash)
    cut = -1
    if len(text) - body_start >= SPLIT_SCAN_BYTES:
        cut = text.find(nl, (body_start + len(text)) // 2)
    if cut <= body_start or cut + dash + 3 >= len(text):
        parts = [scan.part(0, len(text))]
    else:
        from fedplan import forked

        with forked.Shared([0, 1], lambda k: scan.part(0, cut) if k == 0 else scan.part(cut, len(text)), 0.5) as halves:
            parts = [halves.get(0), halves.get(1)]
    got = scan.combined(parts)
    if got is None:
        return None  # (a document marker; two entries: lines)
    end, found, lines = got
    starts = [body_start + dash]
    starts += found
    if len(starts) < CHUNKED_MIN_ENTRIES:
        return None
    blank = "\n" * lines
    if raw:
        try:
            skeleton = text[origin:body_start].decode("utf-8") + blank + text[end:].decode("utf-8")  # type: ignore[union-attr]
        except UnicodeDecodeError:
            return None
        if any(b in skeleton for b in _OTHER_BREAKS):
            return None
    else:
        skeleton = text[origin:body_start] + blank + text[end:]  # type: ignore[operator]
    if _could_nest_deeper_than(skeleton, MAX_DEPTH):
        return None  # composed whole, where the nesting is checked
    loader = _Loader(skeleton)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if not isinstance(root, MappingNode) or root.flow_style:
        return None
    places = [n for n, (key, _) in enumerate(root.value) if isinstance(key, ScalarNode) and key.value == "entries"]
    if len(places) != 1:
        return None
    key, value = root.value[places[0]]
    if not isinstance(value, ScalarNode) or value.tag != "tag:yaml.org,2002:null" or value.value != "":
        return None
    first_line = text.count(nl, 0, body_start)
    root.value[places[0]] = (key, ChunkedSequence(text, starts, first_line, end, dash))
    return root


def entry_starts(dash: int, raw: bool) -> re.Pattern[Any]:
    """Where each item of a block list with its dashes at column ``dash`` starts, but the
    first: the line break before its dash (in the text, or ``raw``, its UTF-8 bytes)."""
    return _pattern(rf"\n {{{dash}}}-(?=[ \r\n])", raw)


@functools.lru_cache(maxsize=64)
def _pattern(expression: str, raw: bool) -> re.Pattern[Any]:
    """``expression`` compiled for text, or (``raw``) for UTF-8 bytes (it is ASCII)."""
    return re.compile(expression.encode("ascii") if raw else expression)
