"""A mutation fuzzer over the bundled example repository: whatever a pull request does to
one YAML file of plans/2012/, `validate`, `status 2012 --format json` and `report 2012`
(the long run: every output format, docx included) end with a message and an exit code (0, 1 or 2), never a Python traceback.

The default run is small and bounded (a few seconds); ``FEDPLAN_FUZZ=1 pytest -m slow
tests/test_fuzz.py`` runs the long one. The runner (tests/conftest.py ``cli``) does not
catch exceptions, so anything escaping the command fails the example with its traceback,
and hypothesis shrinks it to the smallest mutation that still breaks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import fedplan_in

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "plans/2012").rglob("*.yaml"))
pytestmark = pytest.mark.skipif(not EXAMPLE_FILES, reason="the example repository is not in this tree")

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("validate",),
    ("status", "2012", "--format", "json"),
    ("report", "2012"),
)

# Characters a careless edit or a hostile pull request brings: YAML's indicators, quotes,
# whitespace of every kind, digits and signs, control characters, Chinese text and
# full-width punctuation, a surrogate-free astral character, a BOM.
_ALPHABET = st.one_of(
    st.sampled_from(list(":-?[]{}#&*!|>'\"%@`,.\\ \t\r\n0123456789+eE_~")),
    st.sampled_from(["\x00", "\x1b", "\x7f", "\u2028", "\ufeff", "\u3000", "　", "：", "，", "妇", "联", "𠀀"]),
    st.characters(blacklist_categories=("Cs",)),
)


@st.composite
def _mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file of the example and its mutated bytes (1–3 edits of characters or lines)."""
    rel = draw(st.sampled_from(EXAMPLE_FILES))
    text = (ROOT / rel).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "line-delete", "line-dup", "line-swap"]))
        if kind in ("insert", "delete", "replace"):
            at = draw(st.integers(0, max(len(text) - 1, 0)))
            piece = draw(st.text(_ALPHABET, min_size=1, max_size=4)) if kind != "delete" else ""
            cut = 0 if kind == "insert" else draw(st.integers(1, 12))
            text = text[:at] + piece + text[at + cut :]
        else:
            lines = text.splitlines(keepends=True)
            if len(lines) < 2:
                continue
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "line-delete":
                del lines[i]
            elif kind == "line-dup":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    data = text.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 4)) == 0:  # now and then a byte that is not UTF-8 (a GBK editor's save)
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bytes([draw(st.integers(0x80, 0xFF))]) + data[at:]
    return rel, data


@pytest.fixture(scope="module")
def example_copy() -> Iterator[Path]:
    """A private copy of the example repository; each fuzz example edits one file and puts
    it back."""
    with tempfile.TemporaryDirectory(prefix="fedplan-fuzz-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        for name in ("fedplan.yaml", "plans", "templates"):
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / name)
            elif source.is_file():
                shutil.copy2(source, root / name)
        yield root


# The long run also writes every other output format (docx to a file beside the repository).
LONG_COMMANDS = (
    *COMMANDS,
    ("status", "2012"),
    ("report", "2012", "--format", "html"),
    ("report", "2012", "--format", "txt"),
    ("report", "2012", "--id", "half-year"),
    ("report", "2012", "-o", "{tmp}/out.docx"),
)


def _run_all(root: Path, rel: str, data: bytes, commands: tuple[tuple[str, ...], ...] = COMMANDS) -> None:
    path = root / rel
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        for args in commands:
            args = tuple(a.replace("{tmp}", str(root.parent)) for a in args)
            result = fedplan_in(root, *args)
            assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
            assert "Traceback" not in result.output, (args, result.output)
    finally:
        path.write_bytes(original)


_FAST = settings(max_examples=20, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_FAST
@given(_mutations())
def test_mutated_example_never_raises(example_copy: Path, mutation: tuple[str, bytes]) -> None:
    _run_all(example_copy, *mutation)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("FEDPLAN_FUZZ") != "1",
                    reason="the long fuzz run (a few minutes): set FEDPLAN_FUZZ=1 to run it")
@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_mutations())
def test_mutated_example_never_raises_long(example_copy: Path, mutation: tuple[str, bytes]) -> None:
    _run_all(example_copy, *mutation, commands=LONG_COMMANDS)
