"""The command line's import discipline: each command loads only the modules it uses.

Which modules a command imports is correctness (a heavy library in ``--help`` is a bug), so
it is asserted here; how long start-up takes is measured in bench/bench_startup.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PLAN_2012, MakeRepo, fedplan_in

EXAMPLE = Path(__file__).resolve().parents[2]
HEAVY = ("jinja2", "rich", "docx", "opencc", "openpyxl", "lxml")

PROBE = """
import json, sys
from fedplan.cli import main
try:
    main(sys.argv[2:], prog_name="fedplan")
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def imported_by(tmp_path: Path, *args: str) -> set[str]:
    """The top-level modules loaded after running ``fedplan ARGS`` in a fresh interpreter."""
    record = tmp_path / "modules.json"
    subprocess.run([sys.executable, "-c", PROBE, str(record), *args], check=True, capture_output=True)
    return {name.split(".")[0] for name in json.loads(record.read_text())} | set(json.loads(record.read_text()))


@pytest.fixture
def plain_repo(make_repo: MakeRepo) -> Path:
    """A plan, a ledger and a report whose body is plain prose (no ``{``)."""
    return make_repo(
        {
            "fedplan.yaml": "org: 测试区妇联\n",
            "plans/2012/plan.yaml": PLAN_2012,
            "plans/2012/progress/2012.yaml": (
                "kind: progress\nyear: 2012\nentries:\n"
                "  - {date: 2012-03-01, target: farm-training, value: 40}\n"
            ),
            "plans/2012/reports/half-year.yaml": (
                "kind: report\nyear: 2012\nid: half-year\ntitle: 上半年工作总结\nas_of: 2012-06-30\n"
                "sections:\n  - title: 主要工作\n    body: 培训妇女骨干四十人次。\n"
            ),
        }
    )


def test_help_imports_neither_yaml_nor_the_model(tmp_path: Path) -> None:
    loaded = imported_by(tmp_path, "--help")
    assert "click" in loaded  # the probe did run the command line
    for name in (*HEAVY, "yaml", "fedplan.model", "fedplan.diagnostics", "dataclasses", "tempfile"):
        assert name not in loaded, name


def test_validate_without_expressions_imports_no_renderer(tmp_path: Path, plain_repo: Path) -> None:
    loaded = imported_by(tmp_path, "-C", str(plain_repo), "validate")
    assert "fedplan.model" in loaded
    for name in (*HEAVY, "fedplan.bodies.sandbox"):
        assert name not in loaded, name


def test_validate_imports_neither_the_schema_writer_nor_what_only_writing_needs(tmp_path: Path, plain_repo: Path) -> None:
    # Issue 15: validate reads and checks; the JSON Schema writer, tempfile and socket (for
    # writing, and the lock's stamp) wait for the commands that use them.
    loaded = imported_by(tmp_path, "-C", str(plain_repo), "--no-cache", "validate")
    assert "fedplan.schema.fields" in loaded  # the walk did run
    for name in ("fedplan.schema.editor", "tempfile", "socket"):
        assert name not in loaded, name


def test_validate_with_an_expression_loads_the_sandbox(tmp_path: Path, plain_repo: Path) -> None:
    report = plain_repo / "plans/2012/reports/half-year.yaml"
    report.write_text(report.read_text().replace("四十", "{{ t('farm-training').actual }}"))
    loaded = imported_by(tmp_path, "-C", str(plain_repo), "validate")
    assert "jinja2" in loaded  # the check does run when a body holds an expression


def test_a_warm_validate_of_the_example_imports_neither_yaml_nor_jinja2(tmp_path: Path) -> None:
    # Issue 15: with every file in the parse cache (and the report bodies' check result kept
    # there), a second validate of the bundled example reads no YAML and runs no template;
    # nothing changed, it takes the whole result kept by the first (repo.check_repository);
    # status builds its model from the cache and takes the same kept result of the checks.
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE / "plans", example / "plans")
    shutil.copy(EXAMPLE / "fedplan.yaml", example / "fedplan.yaml")
    cold = imported_by(tmp_path, "-C", str(example), "validate")
    assert {"yaml", "jinja2", "fedplan.schema", "fedplan.checks"} <= cold  # the first run reads and checks
    warm = imported_by(tmp_path, "-C", str(example), "validate")
    for name in ("yaml", "jinja2", "fedplan.schema", "fedplan.source", "fedplan.bodies.sandbox", "fedplan.checks", *HEAVY):
        assert name not in warm, name
    status = imported_by(tmp_path, "-C", str(example), "status", "2012")
    assert "fedplan.status" in status
    for name in ("yaml", "jinja2", "fedplan.schema", "fedplan.source", "fedplan.bodies.sandbox", "fedplan.checks", *HEAVY):
        assert name not in status, name


