"""The command line's choices are the registries' names (fedplan/kinds.py, fedplan/formats.py,
hanzi.SCRIPTS): click refuses anything else and lists exactly those."""

from __future__ import annotations

from fedplan import formats, kinds
from fedplan.hanzi import SCRIPTS
from tests.conftest import cli


def test_the_command_line_offers_exactly_the_registered_names() -> None:
    for args, names in (
        (["schema", "nosuch"], kinds.SCHEMAS),
        (["validate", "--format", "nosuch"], formats.DIAGNOSTICS.names),
        (["import", "--kind", "nosuch", "x.txt"], kinds.IMPORTABLE),
        (["report", "2012", "--script", "nosuch"], SCRIPTS),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "nosuch" in result.output
        for name in names:
            assert name in result.output, (args, name)
