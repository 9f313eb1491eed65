"""The typed documents of a plan repository (SPEC §3, §6), as frozen records (fedplan.records).

Every object keeps where it came from: ``pos`` is the start of its YAML mapping and
``spans`` maps each key that was written to the position of its value, so a later check
can point at the exact line and column ("the `target:` of this entry").
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import deque
from collections.abc import Iterator, Mapping
from itertools import compress, repeat
from operator import attrgetter, is_, is_not
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from fedplan.diagnostics import Pos
from fedplan.records import field, record

Number = int | float
Measure = Literal["sum", "latest"]
Direction = Literal["up", "down"]
Script = Literal["hans", "hant"]
DateStyle = Literal["auto", "2012", "1999"]


class Spans(Mapping[str, Pos]):
    """Where each key's value was written, as Pos made on demand from compact integers.

    There is one per mapping of every document and few are ever asked for (a check that
    fails), so a Spans keeps no PyYAML marks (each an object of its own, the largest part
    of what a loaded repository kept): the keys (``names``) are one tuple shared by every mapping
    written with the same keys, and the 1-based line and column of each are two integers
    in one array of the file (``Walk.table``), from ``start`` on. With ``origin``, the two
    before ``start`` are where the mapping itself starts: an object made from it keeps no
    ``pos`` of its own (a Pos and its line number, some hundred bytes; see Located.pos).
    """

    __slots__ = ("names", "origin", "path", "start", "table")

    def __init__(
        self,
        path: str,
        names: tuple[str, ...] = (),
        table: array[int] | None = None,
        start: int = 0,
        origin: bool = False,
    ) -> None:
        self.path = path
        self.names = names
        self.table = table if table is not None else array("I")
        self.start = start
        self.origin = origin

    def mapping_pos(self) -> Pos | None:
        """Where the mapping starts, if this keeps it."""
        if not self.origin:
            return None
        return Pos(self.path, self.table[self.start - 2], self.table[self.start - 1])

    def starts_at(self, pos: Pos) -> bool:
        """Whether this keeps ``pos`` as where its mapping starts."""
        table, n = self.table, self.start
        return self.origin and pos.line == table[n - 2] and pos.col == table[n - 1] and pos.path == self.path

    def __getitem__(self, key: str) -> Pos:
        try:
            n = self.start + 2 * self.names.index(key)
        except ValueError:
            raise KeyError(key) from None
        return Pos(self.path, self.table[n], self.table[n + 1])

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get through __getitem__ would raise and catch twice per miss.
        if key not in self.names:
            return default
        n = self.start + 2 * self.names.index(key)
        return Pos(self.path, self.table[n], self.table[n + 1])

    def __contains__(self, key: object) -> bool:
        return key in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Spans, (self.path, self.names, self.table, self.start, self.origin))


class SpansForm:
    """What the LineSpans of every mapping written in one form share: the file, the keys in
    the order written, the line of each key's value counted from the mapping's first line
    (0, 1, 2, … one key a line; all 0 in one flow mapping ``{…}``) and its 1-based column,
    and the column of the mapping itself. A ledger of a million entries is written in a
    handful of forms. Compared and hashed as itself: the reader makes one of each form."""

    __slots__ = ("column", "columns", "names", "path", "rows")

    def __init__(
        self, path: str, names: tuple[str, ...], columns: tuple[int, ...], column: int, rows: tuple[int, ...] | None = None
    ) -> None:
        self.path = path
        self.names = names
        self.columns = columns
        self.column = column
        self.rows = tuple(range(len(names))) if rows is None else rows

    def __reduce__(self) -> tuple[Any, ...]:
        return (SpansForm, (self.path, self.names, self.columns, self.column, self.rows))


_item = tuple.__getitem__


class LineSpans(tuple, Mapping[str, Pos]):
    """The Spans of a mapping written in a SpansForm (as ``fedplan log`` writes an entry, or
    as one flow mapping): ``(form, line)``, the form and the 1-based line it starts at. Two
    references and no integers in the file's table: the fast ledger reader makes a million
    of them in one call of ``map``, which a class with an ``__init__`` of its own would not
    allow.

    Asked as Spans is; the tuple underneath is only reached through ``_item``."""

    __slots__ = ()

    @property
    def names(self) -> tuple[str, ...]:
        return _item(self, 0).names

    @property
    def path(self) -> str:
        return _item(self, 0).path

    def mapping_pos(self) -> Pos:
        form = _item(self, 0)
        return Pos(form.path, _item(self, 1), form.column)

    def starts_at(self, pos: Pos) -> bool:
        form = _item(self, 0)
        return pos.line == _item(self, 1) and pos.col == form.column and pos.path == form.path

    def __getitem__(self, key: str) -> Pos:  # type: ignore[override]
        form = _item(self, 0)
        try:
            k = form.names.index(key)
        except ValueError:
            raise KeyError(key) from None
        return Pos(form.path, _item(self, 1) + form.rows[k], form.columns[k])

    def get(self, key: str, default: Any = None) -> Any:
        form = _item(self, 0)
        if key not in form.names:
            return default
        k = form.names.index(key)
        return Pos(form.path, _item(self, 1) + form.rows[k], form.columns[k])

    def __contains__(self, key: object) -> bool:
        return key in _item(self, 0).names

    def __iter__(self) -> Iterator[str]:
        return iter(_item(self, 0).names)

    def __len__(self) -> int:
        return len(_item(self, 0).names)

    __eq__ = Mapping.__eq__  # by content, as Spans (not as the tuple underneath)
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LineSpans({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LineSpans, ((_item(self, 0), _item(self, 1)),))


# The spans that keep where their mapping starts (Located.pos).
WITH_ORIGIN = (Spans, LineSpans)


def holding(spans: list[Mapping[str, Pos]], key: str) -> list[bool]:
    """Whether each of ``spans`` holds ``key``: by their forms, in map, when all are
    LineSpans (a ledger read by columns), else asking each."""
    if set(map(type, spans)) != {LineSpans}:
        return [key in s for s in spans]
    forms: list[Any] = list(map(_item, spans, repeat(0)))  # type: ignore[arg-type]
    held = {form: key in form.names for form in set(forms)}
    return list(map(held.__getitem__, forms))

_NO_SPANS: Mapping[str, Pos] = MappingProxyType({})
_NO_PROFILES: Mapping[str, tuple[Number, ...]] = MappingProxyType({})


@record
class Located:
    """Mixin: where a document part was written."""

    pos: Pos = field(default=Pos(""), compare=False, kw_only=True)  # see _MappingPos
    spans: Mapping[str, Pos] = field(default=_NO_SPANS, compare=False, repr=False, kw_only=True)

    def at(self, key: str) -> Pos:
        """Position of the value of ``key``, or of the whole mapping if it was not written."""
        return self.spans.get(key, self.pos)

    def at_element(self, key: str, index: int) -> Pos:
        """Position of element ``index`` of the list of scalars under ``key`` (else of the list)."""
        return self.spans.get(f"{key}.{index}") or self.at(key)


_NO_POS = Pos("")


class _MappingPos:
    """``Located.pos`` of an object that keeps none of its own: where its spans say its
    mapping starts (schema.build._assemble stores no pos its spans already hold), else the
    field's default. An attribute of the object, when it has one, comes first."""

    def __get__(self, obj: Any, owner: Any = None) -> Pos:
        if obj is None:
            return _NO_POS
        spans = obj.spans
        found = spans.mapping_pos() if spans.__class__ is Spans or spans.__class__ is LineSpans else None
        return _NO_POS if found is None else found


