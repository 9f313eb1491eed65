"""Ids are unique within their year: plan items, targets and reports. [duplicate-id]"""

from __future__ import annotations

from collections.abc import Iterator

from fedplan.checks.base import CheckContext, emits
from fedplan.diagnostics import Diagnostic, Pos, error


@emits("duplicate-id")
def check_unique_ids(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Item and target ids of a year's plan, and report ids of a year, are each used once.

    Passes::

        items: [{id: shuangxue, title: …, targets: [{id: farm-training, …}]}]

    Fails (``duplicate-id``)::

        items: [{id: shuangxue, …}, {id: shuangxue, …}]
    """
    for plan in ctx.repo.plans:
        seen: dict[str, Pos] = {}
        for _, item in plan.items():
            yield from _once(seen, item.id, item.at("id"), "事项")
            for target in item.targets:
                yield from _once(seen, target.id, target.at("id"), "目标")
    by_year: dict[int, dict[str, Pos]] = {}
    for report in ctx.repo.reports:
        yield from _once(by_year.setdefault(report.year, {}), report.id, report.at("id"), "报告")
    for assessment in ctx.repo.assessments:  # indicators, bonus items and vetoes share one set
        own: dict[str, Pos] = {}
        for part, what in ((assessment.indicators, "考核指标"), (assessment.bonus, "加分项"), (assessment.veto, "否决项")):
            for thing in part:
                yield from _once(own, thing.id, thing.at("id"), what)


def _once(seen: dict[str, Pos], ident: str, pos: Pos, what: str) -> Iterator[Diagnostic]:
    first = seen.get(ident)
    if first is None:
        seen[ident] = pos
        return
    where = f"第 {first.line} 行" if first.path == pos.path else str(first)
    yield error(
        pos,
        "duplicate-id",
        f"{what}编号“{ident}”在本年度已用过（{where}）",
        "每个编号在同一年度内只能用一次，请改一个",
    )
