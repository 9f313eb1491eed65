"""What a progress entry must carry, by what it is about — stated once.

An entry is about a numeric target (it carries ``value``), a milestone (``done: true``) or
an item (a ``note`` of narrative progress). The ledger reader (fedplan.schema, for items),
the repository checks (fedplan.checks.progress, for targets, which need the plan) and
``fedplan log`` (fedplan.logbook, before anything is written) all ask ``breaks`` which rule
an entry breaks and word the answer for their reader: a YAML key in a file, a command-line
option in a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import compress, repeat
from operator import attrgetter, eq, is_
from typing import Any

from fedplan.model import Entry, Target, holding
from fedplan.records import record

ITEM = "item"
MILESTONE = "milestone"
NUMERIC = "numeric"


@record
class EntryRule:
    needs: str  # the field an entry about this kind of subject must carry
    refuses: tuple[str, ...]  # fields it must not carry
    missing: str  # the code when ``needs`` is absent
    refused: str  # the code when a refused field is there


RULES: dict[str, EntryRule] = {
    ITEM: EntryRule("note", ("value", "done"), missing="missing-note", refused="entry-field"),
    MILESTONE: EntryRule("done", ("value",), missing="missing-done", refused="value-on-milestone"),
    NUMERIC: EntryRule("value", ("done",), missing="missing-value", refused="done-on-numeric"),
}


@record
class Break:
    code: str
    field: str | None  # the refused field, or None when the needed one is missing


def kind_of(target: Target | None) -> str:
    """ITEM for an entry about an item (no target), else MILESTONE or NUMERIC."""
    if target is None:
        return ITEM
    return MILESTONE if target.is_milestone else NUMERIC


def breaks(kind: str, fields: Mapping[str, object]) -> list[Break]:
    """The rules an entry with ``fields`` (name → value as written; a field that is absent
    is simply not a key) breaks: each refused field that is there, in the order of
    ``EntryRule.refuses``; else the needed field when it is absent, empty or false. A
    refused field's hint already says what to write instead, so it is reported alone."""
    rule = RULES[kind]
    found = [Break(rule.refused, name) for name in rule.refuses if name in fields]
    if found:
        return found
    if not_given(fields.get(rule.needs)):
        return [Break(rule.missing, None)]
    return []


def not_given(value: object) -> bool:
    """Whether a needed field's value counts as not written: absent, empty or false."""
    return value is None or value is False or value == ""


def fields_of(entry: Entry) -> dict[str, object]:
    """The fields ``entry`` was written with, as ``breaks`` takes them."""
    fields: dict[str, object] = {"note": entry.note}
    if entry.value is not None:
        fields["value"] = entry.value
    if "done" in entry.spans:
        fields["done"] = entry.done
    return fields


# What ``breaks(kind, fields_of(entry))`` depends on: which fields are there, whether a
# milestone's ``done`` is true and whether the note is empty. A ledger of a million entries
# has a handful of these shapes; the answer for each is worked out once (and shared: read
# it, never change it).
_BY_SHAPE: dict[tuple[Any, ...], list[Break]] = {}


def answers(kinds: Sequence[str | None], found: Sequence[Entry]) -> list[list[Break]]:
    """``breaks(kinds[n], fields_of(found[n]))`` for each entry (``kinds[n]``: the kind of
    its target; None: not a target's entry, nothing to break), remembered by the shape it
    depends on — which fields are there, whether ``done`` is true and the note empty —
    the shapes found a column at a time, each shape's answer worked out once."""
    shapes = list(
        zip(
            kinds,
            map(is_, map(_VALUE, found), repeat(None)),
            holding(list(map(_SPANS, found)), "done"),
            map(is_, map(_DONE, found), repeat(True)),
            map(eq, map(_NOTE, found), repeat("")),
            strict=True,
        )
    )
    got = list(map(_BY_SHAPE.get, shapes))
    for n in list(compress(range(len(got)), map(is_, got, repeat(None)))):
        known = _BY_SHAPE.get(shapes[n])
        if known is None:
            kind = kinds[n]
            known = _BY_SHAPE[shapes[n]] = [] if kind is None else breaks(kind, fields_of(found[n]))
        got[n] = known
    return got  # type: ignore[return-value]


def breaking(kinds: Sequence[str | None], found: Sequence[Entry]) -> list[int]:
    """The indices of the entries of ``found`` for which ``answers`` is not empty."""
    return list(compress(range(len(found)), answers(kinds, found)))


_VALUE, _SPANS, _DONE, _NOTE = attrgetter("value"), attrgetter("spans"), attrgetter("done"), attrgetter("note")


def entry_breaks(kind: str, entry: Entry) -> list[Break]:
    """``breaks(kind, fields_of(entry))``, remembered by the shape it depends on (``answers``)."""
    return answers([kind], [entry])[0]
