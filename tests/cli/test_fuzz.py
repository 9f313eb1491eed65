"""A mutation fuzzer over the bundled example repository: whatever a pull request does to
one YAML file of plans/2012/, every command — validate, status, report, render, log, new,
score, sheet — ends with a message and an exit code (0, 1 or 2), never a Python traceback;
so does import on a mutated legacy text.

The default run is small and bounded (a few seconds): validate, status and report on each
example, plus one command that writes (log, render, new), drawn by hypothesis; and a few
mutated texts for import. ``FEDPLAN_FUZZ=1 pytest -m slow tests/cli/test_fuzz.py`` runs the
long one: byte-level mutations too (a flipped or inserted byte, a cut in the middle of a
character, the file re-encoded as GB18030, Big5 or UTF-16) and every command in every
output format on each example. The runner (tests/conftest.py ``cli``) does not catch
exceptions, so anything escaping a command fails the example with its traceback, and
hypothesis shrinks it to the smallest mutation that still breaks. After each example the
repository is put back as it was, whatever the commands wrote.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import fedplan_in

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "plans/2012").rglob("*.yaml"))
IMPORT_TEXTS = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "tests/data/import").rglob("*.txt") if p.stat().st_size < 40_000
)
pytestmark = pytest.mark.skipif(not EXAMPLE_FILES, reason="the example repository is not in this tree")

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("validate",),
    ("status", "2012", "--format", "json"),
    ("report", "2012"),
)
# Commands that write: one of them per example in the bounded run, all in the long one.
# {rel} is the mutated file, {out} a folder beside the repository.
WRITING: tuple[tuple[str, ...], ...] = (
    ("log", "farm-training", "5", "--date", "2012-05-01", "--note", "第二期培训"),
    ("log", "farm-training", "--total", "900", "--date", "2012-11-01"),
    ("log", "two-plans-launch", "--done", "--date", "2012-06-20"),
    ("log", "zhiyuan", "--note", "组织活动", "--date", "2012-03-08"),
    ("render", "{rel}"),
    ("render", "{rel}", "--format", "txt"),
    ("new", "2013"),
)
# The long run: every command and every output format.
LONG_COMMANDS: tuple[tuple[str, ...], ...] = (
    *COMMANDS,
    ("validate", "--format", "json"),
    ("validate", "--format", "github"),
    ("status", "2012"),
    ("status", "2012", "--format", "csv"),
    ("status", "2012", "-o", "{out}/进度.xlsx"),
    ("score", "2012"),
    ("score", "2012", "--format", "json"),
    ("score", "2012", "-o", "{out}/自评.xlsx"),
    ("sheet", "2012", "-o", "{out}/填报.xlsx"),
    ("log", "--from", "{out}/填报.xlsx", "--dry-run"),
    ("report", "2012", "--format", "html"),
    ("report", "2012", "--format", "txt"),
    ("report", "2012", "--id", "half-year"),
    ("report", "2012", "-o", "{out}/总结.docx"),
    ("report", "2012", "--script", "hant"),
    ("render", "{rel}", "--format", "html"),
    ("render", "{rel}", "-o", "{out}/文档.docx"),
    *WRITING,
)

# Characters a careless edit or a hostile pull request brings: YAML's indicators, quotes,
# whitespace of every kind, digits and signs, control characters, Chinese text and
# full-width punctuation, a surrogate-free astral character, a BOM.
_ALPHABET = st.one_of(
    st.sampled_from(list(":-?[]{}#&*!|>'\"%@`,.\\ \t\r\n0123456789+eE_~")),
    st.sampled_from(["\x00", "\x1b", "\x7f", "\u2028", "\ufeff", "\u3000", "　", "：", "，", "妇", "联", "𠀀"]),
    st.characters(blacklist_categories=("Cs",)),
)


def _edited(draw: st.DrawFn, text: str) -> str:
    """``text`` after 1–3 edits of characters or lines."""
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
    return text


def _bytes_of(draw: st.DrawFn, text: str, *, byte_level: bool) -> bytes:
    data = text.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 4)) == 0:  # now and then a byte that is not UTF-8 (a GBK editor's save)
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bytes([draw(st.integers(0x80, 0xFF))]) + data[at:]
    if byte_level and data:
        kind = draw(st.sampled_from(["none", "flip", "cut", "gb18030", "big5", "utf-16"]))
        if kind == "flip":
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
        elif kind == "cut":  # a save cut short, perhaps inside a character
            data = data[: draw(st.integers(0, len(data)))]
        elif kind in ("gb18030", "big5", "utf-16"):
            data = text.encode(kind, errors="replace")
    return data


@st.composite
def _mutations(draw: st.DrawFn, byte_level: bool = False) -> tuple[str, bytes]:
    """One file of the example and its mutated bytes."""
    rel = draw(st.sampled_from(EXAMPLE_FILES))
    text = _edited(draw, (ROOT / rel).read_text(encoding="utf-8"))
    return rel, _bytes_of(draw, text, byte_level=byte_level)


@st.composite
def _import_texts(draw: st.DrawFn, byte_level: bool = False) -> bytes:
    """A legacy text of tests/data/import, mutated."""
    text = _edited(draw, (ROOT / draw(st.sampled_from(IMPORT_TEXTS))).read_text(encoding="utf-8"))
    return _bytes_of(draw, text, byte_level=byte_level)


@pytest.fixture(scope="module")
def example_copy() -> Iterator[Path]:
    """A private copy of the example repository; each fuzz example edits one file and puts
    the whole repository back."""
    with tempfile.TemporaryDirectory(prefix="fedplan-fuzz-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        (Path(tmp) / "out").mkdir()
        for name in ("fedplan.yaml", "plans", "templates"):
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / name)
            elif source.is_file():
                shutil.copy2(source, root / name)
        yield root


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def _restore(root: Path, before: dict[Path, bytes]) -> None:
    """The repository as it was: what a command added removed, what it changed put back."""
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()) and not any(p.is_relative_to(path) for p in before):
                path.rmdir()
        elif path not in before:
            path.unlink()
    for path, data in before.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def _check(root: Path, args: tuple[str, ...]) -> None:
    result = fedplan_in(root, *args)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)


def _run_all(root: Path, rel: str, data: bytes, commands: tuple[tuple[str, ...], ...] = COMMANDS) -> None:
    before = _snapshot(root)
    (root / rel).write_bytes(data)
    out = root.parent / "out"
    try:
        for args in commands:
            _check(root, tuple(a.replace("{rel}", rel).replace("{out}", str(out)) for a in args))
    finally:
        _restore(root, before)
        for written in out.iterdir():
            written.unlink()
        _collect()


def _collect() -> None:
    """Free what the commands left: each runs with the collector paused and freezes what
    survives (fedplan.bulk), which a process that exits never pays for, but thousands of
    commands in one test process would hold gigabytes."""
    gc.unfreeze()
    gc.collect()


def _import(root: Path, data: bytes, extra: tuple[str, ...] = ()) -> None:
    out = root.parent / "out"
    source = out / "旧文档.txt"
    source.write_bytes(data)
    try:
        _check(root, ("import", str(source), "--dry-run", *extra))
        _check(root, ("import", str(source), "-o", str(out / "plans"), *extra))
    finally:
        shutil.rmtree(out)
        out.mkdir()
        _collect()


_FAST = settings(max_examples=20, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_FAST
@given(_mutations(), st.sampled_from(WRITING))
def test_mutated_example_never_raises(
    example_copy: Path, mutation: tuple[str, bytes], writing: tuple[str, ...]
) -> None:
    _run_all(example_copy, *mutation, commands=(*COMMANDS, writing))


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_import_texts())
def test_import_of_a_mutated_text_never_raises(example_copy: Path, data: bytes) -> None:
    _import(example_copy, data)


def test_the_repository_is_put_back_after_each_example(example_copy: Path) -> None:
    before = _snapshot(example_copy)
    _run_all(example_copy, EXAMPLE_FILES[0], b"kind: plan\n", commands=WRITING)
    assert _snapshot(example_copy) == before


_LONG = int(os.environ.get("FEDPLAN_FUZZ_EXAMPLES", "1000"))


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("FEDPLAN_FUZZ") != "1",
                    reason="the long fuzz run (many minutes): set FEDPLAN_FUZZ=1 to run it")
@settings(max_examples=_LONG, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_mutations(byte_level=True))
def test_mutated_example_never_raises_long(example_copy: Path, mutation: tuple[str, bytes]) -> None:
    _run_all(example_copy, *mutation, commands=LONG_COMMANDS)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("FEDPLAN_FUZZ") != "1",
                    reason="the long fuzz run (many minutes): set FEDPLAN_FUZZ=1 to run it")
@settings(max_examples=_LONG, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_import_texts(byte_level=True), st.sampled_from([(), ("--kind", "plan"), ("--kind", "report"), ("--year", "2012")]))
def test_import_of_a_mutated_text_never_raises_long(example_copy: Path, data: bytes, extra: tuple[str, ...]) -> None:
    _import(example_copy, data, extra)
