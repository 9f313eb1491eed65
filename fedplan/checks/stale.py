"""Staleness: a numeric target nobody has reported on for a long time (setting ``stale_days``)."""

from __future__ import annotations

from collections.abc import Iterator

from fedplan.checks.base import CheckContext, emits
from fedplan.diagnostics import Diagnostic, warning
from fedplan.status import compute_status


@emits("stale-target")
def check_stale(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A numeric target of the current year, not done, has an entry within ``stale_days``.

    Only the year of today's date is checked: last year's silence is history, not news.
    The days are counted from the last entry, or from the target's start if there is none.

    Passes (today 2012-07-01, ``stale_days: 60``)::

        - {date: 2012-05-15, target: farm-training, value: 120}

    Fails (``stale-target``, a warning): the last entry is 2012-04-17, 75 days before::

        - {date: 2012-04-17, target: farm-training, value: 120}
    """
    plan = ctx.repo.plan_for(ctx.today.year)
    if plan is None:
        return
    settings = ctx.repo.settings
    status = compute_status(
        plan, ctx.repo.entries_for(plan.year), as_of=ctx.today, settings=settings
    )
    targets = {target.id: target for _, _, target in plan.targets()}
    for target_status in status.targets:
        if not target_status.stale:
            continue
        target = targets[target_status.id]
        if target_status.last_entry is not None:
            since = f"最近一次记录是 {target_status.last_entry.isoformat()}"
        else:
            since = f"自 {target_status.start.isoformat()} 开始以来还没有记录"
        yield warning(
            target.pos,
            "stale-target",
            f"目标“{target.name}”已 {target_status.idle_days} 天没有进展记录（{since}）",
            f"用 fedplan log {target.id} <数值> 记录最新进展；"
            f"提醒间隔可在 fedplan.yaml 的 stale_days 中调整（现为 {settings.stale_days} 天）",
        )