def test_status_imports_no_rich(tmp_path: Path, plain_repo: Path) -> None:
    # Issue 15: the terminal table is fedplan.reporters.terminal's (rich's import and layout
    # were a fifth of status's start-up); rich is for `fedplan score`'s table only.
    loaded = imported_by(tmp_path, "-C", str(plain_repo), "status", "2012")
    assert "fedplan.reporters.terminal" in loaded
    for name in ("rich", "jinja2", "docx", "opencc", "openpyxl", "lxml", "fedplan.bodies.sandbox"):
        assert name not in loaded, name


def test_status_json_imports_no_rich(tmp_path: Path, plain_repo: Path) -> None:
    # Issue 15: the terminal table's library only for the terminal table.
    loaded = imported_by(tmp_path, "-C", str(plain_repo), "status", "2012", "--format", "json")
    assert "fedplan.status" in loaded  # the status was computed
    for name in ("rich", "jinja2", "docx", "openpyxl"):
        assert name not in loaded, name


def test_a_401_digit_value_is_an_error_not_a_traceback_in_status_and_report(make_repo, plan_2012):
    # Issue 10: validate accepted it, then status and report raised OverflowError.
    ledger = "kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-08\n    target: farm-training\n"
    root = make_repo({**plan_2012, "plans/2012/progress.yaml": ledger + f"    value: {'9' * 401}\n"})
    for args in (("validate",), ("status",), ("report", "2012")):
        result = fedplan_in(root, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "太大：绝对值不能超过 1 万亿" in result.output, args


def test_the_console_script_leaves_with_the_commands_code_its_output_written_and_exit_handlers_run(
    tmp_path: Path, plain_repo: Path
) -> None:
    # fedplan.cli.entry (the console script, python -m fedplan) ends with os._exit, so that
    # a million entries are not freed one by one: what the command printed still reaches a
    # pipe whole, the exit code is the command's, atexit handlers still run.
    def run(*args: str, probe: str = "") -> subprocess.CompletedProcess[str]:
        code = f"import atexit, sys; {probe}from fedplan.cli import entry; sys.argv[1:] = {list(args)!r}; entry()"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)

    ok = run("-C", str(plain_repo), "report", "2012")
    assert ok.returncode == 0 and ok.stdout.count("\n") > 10 and ok.stdout.endswith("\n")
    assert ok.stdout == subprocess.run(
        [sys.executable, "-m", "fedplan", "-C", str(plain_repo), "report", "2012"], capture_output=True, text=True
    ).stdout
    ledger = plain_repo / "plans/2012/progress/2012.yaml"
    ledger.write_text(ledger.read_text() + "  - {date: 2012-05-01, target: farm-trainig, value: 1}\n")
    bad = run("-C", str(plain_repo), "validate", probe="atexit.register(lambda: print('离开', file=sys.stderr)); ")
    assert bad.returncode == 1 and "farm-trainig" in bad.stdout and bad.stderr.rstrip().endswith("离开")
    assert run("-C", str(plain_repo), "validate", "--bogus").returncode == 2
    assert run("--version").stdout.startswith("fedplan ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_output_that_cannot_be_written_is_a_chinese_error_not_a_traceback(plain_repo: Path) -> None:
    # `> /dev/full` fails every write with ENOSPC: through click.echo (validate, report),
    # the terminal table (status), or only when the buffer is flushed on leaving (--version).
    for args in (("validate",), ("validate", "--format", "json"), ("status", "2012"), ("report", "2012"), ("--version",)):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "fedplan", "-C", str(plain_repo), *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        assert done.returncode == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, args
        assert done.stderr.startswith("fedplan: 错误: 无法写出输出：磁盘已满 [output-unwritable]\n"), args
        assert done.stderr.count("output-unwritable") == 1 and "提示: " in done.stderr, args


def test_a_reader_that_goes_away_ends_the_command_quietly(plain_repo: Path) -> None:
    # `fedplan report 2012 | head -0`: the pipe is closed before fedplan writes.
    process = subprocess.Popen(
        [sys.executable, "-m", "fedplan", "-C", str(plain_repo), "report", "2012"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) in (0, 1)
    assert err == ""


def test_only_a_process_that_leaves_without_freeing_keeps_the_loaded_model() -> None:
    from fedplan import bulk

    bulk._kept.clear()
    bulk.keep(object())
    assert bulk._kept == []  # (a library caller, a test: nothing held)
    bulk.leaving = True
    try:
        marker = object()
        bulk.keep(marker)
        assert bulk._kept == [marker]
    finally:
        bulk.leaving = False
        bulk._kept.clear()
