"""fedplan/diagnostics.py: a Diagnostic is a value; two different problems are two values."""

from __future__ import annotations

from fedplan.diagnostics import Diagnostic, Pos, Severity, error, warning

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
    assert error(AT, "type", "x") != warning(AT, "type", "x")
    assert error(AT, "type", "x", "h1") != error(AT, "type", "x", "h2")


def test_sorted_by_place_then_code_then_message():
    later = error(Pos("a.yaml", 2, 1), "aaa", "m")
    first = error(Pos("a.yaml", 1, 9), "zzz", "m")
    code_b = error(Pos("a.yaml", 2, 1), "bbb", "a")
    other_file = error(Pos("b.yaml", 1, 1), "aaa", "m")
    assert sorted([other_file, code_b, later, first]) == [first, later, code_b, other_file]
    assert Diagnostic(AT, Severity.ERROR, "c", "m").key() == ("plans/2012/plan.yaml", 3, 5, "c")
