"""fedplan/diagnostics.py: a Diagnostic is a value; two different problems are two values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fedplan.checks import CheckContext, emits
from fedplan.diagnostics import (
    FAMILIES,
    REGISTRY,
    Diagnostic,
    Pos,
    Severity,
    UnregisteredCode,
    chosen,
    error,
    unknown_code_hint,
    warning,
)

AT = Pos("plans/2012/plan.yaml", 3, 5)


def test_two_messages_at_one_place_with_one_code_are_two_problems():
    a = error(AT, "unknown-item", "没有“a”")
    b = error(AT, "unknown-item", "没有“b”")
    assert a != b
    assert len({a, b}) == 2
    assert sorted([b, a]) == [a, b]


def test_same_problem_twice_is_equal():
    assert error(AT, "type", "x", "y") == error(AT, "type", "x", "y")


def test_severity_and_hint_are_part_of_identity():
    assert error(AT, "type", "x") != Diagnostic(AT, Severity.WARNING, "type", "x")
    assert error(AT, "type", "x", "h1") != error(AT, "type", "x", "h2")


def test_sorted_by_place_then_code_then_message():
    later = error(Pos("a.yaml", 2, 1), "bad-date", "m")
    first = error(Pos("a.yaml", 1, 9), "yaml-syntax", "m")
    code_b = error(Pos("a.yaml", 2, 1), "bad-id", "a")
    other_file = error(Pos("b.yaml", 1, 1), "bad-date", "m")
    assert sorted([other_file, code_b, later, first]) == [first, later, code_b, other_file]
    assert Diagnostic(AT, Severity.ERROR, "c", "m").key() == ("plans/2012/plan.yaml", 3, 5, "c")


# --- the registry ------------------------------------------------------------------------------


def test_an_unregistered_code_is_a_programming_error():
    with pytest.raises(UnregisteredCode, match="nosuch-code"):
        error(AT, "nosuch-code", "m")


def test_a_code_of_the_other_severity_is_a_programming_error():
    with pytest.raises(UnregisteredCode, match="registered as error"):
        warning(AT, "type", "m")
    with pytest.raises(UnregisteredCode, match="registered as warning"):
        error(AT, "stale-target", "m")


def test_a_check_cannot_declare_an_unregistered_code():
    with pytest.raises(UnregisteredCode, match="nosuch-code"):
        emits("unknown-item", "nosuch-code")


def test_registry_entries_are_well_formed():
    for code_id, code in REGISTRY.items():
        assert code.id == code_id
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", code_id)
        assert code.family in FAMILIES
        assert code.summary and "\n" not in code.summary
        assert re.search(r"[\u4e00-\u9fff]", code.summary), code_id  # the summary is Chinese


def test_run_checks_runs_the_checks_it_is_given():
    import datetime as dt

    from fedplan.checks import CHECKS, run_checks
    from fedplan.model import Repository

    repo = Repository(root=Path("."))
    calls: list[str] = []

    def noisy(ctx: CheckContext) -> Iterator[Diagnostic]:
        calls.append("noisy")
        yield error(Pos("x.yaml", 1, 1), "duplicate-plan", "m")

    extra = emits("duplicate-plan")(noisy)
    found = run_checks(repo, today=dt.date(2012, 7, 1), checks=(*CHECKS, extra))
    assert calls == ["noisy"] and [d.code for d in found] == ["duplicate-plan"]
    assert run_checks(repo, today=dt.date(2012, 7, 1), checks=()) == []


def test_chosen_selects_and_ignores_codes_and_families():
    a = error(AT, "bad-date", "m")
    b = error(AT, "unknown-item", "m")
    c = warning(AT, "stale-target", "m")
    assert chosen([a, b, c]) == [a, b, c]
    assert chosen([a, b, c], select=["refs"]) == [b]
    assert chosen([a, b, c], ignore=["freshness", "bad-date"]) == [b]
    assert chosen([a, b, c], select=["bad-date", "stale-target"], ignore=["stale-target"]) == [a]


def test_unknown_code_hint():
    assert unknown_code_hint("bad-date") is None and unknown_code_hint("refs") is None
    assert unknown_code_hint("bad-dat") == "是不是“bad-date”？"
    assert "docs/checks.md" in (unknown_code_hint("qqqqqqqq") or "")
