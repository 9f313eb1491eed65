"""The schema of every document kind (SPEC §3, §6): one declaration, three uses.

The same field lists drive the walk from YAML nodes to typed documents (keeping the position
of every value), the Chinese error messages, and ``fedplan schema`` (JSON Schema for
editors). Checks that need only one document live here too; checks across documents are in
fedplan/checks/.

- fields.py — the field types as classes (Str, Text, Id, Choice, Number, Integer, Bool, Date,
  Strs, Ids, Parsed, Nested, ListOf), each with its reading, fast path, JSON Schema fragment
  and Chinese label; ``Field`` and ``Spec``.
- kinds.py — the declarations: one Spec per mapping of each kind, KINDS, SETTINGS.
- walk.py — nodes → values with positions (``Walk``, ``Spans``).
- build.py — values → model objects (``read_document``, ``read_settings``).
- editor.py — ``json_schema(kind)``.
"""

from __future__ import annotations

from typing import Any

from fedplan.diagnostics import codes
from fedplan.schema.build import read_document, read_settings
from fedplan.schema.fields import EDITOR_ID_PATTERN, ID_PATTERN, Field, FieldType, Spec
from fedplan.schema.kinds import KINDS, SETTINGS

__all__ = [
    "CODES",
    "EDITOR_ID_PATTERN",
    "ID_PATTERN",
    "KINDS",
    "SETTINGS",
    "Field",
    "FieldType",
    "Spec",
    "json_schema",
    "read_document",
    "read_settings",
]



def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema of one document kind (fedplan.schema.editor, imported only by the
    commands that write a schema: validate and the others do not pay for it)."""
    from fedplan.schema.editor import json_schema as build

    return build(kind)


# The codes typing one document may report (fedplan.diagnostics.REGISTRY).
CODES = codes(
    "missing-kind", "unknown-kind", "type", "missing-key", "unknown-key", "duplicate-key", "empty-value",
    "unsafe-tag", "bad-value", "missing-unit", "milestone-field", "entry-ref", "entry-field", "missing-note",
    "bad-id", "bad-date", "date-order", "number-with-unit", "number-format", "out-of-range", "number-magnitude",
    "unknown-code",
)
