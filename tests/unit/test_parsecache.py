"""The parse cache (.fedplan/cache/): a warm run reads nothing again, and never gives an
answer the files would not — after an edit, a corrupt or foreign entry, a new version, or
runs at the same time."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fedplan import parsecache
from fedplan import repo as repo_module
from fedplan.repo import load_repository
from tests.conftest import PLAN_2012, MakeRepo, fedplan_in

LEDGER = "plans/2012/progress/2012.yaml"
LEDGER_TEXT = (
    "kind: progress\nyear: 2012\nentries:\n"
    "  - {date: 2012-03-01, target: farm-training, value: 40}\n"
    "  - {date: 2012-04-01, target: launch, done: true}\n"
) + "".join(f"  - date: 2012-05-{day:02d}\n    item: volunteer\n    note: 开展巾帼志愿服务第{day}次\n" for day in range(1, 29))
# Big enough to be cached (a file smaller than its entry would be is read each time).
PLAN_TEXT = PLAN_2012.replace("year: 2012\n", "year: 2012\npreamble: " + "坚持以服务群众为主题，" * 60 + "\n", 1)


@pytest.fixture
def root(make_repo: MakeRepo) -> Path:
    return make_repo(
        {"fedplan.yaml": "org: 测试区妇联\n", "plans/2012/plan.yaml": PLAN_TEXT, LEDGER: LEDGER_TEXT}
    )


@pytest.fixture
def cache_on() -> Iterator[None]:
    parsecache.turn_on(True)
    yield
    parsecache.turn_on(False)


def entries(root: Path) -> list[Path]:
    folder = root / parsecache.CACHE_DIR
    return sorted(folder.glob("*.entry")) if folder.is_dir() else []


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on composing any file fails the test: every document must come from the cache."""

    real = repo_module.read

    def boom(rel: str, data: bytes) -> object:
        if rel == "fedplan.yaml":  # small, and read before the cache can be keyed on it
            return real(rel, data)
        raise AssertionError(f"{rel} was read again")

    monkeypatch.setattr(repo_module, "read", boom)


def codes(root: Path) -> list[tuple[str, int, str]]:
    return [(d.pos.path, d.pos.line, d.code) for d in load_repository(root).diagnostics]


def uncached(root: Path) -> list[tuple[str, int, str]]:
    """What the files say, read without the cache."""
    was = parsecache.enabled()
    parsecache.turn_on(False)
    try:
        return codes(root)
    finally:
        parsecache.turn_on(was)


def test_a_warm_run_reads_no_file_again_and_finds_the_same(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / LEDGER).write_text(LEDGER_TEXT + "  - {date: 2012-05-01, target: farm-trainig, value: 1}\n")
    cold = load_repository(root)
    assert [d.code for d in cold.diagnostics] == ["unknown-target"]
    assert len(entries(root)) == 4  # the plan, the ledger, fedplan.yaml (its entry covered by their slack), the checks' result
    no_reading(monkeypatch)
    warm = load_repository(root)
    assert warm.diagnostics == cold.diagnostics
    assert [d.message for d in warm.diagnostics] == [d.message for d in cold.diagnostics]
    assert warm.repo.plans == cold.repo.plans and warm.repo.progress == cold.repo.progress
    assert warm.repo.progress[0].entries[0].at("value") == cold.repo.progress[0].entries[0].at("value")
    assert warm.sources == cold.sources  # the text under a caret comes from the file


REPORT = "plans/2012/reports/half-year.yaml"
REPORT_TEXT = (
    "kind: report\nyear: 2012\nid: half-year\ntitle: 上半年工作总结\nas_of: 2012-06-30\nsections:\n"
    "  - title: 主要工作\n    body: |\n      " + "全区各级妇联组织围绕中心、服务大局，" * 8 + "\n"
    "      培训妇女{{ t('farm-training').actual }}人次，{{ t('farm-training').percent }}%。\n"
)


