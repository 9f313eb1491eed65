"""`fedplan status` end to end on a small repository, and the stale-target check."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len

from fedplan.checks import CheckContext
from fedplan.checks.stale import check_stale
from fedplan.repo import load_repository
from tests.conftest import MakeRepo, RunLine, cli, item, plan, section, target

PLAN = plan(
    section(
        item(
            "shuangxue",
            "owner: 发展部",
            targets=[
                target("farm-training", "points: 40"),
                # pace linear, not the default hold: this file's figures are linear
                target("repay-rate", "pace: linear", "points: 20"),
            ],
        )
    ),
    section(
        item(
            "weiquan",
            "owner: 权益部",
            title="继续推进妇女维权行动",
            targets=[target("launch", "points: 10", name="召开维权周启动大会")],
        ),
        title="维护妇女儿童合法权益",
    ),
)

PROGRESS = """\
kind: progress
year: 2012
entries:
  - date: 2012-03-15
    target: farm-training
    value: 120
    note: 第一期培训班
  - date: 2012-06-01
    target: repay-rate
    value: 98.5
  - date: 2012-05-20
    target: launch
    done: true
"""

PLAN_2011 = """\
kind: plan
org: 测试区妇联
year: 2011
sections:
  - title: 旧年度
    items:
      - id: old
        title: 旧事项
        targets:
          - {id: old-target, name: 旧指标, target: 10, unit: 次}
