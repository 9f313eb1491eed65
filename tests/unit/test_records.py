"""fedplan.records: the frozen records the model is made of keep what dataclasses gave it."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from functools import cached_property
from pathlib import Path
from typing import ClassVar

import pytest

from fedplan import model, records
from fedplan.diagnostics import Pos, error
from fedplan.records import FrozenInstanceError, field, record
from fedplan.repo import load_repository
from fedplan.schema.build import _assemble

EXAMPLE = Path(__file__).resolve().parents[2]


@record
class Base:
    where: str = field(default="?", compare=False, kw_only=True)
    notes: list[str] = field(default_factory=list, compare=False, repr=False, kw_only=True)


@record
class Point(Base):
    x: int
    y: int = 0
    label: ClassVar[str] = "点"

    @cached_property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


@record(order=True)
class Version:
    major: int
    minor: int = 0


@record(frozen=False)
class Counter:
    count: int = 0


def test_constructor_takes_fields_by_position_and_name_and_keeps_defaults_on_the_class():
    p = Point(1, y=2, where="a")
    assert (p.x, p.y, p.where) == (1, 2, "a")
    assert Point(3).y == 0 and "y" not in Point(3).__dict__
    assert records.fields(Point)[0].name == "where"
    assert [f.name for f in records.fields(Point)] == ["where", "notes", "x", "y"]  # not the ClassVar
    assert Point.label == "点"


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing required argument: 'x'"),
        ((1, 2, 3), {}, "takes 2 positional arguments but 3 were given"),
        ((1,), {"x": 2}, "multiple values for argument 'x'"),
        ((1,), {"z": 2}, "unexpected keyword argument 'z'"),
        ((1, 2, "here"), {}, "takes 2 positional arguments"),  # kw_only is by name only
    ],
)
def test_constructor_refuses_what_a_dataclass_refuses(args, kwargs, message):
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)


def test_a_default_factory_makes_a_fresh_value_for_each_object():
    a, b = Point(1), Point(1)
    assert a.notes == [] and a.notes is not b.notes


def test_equality_and_hash_are_on_the_compared_fields_of_the_same_class():
    assert Point(1, 2, where="a") == Point(1, 2, where="b", notes=["x"])
    assert hash(Point(1, 2, where="a")) == hash(Point(1, 2, where="b"))
    assert Point(1, 2) != Point(1, 3)
    assert Point(1) != Version(1)
    assert len({Point(1), Point(1), Point(2)}) == 2
    assert model.Target("a", "甲", pos=Pos("x", 1, 1)) == model.Target("a", "甲", pos=Pos("y", 9, 9))


def test_order_compares_the_fields_in_turn():
    assert sorted([Version(2), Version(1, 5), Version(1)]) == [Version(1), Version(1, 5), Version(2)]
    assert Version(1) <= Version(1) < Version(1, 1) and Version(3) >= Version(2) > Version(1, 9)
    with pytest.raises(TypeError):
        _ = Point(1) < Point(2)  # type: ignore[operator]  # no order unless asked


def test_a_frozen_record_refuses_assignment_and_deletion():
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.x
    assert p.x == 1


def test_a_mutable_record_can_be_changed_and_is_not_hashable():
    c = Counter()
    c.count += 1
    assert c == Counter(1)
    with pytest.raises(TypeError):
        hash(c)


def test_repr_shows_the_repr_fields():
    assert repr(Point(1, 2, where="a")) == "Point(where='a', x=1, y=2)"


def test_replace_copies_with_changes_and_refuses_unknown_fields():
    p = Point(1, 2, where="a")
    assert p.norm == 3
    q = records.replace(p, y=5)
    assert (q.x, q.y, q.where) == (1, 5, "a") and q.norm == 6  # the cached value is not carried
    assert p.y == 2
    with pytest.raises(TypeError, match="'z'"):
        records.replace(p, z=1)
    with pytest.raises(TypeError):
        records.replace(object())


def test_post_init_runs_after_the_fields_are_set():
    seen = []

    @record
    class Checked:
        n: int

        def __post_init__(self) -> None:
            seen.append(self.n)

    Checked(4)
    records.replace(Checked(5), n=6)
    assert seen == [4, 5, 6]


def test_a_field_without_default_after_one_with_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="non-default argument 'b'"):

        @record
        class Wrong:
            a: int = 0
            b: int  # type: ignore[misc]


def test_records_pickle_and_copy_with_their_positions():
    p = Point(1, 2, where="a")
    for again in (pickle.loads(pickle.dumps(p, protocol=5)), copy.copy(p), copy.deepcopy(p)):
        assert again == p and again.where == "a" and type(again) is Point
    # a model object with default spans (made by its constructor) pickles: the parse cache
    # could not keep a plan with a pace, whose spans were a mappingproxy
    pace = model.Pace("shares", (0.25, 0.5, 0.75, 1.0), pos=Pos("plans/p.yaml", 3, 5))
    again = pickle.loads(pickle.dumps(pace))
    assert again == pace and again.pos == Pos("plans/p.yaml", 3, 5) and again.at("shares") == again.pos


def test_the_bundled_repository_pickles_whole_and_compares_equal():
    loaded = load_repository(EXAMPLE, checks=False)
    assert loaded.repo.plans and any(t.pace for _, _, t in loaded.repo.plans[0].targets())
    again = pickle.loads(pickle.dumps(loaded.repo))
    assert again == loaded.repo
    first = loaded.repo.plans[0]
    assert again.plans[0].at("sections") == first.at("sections") != Pos("")


def test_assemble_makes_the_object_the_constructor_makes():
    pos = Pos("plans/2012/progress/a.yaml", 4, 3)
    values = {"date": dt.date(2012, 3, 8), "target": "t", "value": 5}
    made = _assemble(model.Entry, dict(values), path="plans/2012/progress/a.yaml", pos=pos, spans={})
    built = model.Entry("plans/2012/progress/a.yaml", dt.date(2012, 3, 8), target="t", value=5, pos=pos, spans={})
    assert made == built and made.pos == built.pos and made.note == "" and made.evidence == ()
    with pytest.raises(FrozenInstanceError):
        made.value = 6  # type: ignore[misc]


def test_pos_is_ordered_and_printed_as_a_place():
    assert sorted([Pos("b", 1, 1), Pos("a", 2, 1), Pos("a", 1, 9)]) == [Pos("a", 1, 9), Pos("a", 2, 1), Pos("b", 1, 1)]
    assert str(Pos("a.yaml", 3, 4)) == "a.yaml:3:4" and str(Pos("a.yaml")) == "a.yaml"
    d = error(Pos("a.yaml", 3, 4), "bad-value", "值不对")
    assert pickle.loads(pickle.dumps(d)) == d and d.pos.line == 3
