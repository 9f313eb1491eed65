"""Checks on proposals and reports: links to plan items resolve, dates fit the year."""

from __future__ import annotations

from collections.abc import Iterator

from fedplan.checks.base import CheckContext, did_you_mean, emits
from fedplan.diagnostics import Diagnostic, error


@emits("no-plan", "unknown-item")
def check_item_links(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A recommendation's ``items`` name items of the same year's plan.

    Passes::

        year: 2012
        recommendations: [{title: …, items: [shuangxue]}]

    Fails (``unknown-item``)::

        recommendations: [{title: …, items: [shuangxeu]}]
    """
    for proposal in ctx.repo.proposals:
        for rec in proposal.recommendations:
            if not rec.items:
                continue
            plan = ctx.repo.plan_for(proposal.year) if proposal.year is not None else None
            if plan is None:
                yield error(
                    rec.at("items"),
                    "no-plan",
                    "关联了计划事项，但"
                    + (f"{proposal.year} 年没有计划" if proposal.year else "建议没有写年度（year 或 date）"),
                    "写上 year: 年度，并确认该年度有 plan.yaml；或删除 items",
                )
                continue
            for n, item_id in enumerate(rec.items):
                if plan.item(item_id) is None:
                    yield error(
                        rec.at_element("items", n),
                        "unknown-item",
                        f"{plan.year} 年计划中没有编号为“{item_id}”的事项",
                        did_you_mean(item_id, (i.id for _, i in plan.items()))
                        or "事项编号见 plan.yaml 各 items 的 id",
                    )


@emits("date-outside-year")
def check_report_dates(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A report's ``as_of`` lies within its year.

    Passes::

        year: 2012
        as_of: 2012-06-30

    Fails (``date-outside-year``)::

        year: 2012
        as_of: 2013-01-10
    """
    for report in ctx.repo.reports:
        if report.as_of.year != report.year:
            yield error(
                report.at("as_of"),
                "date-outside-year",
                f"统计截止日期 {report.as_of} 不在报告年度 {report.year} 年内",
                f"改为 {report.year} 年内的日期，通常是 {report.year}-06-30 或 {report.year}-12-31",
            )
