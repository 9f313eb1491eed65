"""The fill-in sheet (填报表) an office hands out and takes back (``fedplan sheet``): one row per
target, the plan's columns filled in and locked, the columns to fill open and checked as
they are typed. It is read back by ``fedplan log --from`` unchanged (fedplan.intake finds
its columns by the same header words)."""

from __future__ import annotations

from fedplan.dates import year_end, year_start
from fedplan.model import Number, Plan, Target
from fedplan.render.chinese import cn_date, month_day
from fedplan.render.table import Column, Row, Sheet, Validation
from fedplan.status import PlanStatus

EXTRA_ROWS = 20  # blank rows under the table, for a second entry on the same target
# The columns a filler types into, by header; every other column is locked.
FILL_IN = ("日期", "本期完成", "是否完成", "说明", "填报人")


def fill_in_sheet(plan: Plan, status: PlanStatus, *, owner: str | None = None) -> Sheet:
    """The sheet for ``plan``'s targets (those led by ``owner``, if given), with what the
    ledger holds as of ``status.as_of`` shown for reference."""
    columns = (
        Column("序号", "number"),
        Column("指标编号", max_width=24),
        Column("指标", wrap=True, max_width=30),
        Column("所属事项", wrap=True, max_width=24),
        Column("单位"),
        Column("年度目标", "quantity"),
        Column("台账已记", "quantity"),
        Column("日期", "date"),
        Column("本期完成", "number"),
        Column("是否完成"),
        Column("说明", wrap=True, max_width=36),
        Column("填报人", max_width=12),
    )
    headers = [c.header for c in columns]
    by_id = {t.id: t for t in status.targets}
    rows: list[Row] = []
    number = 0
    for _, item in plan.items():
        if owner is not None and item.owner != owner:
            continue
        subjects: list[tuple[str, str, Target | None]] = [(t.id, t.name, t) for t in item.targets]
        subjects = subjects or [(item.id, item.title, None)]
        for subject_id, name, target in subjects:
            number += 1
            shown = by_id.get(subject_id)
            done_so_far: str | Number | None
            goal: str | Number | None
            if target is None:
                goal, done_so_far, unit = "文字进展", None, None
            elif target.is_milestone:
                goal, unit = f"{month_day(target.due or year_end(plan.year))}前完成", None
                done_so_far = ("已完成" if shown and shown.actual is True else "未完成") if shown else None
            else:
                goal, unit = target.target, target.unit
                done_so_far = shown.actual if shown and not isinstance(shown.actual, bool) else None
            cells = (number, subject_id, name, item.title, unit or "", goal, done_so_far, None, None, None, None, None)
            rows.append(Row(cells, unit=unit))
    blank = (None,) * len(columns)
    rows += [Row(blank, open=True) for _ in range(EXTRA_ROWS)]
    first, last = year_start(plan.year), year_end(plan.year)
    validations = (
        (headers.index("日期"), Validation(
            "date", f"写本期工作完成的日期（{plan.year}年内）", f"请填写 {plan.year} 年内的日期，如 {plan.year}-05-31",
            minimum=first, maximum=last,
        )),
        (headers.index("本期完成"), Validation(
            "decimal", "数值目标：本期新增的数字，不是累计", "这里只能填数字（单位已在“单位”列）",
            minimum=-1_000_000_000, maximum=1_000_000_000,
        )),
        (headers.index("是否完成"), Validation(
            "list", "节点任务完成后选“是”", "请选择“是”或“否”", choices=("是", "否"),
        )),
    )
    who = f"（{owner}）" if owner else ""
    return Sheet(
        name=f"{plan.year}年填报表",
        title=f"{plan.org}{plan.year}年工作进展填报表{who}",
        subtitle=f"台账已记截至{cn_date(status.as_of, '2012')}",
        columns=columns,
        rows=tuple(rows),
        instructions=(
            "填表说明：每行一项目标；灰色各列由 fedplan 按工作要点填好，已锁定，请勿改动。",
            "“日期”写本期工作完成的日期；数值目标在“本期完成”写本期新增的数（不是累计）；"
            "节点任务完成后在“是否完成”选“是”；“说明”写做了什么。没有进展的行留空即可。",
            "同一目标本期有多条记录时，在表格下方的空行照样填写，“指标编号”照抄上面的。"
            "交回后用 fedplan log --from 本表 记入台账（重复导入不会重复记入）。",
        ),
        editable=frozenset(headers.index(h) for h in FILL_IN),
        validation=validations,
        landscape=True,
    )
