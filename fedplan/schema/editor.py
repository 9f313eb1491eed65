"""JSON Schema (draft-07) for editors, from the same declaration the walk reads."""

from __future__ import annotations

from typing import Any

from fedplan.schema.kinds import KINDS, SETTINGS


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema of a document kind, or of the settings file (``settings``)."""
    spec = SETTINGS if kind == "settings" else KINDS[kind]
    schema = spec.json()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = f"https://fedplan.invalid/schema/{kind}.json"
    schema["title"] = f"fedplan {kind}"
    return schema
