"""fedplan/scaffold.py: what init and new write, called directly (the commands: tests/cli/test_init.py, tests/cli/test_new.py)."""

from __future__ import annotations

import pytest

from fedplan.diagnostics import FedplanError
from fedplan.scaffold import carry_plan

PLAN_TO_CARRY = """\
# yaml-language-server: $schema=../../.fedplan/schema/plan.json
# 2012 的注释保持原样
kind: plan
org: 金川区妇联
year: 2012   # 年度
title: "二〇一二年工作要点（2012）"
sections:
  - title: 一
    items:
      - id: a
        title: 事项
        targets:
          - id: t1
            name: 全年
            target: 10
            unit: 个
            start: 2012-01-01
            due: 2012-12-31   # 默认
          - id: t2
            name: 闰日
            due: 2012年2月29日
          - {id: t3, name: 行内, due: 2012-12-31}
          - id: t4
            name: 有开始
            start: '2012-03-01'
            target: 1
            unit: 次
"""


def test_carry_plan_edits_only_year_title_and_dates() -> None:
    header = "第一行\n第二行"
    out = carry_plan(PLAN_TO_CARRY.encode(), from_year=2012, to_year=2013, path="plans/2012/plan.yaml", header=header)
    assert out.decode() == (
        PLAN_TO_CARRY.replace("# 2012 的注释", "# 第一行\n# 第二行\n# 2012 的注释")
        .replace("year: 2012", "year: 2013")
        .replace('"二〇一二年工作要点（2012）"', '"二〇一三年工作要点（2013）"')
        .replace("            start: 2012-01-01\n", "")
        .replace("            due: 2012-12-31   # 默认\n", "")
        .replace("2012年2月29日", "2013年2月28日")
        .replace("due: 2012-12-31}", "due: 2013-12-31}")
        .replace("'2012-03-01'", "'2013-03-01'")
    )


def test_carry_plan_keeps_crlf_and_bom() -> None:
    data = b"\xef\xbb\xbf" + PLAN_TO_CARRY.replace("\n", "\r\n").encode()
    out = carry_plan(data, from_year=2012, to_year=2013, path="p.yaml", header="新")
    assert out.startswith(b"\xef\xbb\xbf# yaml-language-server:")
    assert b"\r\n# \xe6\x96\xb0\r\n" in out
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_carry_plan_refuses_what_is_not_a_plan() -> None:
    with pytest.raises(FedplanError) as caught:
        carry_plan(b"- 1\n", from_year=2012, to_year=2013, path="x.yaml")
    assert caught.value.code == "not-a-plan"
