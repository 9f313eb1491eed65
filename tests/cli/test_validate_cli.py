"""``fedplan validate`` end to end: exit codes, formats, selection, -C, and the bundled example."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests.conftest import PLAN_2012, PLAN_PATH, MakeRepo, RunLine

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_PLAN = REPO / "plans" / "2012" / "plan.yaml"

BAD_TARGET = "plans/2012/progress/a.yaml"
BAD_DATE = "plans/2012/progress/b.yaml"
BROKEN = {
    PLAN_PATH: PLAN_2012,
    BAD_DATE: "kind: progress\nyear: 2012\nentries:\n  - {date: 2012-02-30, target: farm-training, value: 3}\n",
    BAD_TARGET: "kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-01\n    target: farm-trainig\n    value: 3\n",
}
# A future date is only a warning; the real today is years after 2012, so make it 2099's.
WARNING_ONLY = {
    "plans/2099/plan.yaml": PLAN_2012.replace("2012", "2099"),
    "plans/2099/progress.yaml": "kind: progress\nyear: 2099\nentries:\n  - {date: 2099-12-30, item: volunteer, note: 活动}\n",
}


@pytest.fixture
def broken(make_repo: MakeRepo) -> Path:
    return make_repo(BROKEN)


def test_valid_repository_exits_0(make_repo: MakeRepo, run_line: RunLine) -> None:
    result = run_line(["validate"], cwd=make_repo({PLAN_PATH: PLAN_2012}))
    assert result.exit_code == 0
    assert result.stdout == "没有发现问题。\n"


def test_errors_exit_1_and_all_are_shown_sorted(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate"], cwd=broken)
    assert result.exit_code == 1
    heads = [line for line in result.stdout.splitlines() if re.match(r"^plans/", line)]
    assert heads == [
        "plans/2012/progress/a.yaml:5:13: 错误: 2012 年计划中没有编号为“farm-trainig”的目标 [unknown-target]",
        "plans/2012/progress/b.yaml:4:12: 错误: “date”不是有效日期：“2012-02-30” [bad-date]",
    ]
    assert result.stdout.rstrip().endswith("2 个错误，0 个警告。")


def test_text_shows_the_line_with_a_caret_and_the_hint(broken: Path, run_line: RunLine) -> None:
    out = run_line(["validate", BAD_TARGET], cwd=broken).stdout
    assert out.splitlines()[1:4] == [
        "  5 |     target: farm-trainig",
        "    |             ^",
        "  提示：是不是“farm-training”？",
    ]


def test_caret_counts_chinese_characters_as_two_columns(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({PLAN_PATH: PLAN_2012.replace("year: 2012\n", "year: 2012\n负责: 张三\n")})
    out = run_line(["validate"], cwd=root).stdout.splitlines()
    assert out[1:3] == ["  4 | 负责: 张三", "    | ^"]
    root = make_repo({PLAN_PATH: PLAN_2012.replace("target: 300", "target: ３００")}, root=root.parent / "b")
    out = run_line(["validate"], cwd=root).stdout.splitlines()
    assert out[2] == "     | " + " " * 20 + "^"


def test_usage_errors_exit_2(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "xml"], cwd=broken)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_naming_a_missing_file_exits_2(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "plans/2012/nothere.yaml"], cwd=broken)
    assert result.exit_code == 2
    assert "[no-such-file]" in result.stderr and "Traceback" not in result.output


def test_warnings_alone_pass(make_repo: MakeRepo, run_line: RunLine) -> None:
    result = run_line(["validate"], cwd=make_repo(WARNING_ONLY))
    assert result.exit_code == 0
    assert "[future-date]" in result.stdout and "0 个错误，1 个警告。" in result.stdout


def test_strict_makes_warnings_fail(make_repo: MakeRepo, run_line: RunLine) -> None:
    assert dt.date.today().year < 2099
    assert run_line(["validate", "--strict"], cwd=make_repo(WARNING_ONLY)).exit_code == 1


def test_strict_on_a_clean_repository_passes(make_repo: MakeRepo, run_line: RunLine) -> None:
    assert run_line(["validate", "--strict"], cwd=make_repo({PLAN_PATH: PLAN_2012})).exit_code == 0


def test_json_format(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "json"], cwd=broken)
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["path"], r["line"], r["column"], r["severity"], r["code"]) for r in rows] == [
        (BAD_TARGET, 5, 13, "error", "unknown-target"),
        (BAD_DATE, 4, 12, "error", "bad-date"),
    ]
    assert rows[0]["hint"] == "是不是“farm-training”？"
    assert set(rows[0]) == {"path", "line", "column", "severity", "code", "message", "hint"}


def test_json_of_a_clean_repository_is_an_empty_list(make_repo: MakeRepo, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "json"], cwd=make_repo({PLAN_PATH: PLAN_2012}))
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_github_format(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "github"], cwd=broken)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split("::")[1] for line in lines] == [
        f"error file={BAD_TARGET},line=5,col=13,title=fedplan unknown-target",
        f"error file={BAD_DATE},line=4,col=12,title=fedplan bad-date",
    ]
    assert lines[0].endswith("::2012 年计划中没有编号为“farm-trainig”的目标（提示：是不是“farm-training”？）")
    assert "2 个错误" in result.stderr


def test_github_format_warning(make_repo: MakeRepo, run_line: RunLine) -> None:
    out = run_line(["validate", "--format", "github"], cwd=make_repo(WARNING_ONLY)).stdout
    assert out.startswith("::warning file=plans/2099/progress.yaml,line=4,col=12,title=fedplan future-date::")


def test_paths_limit_the_output_to_those_files(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "json", BAD_DATE], cwd=broken)
    assert result.exit_code == 1
    assert [r["path"] for r in json.loads(result.stdout)] == [BAD_DATE]


def test_a_clean_file_named_passes_though_others_fail(broken: Path, run_line: RunLine) -> None:
    assert run_line(["validate", PLAN_PATH], cwd=broken).exit_code == 0


def test_path_relative_to_a_subfolder(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "json", "b.yaml"], cwd=broken / "plans" / "2012" / "progress")
    assert [r["path"] for r in json.loads(result.stdout)] == [BAD_DATE]


def test_folder_selects_the_files_under_it(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "json", "plans/2012/progress"], cwd=broken)
    assert [r["path"] for r in json.loads(result.stdout)] == [BAD_TARGET, BAD_DATE]


def test_root_found_from_a_subfolder(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--format", "json"], cwd=broken / "plans" / "2012")
    assert [r["path"] for r in json.loads(result.stdout)] == [BAD_TARGET, BAD_DATE]


def test_dash_c_chooses_the_repository(broken: Path, run_line: RunLine, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_line(["-C", str(broken), "validate", "--format", "json", BAD_DATE], cwd=elsewhere)
    assert result.exit_code == 1
    assert [r["path"] for r in json.loads(result.stdout)] == [BAD_DATE]


def test_dash_c_to_a_missing_folder(run_line: RunLine, tmp_path: Path) -> None:
    result = run_line(["-C", str(tmp_path / "nope"), "validate"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "[no-such-directory]" in result.stderr


def test_outside_a_repository_one_chinese_line_no_traceback(run_line: RunLine, tmp_path: Path) -> None:
    result = run_line(["validate"], cwd=tmp_path)
    assert result.exit_code == 1
    first, *rest = result.stderr.splitlines()
    assert first.startswith("fedplan: 错误: 这里不是计划仓库") and first.endswith("[no-repository]")
    assert all(line.startswith("  提示") for line in rest)
    assert result.stdout == "" and "Traceback" not in result.output


def test_file_outside_the_repository_is_refused(broken: Path, run_line: RunLine, tmp_path: Path) -> None:
    stray = tmp_path / "stray.yaml"
    stray.write_text("kind: progress\n", encoding="utf-8")
    result = run_line(["validate", str(stray)], cwd=broken)
    assert result.exit_code != 0
    assert "[outside-repository]" in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif(
    not EXAMPLE_PLAN.exists(),
    reason="the bundled example plans/2012/plan.yaml has not been written yet (issue 2, item 7)",
)
def test_bundled_example_is_valid(run_line: RunLine) -> None:
    result = run_line(["-C", str(REPO), "validate", "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "没有发现问题。\n"


# --- --select / --ignore / fedplan.yaml ignore ------------------------------------------------

HEADS = re.compile(r"^plans/\S+: (?:错误|警告): .*\[([a-z-]+)\]$", re.M)


def test_select_reports_only_the_codes_named(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--select", "bad-date"], cwd=broken)
    assert HEADS.findall(result.stdout) == ["bad-date"]
    assert result.exit_code == 1
    # a family id stands for its codes; comma lists and repeats both work
    assert HEADS.findall(run_line(["validate", "--select", "refs"], cwd=broken).stdout) == ["unknown-target"]
    both = run_line(["validate", "--select", "bad-date,unknown-target"], cwd=broken).stdout
    assert HEADS.findall(both) == ["unknown-target", "bad-date"]


def test_ignore_drops_the_codes_named_and_can_make_validation_pass(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--ignore", "bad-date", "--ignore", "unknown-target"], cwd=broken)
    assert (result.exit_code, result.stdout) == (0, "没有发现问题。\n")
    assert HEADS.findall(run_line(["validate", "--ignore", "dates"], cwd=broken).stdout) == ["unknown-target"]


def test_ignore_wins_over_select(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--select", "bad-date", "--ignore", "bad-date"], cwd=broken)
    assert (result.exit_code, result.stdout) == (0, "没有发现问题。\n")


def test_the_repository_ignores_what_fedplan_yaml_says(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({**BROKEN, "fedplan.yaml": "ignore: [unknown-target]\n"})
    assert HEADS.findall(run_line(["validate"], cwd=root).stdout) == ["bad-date"]
    # status still refuses the data: ignoring changes what validate reports, nothing else
    assert run_line(["status", "2012"], cwd=root).exit_code == 1


def test_an_unknown_code_on_the_command_line_is_a_usage_error_with_a_suggestion(broken: Path, run_line: RunLine) -> None:
    result = run_line(["validate", "--ignore", "stale-targte"], cwd=broken)
    assert result.exit_code == 2
    assert "--ignore 中的“stale-targte”不是 fedplan 的检查代码 [unknown-code]" in result.stderr
    assert "是不是“stale-target”？" in result.stderr
    assert run_line(["validate", "--select", "zzzz"], cwd=broken).exit_code == 2


def test_an_unknown_code_in_fedplan_yaml_is_reported_where_it_is(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({PLAN_PATH: PLAN_2012, "fedplan.yaml": "ignore:\n  - stale-target\n  - bad-dat\n"})
    result = run_line(["validate"], cwd=root)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "fedplan.yaml:3:5: 错误: ignore 中的“bad-dat”不是 fedplan 的检查代码 [unknown-code]"
    assert "是不是“bad-date”？" in result.stdout


ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_terminal_escapes_in_files_are_shown_not_obeyed(make_repo: MakeRepo, run_line: RunLine, fmt: str) -> None:
    # A raw ESC sequence in a comment (a syntax error, echoed with its line) and escapes in
    # a quoted value (named in a message): neither may reach the terminal as control codes,
    # which could clear the screen and print a fake "没有发现问题".
    root = make_repo({
        PLAN_PATH: PLAN_2012,
        "plans/2012/progress/a.yaml": "kind: progress\nyear: 2012\n# \x1b[2J\x1b[H\nentries: []\n",
        "plans/2012/progress/b.yaml": (
            'kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-01\n'
            '    target: "\\e[2J\\x9b\\u202e没有发现问题"\n    value: 3\n'
        ),
    })
    result = run_line(["validate", "--format", fmt], cwd=root)
    assert result.exit_code == 1
    assert not ACTIVE.search(result.output.replace("\r\n", "\n")), repr(result.output)
    if fmt == "text":
        assert "\u241b[2J" in result.output  # ␛[2J
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert any("\x1b[2J" in row["message"] for row in rows)  # the data itself is kept


def test_text_and_github_list_20_of_each_file_and_code_json_lists_all(make_repo: MakeRepo, run_line: RunLine) -> None:
    """A mistake copied down a long ledger is listed 20 times, then counted; JSON keeps every
    problem, and the summary and exit code count them all (issue 10: 20k errors took a minute)."""
    entries = "".join(f"  - {{date: 2012-03-01, target: farm-training, value: 很多{i}}}\n" for i in range(25))
    entries += "".join(f"  - {{date: 2012-03-01, target: farm-trainig{i}, value: 3}}\n" for i in range(2))
    root = make_repo({PLAN_PATH: PLAN_2012, BAD_TARGET: "kind: progress\nyear: 2012\nentries:\n" + entries})
    text = run_line(["validate"], cwd=root)
    assert text.exit_code == 1
    assert text.stdout.count("[type]") == 20 + 1  # 20 listed, one line counting the rest
    assert text.stdout.count("[unknown-target]") == 2
    assert "很多19" in text.stdout and "很多20" not in text.stdout
    assert f"{BAD_TARGET}：另有 5 个同类问题 [type] 未列出（每个文件每种问题只列出前 20 个；" in text.stdout
    assert text.stdout.rstrip().endswith("27 个错误，0 个警告。")
    github = run_line(["validate", "--format", "github"], cwd=root)
    assert github.exit_code == 1
    assert github.stdout.count("::error ") == 22
    assert github.stdout.count("::notice ") == 1 and "另有 5 个同类问题 [type]" in github.stdout
    assert "27 个错误" in github.stderr
    rows = json.loads(run_line(["validate", "--format", "json"], cwd=root).stdout)
    assert [r["code"] for r in rows].count("type") == 25


def test_thousands_of_duplicate_keys_are_listed_20_times_and_counted(make_repo: MakeRepo, run_line: RunLine) -> None:
    """100,000 repeated keys took over a minute: each of their excerpts split the whole file
    again, and every one was printed. Now 20 are listed and the rest counted."""
    plan = PLAN_2012 + "org: 测试区妇联\n" * 5000
    result = run_line(["validate"], cwd=make_repo({PLAN_PATH: plan}))
    assert result.exit_code == 1
    assert result.stdout.count("[duplicate-key]") == 21
    assert "键“org”重复出现（第一次在第 2 行）" in result.stdout
    assert f"{PLAN_PATH}：另有 4,980 个同类问题 [duplicate-key] 未列出" in result.stdout
    assert result.stdout.rstrip().endswith("5000 个错误，0 个警告。")
