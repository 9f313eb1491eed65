"""The wheel ships every package and the built-in templates (an installed fedplan renders
outside the source tree; CI also proves it by rendering from an installed wheel)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared_packages() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^packages = \[(.*?)\]", text, re.S | re.M)
    assert block, "pyproject.toml lists packages explicitly"
    return set(re.findall(r'"([\w.]+)"', block.group(1)))


def test_every_python_package_is_shipped() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "fedplan").rglob("__init__.py")
    }
    assert found - _declared_packages() == set()


def test_templates_ship_as_a_package_of_the_wheel() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"fedplan.templates" = "templates"' in text
    assert "fedplan.templates" in _declared_packages()
    suffixes = {p.suffix for p in (ROOT / "templates").iterdir() if p.is_file() and p.name != "__init__.py"}
    patterns = re.search(r'^"fedplan.templates" = \[(.*?)\]', text, re.M)
    assert patterns
    shipped = {g.lstrip("*") for g in re.findall(r'"([^"]+)"', patterns.group(1))}
    assert suffixes <= shipped
