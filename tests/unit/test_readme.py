"""The README's reliability table names real tests: every ``tests/file.py::test_name`` (and
every bare ``test_name`` after a ``tests/file.py``) it cites exists, so a promise cannot
outlive the test that backed it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## 可靠性的承诺"


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_the_reliability_table_cites_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(SECTION)
    table = readme[start : readme.index("\n## ", start + 1)]
    cited = 0
    for row in table.splitlines():
        if not row.startswith("|"):
            continue
        current: Path | None = None
        for token in re.findall(r"tests/[\w/]+\.py(?:::\w+)?|\btest_\w+", row):
            if token.startswith("tests/"):
                file, _, name = token.partition("::")
                current = ROOT / file
                assert current.is_file(), token
                if name:
                    assert name in _tests_in(current), token
                    cited += 1
            else:
                assert current is not None, token
                assert token in _tests_in(current), f"{current.name}::{token}"
                cited += 1
    assert cited >= 15
