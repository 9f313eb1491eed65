"""fedplan init: a repository that validates at once; nothing existing is overwritten."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from fedplan.repo import load_repository
from tests.conftest import cli

YEAR = dt.date.today().year
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "新仓库"
    result = cli("init", str(root), "--org", "金川区妇联")
    assert result.exit_code == 0, result.output
    return root


def test_init_then_validate_passes(fresh: Path) -> None:
    result = cli("-C", str(fresh), "validate")
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output or "没有发现问题" in result.output
    loaded = load_repository(fresh)
    assert not loaded.has_errors
    assert loaded.repo.settings.org == "金川区妇联"
    plan = loaded.repo.plan_for(YEAR)
    assert plan is not None and plan.org == "金川区妇联"
    assert [t.id for _, _, t in plan.targets()] == ["farm-training", "shuangxue-launch"]
    assert [p.path for p in loaded.repo.progress] == [f"plans/{YEAR}/progress/ledger.yaml"]


def test_init_writes_every_file(fresh: Path) -> None:
    files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert files == sorted(
        [
            ".fedplan/schema/plan.json",
            ".fedplan/schema/progress.json",
            ".fedplan/schema/proposal.json",
            ".fedplan/schema/report.json",
            ".fedplan/schema/settings.json",
            ".github/workflows/fedplan.yml",
            ".gitignore",
            ".gitlab-ci.yml",
            ".pre-commit-config.yaml",
            "README.md",
            "fedplan.yaml",
            f"plans/{YEAR}/plan.yaml",
            f"plans/{YEAR}/progress/ledger.yaml",
        ]
    )


def test_every_field_of_the_plan_skeleton_is_explained(fresh: Path) -> None:
    text = (fresh / f"plans/{YEAR}/plan.yaml").read_text(encoding="utf-8")
    for key in ("kind", "year", "org", "title", "total_points", "preamble", "sections", "items", "id",
                "text", "owner", "partners", "targets", "target", "unit", "measure", "direction",
                "baseline", "start", "due", "points"):
        line = next(line for line in text.splitlines() if re.match(rf"\s*(# )?(- )?{key}:", line))
        assert re.search(r"#.*[\u4e00-\u9fff]", line) or key in ("items", "name"), line


def test_schema_hooks_point_at_schema_files(fresh: Path) -> None:
    for rel in ("fedplan.yaml", f"plans/{YEAR}/plan.yaml", f"plans/{YEAR}/progress/ledger.yaml"):
        first = (fresh / rel).read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, first
        schema = json.loads(((fresh / rel).parent / match.group(1)).read_text(encoding="utf-8"))
        assert schema["$schema"].startswith("http://json-schema.org/")


def test_ci_and_pre_commit_run_validate(fresh: Path) -> None:
    workflow = yaml.safe_load((fresh / ".github/workflows/fedplan.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[-1] == {"run": "fedplan validate --format github"}
    gitlab = yaml.safe_load((fresh / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["fedplan"]["script"][-1] == "fedplan validate"
    hooks = yaml.safe_load((fresh / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = hooks["repos"][0]["hooks"][0]
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == ("fedplan-validate", "fedplan validate", False)
    assert re.search(hook["files"], f"plans/{YEAR}/progress/ledger.yaml")
    assert re.search(hook["files"], "fedplan.yaml")
    assert not re.search(hook["files"], "README.md")


def test_project_offers_a_pre_commit_hook() -> None:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks == [
        {
            "id": "fedplan-validate",
            "name": "fedplan validate",
            "description": hooks[0]["description"],
            "entry": "fedplan validate",
            "language": "python",
            "pass_filenames": False,
            "files": r"^(plans/.*\.ya?ml|fedplan\.yaml)$",
        }
    ]


def test_existing_files_are_kept_and_named(fresh: Path) -> None:
    (fresh / "fedplan.yaml").write_text("org: 已改过的名称\n", encoding="utf-8")
    (fresh / ".gitignore").unlink()
    result = cli("init", str(fresh))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"在 {fresh.resolve()} 中新建了 1 个文件：\n  .gitignore\n")
    assert "  fedplan.yaml\n" in result.stdout.split("未改动", 1)[1]
    assert (fresh / "fedplan.yaml").read_text(encoding="utf-8") == "org: 已改过的名称\n"


def test_without_org_a_placeholder_is_used_and_named(tmp_path: Path) -> None:
    result = cli("-C", str(tmp_path), "init")
    assert result.exit_code == 0
    assert "本单位" in result.stdout
    assert cli("-C", str(tmp_path), "validate").exit_code == 0


def test_log_into_the_fresh_ledger(fresh: Path) -> None:
    done = cli("-C", str(fresh), "log", "shuangxue-launch", "--done", "--date", f"{YEAR}-03-28")
    assert done.exit_code == 0, done.output
    # 发展部 has no ledger yet, so its own file is made beside ledger.yaml, with the schema hook.
    created = (fresh / f"plans/{YEAR}/progress/发展部.yaml").read_text(encoding="utf-8")
    assert created.startswith("# yaml-language-server: $schema=../../../.fedplan/schema/progress.json\n")
    assert cli("-C", str(fresh), "validate").exit_code == 0


def test_log_into_the_empty_ledger_with_file(fresh: Path) -> None:
    ledger = fresh / f"plans/{YEAR}/progress/ledger.yaml"
    before = ledger.read_bytes()
    result = cli("-C", str(fresh), "log", "farm-training", "40", "--date", f"{YEAR}-03-01", "--file", str(ledger))
    assert result.exit_code == 0, result.output
    after = ledger.read_bytes()
    assert after == before.replace(b"entries: []\n", b"entries:\n") + (
        f"  - date: {YEAR}-03-01\n    target: farm-training\n    value: 40\n".encode()
    )


def test_init_refuses_a_file_as_directory(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = cli("init", str(tmp_path / "f"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (tmp_path / "f").read_text(encoding="utf-8") == "x"


def test_gitignore_keeps_the_parse_cache_out_of_git_but_not_the_editor_schemas(fresh: Path) -> None:
    lines = (fresh / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.fedplan/cache/" in lines
    assert not any(line.strip("/") == ".fedplan" for line in lines)


def test_without_org_the_hint_says_what_changes_it(tmp_path: Path) -> None:
    # Re-running init keeps every existing file, so "re-run with --org" would change nothing.
    root = tmp_path / "r"
    first = cli("init", str(root))
    assert "重新运行" not in first.output
    assert "fedplan.yaml 中的 org: 本单位" in first.output
    again = cli("init", str(root), "--org", "金川区妇联")
    assert load_repository(root).repo.settings.org == "本单位", again.output  # indeed unchanged
