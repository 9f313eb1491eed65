"""fedplan/schema/fields.py: each field type reads, fast-paths, describes itself to editors and
names itself in Chinese, in one class.

The fast path is an optimisation only: wherever it takes a value it must agree with the full
reading, and it must never take what the full reading would refuse.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from fedplan.schema import KINDS, SETTINGS
from fedplan.schema.fields import (
    INVALID,
    Bool,
    Choice,
    Date,
    Field,
    FieldType,
    Id,
    Ids,
    Integer,
    ListOf,
    Nested,
    Number,
    Spec,
    Str,
    Text,
)
from fedplan.schema.walk import Walk

# Spellings a user writes, common and odd: each is read by both paths of every scalar type.
SPELLINGS = [
    "300", "0", "0300", "1:30", "0x1F", "-5", "3.5", "1e3", "1,200", "300人次", "３００", "2O27",
    ".inf", "1949", "2201", "2012-03-08", "2012-02-30", "2012-03-08 10:00", "2012年3月8日",
    "farm-training", "农技培训", "farm training", "'quoted'", "sum", "latest", "true", "yes",
    "2012", "  padded  ", "''", "|\n  two\n  lines\n", "~",
    "True", "TRUE", "tRUE", "On", "off", "No", "12.50", "0.5", "00.5", "1_000.5", "0.0000001",
    "1000000000000.5", "999999999999.5", "0.0",
]

SCALAR_TYPES = [
    Str(), Text(), Id(), Choice(("sum", "latest")), Choice(("auto", "2012", "1999")),
    Number(), Number(exclusive_minimum=0), Number(minimum=0), Integer(minimum=1949, maximum=2200),
    Bool(), Date(),
]


def node_of(text: str) -> yaml.Node:
    return yaml.compose(f"v: {text}", Loader=yaml.SafeLoader).value[0][1]


def full_read(kind: FieldType, field: Field, text: str) -> tuple[object, list[str]]:
    walk = Walk("a.yaml")
    got = walk.value(node_of(text), field)
    return got, [d.code for d in walk.diagnostics]


@pytest.mark.parametrize("kind", SCALAR_TYPES, ids=lambda k: f"{type(k).__name__}")
@pytest.mark.parametrize("required", [False, True])
def test_the_fast_path_agrees_with_the_full_reading(kind: FieldType, required: bool):
    field = Field("v", kind, "说明", required=required)
    for text in SPELLINGS:
        node = node_of(text)
        full, problems = full_read(kind, field, text)
        quick = field.quick(node.tag, node.value) if field.quick is not None else INVALID
        if quick is not INVALID:
            assert problems == [], (text, problems)
            assert quick == full and type(quick) is type(full), text


def test_the_fast_path_takes_the_usual_fractions_and_yes_no_words():
    # What a large ledger is read by without composing (fedplan.fastledger): a figure
    # such as 12.5 and `done: true` must not send the whole entry to the full reading.
    number = Field("value", Number(), "数值")
    done = Field("done", Bool(), "完成")
    assert number.quick is not None and done.quick is not None
    assert number.quick("tag:yaml.org,2002:float", "12.5") == 12.5
    assert number.quick("tag:yaml.org,2002:float", "0.0000001") is INVALID  # number-magnitude
    assert done.quick("tag:yaml.org,2002:bool", "On") is True
    assert done.quick("tag:yaml.org,2002:str", "done") is INVALID


def test_bounded_numbers_take_the_fast_path_only_inside_their_bounds():
    year = Field("year", Integer(minimum=1949, maximum=2200), "年度")
    assert year.quick is not None
    assert year.quick("tag:yaml.org,2002:int", "2012") == 2012
    assert year.quick("tag:yaml.org,2002:int", "2201") is INVALID
    assert full_read(year.type, year, "2201")[1] == ["out-of-range"]


def test_each_type_names_itself_in_chinese_in_the_type_error():
    for kind, label in ((Number(), "数字"), (Integer(), "整数"), (Date(), "日期"), (Id(), "编号"), (Bool(), "true 或 false")):
        walk = Walk("a.yaml")
        walk.value(node_of("[1, 2]"), Field("v", kind, "说明"))
        assert [d.message for d in walk.diagnostics] == [f"“v”应为{label}，不能是列表"]


def test_json_fragments():
    assert Integer(minimum=1949, maximum=2200).json() == {"type": "integer", "minimum": 1949, "maximum": 2200}
    tiny = {"exclusiveMinimum": -1e-06, "exclusiveMaximum": 1e-06, "not": {"const": 0}}  # number-magnitude
    assert Number(exclusive_minimum=0).json() == {"type": "number", "exclusiveMinimum": 0, "maximum": 10**12, "not": tiny}
    assert Number().json() == {"type": "number", "minimum": -(10**12), "maximum": 10**12, "not": tiny}
    assert Integer().json() == {"type": "integer", "minimum": -(10**12), "maximum": 10**12}
    assert Choice(("auto", "2012", "1999")).json() == {"enum": ["auto", "2012", "1999", 2012, 1999]}
    assert Ids().json()["items"]["pattern"].startswith("^[0-9A-Za-z_")
    inner = Spec("内层", (Field("id", Id(), "编号", required=True),))
    assert ListOf(inner).json() == {"type": "array", "items": inner.json()}
    assert Nested(inner).json()["required"] == ["id"]
    assert Field("d", Date(), "日期").json()["description"] == "日期"


def test_a_list_of_ids_keeps_each_elements_place():
    walk = Walk("a.yaml")
    got = walk.mapping(yaml.compose("items: [a, 'b c', d]", Loader=yaml.SafeLoader), Spec("建议", (Field("items", Ids(), "事项"),)))
    assert got is not None
    values, spans = got
    assert values["items"] == ("a", "d")
    assert [d.code for d in walk.diagnostics] == ["bad-id"]
    assert (spans["items.0"].col, spans["items.1"].col) == (9, 19)


def test_every_declared_field_has_a_type_object():
    specs = [*KINDS.values(), SETTINGS]
    seen: set[int] = set()
    while specs:
        spec = specs.pop()
        if id(spec) in seen:
            continue
        seen.add(id(spec))
        for field in spec.fields:
            assert isinstance(field.type, FieldType), (spec.name, field.name)
            assert field.type.label
            if isinstance(field.type, (ListOf, Nested)):
                specs.append(field.type.spec)
    assert len(seen) >= 10


def test_dates_read_by_both_spellings():
    field = Field("date", Date(), "日期")
    assert full_read(field.type, field, "2012年3月8日") == (dt.date(2012, 3, 8), [])
    assert full_read(field.type, field, "2012-02-30")[1] == ["bad-date"]
