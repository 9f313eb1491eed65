"""fedplan.files: which files make up a repository, read off the disk; and the loader fed
from a plain {relative path: bytes} mapping (fedplan.repo.load_files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fedplan.files import disk_files, is_document, read_disk
from fedplan.history import files_at
from fedplan.repo import load_files
from tests.conftest import PLAN_2012, PLAN_PATH, CommitAll, MakeRepo


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("plans/2012/plan.yaml", True),
        ("plans/2012/progress/发展部.yml", True),
        ("plans/plan.yaml", True),
        ("plans/.drafts/draft.yaml", False),  # hidden folder
        ("plans/2012/.plan.yaml", False),  # hidden file
        ("plans/2012/notes.txt", False),
        ("other/plan.yaml", False),  # outside plans/
        ("fedplan.yaml", False),  # the settings file is not a document
    ],
)
def test_is_document(rel: str, expected: bool) -> None:
    assert is_document(rel) is expected


def test_disk_and_git_readers_keep_the_same_files(make_repo: MakeRepo, commit_all: CommitAll) -> None:
    files = {
        "fedplan.yaml": "org: 测试区妇联\n",
        PLAN_PATH: PLAN_2012,
        "plans/2012/progress/a.yml": "kind: progress\nyear: 2012\nentries: []\n",
        "plans/.drafts/x.yaml": "kind: progress\n",
        "plans/2012/notes.txt": "备忘\n",
        "README.md": "说明\n",
    }
    root = make_repo(files)
    commit_all(root, "all")
    on_disk = read_disk(root)
    assert list(on_disk) == ["fedplan.yaml", "plans/2012/plan.yaml", "plans/2012/progress/a.yml"]
    assert list(disk_files(root)) == list(on_disk)
    assert files_at(root, "HEAD") == on_disk


def test_load_files_needs_no_disk(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"  # never created: everything comes from the mapping
    loaded = load_files(missing, {"fedplan.yaml": b"org: X\n", PLAN_PATH: PLAN_2012.encode()})
    assert not loaded.diagnostics
    assert [p.year for p in loaded.repo.plans] == [2012]
    assert loaded.repo.settings.org == "X"
    assert loaded.sources[PLAN_PATH] == PLAN_2012
