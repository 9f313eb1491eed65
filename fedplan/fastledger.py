"""Reading a ledger's entries without composing them, where their text is plain.

Composing is most of what reading a ledger costs: a million entries are some ten million
nodes and marks, 30 s and gigabytes, though nearly every entry is written the one way
``fedplan log`` writes it::

      - date: 2012-03-08
        target: farm-training
        value: 120
        note: 召开农技培训班

or as one flow mapping (``- {date: 2012-03-08, target: farm-training, done: true}``). This
module reads such an entry with a regular expression and the fields' own fast readers
(``Field.quick``), producing what the schema walk would have produced from its nodes: the
same values, the same positions, no diagnostic. It takes an entry only when it can be sure
YAML would read it so:

- each line a known key of the entry, once, at the indentation of the first key, then
  ``: `` and one value on that line; any blank or comment lines after the entry;
- a value that is plain (starting with no YAML indicator, holding no ``#`` or ``:`` and
  no character YAML refuses or counts as a line break) or quoted without escapes;
- every field's fast reader takes the value (an ISO date, an id, a plain integer, …).

Anything else — a key out of this set, a list, a multi-line or escaped text, a value that
is an error — is left to YAML: the run of such entries is composed and walked as before
(fedplan.source.ChunkedSequence), with the same checks that it composed into exactly the
entries its lines promised. So a fast read reports what a composed one would, which
tests/unit/test_fastledger.py checks against the composer on generated ledgers.

Every ledger is read so, however small (validate of a 2,000-document repository costs less
than composing it). A large file is scanned as its UTF-8 bytes, each entry decoded alone,
so its text is never held whole beside them. Bounds, as the file comes from a pull
request: a run left to YAML takes at least 64 entries (one loader each entry would cost
more than composing them all), an entry longer than 64 KB is left to libyaml (which reads
it in linear time; these expressions keep a backtracking point a repeated line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fedplan import source
from fedplan.diagnostics import Pos
from fedplan.schema.fields import INVALID
from fedplan.schema.walk import Spans, shared_keys
from fedplan.source import RESOLVER_FIRSTS, ChunkedSequence, piece_of, plain_tag

if TYPE_CHECKING:
    from fedplan.schema.fields import Spec
    from fedplan.schema.walk import Walk

_STR_TAG = "tag:yaml.org,2002:str"

# Characters a value may hold: YAML's printable set less its line breaks (NEL, LS, PS),
# the byte-order mark, tabs, and the two characters that could end or cut a plain scalar
# here (": " ends it, " #" starts a comment): both are refused outright, not judged.
_BAD = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
# The first character of a plain scalar: none of YAML's indicators, no space.
_FIRST_BAD = _BAD + r" #:,\[\]{}&*!|>'\"%@`?\-"
_PLAIN_BLOCK = rf"[^{_FIRST_BAD}][^{_BAD}#:]*"
_PLAIN_FLOW = rf"[^{_FIRST_BAD}][^{_BAD}#:,\[\]{{}}]*"
_DOUBLE = rf'"[^{_BAD}"\\]*"'
_SINGLE = rf"'[^{_BAD}']*'"
# Blank lines and whole-line comments after an entry (a comment of printable characters).
_AFTER = rf"(?:[ ]*(?:#[^{_BAD}]*)?\r?\n)*"


# What each value token (as written, quotes and all) was read as, by field: an entry's
# date, id, figure and department repeat thousands of times across a repository's ledgers,
# and the reading depends on the field and the token alone (and is immutable: a date, a
# number, an interned text). Bounded: distinct notes only stop the remembering.
_MEMOS: dict[Any, dict[str, Any]] = {}
_MEMO_TOKEN = 40
_MEMO_SIZE = 20_000
_LEAST_RUN = 64
_LARGEST_ENTRY = 65_536  # characters (or bytes) from an entry's dash to the next one's


class _Shape:
    """The expressions for entries whose dashes stand in one column."""

    def __init__(self, dash: int, names: tuple[str, ...]) -> None:
        keys = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        value = rf"(?:{_DOUBLE}|{_SINGLE}|{_PLAIN_BLOCK})"
        line = rf"(?:{keys}):[ ]+{value}[ ]*\r?\n"
        # A whole block entry; group 1 ends after its last key's line.
        self.block = re.compile(rf"([ ]{{{dash}}}- {line}(?:[ ]{{{dash + 2}}}{line})*){_AFTER}")
        # Each line of it: (key, the spaces after the colon, the value token).
        self.block_pair = re.compile(rf"[ ]*(?:- )?({keys}):([ ]+)({value})[ ]*\r?\n")
        # The same entry with its keys in the order `fedplan log` writes them (the spec's),
        # each at most once: one match gives every value, (spaces, token) a key, in order.
        first, *rest = names
        self.names = names
        self.canonical = re.compile(
            rf"[ ]{{{dash}}}- {re.escape(first)}:([ ]+)({value})[ ]*\r?\n"
            + "".join(rf"(?:[ ]{{{dash + 2}}}{re.escape(n)}:([ ]+)({value})[ ]*\r?\n)?" for n in rest)
            + _AFTER
        )
        flow_value = rf"(?:{_DOUBLE}|{_SINGLE}|{_PLAIN_FLOW})"
        pair = rf"(?:{keys}):[ ]+{flow_value}[ ]*"
        self.flow = re.compile(rf"[ ]{{{dash}}}- \{{[ ]*{pair}(?:,[ ]*{pair})*\}}[ ]*\r?\n{_AFTER}")
        self.flow_pair = re.compile(rf"({keys}):[ ]+({flow_value})")


_SHAPES: dict[tuple[int, tuple[str, ...]], _Shape] = {}


def _shape(dash: int, names: tuple[str, ...]) -> _Shape:
    found = _SHAPES.get((dash, names))
    if found is None:
        found = _SHAPES[(dash, names)] = _Shape(dash, names)
    return found


def read_entries(node: ChunkedSequence, walk: Walk, spec: Spec) -> Iterator[tuple[dict[str, Any], Any, Pos]]:
    """The rows (values, spans, position) of every entry of ``node``, in order, as
    ``ListOf`` would make them from composed nodes; the entries this module cannot take
    are composed and walked a run at a time. Raises ChunkFailed as ``chunks()`` does.

    A generator: the builder makes each entry as its row comes, so a million rows' dicts
    are never alive at once beside the million entries made of them."""
    text, starts, end, nl = node.text, node.starts, node.end, node.newline
    raw = isinstance(text, bytes)  # then each entry is decoded alone (see source._chunked)
    dash = node.start_mark.column
    shape = _shape(dash, tuple(f.name for f in spec.fields if f.quick is not None))
    block, flow, block_pair, flow_pair = shape.block, shape.flow, shape.block_pair, shape.flow_pair
    canonical = shape.canonical
    fields = [f for f in spec.fields if f.quick is not None]
    memos = {f.name: _MEMOS.setdefault(f, {}) for f in fields}
    # key → (attribute, its memo, 1-based column of the value less the spaces before it)
    readers = {f.name: (f.attr, memos[f.name], dash + 2 + len(f.name) + 2) for f in fields}
    quicks = {f.name: f.quick for f in fields}
    names = shape.names  # the canonical match's keys, in its order
    required = tuple(f.attr for f in spec.required)
    path, table = walk.path, walk.table
    count = len(starts)
    out: list[tuple[dict[str, Any], Any, Pos]] = []  # the rows of a run just composed
    firsts, str_tag, invalid, intern_keys = RESOLVER_FIRSTS, _STR_TAG, INVALID, shared_keys

    def read_token(key: str, token: str) -> Any:
        """The value of ``token`` under ``key`` by the field's fast reader (INVALID: leave
        the entry to YAML), remembered if short."""
        if token[0] == '"' or token[0] == "'":
            raw, tag = token[1:-1], str_tag
        else:
            raw = token.rstrip(" ")
            tag = str_tag if raw[0] not in firsts else plain_tag(raw)
        got = quicks[key](tag, raw)  # type: ignore[misc]
        memo = memos[key]
        if got is not invalid and len(token) <= _MEMO_TOKEN and len(memo) < _MEMO_SIZE:
            memo[token] = got
        return got

    column_1 = dash + 3  # 1-based column of an entry's mapping: its first key, or its "{"
    # The 0-based line of the text position ``cursor``, counted forward entry by entry.
    cursor, cursor_line = starts[0] - dash, node.start_mark.line
    slow_from = -1  # the first of a run of entries left to YAML, or -1

    def flush(last: int) -> None:
        """Compose and walk the entries slow_from..last-1."""
        nonlocal cursor, cursor_line
        begin = starts[slow_from] - dash
        cursor_line += text.count(nl, cursor, begin)
        stop = starts[last] - dash if last < count else end
        entries = source.compose_entries(text, begin, stop, last - slow_from, starts[last - 1] - dash)
        walk.line_offset = cursor_line
        for child in entries:
            got = walk.mapping(child, spec)
            if got is not None:
                out.append((got[0], got[1], walk.pos(child)))
        walk.line_offset = 0
        cursor_line += text.count(nl, begin, stop)
        cursor = stop

    # A run left to YAML takes at least this many entries, plain or not: composing costs a
    # loader's start-up a run, and a ledger whose every other note holds a "10:30" would
    # otherwise compose its entries one at a time, slower than composing them all.
    least = min(_LEAST_RUN, source.CHUNK_ENTRIES)
    for n in range(count):
        if 0 <= slow_from and n - slow_from < least:
            continue  # in the run: composed with it
        begin = starts[n] - dash
        stop = starts[n + 1] - dash if n + 1 < count else end
        values: dict[str, Any] = {}
        taken = True  # by the fast path; False: leave the entry to YAML
        keys: list[str] = []
        places: list[int] = []
        if stop - begin > _LARGEST_ENTRY:
            # an entry this long is no ledger line (a pull request's blank lines, a key
            # repeated a million times): libyaml reads it in linear time, the expressions
            # here would keep a backtracking point a line
            here, b, e = "", 0, -1  # (no match ends at -1: left to YAML)
        elif raw:
            here = piece_of(text, begin, stop)
            b, e = 0, len(here)
        else:
            here, b, e = text, begin, stop  # type: ignore[assignment]
        # Block style: (key, spaces after its colon, value token) of each line, from one match
        # of the keys in the order log writes them (an absent key's spaces are None), or
        # from the lines of a match in any order.
        pairs: Any = None
        m = canonical.match(here, b, e)
        if m is not None and m.end() == e:
            groups = m.groups()
            pairs = zip(names, groups[::2], groups[1::2], strict=True)
        elif (m := block.match(here, b, e)) is not None and m.end() == e:
            pairs = block_pair.findall(here, b, m.end(1))
        if pairs is not None:
            line = cursor_line + text.count(nl, cursor, begin) + 1  # 1-based
            for key, spaces, token in pairs:
                if spaces is None:
                    continue
                attr, memo, column = readers[key]
                got = memo.get(token, invalid)
                if got is invalid:
                    got = read_token(key, token)
                if got is invalid or attr in values:  # (a duplicate key: YAML's reading reports it)
                    taken = False
                    break
                values[attr] = got
                keys.append(attr)
                places += (line, column + len(spaces))
                line += 1
        else:
            m = flow.match(here, b, e)
            if m is None or m.end() != e:
                taken = False
            else:
                line = cursor_line + text.count(nl, cursor, begin) + 1
                for pair in flow_pair.finditer(here, b, here.index("\n", b)):
                    key, token = pair.group(1, 2)
                    attr, memo, _ = readers[key]
                    got = memo.get(token, invalid)
                    if got is invalid:
                        got = read_token(key, token)
                    if got is invalid or attr in values:
                        taken = False
                        break
                    values[attr] = got
                    keys.append(attr)
                    places += (line, pair.start(2) - b + 1)
        if taken:
            for attr in required:
                if attr not in values:
                    taken = False  # YAML's reading reports it
                    break
        if not taken:
            if slow_from < 0:
                slow_from = n
            elif n - slow_from >= source.CHUNK_ENTRIES:
                flush(n)
                slow_from = n
                yield from out
                out.clear()
            continue
        if slow_from >= 0:
            flush(n)
            slow_from = -1
            yield from out
            out.clear()
        cursor_line += text.count(nl, cursor, begin)
        cursor = begin
        table.append(cursor_line + 1)
        table.append(column_1)
        spans = Spans(path, intern_keys(keys), table, len(table), origin=True)
        table.extend(places)
        yield values, spans, Pos(path, cursor_line + 1, column_1)
    if slow_from >= 0:
        flush(count)
        yield from out
