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
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate, compress, repeat
from operator import is_, itemgetter, sub
from typing import TYPE_CHECKING, Any

from fedplan import forked, source
from fedplan.diagnostics import Pos
from fedplan.model import SpansForm
from fedplan.schema.fields import INVALID
from fedplan.schema.walk import EntryColumns, Spans, shared_keys
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
# A ledger of forked.LARGE entries or more is matched by two processes where it can be
# (read_entries); this process matches this share of its batches, the helper the rest: it
# also makes the objects of all of them (a batch costs it about a third of matching one).
_OWN_SHARE = 0.4
# A batch matched (read_entries' canonical_batch): taken, index, spaces, forms, columns, breaks.
Batch = tuple[list[bool], list[int], list[Any], list[Any], list[Any], list[int]]
_LARGEST_ENTRY = 65_536  # characters (or bytes) from an entry's dash to the next one's


class _Shape:
    """The expressions for entries whose dashes stand in one column."""

    def __init__(self, dash: int, names: tuple[str, ...]) -> None:
        keys = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # A value token is taken with the spaces after it (a plain one's own class holds
        # them): no second repeat of spaces may follow a plain value, or every line that
        # fails to match would try each split of its spaces between the two — quadratic
        # (a note of 30,000 spaces and a "#" took 30 s).
        value = rf"(?:(?:{_DOUBLE}|{_SINGLE})[ ]*|{_PLAIN_BLOCK})"
        line = rf"(?:{keys}):[ ]+{value}\r?\n"
        # A whole block entry; group 1 ends after its last key's line.
        self.block = re.compile(rf"([ ]{{{dash}}}- {line}(?:[ ]{{{dash + 2}}}{line})*){_AFTER}")
        # Each line of it: (key, the spaces after the colon, the value token). Tried at
        # line starts only: from inside a value's run of spaces, "[ ]*" would try each
        # split of them again at every one of its characters.
        self.block_pair = re.compile(rf"(?m)^[ ]*(?:- )?({keys}):([ ]+)({value})\r?\n")
        # The same entry with its keys in the order `fedplan log` writes them (the spec's),
        # each at most once: one match gives every value, (spaces, token) a key, in order.
        first, *rest = names
        self.names = names
        self.canonical = re.compile(
            rf"[ ]{{{dash}}}- {re.escape(first)}:([ ]+)({value})\r?\n"
            + "".join(rf"(?:[ ]{{{dash + 2}}}{re.escape(n)}:([ ]+)({value})\r?\n)?" for n in rest)
            + _AFTER
        )
        flow_value = rf"(?:(?:{_DOUBLE}|{_SINGLE})[ ]*|{_PLAIN_FLOW})"  # (the same)
        pair = rf"(?:{keys}):[ ]+{flow_value}"
        self.flow = re.compile(rf"[ ]{{{dash}}}- \{{[ ]*{pair}(?:,[ ]*{pair})*\}}[ ]*\r?\n{_AFTER}")
        self.flow_pair = re.compile(rf"({keys}):[ ]+({flow_value})")
        # One flow mapping with its keys in the canonical order, as (spaces, token) pairs too.
        self.flow_canonical = re.compile(
            rf"[ ]{{{dash}}}- \{{[ ]*{re.escape(first)}:([ ]+)({flow_value})"
            + "".join(rf"(?:,[ ]*{re.escape(n)}:([ ]+)({flow_value}))?" for n in rest)
            + rf"\}}[ ]*\r?\n{_AFTER}"
        )


_SHAPES: dict[tuple[int, tuple[str, ...]], _Shape] = {}


def _shape(dash: int, names: tuple[str, ...]) -> _Shape:
    found = _SHAPES.get((dash, names))
    if found is None:
        found = _SHAPES[(dash, names)] = _Shape(dash, names)
    return found


