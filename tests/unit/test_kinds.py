"""fedplan/kinds.py and fedplan/formats.py are the light registries the command line reads
for its choices; the heavy modules that act on each name must agree with them."""

from __future__ import annotations

from typing import get_args

from fedplan import formats, kinds
from fedplan.hanzi import SCRIPTS
from fedplan.importer.structure import Kind
from fedplan.model import Script
from fedplan.reporters.diagnostics import WRITERS
from fedplan.schema import KINDS, SETTINGS
from fedplan.schema.fields import Choice


def test_every_document_kind_has_its_declaration_and_says_its_own_name() -> None:
    assert tuple(KINDS) == kinds.DOCUMENTS
    for name, spec in KINDS.items():
        kind = spec.field("kind")
        assert kind is not None and isinstance(kind.type, Choice)
        assert kind.type.choices == (name,)


def test_importable_kinds_are_what_the_importer_builds() -> None:
    assert set(get_args(Kind)) == set(kinds.IMPORTABLE)
    assert set(kinds.IMPORTABLE) <= set(kinds.DOCUMENTS)


def test_scripts_are_the_model_type_and_the_settings_choice() -> None:
    assert set(get_args(Script)) == set(SCRIPTS)
    script = SETTINGS.field("script")
    assert script is not None and isinstance(script.type, Choice) and script.type.choices == SCRIPTS


def test_every_diagnostic_format_has_a_writer() -> None:
    assert tuple(WRITERS) == formats.DIAGNOSTICS.names
    assert formats.DIAGNOSTICS.default in WRITERS
