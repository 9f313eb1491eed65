"""fedplan new: next year's plan from an earlier one — comments kept, dates moved, never overwriting."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from fedplan.repo import load_repository
from tests.conftest import fedplan_in

EXAMPLE = Path(__file__).resolve().parents[2]


def run(root: Path, *args: str) -> Result:
    return fedplan_in(root, "new", *args)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example repository at the top of this project (plans/ and fedplan.yaml)."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE / "plans", root / "plans")
    shutil.copy(EXAMPLE / "fedplan.yaml", root / "fedplan.yaml")
    return root


def test_new_2013_from_2012_on_the_example_validates(example: Path) -> None:
    result = run(example, "2013", "--from", "2012")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已生成 plans/2013/plan.yaml（以 2012 年计划为底：")
    loaded = load_repository(example)
    assert [d for d in loaded.diagnostics if d.pos.path == "plans/2013/plan.yaml"] == []
    assert not loaded.has_errors
    old, new = loaded.repo.plan_for(2012), loaded.repo.plan_for(2013)
    assert old is not None and new is not None
    assert new.title == "金川区妇联2013年工作要点"
    assert [s.title for s in new.sections] == [s.title for s in old.sections]
    assert [(i.id, i.owner, i.partners) for _, i in new.items()] == [(i.id, i.owner, i.partners) for _, i in old.items()]
    pairs = list(zip(old.targets(), new.targets(), strict=True))
    for (_, _, before), (_, _, after) in pairs:
        assert (after.id, after.name, after.target, after.unit, after.points, after.measure) == (
            before.id, before.name, before.target, before.unit, before.points, before.measure
        )
        if before.due is not None:
            assert after.due == before.due.replace(year=2013)
    assert loaded.repo.entries_for(2013) == ()
    # Every comment of the 2012 plan is still there, in order.
    comments = [line for line in (example / "plans/2012/plan.yaml").read_text(encoding="utf-8").splitlines() if "#" in line]
    carried = (example / "plans/2013/plan.yaml").read_text(encoding="utf-8")
    for line in comments:
        assert line.split("#", 1)[1] in carried


def test_default_source_is_the_newest_plan_before(example: Path) -> None:
    assert "以 2012 年计划为底" in run(example, "2014").stdout
    assert "以 2014 年计划为底" in run(example, "2015").stdout
    assert "--from 2014 以 plans/2014/plan.yaml 为底" in (example / "plans/2015/plan.yaml").read_text(encoding="utf-8")
    assert load_repository(example).repo.years() == [2012, 2014, 2015]


def test_never_overwrites(example: Path) -> None:
    assert run(example, "2013").exit_code == 0
    before = (example / "plans/2013/plan.yaml").read_bytes()
    again = run(example, "2013")
    assert again.exit_code == 1
    assert "[plan-exists]" in again.stderr
    assert (example / "plans/2013/plan.yaml").read_bytes() == before


def test_a_file_in_the_way_is_not_overwritten(example: Path) -> None:
    (example / "plans/2013").mkdir()
    (example / "plans/2013/plan.yaml").write_bytes(b"# draft\n")
    result = run(example, "2013")
    assert result.exit_code == 1
    assert "[plan-exists]" in result.stderr
    assert (example / "plans/2013/plan.yaml").read_bytes() == b"# draft\n"


@pytest.mark.parametrize("args", [["2011"], ["2013", "--from", "2010"]])
def test_no_source_plan(example: Path, args: list[str]) -> None:
    result = run(example, *args)
    assert result.exit_code == 1
    assert "[no-plan]" in result.stderr
    assert not (example / f"plans/{args[0]}").exists()


def test_header_names_the_source_and_date(example: Path) -> None:
    from fedplan.commands import new

    assert new.run(example, year=2013, from_year=2012, today=dt.date(2012, 12, 20)) == 0
    text = (example / "plans/2013/plan.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# 由 fedplan new 2013 --from 2012 以 plans/2012/plan.yaml 为底于 2012-12-20 生成：\n"
    )


@pytest.mark.parametrize("year", ["99999", "10000", "2201"])
def test_a_year_no_plan_may_hold_is_refused_not_a_traceback(example: Path, year: str) -> None:
    """The fuzz probes found ``new 99999`` moving the dates into year 99999: ValueError."""
    result = run(example, year)
    assert result.exit_code == 2
    assert f"fedplan: 错误: 年度 {year} 不在计划可用的 1949—2200 年之间 [year-out-of-range]" in result.stderr
    assert not (example / f"plans/{year}").exists()