def read_entries(node: ChunkedSequence, walk: Walk, spec: Spec) -> Iterator[Any]:
    """The entries of ``node``, in order, as ``ListOf`` would read them from composed nodes:
    runs of entries written one key a line in the spec's order (as ``fedplan log`` writes
    them) as EntryColumns, every other entry as a row (values, spans, position); the
    entries this module cannot take are composed and walked a run at a time. Raises
    ChunkFailed as ``chunks()`` does.

    A generator: the builder makes each run's entries as it comes, so a million rows are
    never alive at once beside the million entries made of them. A run is read a batch of
    BATCH entries at a time, each step over all of them in one call (``map``) where it can
    be: one expression match an entry, one dictionary look-up a value."""
    text, starts, end, nl = node.text, node.starts, node.end, node.newline
    raw = isinstance(text, bytes)  # then each entry is decoded alone (see source._chunked)
    dash = node.start_mark.column
    shape = _shape(dash, tuple(f.name for f in spec.fields if f.quick is not None))
    block, flow, block_pair, flow_pair = shape.block, shape.flow, shape.block_pair, shape.flow_pair
    canonical, flow_canonical = shape.canonical, shape.flow_canonical.match
    fields = [f for f in spec.fields if f.quick is not None]
    memos = {f.name: _MEMOS.setdefault(f, {}) for f in fields}
    # key → (attribute, its memo, 1-based column of the value less the spaces before it)
    readers = {f.name: (f.attr, memos[f.name], dash + 2 + len(f.name) + 2) for f in fields}
    quicks = {f.name: f.quick for f in fields}
    verbatims = {f.name: f.type.verbatim(f) for f in fields}
    names = shape.names  # the canonical match's keys, in its order
    required = tuple(f.attr for f in spec.required)
    path, table = walk.path, walk.table
    count = len(starts)
    out: list[tuple[dict[str, Any], Any, Pos]] = []  # the rows of a run just composed
    firsts, str_tag, invalid, intern_keys = RESOLVER_FIRSTS, _STR_TAG, INVALID, shared_keys
    forms: dict[tuple[str | None, ...], SpansForm] = {}  # spaces after each key → form

    def read_token(key: str, token: str) -> Any:
        """The value of ``token`` under ``key`` by the field's fast reader (INVALID: leave
        the entry to YAML), remembered if short."""
        if token[0] == '"' or token[0] == "'":
            raw, tag = token.rstrip(" ")[1:-1], str_tag  # (a quoted token: with the spaces after it)
        else:
            raw = token.rstrip(" ")
            tag = str_tag if raw[0] not in firsts else plain_tag(raw)
        got = quicks[key](tag, raw)  # type: ignore[misc]
        memo = memos[key]
        if got is not invalid and len(token) <= _MEMO_TOKEN and len(memo) < _MEMO_SIZE:
            memo[token] = got
        return got

    def form_of(spaces: tuple[Any, ...]) -> SpansForm:
        """The SpansForm of entries whose keys have these spaces after their colons (None:
        not written), one a line; or, after a "{", of flow mappings with their values at
        these offsets in the line (-1: not written)."""
        if spaces and spaces[0] == "{":
            at = spaces[1:]
            keys = [readers[n][0] for n, offset in zip(names, at, strict=True) if offset >= 0]
            columns = tuple(offset + 1 for offset in at if offset >= 0)
            made = forms[spaces] = SpansForm(path, intern_keys(keys), columns, column_1, (0,) * len(keys))
            return made
        keys = [readers[n][0] for n, gap in zip(names, spaces, strict=True) if gap is not None]
        columns = tuple(readers[n][2] + len(gap) for n, gap in zip(names, spaces, strict=True) if gap is not None)
        made = forms[spaces] = SpansForm(path, intern_keys(keys), columns, column_1)
        return made

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

    def one(n: int) -> tuple[dict[str, Any], Any, Pos] | None:
        """Entry ``n`` read alone, written in any order or as one flow mapping (the batch
        has tried the canonical order), or None: leave it to YAML."""
        begin = starts[n] - dash
        stop = starts[n + 1] - dash if n + 1 < count else end
        values: dict[str, Any] = {}
        keys: list[str] = []
        places: list[int] = []
        if stop - begin > _LARGEST_ENTRY:
            # an entry this long is no ledger line (a pull request's blank lines, a key
            # repeated a million times): libyaml reads it in linear time, the expressions
            # here would keep a backtracking point a line
            return None
        if raw:
            here = piece_of(text, begin, stop)
            b, e = 0, len(here)
        else:
            here, b, e = text, begin, stop  # type: ignore[assignment]
        # (1-based; the cursor itself moves once a run left to YAML before it is composed)
        first = cursor_line + text.count(nl, cursor, begin) + 1
        if (m := block.match(here, b, e)) is not None and m.end() == e:
            line = first
            for key, spaces, token in block_pair.findall(here, b, m.end(1)):
                attr, memo, column = readers[key]
                got = memo.get(token, invalid)
                if got is invalid:
                    got = read_token(key, token)
                if got is invalid or attr in values:  # (a duplicate key: YAML's reading reports it)
                    return None
                values[attr] = got
                keys.append(attr)
                places += (line, column + len(spaces))
                line += 1
        else:
            m = flow.match(here, b, e)
            if m is None or m.end() != e:
                return None
            for pair in flow_pair.finditer(here, b, here.index("\n", b)):
                key, token = pair.group(1, 2)
                attr, memo, _ = readers[key]
                got = memo.get(token, invalid)
                if got is invalid:
                    got = read_token(key, token)
                if got is invalid or attr in values:
                    return None
                values[attr] = got
                keys.append(attr)
                places += (first, pair.start(2) - b + 1)
        for attr in required:
            if attr not in values:
                return None  # YAML's reading reports it
        table.append(first)
        table.append(column_1)
        spans = Spans(path, intern_keys(keys), table, len(table), origin=True)
        table.extend(places)
        return values, spans, Pos(path, first, column_1)

    def forms_for(spaces: list[Any]) -> list[SpansForm]:
        """The SpansForm of each entry written with these ``spaces`` (see form_of)."""
        entry_forms: list[Any] = list(map(forms.get, spaces))
        if None in entry_forms:
            for p in list(compress(range(len(spaces)), map(is_, entry_forms, repeat(None)))):
                entry_forms[p] = forms.get(spaces[p]) or form_of(spaces[p])
        return entry_forms

    def canonical_batch(a: int, b: int) -> Batch:
        """Entries a..b-1 matched in the canonical order, a step over all of them at a time:
        whether each is taken; of those taken, in order, their index less ``a``, their
        forms' keys (the spaces after each key; see form_of) and forms, their columns
        (attribute, values, which wrote it) and the line breaks from each one's first line
        to the next one's. Plain values but the forms: a forked helper computes batches
        with this too (see below)."""
        begin, stop = starts[a] - dash, starts[b] - dash if b < count else end
        if raw:
            piece = piece_of(text, begin, stop)
            offsets = [0]
            offsets += map(_AFTER_BREAK, map(_START, source.entry_starts(dash, False).finditer(piece)))
            if len(offsets) != b - a:  # (cannot be: the same bytes the scan found them in)
                return [False] * (b - a), [], [], [], [], []
        else:
            piece = text  # type: ignore[assignment]
            offsets = [starts[n] - dash for n in range(a, b)]
        ends = offsets[1:]
        ends.append(len(piece) if raw else stop)
        matches: list[Any]
        if max(map(sub, ends, offsets)) > _LARGEST_ENTRY:
            matches = [canonical.match(piece, o, e) if e - o <= _LARGEST_ENTRY else None for o, e in zip(offsets, ends, strict=True)]
        else:
            matches = list(map(canonical.match, repeat(piece), offsets, ends))
        taken = [m is not None and m.end() == e for m, e in zip(matches, ends, strict=True)]
        flows: list[int] = []  # (indices less ``a``) those written as one flow mapping
        if False in taken:
            for j in [j for j, t in enumerate(taken) if not t and ends[j] - offsets[j] <= _LARGEST_ENTRY]:
                m = flow_canonical(piece, offsets[j], ends[j])
                if m is not None and m.end() == ends[j]:
                    matches[j] = m
                    taken[j] = True
                    flows.append(j)
        matched = taken.copy()  # (``taken`` loses those with a value refused, below)
        groups = list(map(_GROUPS, compress(matches, taken)))
        index = list(compress(range(b - a), taken))
        spaces: list[Any] = list(map(itemgetter(slice(0, None, 2)), groups))
        for j in flows:  # their form: where each value stands in the line (-1: not written)
            p = bisect_left(index, j)
            start = offsets[j]
            spaces[p] = ("{", *map(max, map(sub, map(_FIRST, matches[j].regs[2::2]), repeat(start)), repeat(-1)))
        entry_forms = forms_for(spaces)
        # Which of the forms met hold each key: a column is read only where some entry wrote it.
        distinct = set(entry_forms)
        bad: set[int] = set()  # (positions in ``index``) a value the fast readers refuse
        columns: list[Any] = []
        for i, name in enumerate(names):
            attr, memo, _ = readers[name]
            holding = {form: attr in form.names for form in distinct}
            wrote: list[bool] | None = None
            if not all(holding.values()):
                if attr in required:  # (the first key is: YAML's reading reports it missing)
                    bad.update(p for p, form in enumerate(entry_forms) if not holding[form])
                if True not in holding.values():
                    continue
                wrote = list(map(holding.__getitem__, entry_forms))
            tokens = list(map(itemgetter(2 * i + 1), groups))
            got = list(map(memo.get, tokens))
            if got.count(None) == (0 if wrote is None else len(wrote) - sum(wrote)):
                columns.append((attr, got, wrote))
                continue  # every value written was remembered
            verbatim = verbatims[name]
            for p in [p for p in compress(range(len(got)), map(is_, got, repeat(None))) if tokens[p] is not None]:
                token = tokens[p]
                value = memo.get(token)
                if value is None:
                    if len(token) > verbatim and token[0] not in firsts and token[0] not in "'\"" and token[-1] != " ":
                        value = token  # (a long plain text: as itself, FieldType.verbatim)
                        if len(token) <= _MEMO_TOKEN and len(memo) < _MEMO_SIZE:
                            memo[token] = value  # (a note repeated is kept once, as read_token does)
                    else:
                        value = read_token(name, token)
                        if value is invalid:
                            bad.add(p)
                got[p] = value
            columns.append((attr, got, wrote))
        for p in bad:
            taken[index[p]] = False
        breaks = list(map(piece.count, repeat("\n"), compress(offsets, matched), compress(ends, matched)))
        return taken, index, spaces, entry_forms, columns, breaks

    # A ledger this long is matched by two processes (fedplan.forked): a child matches some
    # of the batches while this one matches the others, in turn, and reads and builds all.
    # (The rest of reading — the entries matched otherwise, lines, objects — stays here,
    # in order.) The child sends each batch without its forms: the keys of the forms met,
    # and each entry's as a number in that list; this process makes its own forms from the
    # keys, shared with its other entries.
    def plain(batch: Batch) -> Batch:
        met = {form: n for n, form in enumerate(set(batch[3]))}
        key_of = {form: key for key, form in forms.items()}
        return (batch[0], batch[1], [list(map(key_of.__getitem__, met)), list(map(met.__getitem__, batch[3]))], [], *batch[4:])

    def restore(sent: Batch) -> Batch:
        keys, numbers = sent[2]
        return (sent[0], sent[1], [], list(map(forms_for(keys).__getitem__, numbers)), *sent[4:])

    starts_of = list(range(0, count, BATCH))
    own = _OWN_SHARE if count >= forked.LARGE else 1.0
    batches = forked.Shared(starts_of, lambda a: canonical_batch(a, min(count, a + BATCH)), own, plain=plain, restore=restore)

    # A run left to YAML takes at least this many entries, plain or not: composing costs a
    # loader's start-up a run, and a ledger whose every other note holds a "10:30" would
    # otherwise compose its entries one at a time, slower than composing them all.
    least = min(_LEAST_RUN, source.CHUNK_ENTRIES)
    try:
        for a in range(0, count, BATCH):
            b = min(count, a + BATCH)
            taken, index, _, entry_forms, columns, breaks = batches.get(a)
            keep = [False] * len(index)  # of the entries matched, those read by columns
            lines: list[int] = []
            inserts: list[tuple[int, Any]] = []  # (before which of them, a row read otherwise)
            n = a
            while n < b:
                if 0 <= slow_from and n - slow_from < least:
                    n += 1
                    continue  # in the run: composed with it
                if taken[n - a]:
                    k = n + 1
                    while k < b and taken[k - a]:
                        k += 1
                    if slow_from >= 0:
                        flush(n)
                        slow_from = -1
                        inserts += zip(repeat(len(lines)), out)
                        out.clear()
                    p = bisect_left(index, n - a)
                    q = p + (k - n)
                    keep[p:q] = repeat(True, q - p)
                    cursor_line += text.count(nl, cursor, starts[n] - dash)
                    lines += accumulate(breaks[p : q - 1], initial=cursor_line + 1)
                    cursor_line = lines[-1] - 1
                    cursor = starts[k - 1] - dash
                    n = k
                    continue
                row = one(n)
                if row is None:
                    if slow_from < 0:
                        slow_from = n
                    elif n - slow_from >= source.CHUNK_ENTRIES:
                        flush(n)
                        slow_from = n
                        inserts += zip(repeat(len(lines)), out)
                        out.clear()
                else:
                    if slow_from >= 0:
                        flush(n)
                        slow_from = -1
                        inserts += zip(repeat(len(lines)), out)
                        out.clear()
                    cursor, cursor_line = starts[n] - dash, row[2].line - 1
                    inserts.append((len(lines), row))
                n += 1
            if lines or inserts:
                every = False not in keep
                run: dict[str, tuple[list[Any], list[bool] | None]] = {}
                for attr, got, wrote in columns:
                    if not every:
                        got = list(compress(got, keep))
                        wrote = None if wrote is None else list(compress(wrote, keep))
                    if wrote is not None and False not in wrote:
                        wrote = None
                    if wrote is None or True in wrote:
                        run[attr] = (got, wrote)
                yield EntryColumns(entry_forms if every else list(compress(entry_forms, keep)), lines, run, inserts)
    finally:
        batches.close()  # (if the reader stopped early, the helper's work is not wanted)
    if slow_from >= 0:
        flush(count)
        yield from out


BATCH = 2048
_GROUPS = re.Match.groups
_START = re.Match.start
_AFTER_BREAK = (1).__add__
_FIRST = itemgetter(0)
