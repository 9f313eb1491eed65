"""The rendered documents of each kind, in md and txt, against golden files.

Regenerate after an intended change with ``FEDPLAN_UPDATE_GOLDEN=1 python -m pytest
tests/cli/test_render_golden.py`` and review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import fedplan_in

DATA = Path(__file__).parents[1] / "data" / "render"
GOLDEN = Path(__file__).parents[1] / "golden"

CASES = {
    "plan": ["render", str(DATA / "plans/2012/plan.yaml")],
    "proposal": ["render", str(DATA / "plans/2006/proposal.yaml")],
    "report": ["report", "2012", "--id", "half-year"],
    "summary": ["report", "2012", "--as-of", "2012-09-30"],
}


def run_line(args: list[str]) -> str:
    # --no-cache: the fixture folder is part of the checkout; a run must not leave
    # tests/data/render/.fedplan/ behind in it.
    result = fedplan_in(DATA, "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fmt", ["md", "txt"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_golden(kind: str, fmt: str) -> None:
    rendered = run_line([*CASES[kind], "--format", fmt])
    golden = GOLDEN / f"{kind}.{fmt}"
    if os.environ.get("FEDPLAN_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
