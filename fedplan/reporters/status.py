"""`fedplan status` output: a terminal table, JSON (SPEC §5) and CSV for Excel/WPS.

Every function takes computed values (fedplan.status) and only lays them out. ``shown`` is
the plan's status with the targets the user's filters kept; its ``score`` stays the whole
plan's. With ``--compare``, ``rev`` names the earlier revision and ``before`` is the status
computed there (None when that revision had no plan for the year).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import IO, TYPE_CHECKING, Any

from fedplan.render.chinese import cn_date, month_day, number, percent, quantity, section_number
from fedplan.status import STATUS_LABELS, PlanStatus, TargetStatus, change
from fedplan.width import escape_json, visible

if TYPE_CHECKING:
    from fedplan.render.table import Sheet
    from fedplan.reporters.terminal import Console, Table, Text

# Traffic light per status; the Chinese word after the mark carries the meaning without colour.
STATUS_STYLES: dict[str, str] = {
    "done": "green",
    "on-track": "green",
    "behind": "yellow",
    "at-risk": "red",
    "overdue": "bold red",
    "not-started": "bright_black",
}
STALE_STYLE = "bright_black"
_BAR_FULL, _BAR_EMPTY = "█", "░"
# Piped output has no terminal width to follow; wide enough for a plan's long names.
_PIPE_WIDTH = 120
# Target names fold to no fewer cells than this (8 Chinese characters).
_NAME_MIN = 16


def _before_map(before: PlanStatus | None) -> dict[str, TargetStatus]:
    return {t.id: t for t in before.targets} if before is not None else {}


# --- JSON ------------------------------------------------------------------------------


def as_json(shown: PlanStatus, *, before: PlanStatus | None = None, rev: str | None = None) -> str:
    """The SPEC §5 document; with ``rev``, also ``compare`` and per target ``before``/``change``."""
    earlier = _before_map(before)
    targets = []
    for t in shown.targets:
        row: dict[str, Any] = {
            "id": t.id,
            "name": t.name,
            "section": t.section,
            "item": t.item,
            "target": t.target,
            "unit": t.unit,
            "actual": t.actual,
            "percent": t.percent,
            "expected": t.expected,
            "status": t.status,
            "due": t.due.isoformat(),
            "points": t.points,
            "score": t.score,
        }
        if rev is not None:
            old = earlier.get(t.id)
            row["before"] = (
                None
                if old is None
                else {"actual": old.actual, "percent": old.percent, "status": old.status}
            )
            row["change"] = change(old, t)
        targets.append(row)
    document: dict[str, Any] = {
        "org": shown.org,
        "year": shown.year,
        "as_of": shown.as_of.isoformat(),
        "score": shown.score,
        "total_points": shown.total_points,
        "targets": targets,
    }
    if rev is not None:
        document["compare"] = rev
    return escape_json(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


# --- CSV -------------------------------------------------------------------------------

# Chinese headers: the CSV is for people opening it in Excel/WPS; programs read the JSON.
CSV_HEADER = (
    "部分",
    "事项序号",
    "事项",
    "指标编号",
    "指标",
    "目标",
    "单位",
    "完成",
    "完成率(%)",
    "进度要求",
    "状态",
    "截止日期",
    "分值",
    "得分",
    "备注",
)
CSV_COMPARE_HEADER = ("此前完成", "此前状态", "变化")


def as_csv(shown: PlanStatus, *, before: PlanStatus | None = None, rev: str | None = None) -> str:
    """One row per target; numbers bare (Excel sums them), milestones 是/否. Encode utf-8-sig."""
    earlier = _before_map(before)
    out = io.StringIO()
    writer = csv.writer(out)  # \r\n line ends, as Excel writes them
    writer.writerow(CSV_HEADER + (CSV_COMPARE_HEADER if rev is not None else ()))
    for t in shown.targets:
        row = [
            section_number(t.section_index + 1) + t.section,
            t.item_number,
            t.item_title,
            t.id,
            t.name,
            _csv_number(t.target),
            t.unit or "",
            _csv_actual(t.actual),
            _csv_number(t.percent),
            _csv_number(t.expected),
            t.label,
            t.due.isoformat(),
            _csv_number(t.points),
            _csv_number(t.score),
            _stale_note(t),
        ]
        if rev is not None:
            old = earlier.get(t.id)
            row += [
                "" if old is None else _csv_actual(old.actual),
                "" if old is None else old.label,
                _csv_number(change(old, t)),
            ]
        writer.writerow(row)
    return out.getvalue()


def _csv_number(value: float | None) -> str:
    return "" if value is None else number(value)


def _csv_actual(actual: float | bool) -> str:
    if isinstance(actual, bool):
        return "是" if actual else "否"
    return number(actual)


def _stale_note(t: TargetStatus) -> str:
    return f"{t.idle_days}天未更新" if t.stale else ""


# --- the table -------------------------------------------------------------------------


def make_console(file: IO[str] | None = None) -> Console:
    """A console that follows the terminal: colour only on a terminal and without NO_COLOR;
    piped, _PIPE_WIDTH wide unless COLUMNS says otherwise."""
    from fedplan.reporters.terminal import Console

    return Console(file, pipe_width=_PIPE_WIDTH)


def print_table(
    shown: PlanStatus,
    *,
    total_targets: int | None = None,
    before: PlanStatus | None = None,
    rev: str | None = None,
    console: Console | None = None,
    ids: bool = False,
) -> None:
    """Targets grouped under 一、section and 1. item, then the score line.

    Every column but the names is exactly as wide as its widest cell (a status word, a
    figure, "严重滞后 → ● 已完成" — never cut); the names get the rest, folded, at least
    _NAME_MIN cells and at most what they need. On a narrow terminal the least needed
    columns then give way (the bar, then 得分, 进度要求, the comparison), so that 状态 is
    never cut off.
    """
    console = console or make_console()
    if not shown.targets:
        console.print("没有符合条件的指标。")
    else:
        optional = ["bar", "points", "expected", "before", "change", "status-first"]
        dropped: set[str] = set()
        table = _table(shown, before=before, rev=rev, drop=dropped, ids=ids)
        while optional and not table.fit(console.width, _NAME_MIN):
            dropped.add(optional.pop(0))
            table = _table(shown, before=before, rev=rev, drop=dropped, ids=ids)
        if not optional and not table.fit(console.width, _NAME_MIN):
            # narrower than anything fits (with --ids): the other figures give way, not 状态
            table.squeeze(console.width, _NAME_MIN // 2, keep=[c.header for c in table.columns].index("状态"))
        console.print_table(table)
    console.print(_summary(shown, total_targets))


def _table(
    shown: PlanStatus, *, before: PlanStatus | None, rev: str | None, drop: set[str], ids: bool = False
) -> Table:
    from fedplan.reporters.terminal import Cell, Table

    comparing = rev is not None
    earlier = _before_map(before)
    with_points = "points" not in drop and any(t.points is not None for t in shown.targets)
    bar_width = 0 if "bar" in drop else 10

    title = f"{shown.org} {shown.year}年工作进度（截至{cn_date(shown.as_of, '2012')}）"
    if comparing:
        title += f"，与 {rev} 相比"
    table = Table(title=_text(title))
    table.add_column("指标")
    if ids:
        table.add_column("id")
    status_first = "status-first" in drop  # the last resort on a very narrow terminal
    if status_first:
        table.add_column("状态")
    table.add_column("目标", "right")
    if comparing and "before" not in drop:
        table.add_column("此前", "right")
    table.add_column("完成", "right")
    if comparing and "change" not in drop:
        table.add_column("变化", "right")
    table.add_column("完成率")
    if "expected" not in drop:
        table.add_column("进度要求", "right")
    if with_points:
        table.add_column("得分", "right")
    if not status_first:
        table.add_column("状态")

    section_shown: int | None = None
    item_shown: int | None = None
    for t in shown.targets:
        if t.section_index != section_shown:
            if section_shown is not None:
                table.add_section()
            heading = section_number(t.section_index + 1) + t.section
            table.add_row(Cell(_text(heading, "bold"), cut=True))
            section_shown = t.section_index
        if t.item_number != item_shown:
            table.add_row(Cell(_text(f"{t.item_number}. {t.item_title}", "bold"), 1, cut=True))
            item_shown = t.item_number
        old = earlier.get(t.id)
        status = _status_cell(t, old if comparing else None)
        cells: list[Cell | Text] = [Cell(_text(t.name), 3)]  # a folded name stays indented
        if ids:
            cells.append(_text(t.id))
        if status_first:
            cells.append(status)
        cells.append(_text(_target_cell(t)))
        if comparing and "before" not in drop:
            cells.append(_text("—" if old is None else _actual_cell(old)))
        cells.append(_text(_actual_cell(t)))
        if comparing and "change" not in drop:
            cells.append(_text(_change_cell(old, t)))
        cells.append(_percent_cell(t, bar_width))
        if "expected" not in drop:
            cells.append(_text(_expected_cell(t)))
        if with_points:
            score = "" if t.points is None else f"{number(t.score or 0)}/{number(t.points)}"
            cells.append(_text(score))
        if not status_first:
            cells.append(status)
        table.add_row(*cells)
    return table


def _text(text: str, style: str | None = None) -> Text:
    """A Text of what came from a file, with anything a terminal would act on shown instead."""
    from fedplan.reporters.terminal import Text

    return Text(visible(text), style)


def _target_cell(t: TargetStatus) -> str:
    if t.is_milestone:
        return f"{month_day(t.due)}前"
    return quantity(t.target, t.unit)


def _actual_cell(t: TargetStatus) -> str:
    if isinstance(t.actual, bool):
        return "是" if t.actual else "否"
    return quantity(t.actual, t.unit)


def _change_cell(old: TargetStatus | None, t: TargetStatus) -> str:
    if old is None:
        return "新增"
    if isinstance(t.actual, bool):
        return "新完成" if t.actual and not old.actual else ""
    delta = change(old, t)
    if not delta:
        return ""
    return ("+" if delta > 0 else "") + quantity(delta, t.unit)


def _percent_cell(t: TargetStatus, bar_width: int) -> Text:
    from fedplan.reporters.terminal import Text

    if t.percent is None:
        return Text("")
    text = Text()
    if bar_width:
        share = min(max(t.percent, 0), 100) / 100
        filled = int(share * bar_width)  # floor: only 100 % fills the bar
        text.append(_BAR_FULL * filled, style=STATUS_STYLES[t.status])
        text.append(_BAR_EMPTY * (bar_width - filled), style=STALE_STYLE)
        text.append(" ")
    text.append(f"{percent(t.percent):>6}")
    return text


def _expected_cell(t: TargetStatus) -> str:
    if t.expected is None:
        return ""
    return quantity(t.expected, t.unit)


def status_text(t: TargetStatus) -> Text:
    """● 滞后 in its traffic-light colour; 未开始 gets a hollow mark."""
    from fedplan.reporters.terminal import Text

    mark = "○" if t.status == "not-started" else "●"
    return Text(f"{mark} {t.label}", style=STATUS_STYLES[t.status])


def _status_cell(t: TargetStatus, old: TargetStatus | None) -> Text:
    text = status_text(t)
    if old is not None and old.status != t.status:
        text.pieces.insert(0, (f"{old.label} → ", STALE_STYLE))
    if t.stale:
        text.append(f"\n{_stale_note(t)}", style=STALE_STYLE)
    return text


def _summary(shown: PlanStatus, total_targets: int | None) -> str:
    counts: Counter[str] = Counter(t.status for t in shown.targets)
    parts = [f"{label} {counts[name]}" for name, label in STATUS_LABELS.items() if counts[name]]
    line = f"得分 {number(shown.score)} / {number(shown.total_points)}"
    if parts:
        line += "    " + " · ".join(parts)
    if total_targets is not None and total_targets != len(shown.targets):
        line += f"\n（按条件显示 {len(shown.targets)} / {total_targets} 项指标；得分为全部指标）"
    return line


# --- the spreadsheet -------------------------------------------------------------------


def as_sheet(
    shown: PlanStatus, *, before: PlanStatus | None = None, rev: str | None = None
) -> Sheet:
    """The status table as a worksheet: grouped like the terminal table, numbers as numbers."""
    from fedplan.render.table import Column, Row, Sheet

    earlier = _before_map(before)
    comparing = rev is not None
    columns = [
        Column("指标", wrap=True, max_width=36),
        Column("指标编号", max_width=24),
        Column("目标", "quantity"),
        Column("完成", "quantity"),
        Column("完成率", "percent"),
        Column("进度要求", "quantity"),
        Column("截止日期", "date"),
        Column("分值", "number"),
        Column("得分", "score"),
        Column("状态", "status"),
        Column("备注", wrap=True, max_width=20),
    ]
    if comparing:
        columns[4:4] = [Column("此前完成", "quantity"), Column("变化", "quantity")]
    rows: list[Row] = []
    section_shown: int | None = None
    item_shown: int | None = None
    for t in shown.targets:
        if t.section_index != section_shown:
            rows.append(Row((section_number(t.section_index + 1) + t.section,), kind="section"))
            section_shown = t.section_index
        if t.item_number != item_shown:
            rows.append(Row((f"{t.item_number}. {t.item_title}",), kind="item"))
            item_shown = t.item_number
        cells: list[Any] = [
            t.name,
            t.id,
            f"{month_day(t.due)}前" if t.is_milestone else t.target,
            t.actual,
            t.percent,
            t.expected,
            t.due,
            t.points,
            t.score,
            t.label,
            _stale_note(t),
        ]
        if comparing:
            old = earlier.get(t.id)
            cells[4:4] = [
                "—" if old is None else old.actual,
                "新增" if old is None else change(old, t),
            ]
        rows.append(Row(tuple(cells), unit=t.unit, status=t.status, indent=1))
    headers = [c.header for c in columns]
    total: list[Any] = [""] * len(columns)
    total[0] = "合计"
    total[headers.index("分值")] = shown.total_points
    total[headers.index("得分")] = shown.score
    rows.append(Row(tuple(total), kind="total"))
    subtitle = f"截至{cn_date(shown.as_of, '2012')}"
    if comparing:
        subtitle += f"，与 {rev} 相比"
    return Sheet(
        name=f"{shown.year}年工作进度",
        title=f"{shown.org}{shown.year}年工作进度",
        subtitle=subtitle,
        columns=tuple(columns),
        rows=tuple(rows),
        notes=tuple(_summary(shown, None).splitlines()),
    )
