"""fedplan.headings: the one recogniser of numbered headings (importer and renderers)."""

from __future__ import annotations

import pytest

from fedplan.headings import is_bare_marker, numbering_level, parse_heading


@pytest.mark.parametrize(
    ("text", "level", "number", "rest"),
    [
        ("一、加强思想引领", 1, 1, "加强思想引领"),
        ("十二、其他", 1, 12, "其他"),
        ("（三）作为样板", 2, 3, "作为样板"),
        ("(一)、努力提高素质。", 2, 1, "努力提高素质。"),
        ("1.深化主题教育", 3, 1, "深化主题教育"),
        ("3、以活动为载体", 3, 3, "以活动为载体"),
        ("（4）培训", 4, 4, "培训"),
        ("第二章 组织建设", 0, 2, "组织建设"),
        ("第三部分 保障措施", 0, 3, "保障措施"),
        ("貳、年度施政目標", 0, 2, "年度施政目標"),
        ("1.2街道现状分析", 3, 2, "街道现状分析"),
        ("2.3.1产业升级任务", 4, 1, "产业升级任务"),
        ("⑫加强档案管理", 5, 12, "加强档案管理"),
        ("第二.坚持企务公开。", 2, 2, "坚持企务公开。"),
        ("第一，积极参与民主管理", 2, 1, "积极参与民主管理"),
    ],
)
def test_outline_systems_and_their_levels(text: str, level: int, number: int, rest: str) -> None:
    heading = parse_heading(text)
    assert heading is not None
    assert (heading.level, heading.number, heading.rest) == (level, number, rest)


@pytest.mark.parametrize("text", ["1.5万元用于培训", "6.26禁毒日", "3.15消费者权益日宣传", "一", "培训妇女", "2.5倍"])
def test_figures_and_dates_are_not_headings(text: str) -> None:
    assert parse_heading(text) is None


def test_numbering_level_is_the_gbt_level_or_zero() -> None:
    assert [numbering_level(t) for t in ("一、总体", "（二）培训", "3.培训", "（4）培训", "第一章 总则", "①一", "培训")] == [
        1, 2, 3, 4, 0, 0, 0
    ]


def test_bare_marker() -> None:
    assert is_bare_marker("（1）") and is_bare_marker(" 2. ")
    assert not is_bare_marker("（1）培训")
