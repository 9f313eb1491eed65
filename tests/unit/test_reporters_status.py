"""fedplan.reporters.status on its own: a PlanStatus in, the JSON, CSV and terminal table out
(the command-line tests go through fedplan status; these need no command at all)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from fedplan.repo import load_files
from fedplan.reporters import status as reporter
from fedplan.reporters.terminal import Console
from fedplan.status import PlanStatus, repository_status
from tests.conftest import PLAN_2012, PLAN_PATH

LEDGER = """\
kind: progress
year: 2012
entries:
  - {date: 2012-03-15, target: farm-training, value: 120}
  - {date: 2012-05-20, target: launch, done: true}
"""


@pytest.fixture(scope="module")
def shown() -> PlanStatus:
    files = {PLAN_PATH: PLAN_2012.encode(), "plans/2012/progress/a.yaml": LEDGER.encode()}
    loaded = load_files(Path("/nonexistent"), files, today=dt.date(2012, 6, 30))
    assert not loaded.has_errors
    plan = loaded.repo.plans[0]
    return repository_status(loaded.repo, plan, as_of=dt.date(2012, 6, 30))


def test_json_carries_every_target_with_its_figures(shown: PlanStatus) -> None:
    data = json.loads(reporter.as_json(shown))
    assert (data["year"], data["as_of"], data["org"]) == (2012, "2012-06-30", "测试区妇联")
    rows = {t["id"]: t for t in data["targets"]}
    assert rows["farm-training"]["actual"] == 120 and rows["farm-training"]["target"] == 300
    assert rows["farm-training"]["percent"] == pytest.approx(40.0)
    assert rows["launch"]["status"] == "done"


def test_csv_has_the_chinese_header_and_one_row_per_target(shown: PlanStatus) -> None:
    rows = list(csv.reader(io.StringIO(reporter.as_csv(shown))))
    assert tuple(rows[0]) == reporter.CSV_HEADER
    by_id = {row[3]: row for row in rows[1:]}
    assert set(by_id) == {"farm-training", "launch"}
    assert by_id["farm-training"][7] == "120" and by_id["launch"][7] == "是"


def test_table_names_each_target_and_the_score_line(shown: PlanStatus) -> None:
    out = io.StringIO()
    reporter.print_table(shown, console=Console(out, width=100, color=False))
    text = out.getvalue()
    assert "农业实用技术妇女骨干培训" in text and "召开全区“两规划”启动大会" in text
    assert "一、" in text  # grouped under the section
    assert text.rstrip().splitlines()[-1].strip()  # the summary line closes the table


@pytest.mark.parametrize("width", [80, 90, 100, 110, 120, 140])
def test_compare_table_shows_every_status_whole(shown: PlanStatus, width: int) -> None:
    files = {PLAN_PATH: PLAN_2012.encode(), "plans/2012/progress/a.yaml": LEDGER.encode()}
    loaded = load_files(Path("/nonexistent"), files, today=dt.date(2012, 6, 30))
    before = repository_status(loaded.repo, loaded.repo.plans[0], as_of=dt.date(2012, 3, 1))
    out = io.StringIO()
    reporter.print_table(
        shown, before=before, rev="上半年", console=Console(out, width=width, color=False)
    )
    lines = out.getvalue().splitlines()
    assert all(cell_len(line) <= width for line in lines)
    earlier = {t.id: t for t in before.targets}
    for t in shown.targets:
        word = reporter._status_cell(t, earlier[t.id]).plain.split("\n")[0]
        row = [line for line in lines if line.rstrip().endswith(word)]
        assert row, f"{word!r} cut at {width} columns:\n" + "\n".join(lines)
    assert any("→" in line for line in lines)  # some status did change
    header = lines[1]
    assert "指标" in header and "状态" in header