"""

# As of 2012-06-30 (Jan 1 → Jun 30 = 181 days):
#   farm-training: 120 of 300 → 40 %; expected 300·181/365 = 148.77 → 148.8;
#       120 ≥ 0.7·148.77 = 104.1 → behind; score 40·0.4 = 16;
#       last entry Mar 15 → 16+30+31+30 = 107 days ago > 60 → stale
#   repay-rate: latest 98.5 → 98.5 %; expected 100·181/365 = 49.59 → 49.6 → on-track;
#       score 20·0.985 = 19.7
#   launch: done on May 20 → done, 10 points
#   plan: 16 + 19.7 + 10 = 45.7 of 40 + 20 + 10 = 70
AS_OF = ["--as-of", "2012-06-30"]
JSON_KEYS = {"org", "year", "as_of", "score", "total_points", "targets"}
TARGET_KEYS = {
    "id",
    "name",
    "section",
    "item",
    "target",
    "unit",
    "actual",
    "percent",
    "expected",
    "status",
    "due",
    "points",
    "score",
}


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo(
        {
            "plans/2012/plan.yaml": PLAN,
            "plans/2012/progress/fazhan.yaml": PROGRESS,
            "plans/2011/plan.yaml": PLAN_2011,
        }
    )


def status(run_line: RunLine, root: Path, *args: str) -> tuple[int, str, str]:
    result = run_line(["-C", str(root), "status", *args])
    return result.exit_code, result.stdout, result.stderr


def test_table_lists_targets_under_sections_and_items_with_score(
    run_line: RunLine, repo: Path
) -> None:
    code, out, err = status(run_line, repo, *AS_OF)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    order = [
        "一、以服务群众为主题",
        "1. 着力推进“双学双比”竞赛活动",
        "农业实用技术妇女骨干培训",
        "妇女小额贷款还贷率",
        "二、维护妇女儿童合法权益",
        "2. 继续推进妇女维权行动",
        "召开维权周启动大会",
    ]
    found = [next(i for i, line in enumerate(lines) if text in line) for text in order]
    assert found == sorted(found)
    farm = lines[found[2]]
    for cell in ("300人次", "120人次", "40%", "148.8人次", "16/40", "● 滞后", "107天未更新"):
        assert cell in farm or cell in lines[found[2] + 1]
    assert "● 正常" in lines[found[3]] and "98.5%" in lines[found[3]]
    assert "● 已完成" in lines[found[6]] and "6月30日前" in lines[found[6]]
    assert "████░░░░░░" in farm  # 40 % of a 10-cell bar
    assert "█████████░" in lines[found[3]]  # 98.5 %: the bar fills only at 100 %
    assert "得分 45.7 / 70" in out
    assert "\x1b[" not in out  # not a terminal: no escape codes at all


def test_table_aligns_chinese_columns_by_display_width(run_line: RunLine, repo: Path) -> None:
    _, out, _ = status(run_line, repo, *AS_OF)
    rows = [line for line in out.splitlines() if "●" in line]
    assert len(rows) == 3
    # the status column starts at the same display column on every row, and the header's
    # 状态 sits over it, whatever mix of Chinese and ASCII came before
    starts = {cell_len(line[: line.index("●")]) for line in rows}
    header = next(line for line in out.splitlines() if "状态" in line and "目标" in line)
    assert starts == {cell_len(header[: header.index("状态")])}
    # right-aligned numbers end at the same display column: the 完成 column
    ends = {
        cell_len(line[: line.index(actual) + len(actual)])
        for line, actual in zip(rows, ("120人次", "98.5%", "是"), strict=True)
    }
    assert len(ends) == 1


@pytest.mark.parametrize("width", [80, 60])
def test_narrow_terminal_keeps_the_status_words(
    run_line: RunLine, repo: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    _, out, _ = status(run_line, repo, *AS_OF)
    assert all(cell_len(line) <= width for line in out.splitlines())
    for word in ("● 滞后", "● 正常", "● 已完成"):
        assert word in out


def test_colour_on_a_terminal_and_none_with_no_color(
    run_line: RunLine, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, coloured, _ = status(run_line, repo, *AS_OF)
    assert "\x1b[33m● 滞后" in coloured  # yellow
    assert "\x1b[32m● 正常" in coloured  # green
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = status(run_line, repo, *AS_OF)
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m", plain)  # no colour codes (bold may stay)
    assert "● 滞后" in plain


def test_json_has_exactly_the_documented_keys(run_line: RunLine, repo: Path) -> None:
    code, out, _ = status(run_line, repo, "--format", "json", *AS_OF)
    assert code == 0
    document = json.loads(out)
    assert set(document) == JSON_KEYS
    assert (document["org"], document["year"], document["as_of"]) == (
        "测试区妇联",
        2012,
        "2012-06-30",
    )
    assert (document["score"], document["total_points"]) == (45.7, 70)
    assert all(set(t) == TARGET_KEYS for t in document["targets"])
    farm, repay, launch = document["targets"]
    assert farm == {
        "id": "farm-training",
        "name": "农业实用技术妇女骨干培训",
        "section": "以服务群众为主题，引领妇女参与经济社会发展",
        "item": "shuangxue",
        "target": 300,
        "unit": "人次",
        "actual": 120,
        "percent": 40,
        "expected": 148.8,
        "status": "behind",
        "due": "2012-12-31",
        "points": 40,
        "score": 16,
    }
    assert (repay["actual"], repay["percent"], repay["score"]) == (98.5, 98.5, 19.7)
    assert (launch["actual"], launch["percent"], launch["expected"]) == (True, None, None)
    assert (launch["status"], launch["due"], launch["target"]) == ("done", "2012-06-30", None)
    assert "测试区妇联" in out  # ensure_ascii=False: Chinese stays readable


def test_csv_has_bom_and_one_row_per_target(run_line: RunLine, repo: Path) -> None:
    result = run_line(["-C", str(repo), "status", "--format", "csv", *AS_OF])
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["部分", "事项序号", "事项", "指标编号", "指标", "目标"]
    assert [r[3] for r in rows[1:]] == ["farm-training", "repay-rate", "launch"]
    farm = dict(zip(rows[0], rows[1], strict=True))
    assert (farm["完成"], farm["完成率(%)"], farm["状态"], farm["备注"]) == (
        "120",
        "40",
        "滞后",
        "107天未更新",
    )
    assert dict(zip(rows[0], rows[3], strict=True))["完成"] == "是"


def test_default_year_is_the_newest_plan(run_line: RunLine, repo: Path) -> None:
    _, out, _ = status(run_line, repo, "--format", "json", *AS_OF)
    assert json.loads(out)["year"] == 2012
    _, out, _ = status(run_line, repo, "2011", "--format", "json", "--as-of", "2011-12-31")
    assert [t["id"] for t in json.loads(out)["targets"]] == ["old-target"]


def test_default_as_of_is_today_clipped_into_the_year(run_line: RunLine, repo: Path) -> None:
    # today is long after 2012: clipped to Dec 31
    _, out, _ = status(run_line, repo, "2012", "--format", "json")
    assert json.loads(out)["as_of"] == f"{min(dt.date.today(), dt.date(2012, 12, 31)).isoformat()}"


def test_filters(run_line: RunLine, repo: Path) -> None:
    _, out, _ = status(
        run_line, repo, "--format", "json", "--status", "done", "--status", "behind", *AS_OF
    )
    document = json.loads(out)
    assert [t["id"] for t in document["targets"]] == ["farm-training", "launch"]
    assert document["score"] == 45.7  # the plan's score, not the filtered rows'
    _, out, _ = status(run_line, repo, "--format", "json", "--owner", "权益部", *AS_OF)
    assert [t["id"] for t in json.loads(out)["targets"]] == ["launch"]
    _, out, _ = status(run_line, repo, "--owner", "权益部", *AS_OF)
    assert "按条件显示 1 / 3 项指标" in out
    _, out, _ = status(run_line, repo, "--status", "overdue", *AS_OF)
    assert "没有符合条件的指标" in out


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["2013"], "unknown-year", "2013 年没有工作要点；已有：2011、2012"),
        (["2012", "--as-of", "2013-01-01"], "as-of-outside-year", "不在 2012 年内"),
        (["--owner", "办公室"], "unknown-owner", "发展部、权益部"),
    ],
)
def test_user_errors_are_one_line(
    run_line: RunLine, repo: Path, args: list[str], code: str, words: str
) -> None:
    exit_code, out, err = status(run_line, repo, *args)
    assert exit_code == 1 and out == ""
    first, *rest = err.splitlines()
    assert first.startswith("fedplan: 错误: ") and first.endswith(f"[{code}]") and words in first
    assert all(line.startswith("  提示: ") for line in rest)
    assert "Traceback" not in err


def test_repository_with_errors_is_refused(run_line: RunLine, make_repo: MakeRepo) -> None:
    broken = PROGRESS.replace("target: repay-rate", "target: repay-rat")
    root = make_repo({"plans/2012/plan.yaml": PLAN, "plans/2012/progress/p.yaml": broken})
    exit_code, out, err = status(run_line, root, *AS_OF)
    assert exit_code == 1 and out == ""
    assert err.splitlines()[0].endswith("[repository-has-errors]")
    assert "fedplan validate" in err


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_compare_with_an_earlier_revision(run_line: RunLine, repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    more = PROGRESS + "  - date: 2012-06-20\n    target: farm-training\n    value: 80\n"
    (repo / "plans/2012/progress/fazhan.yaml").write_text(more, encoding="utf-8")

    _, out, _ = status(run_line, repo, "--format", "json", "--compare", "HEAD", *AS_OF)
    document = json.loads(out)
    assert document["compare"] == "HEAD"
    farm = document["targets"][0]
    # 120 + 80 = 200 ≥ 148.77 → on-track now; before: 120, behind
    assert (farm["actual"], farm["status"], farm["change"]) == (200, "on-track", 80)
    assert farm["before"] == {"actual": 120, "percent": 40, "status": "behind"}
    assert document["targets"][2]["change"] is None  # a milestone has no figure to subtract

    _, table, _ = status(run_line, repo, "--compare", "HEAD", *AS_OF)
    farm_line = next(line for line in table.splitlines() if "农业实用技术" in line)
    assert "+80人次" in farm_line and "滞后 → ● 正常" in farm_line


def test_stale_target_warning_only_for_the_current_year(make_repo: MakeRepo) -> None:
    root = make_repo({"plans/2012/plan.yaml": PLAN, "plans/2012/progress/p.yaml": PROGRESS})
    repo = load_repository(root, checks=False).repo
    found = list(check_stale(CheckContext(repo, dt.date(2012, 6, 30))))
    # farm-training: 107 days since Mar 15; repay-rate: 29 days; launch: a milestone
    assert [d.key() for d in found] == [("plans/2012/plan.yaml", 11, 13, "stale-target")]
    assert (
        found[0].message
        == "目标“农业实用技术妇女骨干培训”已 107 天没有进展记录（最近一次记录是 2012-03-15）"
    )
    assert not found[0].is_error
    assert list(check_stale(CheckContext(repo, dt.date(2013, 6, 30)))) == []


def test_validate_lists_stale_targets(run_line: RunLine, make_repo: MakeRepo) -> None:
    year = dt.date.today().year
    plan = PLAN.replace("year: 2012", f"year: {year}").replace("2012-06-30", f"{year}-12-31")
    root = make_repo({f"plans/{year}/plan.yaml": plan})
    result = run_line(["-C", str(root), "validate"])
    stale = [line for line in result.stdout.splitlines() if "[stale-target]" in line]
    if (dt.date.today() - dt.date(year, 1, 1)).days > 60:
        assert len(stale) == 2 and stale[0].startswith(f"plans/{year}/plan.yaml:11:13: 警告:")
    else:
        assert stale == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_at_reads_the_committed_ledger(run_line: RunLine, repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    (repo / "plans/2012/progress/fazhan.yaml").write_text(
        PROGRESS.replace("value: 120", "value: 150"), encoding="utf-8"
    )
    _, now, _ = status(run_line, repo, "--format", "json", *AS_OF)
    _, then, _ = status(run_line, repo, "--format", "json", "--at", "HEAD", *AS_OF)
    assert json.loads(now)["targets"][0]["actual"] == 150
    assert json.loads(then)["targets"][0]["actual"] == 120


EXAMPLE = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (EXAMPLE / "plans/2012/plan.yaml").is_file(), reason="no bundled example")
def test_bundled_example(run_line: RunLine) -> None:
    code, out, err = status(run_line, EXAMPLE, "2012", "--as-of", "2012-06-30")
    assert (code, err) == (0, "")
    assert "得分 " in out and "● " in out
    code, out, _ = status(run_line, EXAMPLE, "2012", "--format", "json", "--as-of", "2012-06-30")
    document = json.loads(out)
    assert set(document) == JSON_KEYS and document["year"] == 2012
    assert document["targets"] and all(set(t) == TARGET_KEYS for t in document["targets"])


def _plan_of(year: int) -> str:
    return PLAN_2011.replace("year: 2011", f"year: {year}")


def test_default_year_is_the_plan_holding_today_not_next_years(run_line: RunLine, make_repo: MakeRepo) -> None:
    # After `fedplan new` for next year, plain status stays on this year's plan.
    this = dt.date.today().year
    root = make_repo({f"plans/{this}/plan.yaml": _plan_of(this), f"plans/{this + 1}/plan.yaml": _plan_of(this + 1)})
    code, out, err = status(run_line, root, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["year"] == this
    # Without a plan for this year, the newest.
    root = make_repo({"plans/2011/plan.yaml": _plan_of(2011), "plans/2012/plan.yaml": _plan_of(2012)}, root=root.parent / "b")
    assert json.loads(status(run_line, root, "--format", "json")[1])["year"] == 2012


def test_as_of_without_a_year_chooses_its_year(run_line: RunLine, repo: Path) -> None:
    code, out, err = status(run_line, repo, "--format", "json", "--as-of", "2011-06-30")
    assert code == 0, err
    assert json.loads(out)["year"] == 2011 and json.loads(out)["as_of"] == "2011-06-30"


def test_as_of_in_another_plans_year_suggests_that_year(run_line: RunLine, repo: Path) -> None:
    code, _, err = status(run_line, repo, "2012", "--as-of", "2011-06-30")
    assert code == 1 and "[as-of-outside-year]" in err
    assert "2011 年有工作要点：年度写 2011" in err


def test_status_accepts_the_words_the_table_prints(run_line: RunLine, repo: Path) -> None:
    _, out, _ = status(run_line, repo, "--format", "json", "--status", "已完成", "--status", "滞后", *AS_OF)
    assert [t["id"] for t in json.loads(out)["targets"]] == ["farm-training", "launch"]
    _, out, _ = status(run_line, repo, "--format", "json", "--status", "滞后、正常", *AS_OF)
    assert [t["id"] for t in json.loads(out)["targets"]] == ["farm-training", "repay-rate"]
    code, _, err = status(run_line, repo, "--status", "落后", *AS_OF)
    assert code == 2 and "“落后”不是状态" in err and "严重滞后" in err


def test_status_help_lists_every_status_word() -> None:
    from fedplan.status import STATUS_LABELS

    text = cli("status", "--help").output
    assert "、".join(STATUS_LABELS.values()) in text.replace("\n", "").replace(" ", "")
    assert "例：" in text and "--status 状态" in text and "[年度]" in text


def test_ids_column_shows_what_log_takes(run_line: RunLine, repo: Path) -> None:
    _, plain, _ = status(run_line, repo, *AS_OF)
    _, with_ids, _ = status(run_line, repo, "--ids", *AS_OF)
    assert "farm-training" not in plain
    for target_id in ("farm-training", "repay-rate", "launch"):
        assert target_id in with_ids


def test_errors_in_another_years_documents_do_not_block_this_year(run_line: RunLine, repo: Path) -> None:
    (repo / "plans/2011/plan.yaml").write_text(PLAN_2011.replace("year: 2011\n", "year: 2011\n\tx: 1\n"), encoding="utf-8")
    (repo / "plans/2013").mkdir()
    (repo / "plans/2013/plan.yaml").write_text(_plan_of(2013).replace("target: 10", "target: 1O"), encoding="utf-8")
    code, out, err = status(run_line, repo, "2012", "--format", "json", *AS_OF)
    assert code == 0, err
    assert json.loads(out)["year"] == 2012
    assert err.splitlines() == [
        "fedplan: 警告: plans/2011/plan.yaml、plans/2013/plan.yaml 中有 2 个错误，不影响本次输出；运行 fedplan validate 查看"
    ]
    result = run_line(["-C", str(repo), "report", "2012", "--format", "txt"])
    assert result.exit_code == 0 and "plans/2011/plan.yaml" in result.stderr
    # The year they belong to is refused; validate still reports both.
    code, _, err = status(run_line, repo, "2013")
    assert code == 1 and "[repository-has-errors]" in err and "2013 年的文档和设置中有 1 个错误" in err
    assert run_line(["-C", str(repo), "validate"]).exit_code == 1


def test_a_typo_in_this_years_ledger_or_the_settings_still_blocks(run_line: RunLine, repo: Path) -> None:
    (repo / "fedplan.yaml").write_text("org: 测试区妇联\nwarn_days: 十四\n", encoding="utf-8")
    code, _, err = status(run_line, repo, "2012", *AS_OF)
    assert code == 1 and "fedplan.yaml" in err and "[repository-has-errors]" in err


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_escapes_in_names_are_shown_not_obeyed(run_line: RunLine, repo: Path, fmt: str) -> None:
    plan = (repo / "plans/2012/plan.yaml").read_text(encoding="utf-8")
    first = re.search(r"name: (.+)", plan)
    assert first is not None
    plan = plan.replace(first[0], 'name: "\\e[2J\\x9b清屏\\u202e"', 1)
    (repo / "plans/2012/plan.yaml").write_text(plan, encoding="utf-8")
    code, out, err = status(run_line, repo, "2012", *(["--format", "json"] if fmt == "json" else []))
    assert code == 0, err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out), repr(out)
    if fmt == "table":
        assert "\u241b[2J" in out
    else:
        assert any("\x1b[2J\x9b清屏\u202e" in str(v) for t in json.loads(out)["targets"] for v in t.values())
