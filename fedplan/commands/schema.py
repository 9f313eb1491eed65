"""fedplan schema: JSON Schema of a document kind, for editors."""

from __future__ import annotations

import json

import click

from fedplan.schema import KINDS, json_schema


def run(kind: str | None) -> int:
    if kind is None:
        # One schema that accepts any document kind, chosen by its `kind` key.
        combined = {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://fedplan.invalid/schema/document.json",
            "title": "fedplan document",
            "oneOf": [{k: v for k, v in json_schema(name).items() if not k.startswith("$")} for name in KINDS],
        }
        click.echo(json.dumps(combined, ensure_ascii=False, indent=2))
    else:
        click.echo(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))
    return 0