setattr(Located, "pos", _MappingPos())  # noqa: B010 - a descriptor in place of the default


@record
class Settings(Located):
    org: str | None = None
    script: Script = "hans"
    at_risk_below: float = 0.7
    warn_days: int = 14
    stale_days: int = 60
    date_style: DateStyle = "auto"
    # Named pace profiles (SPEC §6): name → cumulative shares at quarter or month ends.
    pace_profiles: Mapping[str, tuple[Number, ...]] = _NO_PROFILES
    # Codes (or families) `fedplan validate` does not report for this repository (SPEC §6).
    ignore: tuple[str, ...] = ()


@record
class Target(Located):
    id: str
    name: str
    target: Number | None = None
    unit: str | None = None
    measure: Measure = "sum"
    direction: Direction = "up"
    baseline: Number = 0
    start: dt.date | None = None
    due: dt.date | None = None
    points: Number | None = None
    pace: Pace | None = None  # None: linear for sum, hold for latest

    @property
    def is_milestone(self) -> bool:
        return self.target is None


PaceForm = Literal["linear", "hold", "shares", "dates"]


@record
class Pace(Located):
    """How much of a target is expected by when (SPEC §3.1 ``pace``).

    ``shares``: cumulative shares at the 4 quarter ends or the 12 month ends; ``dates``:
    (day, cumulative share) checkpoints. ``name`` is the fedplan.yaml profile it came from.
    """

    form: PaceForm
    shares: tuple[Number, ...] = ()
    dates: tuple[tuple[dt.date, Number], ...] = ()
    name: str | None = None


@record
class Item(Located):
    id: str
    title: str
    text: str = ""
    owner: str | None = None
    partners: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()


