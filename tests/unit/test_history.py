"""fedplan.history: documents as committed at a git revision, read through git itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fedplan.diagnostics import FedplanError
from fedplan.history import files_at, resolve
from tests.conftest import CommitAll, fedplan_in, git, item, plan, section, target

pytestmark = pytest.mark.usefixtures("git_ceiling")  # skips where git is not installed

PLAN = plan(
    section(
        item("shuangxue", "owner: 发展部", targets=[target("farm-training"), target("launch", id="two-plans-launch")]),
        title="以服务群众为主题，进一步引领妇女参与经济社会发展",
    ),
    org="金川区妇联",
)

PROGRESS_V1 = b"""\
kind: progress\r
year: 2012\r
entries:\r
  - date: 2012-03-15\r
    target: farm-training\r
    value: 120\r
"""

PROGRESS_V2 = PROGRESS_V1 + b"""\
  - date: 2012-05-20\r
    target: farm-training\r
    value: 200\r
  - date: 2012-05-20\r
    target: two-plans-launch\r
    done: true\r
"""


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.fixture
def two_commits(tmp_path: Path, commit_all: CommitAll) -> Path:
    """A plan repository with two commits: 120 人次 logged, then 320 人次 and the launch done."""
    write(tmp_path / "fedplan.yaml", "org: 金川区妇联\n")
    write(tmp_path / "plans/2012/plan.yaml", PLAN)
    write(tmp_path / "plans/2012/progress/发展部.yaml", PROGRESS_V1)
    write(tmp_path / "README.md", "不是计划文件\n")
    write(tmp_path / "plans/2012/notes.txt", "也不是\n")
    commit_all(tmp_path, "2012 plan and first progress")
    write(tmp_path / "plans/2012/progress/发展部.yaml", PROGRESS_V2)
    write(tmp_path / "plans/2012/progress/extra.yml", "kind: progress\nyear: 2012\nentries: []\n")
    write(tmp_path / "plans/.drafts/draft.yaml", "kind: progress\n")  # hidden: skipped on disk too
    commit_all(tmp_path, "May progress")
    return tmp_path


def test_files_at_previous_commit_gives_the_old_bytes(two_commits: Path) -> None:
    assert files_at(two_commits, "HEAD~1") == {
        "fedplan.yaml": "org: 金川区妇联\n".encode(),
        "plans/2012/plan.yaml": PLAN.encode(),
        "plans/2012/progress/发展部.yaml": PROGRESS_V1,
    }


def test_files_at_head_includes_yml_and_new_bytes(two_commits: Path) -> None:
    files = files_at(two_commits, "HEAD")
    assert sorted(files) == [
        "fedplan.yaml",
        "plans/2012/plan.yaml",
        "plans/2012/progress/extra.yml",
        "plans/2012/progress/发展部.yaml",
    ]
    assert files["plans/2012/progress/发展部.yaml"] == PROGRESS_V2


def test_files_at_ignores_the_working_tree(two_commits: Path) -> None:
    (two_commits / "plans/2012/progress/发展部.yaml").write_bytes(b"uncommitted\n")
    (two_commits / "plans/2012/progress/new.yaml").write_bytes(b"kind: progress\n")
    files = files_at(two_commits, "HEAD")
    assert files["plans/2012/progress/发展部.yaml"] == PROGRESS_V2
    assert "plans/2012/progress/new.yaml" not in files
    assert (two_commits / "plans/2012/progress/发展部.yaml").read_bytes() == b"uncommitted\n"


def test_repository_in_a_subfolder_of_the_work_tree(tmp_path: Path, commit_all: CommitAll) -> None:
    sub = tmp_path / "federation" / "repo"
    write(sub / "plans/2012/plan.yaml", PLAN)
    write(tmp_path / "plans/2012/plan.yaml", "kind: plan\n")  # outside the plan repository
    commit_all(tmp_path, "nested")
    assert files_at(sub, "HEAD") == {"plans/2012/plan.yaml": PLAN.encode()}


def test_empty_and_missing_plans_give_no_files(tmp_path: Path, commit_all: CommitAll) -> None:
    write(tmp_path / "other.txt", "x\n")
    commit_all(tmp_path, "no plans yet")
    assert files_at(tmp_path, "HEAD") == {}


def test_resolve_gives_the_commit_id(two_commits: Path) -> None:
    assert resolve(two_commits, "HEAD") == git(two_commits, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("rev", ["nope", "HEAD~5", "-p", ""])
def test_unknown_revision(two_commits: Path, rev: str) -> None:
    with pytest.raises(FedplanError) as caught:
        files_at(two_commits, rev)
    assert caught.value.code == "unknown-revision"
    assert caught.value.hint


def test_not_a_git_repository(tmp_path: Path) -> None:
    write(tmp_path / "plans/2012/plan.yaml", PLAN)
    with pytest.raises(FedplanError) as caught:
        files_at(tmp_path, "HEAD")
    assert caught.value.code == "not-a-git-repo"


def test_git_missing(two_commits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(two_commits / "no-such-bin"))
    with pytest.raises(FedplanError) as caught:
        files_at(two_commits, "HEAD")
    assert caught.value.code == "git-missing"


def figures(output: str) -> dict[str, tuple[object, object]]:
    return {t["id"]: (t["actual"], t["status"]) for t in json.loads(output)["targets"]}


def test_status_at_the_previous_commit_gives_the_old_figures(two_commits: Path) -> None:
    args = ("status", "2012", "--as-of", "2012-12-31", "--format", "json")
    now = fedplan_in(two_commits, *args)
    then = fedplan_in(two_commits, *args, "--at", "HEAD~1")
    assert now.exit_code == 0 and then.exit_code == 0, now.output + then.output
    assert figures(now.stdout) == {"farm-training": (320, "done"), "two-plans-launch": (True, "done")}
    assert figures(then.stdout) == {"farm-training": (120, "at-risk"), "two-plans-launch": (False, "overdue")}


def test_status_at_ignores_uncommitted_edits(two_commits: Path) -> None:
    (two_commits / "plans/2012/progress/发展部.yaml").write_bytes(b"not: [valid\n")
    result = fedplan_in(two_commits, "status", "2012", "--as-of", "2012-12-31", "--format", "json", "--at", "HEAD")
    assert result.exit_code == 0, result.output
    assert figures(result.stdout)["farm-training"] == (320, "done")
    assert fedplan_in(two_commits, "validate", "--at", "HEAD").exit_code == 0


@pytest.mark.parametrize("command", [["status"], ["validate"], ["report", "2012"]])
def test_unknown_revision_on_the_command_line(two_commits: Path, command: list[str]) -> None:
    result = fedplan_in(two_commits, *command, "--at", "no-such-tag")
    assert result.exit_code == 1
    assert result.stderr.startswith("fedplan: 错误: git 仓库中没有版本“no-such-tag” [unknown-revision]\n")
    assert "Traceback" not in result.output


def test_not_a_git_repository_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path / "plans/2012/plan.yaml", PLAN)
    result = fedplan_in(tmp_path, "status", "--at", "HEAD~1")
    assert result.exit_code == 1
    assert "[not-a-git-repo]" in result.stderr
    assert "Traceback" not in result.output
