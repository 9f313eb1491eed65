"""The bundled example repository (plans/): what the README's first command produces.

`fedplan report 2012` must never disagree with `fedplan status 2012 --format json`, in
any output format: every numeric target's actual figure and completion rate, and the
score, are looked for in the Markdown table and in the text of the txt, html and docx
files written with -o.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest

from fedplan.render.chinese import percent, quantity
from fedplan.render.markdown import parse_markdown
from tests.conftest import RunLine

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (ROOT / "plans/2012/plan.yaml").is_file(), reason="the example repository is not in this tree"
)


@pytest.fixture(scope="module")
def status() -> dict[str, Any]:
    from tests.conftest import fedplan_in

    result = fedplan_in(ROOT, "status", "2012", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _figures(status: dict[str, Any]) -> list[str]:
    """What a reader must find: each numeric target's actual and rate, and the score."""
    out = [f"{status['score']:g}"]
    for target in status["targets"]:
        if target["percent"] is not None:
            out += [quantity(target["actual"], target["unit"]), percent(target["percent"])]
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "svg")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "svg")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _flat(text: str) -> str:
    """Text with line breaks and layout spaces removed (txt wraps at 28 characters), and the
    zero-width word joiners that keep a figure with its unit in the Word file."""
    return re.sub(r"[\s\u3000\u2060]+", "", text)


def test_example_is_as_of_year_end(status: dict[str, Any]) -> None:
    # The example's year is long past: as-of defaults to today clipped into 2012.
    assert status["as_of"] == "2012-12-31"
    assert status["year"] == 2012
    assert len(status["targets"]) == 12


def test_markdown_table_equals_status_json(run_line: RunLine, status: dict[str, Any]) -> None:
    markdown = run_line(["-C", str(ROOT), "report", "2012"]).output
    table = next(b for b in parse_markdown(markdown) if b.kind == "table")
    header, *rows = table.rows
    by_name = {row[header.index("项目")]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(by_name) == len(status["targets"])
    for target in status["targets"]:
        row = by_name[target["name"]]
        if target["percent"] is None:
            # a milestone done shows its day ("3月5日"), one not done "未完成"
            assert bool(re.fullmatch(r"\d+月\d+日", row["完成"])) == target["actual"]
        else:
            assert row["完成"] == quantity(target["actual"], target["unit"])
            assert row["完成率"] == percent(target["percent"])
    assert f"考核得分{status['score']:g}分" in markdown


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html", ".docx"])
def test_every_format_carries_the_same_figures(
    tmp_path: Path, run_line: RunLine, status: dict[str, Any], suffix: str
) -> None:
    out = tmp_path / f"总结{suffix}"
    run_line(["-C", str(ROOT), "report", "2012", "-o", str(out)])
    if suffix == ".docx":
        document = docx.Document(str(out))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        text = "".join(p.text for p in document.paragraphs) + "".join(cells)
    elif suffix == ".html":
        parser = _Text()
        parser.feed(out.read_text(encoding="utf-8"))
        text = "".join(parser.parts)
    else:
        text = out.read_text(encoding="utf-8")
    flat = _flat(text)
    missing = [f for f in _figures(status) if f not in flat]
    assert missing == []
    assert "存在的问题" in flat


def _as_an_editor_reads(text: str) -> Any:
    """YAML as an editor's language server sees it: dates stay strings."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return yaml.load(text, Loader=Loader)


def test_every_example_document_satisfies_its_json_schema() -> None:
    # What `fedplan schema KIND` gives editors must accept the documents fedplan accepts.
    jsonschema = pytest.importorskip("jsonschema")
    from fedplan.schema import json_schema

    files = sorted((ROOT / "plans").rglob("*.yaml"))
    assert files
    for path in files:
        data = _as_an_editor_reads(path.read_text(encoding="utf-8"))
        errors = list(jsonschema.Draft7Validator(json_schema(data["kind"])).iter_errors(data))
        assert errors == [], (path, errors[:1])
    settings = _as_an_editor_reads((ROOT / "fedplan.yaml").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(json_schema("settings")).iter_errors(settings)) == []