def test_a_warm_run_keeps_the_report_bodies_check_and_any_edit_redoes_it(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fedplan.bodies import sandbox

    (root / REPORT).parent.mkdir(parents=True)
    (root / REPORT).write_text(REPORT_TEXT.replace("farm-training').percent", "farm-trainig').percent"))
    cold = load_repository(root).diagnostics
    assert [(d.pos.path, d.pos.line, d.code) for d in cold] == [(REPORT, 10, "unknown-target")]
    checked: list[str] = []
    real = sandbox.check_body
    monkeypatch.setattr(sandbox, "check_body", lambda body, *a: checked.append(body) or real(body, *a))
    assert load_repository(root).diagnostics == cold  # the same diagnostic, place and hint
    assert checked == []  # kept: the sandbox (and Jinja2) did not run
    # an edit to another file than the report changes what the body renders against
    (root / "plans/2012/plan.yaml").write_text(PLAN_TEXT.replace("farm-training", "farm-trainig"))
    renamed = load_repository(root).diagnostics
    assert len(checked) == 1
    assert [d.pos.path for d in renamed if d.code == "unknown-target"] == [LEDGER, REPORT]  # the other t() now names a target
    assert load_repository(root).diagnostics == renamed
    assert len(checked) == 1
    (root / REPORT).write_text(REPORT_TEXT)
    warm = codes(root)
    assert len(checked) == 2
    assert warm == uncached(root)
    assert [d for d in warm if d[0] == REPORT] == [(REPORT, 10, "unknown-target")] * 2


def test_an_edit_is_seen_even_with_the_same_size_and_time(root: Path, cache_on: None) -> None:
    assert codes(root) == []
    ledger = root / LEDGER
    before = ledger.stat()
    ledger.write_text(LEDGER_TEXT.replace("value: 40", "value: 4x"))
    assert ledger.stat().st_size == before.st_size
    os.utime(ledger, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert codes(root) == uncached(root) == [(LEDGER, 4, "number-with-unit")]


def test_a_changed_fedplan_yaml_rebuilds_every_entry(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_repository(root)
    (root / "fedplan.yaml").write_text("org: 另一个妇联\n")
    read = []
    real = repo_module.read
    monkeypatch.setattr(repo_module, "read", lambda rel, data, **kw: read.append(rel) or real(rel, data, **kw))
    load_repository(root)
    assert sorted(read) == sorted(["fedplan.yaml", LEDGER, "plans/2012/plan.yaml"])


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated (a run killed while writing, a full disk)
        lambda blob: b"",  # empty
        lambda blob: blob[:40] + bytes([blob[40] ^ 1]) + blob[41:],  # one bit flipped
        lambda blob: b"not an entry at all\n" * 10,  # something else under that name
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    expected = codes(root)
    for entry in entries(root):
        entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert codes(root) == expected
    no_reading(monkeypatch)
    assert codes(root) == expected  # rebuilt: the next run is warm again


class _Payload:
    """Unpickling this runs code: what a malicious entry would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))  # creates the marker file


def test_an_entry_not_signed_with_this_users_key_is_never_unpickled(
    root: Path, cache_on: None, tmp_path: Path
) -> None:
    """An entry committed in a pull request (or restored from another machine's CI cache):
    well-formed, signed with another key — it is not loaded, so its code never runs."""
    import hashlib
    import zlib

    load_repository(root)
    marker = tmp_path / "pwned"
    payload = zlib.compress(pickle.dumps(_Payload(marker)))
    signature = hashlib.blake2b(payload, key=b"k" * 32, digest_size=32).digest()
    foreign = parsecache._MAGIC + signature + payload
    for entry in entries(root):
        entry.write_bytes(foreign)
    assert codes(root) == []
    assert not marker.exists()


def test_a_new_version_of_the_loading_code_rebuilds_every_entry(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_repository(root)
    monkeypatch.setattr(parsecache, "__version__", "99.0")
    read = []
    real = repo_module.read
    monkeypatch.setattr(repo_module, "read", lambda rel, data, **kw: read.append(rel) or real(rel, data, **kw))
    load_repository(root)
    assert len(read) == 3  # fedplan.yaml, always; the plan and the ledger, again


def test_entries_are_never_larger_than_their_files_and_deleted_files_lose_theirs(
    root: Path, cache_on: None
) -> None:
    load_repository(root)
    assert entries(root)
    assert sum(e.stat().st_size for e in entries(root)) <= sum(
        p.stat().st_size for p in (root / "plans").rglob("*.yaml")
    )
    (root / LEDGER).unlink()
    load_repository(root)
    assert len(entries(root)) == 3  # the plan's, fedplan.yaml's and the checks' result


def test_no_cache_writes_nothing(root: Path) -> None:
    assert fedplan_in(root, "--no-cache", "validate").exit_code == 0
    assert not (root / ".fedplan").exists()
    os.environ[parsecache.ENV_OFF] = "1"
    try:
        assert fedplan_in(root, "validate").exit_code == 0
    finally:
        del os.environ[parsecache.ENV_OFF]
    assert not (root / ".fedplan").exists()
    assert fedplan_in(root, "validate").exit_code == 0
    assert len(entries(root)) == 4  # and the command line does use it by default (the three files and validate's result)


def test_a_read_only_checkout_still_validates(root: Path, cache_on: None) -> None:
    (root / ".fedplan").mkdir()
    (root / ".fedplan" / "cache").write_text("a file where the folder would go")
    assert codes(root) == []


def test_concurrent_runs_all_answer_right_and_leave_whole_entries(root: Path, tmp_path: Path) -> None:
    """Eight validate processes at once on an empty cache, while the ledger is rewritten
    between two contents: each run reports what the files it read say, and afterwards
    every entry is whole (a warm run finds the current content) and no temporary is left."""
    bad = LEDGER_TEXT.replace("value: 40", "value: 4x")
    env = {**os.environ}
    command = [sys.executable, "-m", "fedplan", "-C", str(root), "validate", "--format", "json"]
    for round_ in range(3):
        (root / LEDGER).write_text(bad if round_ % 2 else LEDGER_TEXT)
        runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(8)]
        results = [(*run.communicate(), run.returncode) for run in runs]
        assert all(not err for _, err, _ in results), results[0][1]
        assert {code for _, _, code in results} == {1 if round_ % 2 else 0}
        assert len({out for out, _, _ in results}) == 1
    assert not [p for p in (root / parsecache.CACHE_DIR).iterdir() if not p.name.endswith(".entry")]
    (root / LEDGER).write_text(bad)
    parsecache.turn_on(True)
    assert codes(root) == uncached(root) == [(LEDGER, 4, "number-with-unit")]


def test_an_edited_loading_module_changes_the_code_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "fedplan"
    (package / "schema").mkdir(parents=True)
    for name in ("model.py", "schema/walk.py"):
        (package / name).write_text("x = 1\n")
    monkeypatch.setattr(parsecache, "__file__", str(package / "parsecache.py"))
    before = parsecache._code_version()
    assert parsecache._code_version() == before
    walk = package / "schema" / "walk.py"
    stat = walk.stat()
    walk.write_text("x = 2\n")  # same size: the time tells
    os.utime(walk, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert parsecache._code_version() != before


def test_a_settings_file_of_one_line_is_kept_while_the_cache_stays_smaller_than_the_files(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its entry (some 230 bytes) is larger than the file: kept because the other entries
    # fall short of their files by more, so a warm run need not read it (nor import YAML).
    from fedplan import repo as repo_module

    (root / "fedplan.yaml").write_text("org: 示范区妇联\n", encoding="utf-8")
    load_repository(root)
    kept = entries(root)
    assert sum(e.stat().st_size for e in kept) <= sum(
        p.stat().st_size for p in (*root.joinpath("plans").rglob("*.yaml"), root / "fedplan.yaml")
    )
    read: list[str] = []
    real = repo_module.read
    monkeypatch.setattr(repo_module, "read", lambda rel, data, **kw: read.append(rel) or real(rel, data, **kw))
    assert load_repository(root).repo.settings.org == "示范区妇联"
    assert read == []  # nothing read again, the settings neither


def test_entries_larger_than_their_files_are_not_kept_when_the_others_do_not_cover_them(
    make_repo: MakeRepo, cache_on: None
) -> None:
    # Every file smaller than its entry would be: none is kept, the cache stays no bigger
    # than the files (they are read each time, which costs less than their entries would).
    tiny = make_repo({"fedplan.yaml": "org: 测试区妇联\n", "plans/2012/plan.yaml": PLAN_2012})
    load_repository(tiny)
    files = sum(p.stat().st_size for p in (*tiny.joinpath("plans").rglob("*.yaml"), tiny / "fedplan.yaml"))
    assert sum(e.stat().st_size for e in entries(tiny)) <= files


# ---- validate's whole result (repo.check_repository) -----------------------------------


def checked(root: Path, **options: object) -> list[tuple[str, int, str, str]]:
    from fedplan.repo import check_repository

    got = check_repository(root, **options)  # type: ignore[arg-type]
    return [(d.pos.path, d.pos.line, d.code, d.message) for d in got.diagnostics]


def fresh(root: Path, **options: object) -> list[tuple[str, int, str, str]]:
    """check_repository's answer without the cache."""
    parsecache.turn_on(False)
    try:
        return checked(root, **options)
    finally:
        parsecache.turn_on(True)


def counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times, from now on, the files are typed and checked (repo.load_files) with the cache on."""
    calls: list[int] = []
    real = repo_module.load_files

    def counted(*args: object, **kwargs: object) -> object:
        if kwargs.get("cache") is not None:
            calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repo_module, "load_files", counted)
    return calls


EVIDENCE_LINE = '  - {date: 2012-06-01, target: farm-training, value: 3, evidence: ["材料/培训.jpg"]}\n'


def test_a_warm_validate_takes_the_whole_result_and_any_change_it_depends_on_redoes_it(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from fedplan.repo import check_repository

    (root / LEDGER).write_text(LEDGER_TEXT + "  - {date: 2012-05-01, target: farm-trainig, value: 1}\n" + EVIDENCE_LINE)
    day = dt.date(2012, 7, 1)
    cold = check_repository(root, today=day)
    assert [d.code for d in cold.diagnostics] == ["unknown-target", "evidence-not-found"]
    loads = counting_loads(monkeypatch)
    warm = check_repository(root, today=day)
    assert loads == []  # nothing read, typed or checked
    assert warm.diagnostics == cold.diagnostics
    assert [(d.message, d.hint) for d in warm.diagnostics] == [(d.message, d.hint) for d in cold.diagnostics]
    assert dict(warm.sources) == dict(cold.sources) and warm.ignore == cold.ignore

    def again(expected_loads: int, **options: object) -> None:
        got = checked(root, today=day, **options)
        assert len(loads) == expected_loads
        assert got == fresh(root, today=day, **options)
        assert checked(root, today=day, **options) == got  # and kept again
        assert len(loads) == expected_loads

    (root / "材料").mkdir()
    (root / "材料/培训.jpg").write_bytes(b"\xff\xd8")  # what a check looked up on the disk
    again(1)
    assert [c for _, _, c, _ in checked(root, today=day)] == ["unknown-target"]
    (root / "材料/培训.jpg").unlink()
    again(2)
    (root / LEDGER).write_text(LEDGER_TEXT + EVIDENCE_LINE)  # an edit
    again(3)
    (root / "plans/2012/progress/more.yaml").write_text("kind: progress\nyear: 2012\nentries:\n  - {date: 2012-08-01, target: nowhere, value: 1}\n")
    again(4)  # a file added
    (root / "plans/2012/progress/more.yaml").unlink()
    again(5)  # and removed
    (root / "fedplan.yaml").write_text("org: 测试区妇联\nignore: [evidence-not-found]\n")
    again(6)
    assert check_repository(root, today=day).ignore == ("evidence-not-found",)
    day = dt.date(2013, 3, 1)  # another day: the checks of dates answer otherwise
    again(7)
    monkeypatch.setattr(parsecache, "package_version", lambda: b"another fedplan")
    again(8)
    # the problems met gathering the files are found again, not kept and not doubled
    (root / "plans/2012/.plan.yaml.fedplan-tmp").write_text("x")
    assert checked(root, today=day) == fresh(root, today=day)
    assert [c for _, _, c, _ in checked(root, today=day)].count("leftover-temp-file") == 1
    # a selection of files filters the kept result as it does a fresh one
    (root / LEDGER).write_text(LEDGER_TEXT + "  - {date: 2012-05-01, target: farm-trainig, value: 1}\n")
    plan_only = {"only": [root / "plans/2012/plan.yaml"]}
    assert checked(root, today=day) != []
    assert checked(root, today=day, **plan_only) == fresh(root, today=day, **plan_only) == []


def test_validates_kept_result_keeps_the_cache_smaller_than_the_files(make_repo: MakeRepo, cache_on: None) -> None:
    # Files of a few lines, each with problems: no entry is smaller than its file, and the
    # result (the diagnostics) is not kept either; the answer is the same each time.
    root = make_repo({
        "fedplan.yaml": "org: 区妇联\n",
        LEDGER: "kind: progress\nyear: 2012\nentries:\n  - {date: 2012-13-01, target: x}\n",
    })
    first = checked(root)
    assert first and first == checked(root) == fresh(root)
    size = sum(p.stat().st_size for p in entries(root))
    assert size <= (root / "fedplan.yaml").stat().st_size + (root / LEDGER).stat().st_size


def test_validate_prints_the_same_from_the_kept_result(root: Path) -> None:
    (root / LEDGER).write_text(LEDGER_TEXT + "  - {date: 2012-05-01, target: farm-trainig, value: 1}\n")
    for args in (("validate",), ("validate", "--format", "github"), ("validate", "--format", "json"),
                 ("validate", "--ignore", "unknown-target"), ("validate", LEDGER)):
        first = fedplan_in(root, *args)
        second = fedplan_in(root, *args)
        assert (second.exit_code, second.output) == (first.exit_code, first.output), args
    assert any(p.name for p in entries(root))  # the command line keeps its cache
    first = fedplan_in(root, "validate")
    assert first.exit_code == 1 and "farm-trainig" in first.output and "^" in first.output  # the line under it, from the file


def test_every_command_shares_the_kept_result_of_the_checks(
    root: Path, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # load_repository (status, report, render…) takes the checks' result check_repository
    # (validate) kept, and keeps it when it had to check: the checks run once for both.
    import datetime as dt

    from fedplan import checks as checks_module
    from fedplan.repo import check_repository

    day = dt.date(2012, 7, 1)
    (root / LEDGER).write_text(LEDGER_TEXT + "  - {date: 2012-05-01, target: farm-trainig, value: 1}\n" + EVIDENCE_LINE)
    runs: list[int] = []
    real = checks_module.run_checks
    monkeypatch.setattr(checks_module, "run_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    validated = check_repository(root, today=day).diagnostics
    assert len(runs) == 1
    loaded = load_repository(root, today=day)
    assert len(runs) == 1  # taken from what validate kept
    assert loaded.diagnostics == validated and [d.code for d in validated] == ["unknown-target", "evidence-not-found"]
    assert loaded.repo.progress[0].entries[-1].evidence == ("材料/培训.jpg",)  # the model is whole
    (root / "材料").mkdir()
    (root / "材料/培训.jpg").write_bytes(b"\xff\xd8")  # what a check looked up changed: checked again
    reloaded = load_repository(root, today=day)
    assert len(runs) == 2 and [d.code for d in reloaded.diagnostics] == ["unknown-target"]
    assert check_repository(root, today=day).diagnostics == reloaded.diagnostics and len(runs) == 2  # and kept for validate
    assert load_repository(root, today=dt.date(2013, 1, 5)).diagnostics == uncached_load(root, dt.date(2013, 1, 5))
    assert len(runs) == 4  # another day (and the load without the cache)


def uncached_load(root: Path, day: object) -> list[object]:
    was = parsecache.enabled()
    parsecache.turn_on(False)
    try:
        return load_repository(root, today=day).diagnostics  # type: ignore[arg-type]
    finally:
        parsecache.turn_on(was)
