"""Shared fixtures: a throw-away plan repository, a small valid plan, and a CLI runner
(check-jsonschema's ``run_line`` style)."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fedplan.cli import main
from fedplan.diagnostics import Diagnostic
from fedplan.repo import load_repository

Files = Mapping[str, "str | bytes"]
MakeRepo = Callable[..., Path]
Diagnose = Callable[..., list[Diagnostic]]
RunLine = Callable[..., Result]
CommitAll = Callable[[Path, str], None]

PLAN_PATH = "plans/2012/plan.yaml"

# System programs some tests need. .ci/run installs them, so these tests run in CI; on a
# machine without them they are skipped with the reason, never silently passed.
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed; .ci/run installs them",
)
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium is not installed; .ci/run installs it",
)


@pytest.fixture(autouse=True)
def _private_cache_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The parse cache's signing key in a folder of the test run, not the user's ~/.cache;
    and the cache back off after each test (the command line turns it on in-process)."""
    from fedplan import parsecache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.delenv(parsecache.ENV_OFF, raising=False)
    yield
    parsecache.turn_on(False)


# --- the test plans -------------------------------------------------------------------
# Tests build their plans from these parts rather than re-typing YAML: each target, item
# and section title below is written once, and ``plan(…)`` lays them out the way a person
# writes a plan (block style, two-space indents), so every file's lines stay where the
# tests expect them.

TARGETS: dict[str, tuple[str, ...]] = {
    "farm-training": ("name: 农业实用技术妇女骨干培训", "target: 300", "unit: 人次"),
    "gang": ("name: 创建巾帼文明岗", "target: 8", "unit: 个"),
    "repay-rate": ("name: 妇女小额贷款还贷率", "target: 100", 'unit: "%"', "measure: latest"),
    "loan": ("name: 小额贷款放贷额度", "target: 2000", "unit: 万元"),
    "launch": ("name: 召开全区“两规划”启动大会", "due: 2012-06-30"),
    "violence": ("name: 家庭暴力发生率", "target: 5", 'unit: "%"', "direction: down", "measure: latest"),
}
ITEMS = {"shuangxue": "着力推进“双学双比”竞赛活动", "volunteer": "推进巾帼志愿服务工作"}
SERVE = "以服务群众为主题，引领妇女参与经济社会发展"


def _entry(first: str, lines: Sequence[str], *, nested: str = "", children: Sequence[str] = ()) -> str:
    text = f"- {first}\n" + "".join(f"  {line}\n" for line in lines)
    if children:
        text += f"  {nested}:\n" + "".join(textwrap.indent(child, "    ") for child in children)
    return text


def target(key: str, *extra: str, id: str | None = None, **replaced: str) -> str:
    """The target TARGETS[key] (under ``id`` if given), its ``name:``/``due:``… lines
    replaced by keyword, ``extra`` lines (``"points: 40"``) added at its end."""
    lines = [line for line in TARGETS[key]]
    for field, value in replaced.items():
        lines = [f"{field}: {value}" if line.startswith(f"{field}: ") else line for line in lines]
    return _entry(f"id: {id or key}", [*lines, *extra])


def item(id: str, *lines: str, title: str | None = None, targets: Sequence[str] = ()) -> str:
    """An item (its title from ITEMS unless given): its ``lines`` (``"owner: 发展部"``) after
    the title, then its targets."""
    return _entry(f"id: {id}", [f"title: {title or ITEMS[id]}", *lines], nested="targets", children=targets)


def section(*items: str, title: str = SERVE) -> str:
    return _entry(f"title: {title}", [], nested="items", children=items)


def plan(*sections: str, org: str = "测试区妇联", year: int = 2012, head: Sequence[str] = ()) -> str:
    """A plan's YAML: kind, org, year, the ``head`` lines (title, preamble…), the sections."""
    lines = ["kind: plan", f"org: {org}", f"year: {year}", *head, "sections:"]
    return "".join(line + "\n" for line in lines) + "".join(textwrap.indent(s, "  ") for s in sections)


# The shared plan: a numeric target (farm-training), a milestone (launch) and two items
# (shuangxue, volunteer): enough for every reference check. Line numbers are relied upon.
PLAN_2012 = plan(section(item("shuangxue", targets=[target("farm-training"), target("launch")]), item("volunteer")))


def write_files(root: Path, files: Files) -> Path:
    """Write ``files`` (relative path → text as UTF-8, or raw bytes) under ``root``."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo({"plans/2012/plan.yaml": "..."})`` → the root of a new repository
    (always with a ``plans/`` folder); ``root=`` builds another one elsewhere."""

    def make(files: Files, root: Path | None = None) -> Path:
        return write_files(root or tmp_path / "repo", files)

    return make


@pytest.fixture
def plan_2012() -> dict[str, str]:
    """The files of a repository holding only PLAN_2012; add others with ``{**plan_2012, …}``."""
    return {PLAN_PATH: PLAN_2012}


@pytest.fixture
def diagnose(make_repo: MakeRepo) -> Diagnose:
    """``diagnose(files, today=…)`` → the sorted diagnostics of a repository of ``files``."""

    def run(files: Files, **load_options: Any) -> list[Diagnostic]:
        return load_repository(make_repo(files), **load_options).diagnostics

    return run


def cli(*args: str, env: Mapping[str, str] | None = None) -> Result:
    """``fedplan ARGS`` → click's Result: the one way tests run the command line. Python
    exceptions are not swallowed, so a traceback fails the test instead of hiding in the
    result; stdout and stderr are apart (``result.stdout``, ``result.stderr``)."""
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def fedplan_in(root: Path, *args: str) -> Result:
    """``fedplan -C root ARGS`` (see ``cli``)."""
    return cli("-C", str(root), *args)


@pytest.fixture
def run_line(monkeypatch: pytest.MonkeyPatch) -> RunLine:
    """``run_line(["validate", "--strict"], cwd=root)``: ``cli`` started in the folder ``cwd``."""

    def run(args: list[str], *, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return cli(*args)

    return run


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` → its standard output; a failure fails the test."""
    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def git_ceiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep git from finding a work tree above the temporary folder; skip without git."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))


@pytest.fixture
def commit_all(git_ceiling: None) -> CommitAll:
    """``commit_all(folder, "message")`` commits every file under ``folder``, making it a git
    work tree (with a test identity, no CRLF conversion, no signing) the first time."""

    def commit(folder: Path, message: str) -> None:
        if not (folder / ".git").exists():
            git(folder, "init", "-q")
            git(folder, "config", "user.name", "测试")
            git(folder, "config", "user.email", "test@example.org")
            git(folder, "config", "core.autocrlf", "false")
            git(folder, "config", "commit.gpgsign", "false")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", message)

    return commit


def watch_helpers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Skip unless a forked helper can run here; from then on the list gets, for each value
    asked of a helper (fedplan.forked), whether it came back (True) or not."""
    from fedplan import forked

    if not forked.available():
        pytest.skip("a forked helper needs fork and two processors (and FEDPLAN_JOBS not 1)")
    used: list[bool] = []
    real = forked.start

    def start(work: Callable[[Callable[[object], None]], None]) -> object:
        child = real(work)
        if child is None:  # (FEDPLAN_JOBS=1 set by the test)
            return None
        receive = child.next

        def watched() -> object:
            got = receive()
            used.append(got is not forked._NOTHING)
            return got

        child.next = watched  # type: ignore[method-assign]
        return child

    monkeypatch.setattr(forked, "start", start)
    return used
