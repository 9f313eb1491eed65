"""Checks on the year's plan: one per year, target dates inside it, points adding up."""

from __future__ import annotations

from collections.abc import Iterator

from fedplan.checks.base import CheckContext, emits
from fedplan.diagnostics import Diagnostic, error, warning
from fedplan.headings import parse_heading


@emits("duplicate-plan")
def check_one_plan_per_year(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A repository holds one body's documents: one plan a year.

    Passes: ``plans/2012/plan.yaml`` is the only ``kind: plan`` with ``year: 2012``.

    Fails (``duplicate-plan``): a second file with ``kind: plan`` and ``year: 2012``.
    """
    first: dict[int, str] = {}
    for plan in sorted(ctx.repo.plans, key=lambda p: p.path):
        if plan.year in first:
            yield error(
                plan.at("year"),
                "duplicate-plan",
                f"{plan.year} 年已经有一份计划（{first[plan.year]}）",
                "一个仓库每年只有一份工作要点；请合并两份文件，或改正年度",
            )
        else:
            first[plan.year] = plan.path


@emits("date-outside-year")
def check_target_dates(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A target's ``start`` and ``due`` lie within the plan's year.

    Passes::

        year: 2012 … due: 2012-06-30

    Fails (``date-outside-year``)::

        year: 2012 … due: 2013-01-15
    """
    for plan in ctx.repo.plans:
        for _, _, target in plan.targets():
            for key in ("start", "due"):
                day = getattr(target, key)
                if day is not None and day.year != plan.year:
                    yield error(
                        target.at(key),
                        "date-outside-year",
                        f"目标“{target.id}”的 {key} {day} 不在计划年度 {plan.year} 年内",
                        f"改为 {plan.year} 年内的日期；跨年的工作请写进下一年的计划",
                    )


@emits("points-sum")
def check_points(ctx: CheckContext) -> Iterator[Diagnostic]:
    """When a plan gives ``total_points``, its targets' ``points`` add up to it.

    Passes::

        total_points: 100   # targets' points: 40 + 60

    Fails (``points-sum``)::

        total_points: 100   # targets' points: 40 + 50
    """
    for plan in ctx.repo.plans:
        if plan.total_points is None:
            continue
        total = sum(t.points or 0 for _, _, t in plan.targets())
        if abs(total - plan.total_points) > 1e-9:
            yield error(
                plan.at("total_points"),
                "points-sum",
                f"各目标分值之和为 {total:g}，与考核总分 total_points {plan.total_points:g} 不符",
                f"调整各目标的 points，或把 total_points 改为 {total:g}",
            )


@emits("numbered-title")
def check_numbered_titles(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Section and item titles carry no numbering of their own: fedplan numbers them
    (一、 （一） 1.), and a title typed as "二、优化环境" would print as "（二）二、优化环境".

    Passes::

        - title: 优化妇女儿童发展环境

    Fails (``numbered-title``, a warning; the documents print the title without it)::

        - title: 二、优化妇女儿童发展环境
    """
    for plan in ctx.repo.plans:
        for section in plan.sections:
            places = [("一级", section.title, section.at("title"))]
            places += [("事项", item.title, item.at("title")) for item in section.items]
            for what, title, pos in places:
                heading = parse_heading(title.strip())
                if heading is None or not 0 <= heading.level <= 4 or not heading.rest.strip():
                    continue
                yield warning(
                    pos,
                    "numbered-title",
                    f"{what}标题“{title}”以编号“{heading.marker}”开头，生成的文档会自动编号",
                    f"去掉开头的“{heading.marker}”，写成“{heading.rest.strip()}”；"
                    "不改的话，文档中照样不重复编号",
                )
