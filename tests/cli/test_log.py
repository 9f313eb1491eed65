"""fedplan log: checked against the repository first, written atomically, never rewriting a byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import Result

from fedplan import logbook
from fedplan.commands import log as log_command
from fedplan.diagnostics import FedplanError
from fedplan.repo import load_repository
from tests.conftest import MakeRepo, fedplan_in, item, plan, section, target

PLAN = plan(
    section(
        item("shuangxue", "owner: 发展部", targets=[target("farm-training"), target("gang", id="gangwei")]),
        item("weiquan", "owner: 权益部", title="维护妇女儿童合法权益", targets=[target("launch", id="two-plans-launch")]),
        item("volunteer", title="巾帼志愿服务", targets=[target("repay-rate")]),
        title="以服务群众为主题，进一步引领妇女参与经济社会发展",
    ),
    org="金川区妇联",
)

# CRLF line endings, comments everywhere, quoting of every kind, a flow-style entry.
LEDGER = (
    "# 发展部进展台账\r\n"
    "kind: 'progress'   # 类型\r\n"
    "year: 2012\r\n"
    "entries:\r\n"
    "  # —— 农业实用技术培训 ——\r\n"
    "  - date: 2012年3月15日\r\n"
    "    target: \"farm-training\"\r\n"
    "    value: 120          # 第一期\r\n"
    "    note: '举办第一期培训班，''骨干''班'\r\n"
    "  - {date: 2012-05-20, target: farm-training, value: 100, note: \"第二期 \\u00b7 双湾镇\"}\r\n"
    "  - date: 2012-06-01\r\n"
    "    item: shuangxue\r\n"
    "    note: >-\r\n"
    "      折叠的\r\n"
    "      说明\r\n"
    "    # 待核实\r\n"
).encode()
LEDGER_PATH = "plans/2012/progress/fazhanbu.yaml"


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo({"fedplan.yaml": "org: 金川区妇联\n", "plans/2012/plan.yaml": PLAN, LEDGER_PATH: LEDGER})


def log(root: Path, *args: str) -> Result:
    return fedplan_in(root, "log", *args)


def test_keeps_every_byte_and_matches_crlf(repo: Path) -> None:
    result = log(repo, "farm-training", "100", "--date", "2012-07-06", "--note", "第三期: 增设网络营销课程", "--by", "发展部")
    assert result.exit_code == 0, result.output
    new = (repo / LEDGER_PATH).read_bytes()
    assert new == LEDGER + (
        "  - date: 2012-07-06\r\n"
        "    target: farm-training\r\n"
        "    value: 100\r\n"
        '    note: "第三期: 增设网络营销课程"\r\n'
        "    by: 发展部\r\n"
    ).encode()
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert not load_repository(repo).has_errors
    assert result.stdout.splitlines() == [
        f"已记入 {LEDGER_PATH}：2012-07-06 farm-training",
        "farm-training 农业实用技术妇女骨干培训：320/300 人次（106.7%）已完成",
    ]


def test_file_without_final_newline(repo: Path) -> None:
    (repo / LEDGER_PATH).write_bytes(LEDGER.rstrip(b"\r\n"))
    assert log(repo, "farm-training", "5", "--date", "2012-07-06").exit_code == 0
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER + (
        b"  - date: 2012-07-06\r\n    target: farm-training\r\n    value: 5\r\n"
    )


def test_milestone_and_item_entries(repo: Path) -> None:
    done = log(repo, "two-plans-launch", "--done", "--date", "2012-05-20")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[-1] == "two-plans-launch 召开全区“两规划”启动大会：已完成"
    note = log(repo, "volunteer", "--note", "组织巾帼志愿者开展“送温暖献爱心”活动", "--date", "2012-03-08")
    assert note.exit_code == 0, note.output
    assert (repo / "plans/2012/progress/ledger.yaml").read_text(encoding="utf-8").endswith(
        "  - date: 2012-03-08\n    item: volunteer\n    note: 组织巾帼志愿者开展“送温暖献爱心”活动\n"
    )
    assert not load_repository(repo).has_errors


def test_percent_status_line(repo: Path) -> None:
    result = log(repo, "repay-rate", "98.5", "--date", "2012-06-30")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("repay-rate 妇女小额贷款还贷率：98.5/100%（98.5%）")


@pytest.mark.parametrize(
    ("args", "code", "hint"),
    [
        (["farm-trainng", "5", "--date", "2012-07-01"], "unknown-target", "farm-training（农业实用技术妇女骨干培训）"),
        (["farm-training", "300人次", "--date", "2012-07-01"], "bad-value", "写 300；单位“人次”"),
        (["farm-training", "许多", "--date", "2012-07-01"], "bad-value", ""),
        (["farm-training", "1e3", "--date", "2012-07-01"], "bad-value", "写 1000"),
        (["farm-training", "1e13", "--date", "2012-07-01"], "bad-value", "10^12"),
        (["farm-training", "99999999999999", "--date", "2012-07-01"], "number-magnitude", ""),
        (["farm-training", "0.0000001", "--date", "2012-07-01"], "number-magnitude", ""),
        (["two-plans-launch", "1", "--date", "2012-07-01"], "value-on-milestone", "--done"),
        (["farm-training", "--done", "--date", "2012-07-01"], "done-on-numeric", ""),
        (["shuangxue", "5", "--date", "2012-07-01"], "value-on-item", "farm-training"),
        (["farm-training", "5", "--date", "2013-01-05"], "no-plan", "2012"),
        (["farm-training", "5"], "date-outside-year", "--date 2012-12-31"),  # today is not in 2012
        (["farm-training", "5", "--date", "2012-07-01", "--file", "plans/2012/plan.yaml"], "not-a-ledger", ""),
        (["farm-training", "5", "--date", "2012-07-01", "--file", "elsewhere.yaml"], "ledger-outside-plans", ""),
    ],
)
def test_refusals_leave_the_file_byte_identical(repo: Path, args: list[str], code: str, hint: str) -> None:
    if args[-1] == "plans/2012/plan.yaml":
        args[-1] = str(repo / args[-1])
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    result = log(repo, *args)
    assert result.exit_code in (1, 2)
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.output
    assert hint in result.stderr
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_invalid_by_the_repository_checks_is_refused_with_the_diagnostic(repo: Path) -> None:
    # The 2012 entry is fine on its own; in a ledger whose year is 2013 it is an error that
    # only the whole-repository check sees.
    other = repo / "plans/2012/progress/wrong-year.yaml"
    other.write_bytes(b"kind: progress\r\nyear: 2013\r\nentries: []\r\n")
    result = log(repo, "farm-training", "5", "--date", "2012-07-01", "--file", str(other))
    assert result.exit_code == 1
    assert "plans/2012/progress/wrong-year.yaml:4:11: 错误:" in result.stderr
    assert "[date-outside-year]" in result.stderr
    assert "[entry-rejected]" in result.stderr
    assert other.read_bytes() == b"kind: progress\r\nyear: 2013\r\nentries: []\r\n"


def test_crash_between_write_and_rename_keeps_the_old_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[write-failed]" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER
    assert sorted(p.name for p in (repo / "plans/2012/progress").iterdir()) == ["fazhanbu.yaml"]


def test_refuses_when_the_file_changed_since_it_was_read(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check = logbook.year_checked

    def check_and_meddle(*args: object, **kwargs: object) -> object:
        if kwargs.get("overrides") or kwargs.get("documents"):  # checking with the entry in: someone saves the file meanwhile
            (repo / LEDGER_PATH).write_bytes(LEDGER + b"# edited\r\n")
        return check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(logbook, "year_checked", check_and_meddle)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[file-changed]" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER + b"# edited\r\n"


@pytest.mark.skipif(os.name != "posix", reason="the save is watched through the rename on POSIX only")
@pytest.mark.parametrize("save", ["append", "rewrite"])
def test_a_save_landing_between_the_check_and_the_rename_is_kept(repo: Path, monkeypatch: pytest.MonkeyPatch, save: str) -> None:
    """An editor (no lock) saving just after log compared the file and before its rename
    saves into the file the rename replaces: an append is kept after the new entry, any
    other save is put back in place and the entry not written (file-changed)."""
    from fedplan import fsutil

    ledger = repo / LEDGER_PATH
    real = os.replace
    edited = LEDGER + b"# \xe7\xbc\x96\xe8\xbe\x91\xe5\x99\xa8\r\n" if save == "append" else LEDGER.replace(b"2012", b"2012", 1)[:-40] + b"\r\n"

    def replace(source: str, target: str) -> None:
        if Path(target) == ledger and ledger.read_bytes() == LEDGER:  # the window: the editor saves
            if save == "append":
                with ledger.open("ab") as handle:
                    handle.write(edited[len(LEDGER) :])
            else:
                with ledger.open("r+b") as handle:
                    handle.write(edited)
                    handle.truncate()
        real(source, target)

    monkeypatch.setattr(fsutil.os, "replace", replace)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01", "--note", "窗口中的记录")
    monkeypatch.undo()
    text = ledger.read_bytes()
    if save == "append":
        assert result.exit_code == 0, result.stderr
        assert text.startswith(LEDGER) and "窗口中的记录".encode() in text and text.endswith(edited[len(LEDGER) :])
        assert fedplan_in(repo, "validate").exit_code == 0
    else:
        assert result.exit_code == 1 and "[file-changed]" in result.stderr
        assert text == edited


def test_default_ledger_rules(repo: Path) -> None:
    # Rule 2: the file already holding this target's entries.
    assert log(repo, "farm-training", "1", "--date", "2012-07-01").exit_code == 0
    assert (repo / LEDGER_PATH).read_bytes() != LEDGER
    # Rule 3: no entry for gangwei yet, but fazhanbu.yaml holds 发展部's entries.
    assert log(repo, "gangwei", "2", "--date", "2012-07-01").exit_code == 0
    assert (repo / LEDGER_PATH).read_bytes().endswith(b"    target: gangwei\r\n    value: 2\r\n")
    # Rule 4: 权益部 has no ledger yet: its own file is created, with a header.
    assert log(repo, "two-plans-launch", "--done", "--date", "2012-06-20").exit_code == 0
    created = (repo / "plans/2012/progress/权益部.yaml").read_text(encoding="utf-8")
    assert created.startswith("# 2012年权益部的进展台账（由 fedplan log 创建，可以手工编辑）。\n")
    assert created.endswith("kind: progress\nyear: 2012\nentries:\n  - date: 2012-06-20\n    target: two-plans-launch\n    done: true\n")
    # An item without an owner goes to ledger.yaml.
    assert log(repo, "repay-rate", "99", "--date", "2012-06-20").exit_code == 0
    assert (repo / "plans/2012/progress/ledger.yaml").is_file()
    assert not load_repository(repo).has_errors


def test_file_relative_to_the_root_with_dash_c(repo: Path) -> None:
    result = log(repo, "farm-training", "5", "--date", "2012-07-01", "--file", "plans/2012/progress/其他.yaml")
    assert result.exit_code == 0, result.output
    assert (repo / "plans/2012/progress/其他.yaml").read_bytes().endswith(b"    target: farm-training\n    value: 5\n")


def test_year_defaults_to_the_newest_plan_and_date_must_fit(repo: Path) -> None:
    with pytest.raises(FedplanError) as caught:
        log_command.run(
            repo, target="farm-training", value="5", done=False, date=None, note=None, by=None, file=None
        )
    assert caught.value.code == "date-outside-year"


@pytest.mark.parametrize(
    ("text", "number"), [("120", 120), ("12.5", 12.5), ("1,200", 1200), ("３００", 300), ("-5", -5), ("300.0", 300.0)]
)
def test_parse_value(text: str, number: float) -> None:
    parsed = logbook.parse_value(text, "人次")
    assert parsed == number and type(parsed) is type(number)


def test_a_small_decimal_is_written_as_yaml_reads_it_back(repo: Path) -> None:
    """0.000001 was written as 1e-06, which YAML 1.1 reads as text, so log refused its own entry."""
    result = log(repo, "farm-training", "0.000001", "--date", "2012-07-01")
    assert result.exit_code == 0, result.output
    ledger = next(p for p in (repo / "plans/2012/progress").glob("*.yaml") if "0.000001" in p.read_text("utf-8"))
    assert "value: 0.000001\n" in ledger.read_text("utf-8")


def test_total_writes_the_increment_worked_out_from_the_ledger(repo: Path) -> None:
    # The ledger holds 120 + 100 by May 20: a running total of 260 on June 1 is 40 more.
    result = log(repo, "farm-training", "--total", "260", "--date", "2012-06-01")
    assert result.exit_code == 0, result.output
    assert (repo / LEDGER_PATH).read_bytes().endswith(
        b"  - date: 2012-06-01\r\n    target: farm-training\r\n    value: 40\r\n"
    )
    assert result.stdout.splitlines()[0] == f"已记入 {LEDGER_PATH}：2012-06-01 farm-training 本次 40（按累计 260 算出）"
    assert result.stdout.splitlines()[1].startswith("farm-training 农业实用技术妇女骨干培训：260/300 人次")


def test_total_counts_only_entries_up_to_its_date(repo: Path) -> None:
    # On April 1 only the March entry (120) is in: a total of 150 is 30 more.
    assert log(repo, "farm-training", "--total", "150.5", "--date", "2012-04-01").exit_code == 0
    assert (repo / LEDGER_PATH).read_bytes().endswith(b"    value: 30.5\r\n")


def test_total_of_a_latest_target_is_the_figure_itself(repo: Path) -> None:
    assert log(repo, "repay-rate", "--total", "97", "--date", "2012-06-30").exit_code == 0
    assert (repo / "plans/2012/progress/ledger.yaml").read_text(encoding="utf-8").endswith("    value: 97\n")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["farm-training", "--total", "220", "--date", "2012-06-01"], "total-unchanged"),
        (["farm-training", "5", "--total", "260", "--date", "2012-06-01"], "value-and-total"),
        (["two-plans-launch", "--total", "1", "--date", "2012-06-01"], "total-on-non-numeric"),
    ],
)
def test_total_refusals(repo: Path, args: list[str], code: str) -> None:
    result = log(repo, *args)
    assert result.exit_code in (1, 2) and f"[{code}]" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER


def test_a_negative_correction_needs_no_double_dash(repo: Path) -> None:
    result = log(repo, "farm-training", "-20", "--date", "2012-06-01", "--note", "更正：重复计入")
    assert result.exit_code == 0, result.output
    assert (repo / LEDGER_PATH).read_bytes().endswith("    value: -20\r\n    note: 更正：重复计入\r\n".encode())
    assert "200/300" in result.stdout


def test_a_mistyped_option_next_to_a_negative_number_is_still_named(repo: Path) -> None:
    result = log(repo, "farm-training", "-20", "--nte", "x", "--date", "2012-06-01")
    assert result.exit_code == 2
    assert "没有选项 --nte" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER


def test_help_says_a_value_is_an_increment_and_shows_examples(repo: Path) -> None:
    text = log(repo, "--help").stdout
    assert "用法：fedplan log [选项] 目标 [数值]" in text
    assert "本次新增的完成数，不是累计数" in text and "--total 累计数" in text
    assert "fedplan log farm-training -20" in text and "例：" in text


def test_a_plan_saved_as_gbk_is_named_not_missing(repo: Path) -> None:
    (repo / "plans/2012/plan.yaml").write_bytes(PLAN.encode("gbk"))
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[encoding-gbk]" in result.stderr and "没有 2012 年的工作要点" not in result.stderr
    assert "plans/2012/plan.yaml" in result.stderr and "GBK" in result.stderr
    assert "iconv" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER


def test_checks_only_the_year_it_writes_and_each_file_is_read_once(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other years' files are not even read (their year line says which year they are); a
    problem in another year neither blocks the entry nor is reported as new."""
    from fedplan import checks
    from fedplan import repo as repo_module

    (repo / "plans/2011/plan.yaml").parent.mkdir(parents=True)
    (repo / "plans/2011/plan.yaml").write_text(PLAN.replace("2012", "2011"), encoding="utf-8")
    (repo / "plans/2011/progress.yaml").write_text(
        "kind: progress\nyear: 2011\nentries:\n  - {date: 2011-03-01, target: nowhere, value: 1}\n", encoding="utf-8"
    )
    scopes: list[set[int]] = []
    real_checks = checks.run_checks

    def recording(scope: object, **kwargs: object) -> object:
        scopes.append({p.year for p in scope.plans})  # type: ignore[attr-defined]
        return real_checks(scope, **kwargs)  # type: ignore[arg-type]

    reads: list[tuple[str, bytes]] = []
    real_read = repo_module.read
    monkeypatch.setattr(checks, "run_checks", recording)
    monkeypatch.setattr(
        repo_module, "read", lambda rel, data, **kw: reads.append((rel, data)) or real_read(rel, data, **kw)
    )
    result = fedplan_in(repo, "--no-cache", "log", "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 0, result.stderr
    assert "nowhere" not in result.stderr
    assert scopes == [{2012}]  # once, with the entry in, the year only
    assert sorted(rel for rel, _ in reads) == sorted(["fedplan.yaml", "plans/2012/plan.yaml", LEDGER_PATH, LEDGER_PATH])
    # The ledger is read whole once; what is read again is its last entry and the new one.
    ledger_reads = [data for rel, data in reads if rel == LEDGER_PATH]
    assert ledger_reads[0] == LEDGER
    assert "第一期".encode() not in ledger_reads[1] and b"2012-07-01" in ledger_reads[1]


@pytest.mark.parametrize("old_warning", [False, True])
def test_the_year_is_checked_once_unless_a_problem_outside_the_new_lines_needs_telling_apart(
    repo: Path, monkeypatch: pytest.MonkeyPatch, old_warning: bool
) -> None:
    """With the entry in, the year is checked once; a problem found elsewhere may have been
    there before, and only then are the checks that report it run on the year as it was, to
    tell: the old warnings are not reported as the new entry's, its own warning is."""
    from fedplan import checks

    # In 2013 nothing of 2012 is stale; on 2012-08-01 three targets are, and an entry
    # already in the ledger is dated after today.
    monkeypatch.setenv("FEDPLAN_TODAY", "2012-08-01" if old_warning else "2013-06-01")
    if old_warning:
        with (repo / LEDGER_PATH).open("ab") as ledger_file:
            ledger_file.write(b"  - {date: 2012-09-01, target: farm-training, value: 1}\r\n")
    runs: list[set[str]] = []
    real_checks = checks.run_checks

    def recording(*args: object, **kwargs: object) -> object:
        runs.append({c.name for c in kwargs["checks"]})  # type: ignore[attr-defined]
        return real_checks(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "run_checks", recording)
    result = log(repo, "farm-training", "5", "--date", "2012-10-01")
    assert result.exit_code == 0, result.stderr
    every = {c.name for c in checks.CHECKS}
    assert runs == ([every, {"check_entries", "check_stale"}] if old_warning else [every])
    assert ("[future-date]" in result.stderr) is old_warning and "[stale-target]" not in result.stderr
    assert "2012-09-01" not in result.stderr


def test_a_long_ledger_is_appended_to_reading_its_first_and_last_entries(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The append reads the ledger's first entry and its last, not the hundreds between;
    the file gets exactly the bytes appending to the whole gives."""
    import datetime as dt

    from fedplan import ledger
    from fedplan.model import Entry

    many = b"".join(b"  - {date: 2012-04-%02d, target: farm-training, value: 1}\r\n" % (n % 28 + 1) for n in range(500))
    (repo / LEDGER_PATH).write_bytes(LEDGER + many)
    entry = Entry(path=LEDGER_PATH, date=dt.date(2012, 7, 1), target="farm-training", value=5)
    expected = ledger.append_entries(LEDGER + many, [entry], path=LEDGER_PATH)  # appending to the whole
    read: list[int] = []
    real_append = ledger.append_entries
    monkeypatch.setattr(ledger, "append_entries", lambda data, *a, **k: read.append(len(data)) or real_append(data, *a, **k))
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 0, result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == expected
    assert read and max(read) < len(LEDGER) + 200  # the head, the first entry and the last


def test_an_entry_appended_between_the_read_and_the_lock_is_kept_and_read_from_the_tail(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another log appends while this one waits for the lock: the entry goes after it, and
    what the other added is read from the file's tail — the year is still checked once, no
    second model of the ledger is made."""
    import datetime as dt

    from fedplan import checks, ledger
    from fedplan.model import Entry

    monkeypatch.setenv("FEDPLAN_TODAY", "2013-06-01")  # nothing is stale, nothing in the future
    other = b"  - {date: 2012-06-15, target: farm-training, value: 7}\r\n"
    real_locked = logbook.locked

    def after_another_log(path: Path, **kwargs: object) -> object:
        with (repo / LEDGER_PATH).open("ab") as ledger_file:
            ledger_file.write(other)
        return real_locked(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(logbook, "locked", after_another_log)
    runs: list[int] = []
    real_checks = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(1) or real_checks(*a, **k))
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 0, result.stderr
    entry = Entry(path=LEDGER_PATH, date=dt.date(2012, 7, 1), target="farm-training", value=5)
    assert (repo / LEDGER_PATH).read_bytes() == ledger.append_entries(LEDGER + other, [entry], path=LEDGER_PATH)
    assert runs == [1]
    assert "232/" in result.stdout  # 120 + 100 + 7 + 5: the other entry counts in the status


def test_the_ledger_written_is_kept_in_the_parse_cache_as_a_fresh_read_gives_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a log, the next command takes the ledger from the cache, not reading it again
    (a large ledger appended to by one log after another was read whole by each), and finds
    exactly what reading the file gives."""
    import datetime as dt

    from fedplan import parsecache
    from fedplan import repo as repo_module

    # Long enough for the cache to keep (an entry is never bigger than its file), with a
    # problem of its own (a key written twice) that the cache must keep too.
    many = b"".join(b"  - {date: 2012-04-%02d, target: farm-training, value: 1, note: \xe7\xac\xac%d}\r\n" % (n % 28 + 1, n)
                    for n in range(300))
    (repo / LEDGER_PATH).write_bytes(LEDGER + b"  - {date: 2012-06-02, target: farm-training, value: 1, value: 2}\r\n" + many)
    assert log(repo, "farm-training", "5", "--date", "2012-07-01").exit_code == 0
    assert parsecache.enabled()  # the command line turned it on
    real_read = repo_module.read

    def not_the_ledger(rel: str, data: bytes, **kwargs: object) -> object:
        assert rel != LEDGER_PATH, "the ledger was read again"
        return real_read(rel, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repo_module, "read", not_the_ledger)
    cached = load_repository(repo, today=dt.date(2013, 1, 1), checks=False)
    monkeypatch.setattr(repo_module, "read", real_read)
    parsecache.turn_on(False)
    uncached = load_repository(repo, today=dt.date(2013, 1, 1), checks=False)
    assert cached.diagnostics == uncached.diagnostics
    assert [d.code for d in cached.diagnostics] == ["duplicate-key"]
    ledger, = (p for p in cached.repo.progress if p.path == LEDGER_PATH)
    again, = (p for p in uncached.repo.progress if p.path == LEDGER_PATH)
    assert ledger == again and len(ledger.entries) == 3 + 300 + 1 + 1
    assert [(e.pos, dict(e.spans)) for e in ledger.entries] == [(e.pos, dict(e.spans)) for e in again.entries]


@pytest.mark.parametrize("wrong", ["an old entry changed", "the new entry changed"])
def test_an_append_that_does_not_read_back_as_the_old_entries_and_the_new_one_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch, wrong: str
) -> None:
    """The bytes log would write must read back as every entry that was there followed by
    the new one; an append that changed anything else (here made wrong on purpose) is
    refused with nothing written, though the file it would write is a valid ledger."""
    real_append = logbook.appended

    def wrong_append(data: bytes, *args: object, **kwargs: object) -> tuple[int, bytes]:
        kept, rest = real_append(data, *args, **kwargs)  # type: ignore[arg-type]
        if wrong == "an old entry changed":
            return 0, data[:kept].replace(b"value: 100,", b"value: 90,", 1) + rest
        return kept, rest.replace(b"value: 5\r\n", b"value: 6\r\n")

    monkeypatch.setattr(logbook, "appended", wrong_append)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[ledger-layout]" in result.stderr and "不符" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER


def test_a_ledger_in_the_years_folder_that_says_another_year_is_read_before_writing(repo: Path) -> None:
    # The ledger log would choose by its folder (plans/2012/progress/发展部.yaml) says year
    # 2013: skipped by the one-year read, it is read after all, and the entry refused as
    # validate would refuse it — never appended unchecked.
    (repo / LEDGER_PATH).unlink()
    other = repo / "plans/2012/progress/发展部.yaml"
    other.write_text("kind: progress\nyear: 2013\nentries: []\n", encoding="utf-8")
    result = fedplan_in(repo, "--no-cache", "log", "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "未作任何改动" in result.stderr and "2013" in result.stderr
    assert other.read_text(encoding="utf-8") == "kind: progress\nyear: 2013\nentries: []\n"


def test_without_a_plan_this_year_the_latest_year_is_chosen_and_other_years_named(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No --date: this year's plan decides; without one, the latest plan's year (so every
    # plan is read); with no plan for --date's year, the years that have one are named.
    (repo / "plans/2010/plan.yaml").parent.mkdir(parents=True)
    (repo / "plans/2010/plan.yaml").write_text(PLAN.replace("2012", "2010"), encoding="utf-8")
    monkeypatch.setenv("FEDPLAN_TODAY", "2015-03-01")
    result = fedplan_in(repo, "--no-cache", "log", "farm-training", "5")
    assert result.exit_code == 1 and "不在 2012 年度内" in result.stderr
    result = fedplan_in(repo, "--no-cache", "log", "farm-training", "5", "--date", "2011-05-01")
    assert result.exit_code == 1
    assert "没有 2011 年的工作要点" in result.stderr and "2010、2012" in result.stderr


def test_load_files_for_one_year_skips_the_files_of_other_years(make_repo: MakeRepo) -> None:
    from fedplan.repo import load_files

    files = {
        "plans/2011/progress.yaml": b"kind: progress\nyear: 2011\nentries: [\n",  # broken, not read
        "plans/2012/plan.yaml": PLAN.encode(),
        "plans/x.yaml": "kind: proposal\ntitle: 建议\n".encode(),  # no year: read
        "plans/two.yaml": b"kind: progress\nyear: 2011\nyear: 2012\nentries: []\n",  # unclear: read
    }
    loaded = load_files(make_repo({}), files, checks=False, year=2012)
    assert loaded.skipped == {"plans/2011/progress.yaml"}
    assert "plans/2011/progress.yaml" not in {d.pos.path for d in loaded.diagnostics}
    assert "duplicate-key" in {d.code for d in loaded.diagnostics if d.pos.path == "plans/two.yaml"}
    assert set(loaded.sources) == {"plans/2012/plan.yaml", "plans/x.yaml", "plans/two.yaml"}
    assert [p.year for p in loaded.repo.plans] == [2012]


# --- the ledger transaction under attack -------------------------------------------------


def test_parallel_logs_and_an_editor_lose_nothing(repo: Path) -> None:
    """N fedplan log processes at once on one ledger, while an editor keeps saving it, then N
    more once it has closed: every entry a process reported as written is in the file, every
    editor save is too, each refusal says file-changed, and the file is valid. (Without the
    lock, 10 concurrent runs lost 10 of 43 entries.) The second batch keeps the test from
    passing on refusals alone: on a fast run every process of the first may meet a save."""
    import subprocess
    import sys
    import threading
    import time

    ledger = repo / LEDGER_PATH
    runs = 6
    env = {**os.environ, "FEDPLAN_LOCK_TIMEOUT": "120"}

    def start(n: int) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "fedplan", "-C", str(repo), "log", "farm-training", "1",
             "--date", f"2012-08-{n + 1:02d}", "--note", f"并发{n}", "--file", LEDGER_PATH],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )

    procs = [start(n) for n in range(runs)]
    saves: list[str] = []
    stop = threading.Event()

    def editor() -> None:
        # An editor saving in place (no lock), appending a line to what it has open.
        n = 0
        while not stop.is_set() and n < 30:
            line = f"# 编辑器保存{n}\r\n"
            with ledger.open("ab") as handle:
                handle.write(line.encode())
            saves.append(line)
            n += 1
            time.sleep(0.05)

    thread = threading.Thread(target=editor)
    thread.start()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        results.append((p.returncode, out.decode(), err.decode()))
    stop.set()
    thread.join()
    after = [start(n) for n in range(runs, 2 * runs)]  # the editor closed: nothing to refuse
    for p in after:
        out, err = p.communicate(timeout=120)
        results.append((p.returncode, out.decode(), err.decode()))
    text = ledger.read_bytes().decode()
    written = [n for n, (code, out, _) in enumerate(results) if code == 0 and "已记入" in out]
    for n, (code, out, err) in enumerate(results):
        assert "Traceback" not in err, err
        if n not in written:  # refused, never silently: the editor saved in between
            assert n < runs and code == 1 and "[file-changed]" in err, (code, out, err)
    assert set(range(runs, 2 * runs)) <= set(written), results
    for n in written:
        assert f"note: 并发{n}" in text
    for line in saves:
        assert line in text
    loaded = load_repository(repo)
    assert not loaded.has_errors, loaded.errors()
    assert [p.name for p in ledger.parent.iterdir()] == ["fazhanbu.yaml"]  # no lock or temp file left


def test_parallel_logs_without_an_editor_all_succeed(repo: Path) -> None:
    import subprocess
    import sys

    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "fedplan", "-C", str(repo), "log", "farm-training", "1",
             "--date", f"2012-09-{n + 1:02d}", "--note", f"第{n}次"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for n in range(3)
    ]
    done = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 3, done
    text = (repo / LEDGER_PATH).read_text(encoding="utf-8")
    assert all(f"note: 第{n}次" in text for n in range(3))


def test_an_editor_save_just_before_the_rename_is_not_overwritten(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fedplan import fsutil

    real = fsutil._stage

    def stage_then_edit(*args: object) -> object:
        staged = real(*args)  # type: ignore[arg-type]
        (repo / LEDGER_PATH).write_bytes(LEDGER + b"# saved by WPS\r\n")
        return staged

    monkeypatch.setattr(fsutil, "_stage", stage_then_edit)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[file-changed]" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER + b"# saved by WPS\r\n"
    assert sorted(p.name for p in (repo / "plans/2012/progress").iterdir()) == ["fazhanbu.yaml"]


def test_a_held_lock_times_out_naming_the_holder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fedplan.fsutil import locked

    monkeypatch.setenv("FEDPLAN_LOCK_TIMEOUT", "0.2")
    with locked(repo / LEDGER_PATH):
        result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[ledger-locked]" in result.stderr
    assert f"进程 {os.getpid()}" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER


def test_a_symlinked_ledger_is_written_through(repo: Path) -> None:
    real = repo / "plans/2012/progress/real.yaml.txt"
    (repo / LEDGER_PATH).rename(real)
    (repo / LEDGER_PATH).symlink_to("real.yaml.txt")
    assert log(repo, "farm-training", "5", "--date", "2012-07-01").exit_code == 0
    assert (repo / LEDGER_PATH).is_symlink()
    assert real.read_bytes().startswith(LEDGER) and b"value: 5" in real.read_bytes()


def test_a_ledger_linked_outside_the_repository_is_not_written(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes(LEDGER)
    (repo / LEDGER_PATH).unlink()
    (repo / LEDGER_PATH).symlink_to(outside)
    for extra in ([], ["--file", LEDGER_PATH]):
        log(repo, "farm-training", "5", "--date", "2012-07-01", *extra)
        assert outside.read_bytes() == LEDGER


def test_a_read_only_ledger_is_refused(repo: Path) -> None:
    (repo / LEDGER_PATH).chmod(0o444)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "[read-only-file]" in result.stderr and "只读" in result.stderr
    assert (repo / LEDGER_PATH).read_bytes() == LEDGER


def test_an_unreadable_ledger_is_a_clear_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "fazhanbu.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = log(repo, "farm-training", "5", "--date", "2012-07-01", "--file", LEDGER_PATH)
    assert result.exit_code == 1
    assert "无法读取" in result.stderr and "Traceback" not in result.output


def test_a_killed_logs_temp_file_is_cleaned_by_the_next(repo: Path) -> None:
    leftover = repo / "plans/2012/progress/.fazhanbu.yaml.k1ll.fedplan-tmp"
    leftover.write_bytes(b"half")
    os.utime(leftover, (1e9, 1e9))
    assert [d.code for d in load_repository(repo).diagnostics] == ["leftover-temp-file"]
    assert log(repo, "farm-training", "5", "--date", "2012-07-01").exit_code == 0
    assert not leftover.exists()


def test_escapes_typed_on_the_command_line_are_shown_not_obeyed(repo: Path) -> None:
    result = log(repo, "\x1b[2Jfarm", "5", "--date", "2012-07-01")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u241b[2Jfarm" in result.stderr
