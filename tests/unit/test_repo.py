"""The loader's reach: documents stay inside the repository; what it cannot read is said."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fedplan.repo import load_repository
from tests.conftest import PLAN_2012, PLAN_PATH, MakeRepo, fedplan_in

SECRET = "GITHUB_TOKEN=ghp_0123456789secret"


def test_a_link_to_a_file_outside_is_refused_and_never_echoed(make_repo: MakeRepo, tmp_path: Path) -> None:
    outside = tmp_path / "environ"
    outside.write_text(f"{SECRET}\nHOME=/root\n", encoding="utf-8")
    root = make_repo({PLAN_PATH: PLAN_2012})
    (root / "plans/notes.yaml").symlink_to(outside)
    for fmt in ("text", "github", "json"):
        result = fedplan_in(root, "validate", "--format", fmt)
        assert result.exit_code == 1
        assert "ghp_" not in result.output and "secret" not in result.output
        assert "link-outside-repository" in result.output
    assert "plans/notes.yaml" not in load_repository(root).sources


def test_a_link_inside_the_repository_is_read(make_repo: MakeRepo) -> None:
    root = make_repo({"archive/plan-2012.yaml": PLAN_2012})
    (root / "plans/2012").mkdir()
    (root / PLAN_PATH).symlink_to("../../archive/plan-2012.yaml")
    loaded = load_repository(root)
    assert [p.year for p in loaded.repo.plans] == [2012]
    assert [d.code for d in loaded.diagnostics if d.is_error] == []


def test_the_proc_environ_trick_prints_nothing_of_the_environment(make_repo: MakeRepo) -> None:
    if not Path("/proc/self/environ").exists():
        pytest.skip("no /proc")
    root = make_repo({PLAN_PATH: PLAN_2012})
    (root / "plans/notes.yaml").symlink_to("/proc/self/environ")
    os.environ["FEDPLAN_TEST_CANARY"] = "canary-4f1d"
    try:
        result = fedplan_in(root, "validate")
    finally:
        del os.environ["FEDPLAN_TEST_CANARY"]
    assert "canary-4f1d" not in result.output and "PATH=" not in result.output


def test_an_unreadable_folder_is_reported(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated (the suite may run as root, for whom chmod 000 changes nothing).
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2013/plan.yaml": "kind: plan\n"})
    real = os.scandir
    blocked = str(root / "plans/2013")

    def scandir(path: object = ".") -> object:
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied", blocked)
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = load_repository(root).diagnostics
    assert [(d.pos.path, d.code) for d in found] == [("plans/2013", "unreadable-folder")]
    assert "没有访问权限" in found[0].message


def test_an_unreadable_file_is_reported_not_a_traceback(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/progress/a.yaml": "kind: progress\n"})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "a.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = fedplan_in(root, "validate")
    assert result.exit_code == 1
    assert "plans/2012/progress/a.yaml: 错误: 无法读取 plans/2012/progress/a.yaml：没有访问权限" in result.output
    assert [d.code for d in load_repository(root).diagnostics] == ["unreadable-file"]


def test_a_temp_file_left_by_a_killed_write_is_reported(make_repo: MakeRepo) -> None:
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/.plan.yaml.x1y2.fedplan-tmp": "kind: plan\nyear: 2012\n"})
    found = load_repository(root).diagnostics
    assert [(d.pos.path, d.code, d.is_error) for d in found] == [
        ("plans/2012/.plan.yaml.x1y2.fedplan-tmp", "leftover-temp-file", False)
    ]


def _located(value: object) -> list[object]:
    """Every model object under ``value`` (a document), itself included."""
    from fedplan.model import Located

    found: list[object] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Located):
            found.append(item)
            stack.extend(vars(item).values())
        elif isinstance(item, tuple):
            stack.extend(item)
    return found


def test_a_loaded_document_keeps_no_yaml_node_or_mark(make_repo: MakeRepo) -> None:
    # Positions are kept as two integers per value (issue 15): nothing of PyYAML's node tree
    # or its marks survives the load, yet every position is the one the value was written at.
    import pickle

    from fedplan.schema.walk import Spans

    root = make_repo({PLAN_PATH: PLAN_2012})
    plan = load_repository(root).repo.plans[0]
    kept = pickle.dumps(plan)
    assert b"Mark" not in kept and b"nodes" not in kept
    parts = _located(plan)
    assert len(parts) > 5
    assert all(isinstance(part.spans, Spans) or not part.spans for part in parts)  # type: ignore[attr-defined]
    lines = PLAN_2012.splitlines()
    for part in parts:
        for key, pos in part.spans.items():  # type: ignore[attr-defined]
            name = key.split(".")[0]
            name = "from" if name == "from_" else name
            written = lines[pos.line - 1][pos.col - 1 :]
            # the value of `key` starts there: on the key's line after "key: ", or (a block
            # value, a list element) on a line of its own
            assert f"{name}:" in lines[pos.line - 1] or "." in key or written.startswith(("-", "|", "[")), (key, pos)


def test_mappings_written_with_the_same_keys_share_one_key_tuple(make_repo: MakeRepo) -> None:
    progress = "kind: progress\nyear: 2012\nentries:\n" + "".join(
        f"  - date: 2012-03-{day:02d}\n    target: farm-training\n    value: {day}\n" for day in range(1, 6)
    )
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/progress/a.yaml": progress})
    entries = load_repository(root).repo.progress[0].entries
    assert len({id(e.spans.names) for e in entries}) == 1  # type: ignore[attr-defined]
    assert len({id(e.target) for e in entries}) == 1  # a short text repeated is kept once
    assert [e.at("value").line for e in entries] == [6, 9, 12, 15, 18]
    assert [e.at("value").col for e in entries] == [12] * 5
    assert entries[0].at("no-such-key") == entries[0].pos
    assert entries[2].pos.line == 10 and entries[2].pos.col == 5


def test_sources_are_the_decoded_text_of_every_readable_file(make_repo: MakeRepo) -> None:
    bom = b"\xef\xbb\xbf" + PLAN_2012.replace("\n", "\r\n").encode("utf-8")
    root = make_repo({PLAN_PATH: bom, "plans/2012/progress/gbk.yaml": "kind: progress\nyear: 2012\n# 备注\n".encode("gbk")})
    sources = load_repository(root).sources
    assert PLAN_PATH in sources and "plans/2012/progress/gbk.yaml" not in sources
    assert sources[PLAN_PATH].startswith("kind: plan\r\n")  # the BOM dropped, as the reader did
    assert set(sources) == {PLAN_PATH} and len(sources) == 1
    assert sources.copy() == sources


# --- a large ledger read a chunk of entries at a time (issue 15) ---------------------------

_CHUNKY = (
    "# 台账\r\nkind: progress\r\nyear: 2012\r\nentries:\r\n"
    + "".join(
        f"  - date: 2012-03-{n + 1:02d}\r\n    target: farm-training\r\n    value: {n}\r\n"
        + ("    note: |\r\n      多行\r\n      说明\r\n" if n % 4 == 0 else "")
        + ("  # 备注\r\n\r\n" if n % 5 == 0 else "")
        + ("  - {date: 2012-04-01, target: launch, done: true}\r\n" if n % 3 == 0 else "")
        for n in range(12)
    )
    + "  - date: 2012-13-01\r\n    target: farm-training\r\n    valu: 3\r\n"  # two problems
    + "  - date: 2012-05-01\r\n    item: shuangxue\r\n    note: 甲\r\n    note: 乙\r\n"  # a duplicate key
)


def _read_both(make_repo: MakeRepo, ledger: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, list[int]]:
    """What loading gives read in chunks of three entries, and read whole; and how many
    entries each run composed (the others were read without composing, fedplan.fastledger)."""
    from fedplan import source

    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/progress/big.yaml": ledger})

    def seen(loaded: object) -> object:
        entries = [e for p in loaded.repo.progress for e in p.entries]  # type: ignore[attr-defined]
        return [(e, e.pos, dict(e.spans)) for e in entries], loaded.diagnostics  # type: ignore[attr-defined]

    composed: list[int] = []
    real_compose = source.compose_entries

    def counting(text: str, begin: int, end: int, count: int, last: int) -> list[object]:
        composed.append(count)
        return real_compose(text, begin, end, count, last)  # type: ignore[return-value]

    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 0)
    monkeypatch.setattr(source, "CHUNK_ENTRIES", 3)
    monkeypatch.setattr(source, "compose_entries", counting)
    chunked = seen(load_repository(root))
    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 10**12)
    return chunked, seen(load_repository(root)), composed


def test_a_ledger_read_in_chunks_is_what_it_is_read_whole(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    chunked, whole, composed = _read_both(make_repo, _CHUNKY, monkeypatch)
    # Of 18 entries, those with a block-scalar note (3), the bad date and the duplicate key
    # were composed, each in a run of at least three (a chunk here) with the entries after
    # it; the others were read plain.
    assert composed == [3, 3, 3, 2]
    assert chunked == whole
    entries, diagnostics = whole  # type: ignore[misc]
    assert len(entries) == 17  # the entry with the bad date is reported, not kept
    assert {d.code for d in diagnostics} >= {"bad-date", "unknown-key", "duplicate-key"}
    duplicate = next(d for d in diagnostics if d.code == "duplicate-key")
    lines = _CHUNKY.split("\r\n")
    assert duplicate.pos.line == lines.index("    note: 乙") + 1
    assert f"第 {lines.index('    note: 甲') + 1} 行" in duplicate.message


def test_a_ledger_that_will_not_split_is_read_whole(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    # A quoted note running over a line that looks like the next entry: the chunk before it
    # does not compose, and the file is read whole, with the same result.
    tricky = _CHUNKY.replace("    value: 5\r\n", '    value: 5\r\n    note: "一\r\n  - date: 2012-06-01\r\n    二"\r\n')
    chunked, whole, _ = _read_both(make_repo, tricky, monkeypatch)
    assert chunked == whole
    assert any(e.note.startswith("一 - date") for e, _, _ in whole[0])  # type: ignore[index]
    # A key after the list, and a list of flow entries, too.
    after = _CHUNKY + "# 完\r\nsource: 手工\r\n"
    chunked, whole, _ = _read_both(make_repo, after, monkeypatch)
    line = after.split("\r\n").index("source: 手工") + 1
    assert chunked == whole and any(d.code == "unknown-key" and d.pos.line == line for d in whole[1])  # type: ignore[index]
