"""The names of the document kinds: the registry the schema declarations (fedplan/schema/
kinds.py ``KINDS``), the importer and the command line's choices all read.

The command line reads these while building ``fedplan --help``, so this module imports
nothing (tests/cli/test_cli.py checks what --help loads).
"""

from __future__ import annotations

# Every document kind, in the order `fedplan schema` lists them; schema/kinds.py declares
# one Spec for each (tests/unit/test_kinds.py holds the two together).
DOCUMENTS = ("plan", "progress", "report", "proposal", "assessment")

# fedplan.yaml is not a document, but it has a schema too: `fedplan schema settings`.
SETTINGS = "settings"
SCHEMAS = (*DOCUMENTS, SETTINGS)

# What `fedplan import` can make from old text (fedplan.importer.structure.Kind).
IMPORTABLE = ("plan", "report", "proposal")
