"""docs/checks.md is executable: every example in it is built into a repository and checked.

The document's format (described at its top): a ``### `code` · 错误|警告`` heading per
diagnostic code, then a passing ```yaml block, a failing ```yaml block and a ```text block
holding exactly what ``fedplan validate`` reports for the failing one (the diagnostic lines
and their ``提示：`` hints). A yaml block is one or more files, each starting at a
``# file: PATH`` line (``# file: PATH as ENCODING`` saves it in that encoding); a
``# today: DATE`` line before the first file sets the day the check runs on. Every example
repository starts from the base files shown once at the top of the document.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fedplan import files as repo_files
from fedplan import importer, intake, rules, schema, source
from fedplan.checks import CHECKS as ALL_CHECKS
from fedplan.checks import run_checks
from fedplan.diagnostics import FAMILIES, REGISTRY, Diagnostic, Severity
from fedplan.repo import load_repository
from tests.conftest import PLAN_2012, PLAN_PATH

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "checks.md"
DEFAULT_TODAY = dt.date(2013, 1, 31)

CODE_HEADING = re.compile(r"^### `([a-z0-9-]+)` · (错误|警告)[ \t]*$", re.M)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.M | re.S)
FILE_LINE = re.compile(r"^# file: (\S+)(?: as (\S+))?[ \t]*$")
TODAY_LINE = re.compile(r"^# today: (\d{4}-\d{2}-\d{2})[ \t]*$")
# A code shown elsewhere because its input cannot be written out (1,001 nested brackets).
ELSEWHERE = re.compile(r"<!-- 示例见 (tests/\S+\.py)::(test_\w+) -->")
TABLE_ROW = re.compile(r"^\| `([a-z0-9-]+)` \|", re.M)

SEVERITY = {"错误": "error", "警告": "warning"}


@dataclass
class Example:
    files: dict[str, bytes] = field(default_factory=dict)
    today: dt.date = DEFAULT_TODAY


@dataclass
class Check:
    code: str
    severity: str
    passing: Example | None = None
    failing: Example | None = None
    expected: list[str] = field(default_factory=list)
    elsewhere: tuple[str, str] | None = None


def parse_example(block: str, where: str) -> Example:
    example = Example()
    files: dict[str, tuple[str, list[str]]] = {}  # path → (encoding, lines)
    current: list[str] | None = None
    for line in block.splitlines(keepends=True):
        found = FILE_LINE.match(line)
        if found:
            current = []
            files[found[1]] = (found[2] or "utf-8", current)
            continue
        today = TODAY_LINE.match(line)
        if today and current is None:
            example.today = dt.date.fromisoformat(today[1])
            continue
        assert current is not None, f"{where}: text before the first '# file:' line: {line!r}"
        current.append(line)
    example.files = {rel: "".join(lines).encode(enc) for rel, (enc, lines) in files.items()}
    return example


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def parse_doc(text: str) -> tuple[dict[str, bytes], list[Check]]:
    first = CODE_HEADING.search(text)
    assert first is not None, "no ### `code` headings in docs/checks.md"
    base_blocks = [body for lang, body in FENCE.findall(text[: first.start()]) if lang == "yaml"]
    assert len(base_blocks) == 1, "the base files are one yaml block before the first code"
    base = parse_example(base_blocks[0], "base files").files
    headings = list(CODE_HEADING.finditer(text))
    checks = []
    for n, heading in enumerate(headings):
        end = headings[n + 1].start() if n + 1 < len(headings) else len(text)
        body = text[heading.end() : end].split("\n## ", 1)[0]
        check = Check(heading[1], SEVERITY[heading[2]])
        elsewhere = ELSEWHERE.search(body)
        if elsewhere:
            check.elsewhere = (elsewhere[1], elsewhere[2])
        else:
            blocks = FENCE.findall(body)
            langs = [lang for lang, _ in blocks]
            assert langs == ["yaml", "yaml", "text"], f"{check.code}: blocks {langs}"
            check.passing = parse_example(blocks[0][1], f"{check.code} (passing)")
            check.failing = parse_example(blocks[1][1], f"{check.code} (failing)")
            check.expected = blocks[2][1].splitlines()
        checks.append(check)
    return base, checks


def table_codes(text: str, heading: str) -> set[str]:
    return set(TABLE_ROW.findall(_section(text, heading)))


DOC_TEXT = DOC.read_text(encoding="utf-8")
BASE, CHECKS = parse_doc(DOC_TEXT)
EXAMPLES = [c for c in CHECKS if c.elsewhere is None]
IMPORT_TABLE = "导入时的提示（fedplan import）"
COMMAND_TABLE = "命令的错误（不是数据问题）"


def diagnostics_of(example: Example, root: Path) -> list[Diagnostic]:
    root.mkdir(parents=True)
    for rel, data in {**BASE, **example.files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return load_repository(root, today=example.today).diagnostics


def as_reported(found: list[Diagnostic]) -> list[str]:
    """What ``fedplan validate`` prints of each diagnostic, minus the source excerpt."""
    lines = []
    for diag in found:
        lines.append(str(diag))
        if diag.hint:
            lines.append(f"  提示：{diag.hint}")
    return lines


def test_the_base_is_the_shared_test_plan():
    assert {PLAN_PATH: PLAN_2012.encode("utf-8")} == BASE


@pytest.mark.parametrize("check", EXAMPLES, ids=lambda c: c.code)
def test_passing_example_is_clean(check: Check, tmp_path: Path):
    assert check.passing is not None
    assert as_reported(diagnostics_of(check.passing, tmp_path / "repo")) == []


@pytest.mark.parametrize("check", EXAMPLES, ids=lambda c: c.code)
def test_failing_example_reports_what_the_doc_shows(check: Check, tmp_path: Path):
    assert check.failing is not None
    found = diagnostics_of(check.failing, tmp_path / "repo")
    assert as_reported(found) == check.expected
    ours = [d for d in found if d.code == check.code]
    assert ours, f"{check.code} not reported by its failing example"
    assert {d.severity.value for d in ours} == {check.severity}


@pytest.mark.parametrize("check", [c for c in CHECKS if c.elsewhere], ids=lambda c: c.code)
def test_codes_shown_elsewhere_point_at_a_real_test(check: Check):
    assert check.elsewhere is not None
    module, name = check.elsewhere
    source = (ROOT / module).read_text(encoding="utf-8")
    found = re.search(rf"^def {name}\(.*?(?=^def |\Z)", source, re.M | re.S)
    assert found is not None, f"{module}::{name} does not exist"
    assert f'"{check.code}"' in found[0]


def test_each_code_is_documented_once():
    codes = [c.code for c in CHECKS]
    assert len(codes) == len(set(codes))
    assert not set(codes) & table_codes(DOC_TEXT, IMPORT_TABLE)


# --- the registry, the docs and what the code emits ------------------------------------------
#
# fedplan.diagnostics.REGISTRY is the source of truth: the docs list exactly its codes, each in
# its family's section with its severity; every code is declared by the module or check that
# emits it; and each documented example, run stage by stage, emits only what is declared.


def family_of_heading(text: str, at: int) -> str:
    """The family id of the ``## `` section that the text at offset ``at`` lies in."""
    heading = text.rfind("\n## ", 0, at)
    title = text[heading + 4 : text.index("\n", heading + 1)]
    matches = [fid for fid, name in FAMILIES.items() if title.startswith(name)]
    assert len(matches) == 1, f"section {title!r} is no family of fedplan.diagnostics.FAMILIES"
    return matches[0]