@record
class Section(Located):
    title: str
    items: tuple[Item, ...] = ()


@record
class Plan(Located):
    path: str
    org: str
    year: int
    title: str
    sections: tuple[Section, ...] = ()
    total_points: Number | None = None
    preamble: str = ""

    def items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item

    def targets(self) -> Iterator[tuple[Section, Item, Target]]:
        for section, item in self.items():
            for target in item.targets:
                yield section, item, target

    def target(self, target_id: str) -> Target | None:
        return next((t for _, _, t in self.targets() if t.id == target_id), None)

    def item(self, item_id: str) -> Item | None:
        return next((i for _, i in self.items() if i.id == item_id), None)


@record
class Entry(Located):
    """One line of the progress ledger: a value, a milestone done, or a note on an item."""

    path: str
    date: dt.date
    target: str | None = None
    item: str | None = None
    value: Number | None = None
    done: bool = False
    note: str = ""
    by: str | None = None
    # The assessment forms (SPEC §3.5): a per-unit or graded indicator, a bonus, a veto.
    indicator: str | None = None
    bonus: str | None = None
    veto: str | None = None
    grade: str | None = None
    evidence: tuple[str, ...] = ()  # 佐证材料: repository paths or URLs


@record
class Progress(Located):
    path: str
    year: int
    entries: tuple[Entry, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (the parse cache) with its entries as columns: a warm validate of 200k
        # entries spent most of its time unpickling them one object and one dict at a time.
        state = dict(vars(self))
        return (_progress_from, (state, _entry_columns(state.pop("entries", ()))))


_NO_DEFAULT = object()
# Entry's attributes as a ledger sets them, and each one's class default (pos: Located.pos).
_ENTRY_ATTRS = tuple(name for name in Entry.__record_fields__ if name != "pos")  # type: ignore[attr-defined]


def _entry_columns(entries: tuple[Entry, ...]) -> tuple[Any, ...]:
    """``entries`` as (count, {attribute: its values}, {index: a pos of an entry's own}):
    a column holds every entry's value, its class default where it has none; a LineSpans
    goes as the plain tuple (form, line). Read back by ``_entries_from``."""
    columns: dict[str, list[Any]] = {}
    for name in _ENTRY_ATTRS:
        got = list(map(attrgetter(name), entries))
        default = getattr(Entry, name, _NO_DEFAULT)
        if default is not _NO_DEFAULT and False not in list(map(is_, got, repeat(default))):  # (identity: see _entries_from)
            continue  # (no entry has one of its own)
        if name == "spans":  # (None: the default, a mapping proxy, which does not pickle)
            got = [_item(s, slice(None)) if s.__class__ is LineSpans else None if s is _NO_SPANS else s for s in got]
        columns[name] = got
    own = {
        n: e.pos
        for n, e in enumerate(entries)
        if e.pos is not _NO_POS and not (e.spans.__class__ in WITH_ORIGIN and e.spans.starts_at(e.pos))
    }
    return (len(entries), columns, own)


def made_by_columns(cls: type[Any], count: int, columns: list[tuple[str, Any, list[bool] | None]]) -> list[Any]:
    """``count`` objects of ``cls`` made without its __init__, a column at a time: each
    (name, values, which get one — None: all) sets that attribute of all of them in one
    call of ``map``; an attribute not set stays the class's default.

    CPython keeps an object's attributes in a small array under keys its class shares only
    for keys the class met before the object was made (each object made leaves less room
    for new ones); the others cost a dict of the object's own, 200 bytes more. So an object
    made first, and dropped, takes every key of the columns before the rest are made."""
    new, put = object.__new__, object.__setattr__
    if count:
        keys = new(cls)
        for name, _, _ in columns:
            put(keys, name, None)
    made = list(map(new, repeat(cls, count)))
    for name, got, wrote in columns:
        if wrote is None:
            deque(map(put, made, repeat(name), got), 0)
        else:
            deque(map(put, compress(made, wrote), repeat(name), compress(got, wrote)), 0)
    return made


def _entries_from(count: int, columns: dict[str, list[Any]], own: dict[int, Pos]) -> tuple[Entry, ...]:
    """The entries ``_entry_columns`` packed, made a column at a time (as the fast ledger
    reader's builder makes them); an attribute that is its class default is left to it."""
    made_columns: list[tuple[str, Any, list[bool] | None]] = []
    for name, got in columns.items():
        default = getattr(Entry, name, _NO_DEFAULT)
        if name == "spans":
            if set(map(type, got)) == {tuple}:  # (all LineSpans: the usual ledger)
                got = list(map(LineSpans, got))
            else:
                got = [LineSpans(s) if s.__class__ is tuple else s for s in got]
            default = None
        # (by identity: ``in`` and ``count`` would compare each value with the default by
        # its __eq__, a LineSpans' a Python one)
        wrote = None if default is _NO_DEFAULT else list(map(is_not, got, repeat(default)))
        made_columns.append((name, got, None if wrote is None or False not in wrote else wrote))
    if own:  # (rare: an entry whose spans do not hold where it starts)
        made_columns.append(("pos", [own.get(n) for n in range(count)], [n in own for n in range(count)]))
    return tuple(made_by_columns(Entry, count, made_columns))


def _progress_from(state: dict[str, Any], packed: tuple[Any, ...]) -> Progress:
    made = object.__new__(Progress)
    for name, value in state.items():
        object.__setattr__(made, name, value)
    object.__setattr__(made, "entries", _entries_from(*packed))
    return made


@record
class Signature(Located):
    org: str | None = None
    date: dt.date | None = None


@record
class ReportSection(Located):
    title: str
    body: str = ""


@record
class Report(Located):
    path: str
    year: int
    id: str
    title: str
    as_of: dt.date
    preamble: str = ""  # the opening paragraphs before 一、, printed as written
    sections: tuple[ReportSection, ...] = ()
    signature: Signature | None = None


@record
class Recommendation(Located):
    title: str
    body: str = ""
    items: tuple[str, ...] = ()


@record
class Proposal(Located):
    path: str
    title: str
    year: int | None = None
    from_: str | None = None
    to: str | None = None
    date: dt.date | None = None
    background: str = ""
    problems: tuple[str, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    signature: Signature | None = None


RuleForm = Literal["proportional", "shortfall", "steps", "per_unit", "on_time", "grades"]


@record
class Rule(Located):
    """How an indicator turns its figures into points (SPEC §3.5).

    ``bands``: shortfall — (largest shortfall in percentage points, or None for "more",
    deduction); steps — (threshold, points), first reached wins. ``of``: what steps compare.
    """

    form: RuleForm = "proportional"
    bands: tuple[tuple[Number | None, Number], ...] = ()
    of: Literal["actual", "percent"] = "percent"
    per_unit: Number = 0
    on_time: Number = 1
    late: Number = 0
    grades: tuple[tuple[str, Number], ...] = ()


@record
class Indicator(Located):
    id: str
    name: str
    points: Number
    target: str | None = None
    rule: Rule = Rule()
    evidence_required: bool = False


@record
class BonusItem(Located):
    id: str
    name: str
    points: Number
    max: Number | None = None
    evidence_required: bool = False


@record
class VetoItem(Located):
    id: str
    name: str


@record
class Assessment(Located):
    """考核细则: how the level above scores the year (SPEC §3.5)."""

    path: str
    year: int
    title: str
    issuer: str | None = None
    total_points: Number | None = None
    indicators: tuple[Indicator, ...] = ()
    bonus_max: Number | None = None
    bonus: tuple[BonusItem, ...] = ()
    veto: tuple[VetoItem, ...] = ()


Document = Plan | Progress | Report | Proposal | Assessment


@record
class Repository:
    """Everything loaded from one plan repository (possibly with errors alongside)."""

    root: Path
    settings: Settings = Settings()
    plans: tuple[Plan, ...] = ()
    progress: tuple[Progress, ...] = ()
    reports: tuple[Report, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    # Files that say they are a plan but could not be read into one (a syntax error, GBK,
    # a bad year), with the year they seem to be for (None when it cannot be told): their own
    # error is the cause, so a ledger of that year is not also "without a plan".
    unread_plans: tuple[tuple[str, int | None], ...] = ()
    assessments: tuple[Assessment, ...] = ()

    def years(self) -> list[int]:
        """Years that have a plan, oldest first."""
        return sorted({p.year for p in self.plans})

    def plan_for(self, year: int) -> Plan | None:
        return next((p for p in self.plans if p.year == year), None)

    def entries_for(self, year: int) -> tuple[Entry, ...]:
        """All progress entries of a year, in date order (stable for equal dates)."""
        entries = [e for p in self.progress if p.year == year for e in p.entries]
        return tuple(sorted(entries, key=lambda e: e.date))

    def reports_for(self, year: int) -> tuple[Report, ...]:
        return tuple(r for r in self.reports if r.year == year)

    def proposals_for(self, year: int) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.year == year)

    def assessment_for(self, year: int) -> Assessment | None:
        return next((a for a in self.assessments if a.year == year), None)

    def documents(self) -> Iterator[Document]:
        yield from self.plans
        yield from self.progress
        yield from self.reports
        yield from self.proposals
        yield from self.assessments