IMPORT_ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (.+?) \|$", re.M)


def test_the_docs_list_exactly_the_registry():
    documented = [c.code for c in CHECKS] + sorted(table_codes(DOC_TEXT, IMPORT_TABLE))
    placed_by_commands = {c.id for c in REGISTRY.values() if c.family == "command"}
    assert placed_by_commands <= table_codes(DOC_TEXT, COMMAND_TABLE)
    assert sorted(documented) == sorted(set(REGISTRY) - placed_by_commands)


def test_each_code_is_documented_in_its_family_with_its_severity():
    for heading in CODE_HEADING.finditer(DOC_TEXT):
        code = REGISTRY[heading[1]]
        assert family_of_heading(DOC_TEXT, heading.start()) == code.family, code.id
        assert SEVERITY[heading[2]] == code.severity.value, code.id
    for code, meaning in IMPORT_ROW.findall(_section(DOC_TEXT, IMPORT_TABLE)):
        assert REGISTRY[code].family == "import"
        assert REGISTRY[code].severity is Severity.WARNING
        assert meaning == REGISTRY[code].summary


def test_every_registered_code_is_declared_by_what_emits_it():
    declared = [repo_files.CODES, source.CODES, schema.CODES, rules.CODES, importer.CODES, intake.CODES]
    declared += [check.codes for check in ALL_CHECKS]
    assert set().union(*declared) == set(REGISTRY)
    assert not source.CODES & schema.CODES


@pytest.mark.parametrize("check", EXAMPLES, ids=lambda c: c.code)
def test_each_stage_emits_only_the_codes_it_declares(check: Check, tmp_path: Path):
    for n, example in enumerate((check.passing, check.failing)):
        assert example is not None
        root = tmp_path / str(n)
        whole = diagnostics_of(example, root)
        read = load_repository(root, today=example.today, checks=False)
        assert {d.code for d in read.diagnostics} <= repo_files.CODES | source.CODES | schema.CODES | rules.CODES
        by_checks: list[Diagnostic] = []
        for one in ALL_CHECKS:
            found = run_checks(read.repo, today=example.today, sources=read.sources, checks=(one,))
            assert {d.code for d in found} <= one.codes, one.name
            by_checks.extend(found)
        assert sorted(read.diagnostics + by_checks) == whole  # CHECKS is what the loader runs


# Command errors (FedplanError) are not Diagnostics and not in the registry: their codes are
# still found in the source.
FEDPLAN_ERROR_CODE = re.compile(r'\bcode="([a-z][a-z0-9-]*)"')


def test_every_command_error_code_is_documented():
    emitted_codes: set[str] = set()
    for path in (ROOT / "fedplan").rglob("*.py"):
        emitted_codes |= set(FEDPLAN_ERROR_CODE.findall(path.read_text(encoding="utf-8")))
    assert emitted_codes == table_codes(DOC_TEXT, COMMAND_TABLE)


# --- docs/editors.md ------------------------------------------------------------------------

MODELINE_ROW = re.compile(r"^\| `([^`]+)` \| `(# yaml-language-server: [^`]+)` \|$", re.M)


def test_editors_doc_shows_the_modelines_init_writes():
    from fedplan.scaffold import repository_files, schema_files

    written = repository_files(org="测试区妇联", year=2026)
    rows = MODELINE_ROW.findall((ROOT / "docs" / "editors.md").read_text(encoding="utf-8"))
    assert len(rows) == 3
    for shown, modeline in rows:
        pattern = re.escape(shown).replace(r"\*", "[^/]+")
        matches = [text for rel, text in written.items() if re.fullmatch(pattern, rel)]
        assert matches, shown
        assert all(text.splitlines()[0] == modeline for text in matches)
        # yaml-language-server resolves the path from the file's own folder.
        schema = posixpath.normpath(posixpath.join(posixpath.dirname(shown), modeline.split("$schema=")[1]))
        assert schema in schema_files()
