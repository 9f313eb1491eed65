"""What ``fedplan log`` says once an entry is written: where it went and where the target
now stands. Formatting only: the caller prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fedplan import records
from fedplan.ledger import format_number
from fedplan.logbook import Batch, Recorded
from fedplan.model import Entry
from fedplan.width import visible

if TYPE_CHECKING:
    from fedplan.intake import Intake, Planned
    from fedplan.status import TargetStatus


def written(recorded: Recorded) -> str:
    """"已记入 plans/2012/progress/fazhanbu.yaml：2012-07-01 farm-training"."""
    line = f"已记入 {recorded.path}：{recorded.entry.date.isoformat()} {recorded.subject.id}"
    target, value = recorded.subject.target, recorded.entry.value
    if recorded.total is not None and target is not None and value is not None and target.measure == "sum":
        line += f" 本次 {format_number(value)}（按累计 {recorded.total} 算出）"
    return visible(line)


def status_line(recorded: Recorded) -> str:
    """"farm-training 农业实用技术妇女骨干培训：320/300 人次（106.7%）已完成"."""
    subject, status = recorded.subject, recorded.status
    if subject.target is None:
        return visible(f"{subject.item.id} {subject.item.title}：已记录文字进展")
    if status is None:  # pragma: no cover - the target was there a moment ago
        return ""
    return visible(_status_text(status))


# A sheet of thousands of rows is summed up, not printed whole.
DRY_RUN_LISTED = 50
STATUSES_LISTED = 30


def batch(found: Intake, written: Batch | None, *, dry_run: bool) -> str:
    """What ``log --from`` did: the entries by ledger, what it skipped and why, and where each
    target it touched now stands."""
    where = found.grid.file + (f"!{found.grid.sheet}" if found.grid.sheet else "")
    lines: list[str] = []
    how = {p.entry: p for p in found.planned}
    if written is None:
        lines.append(f"{where}：没有要记入的新记录。")
    else:
        verb = "将记入" if dry_run else "已记入"
        total = sum(len(v) for v in written.by_ledger.values())
        lines.append(f"{where}：{verb} {total} 条记录" + ("（试运行，未写入任何文件）" if dry_run else ""))
        for rel, entries in written.by_ledger.items():
            lines.append(f"  {rel}：{len(entries)} 条")
            if dry_run:
                for entry in entries[:DRY_RUN_LISTED]:
                    lines.append("    " + _entry_line(entry, how))
                if len(entries) > DRY_RUN_LISTED:
                    lines.append(f"    ……另有 {len(entries) - DRY_RUN_LISTED} 条")
    skipped = _skipped(found)
    if skipped:
        lines.append("跳过：" + "；".join(skipped))
    if written is not None and written.statuses:
        lines.append("记入后各目标：" if not dry_run else "记入后各目标将是：")
        for status in written.statuses[:STATUSES_LISTED]:
            lines.append("  " + _status_text(status))
        if len(written.statuses) > STATUSES_LISTED:
            lines.append(f"  ……另有 {len(written.statuses) - STATUSES_LISTED} 项目标（fedplan status 查看全部）")
    return visible("\n".join(lines) + "\n")


def _entry_line(entry: Entry, how: dict[Entry, Planned]) -> str:
    subject = entry.target or entry.item or ""
    if entry.value is not None:
        what = format_number(entry.value)
    elif entry.done:
        what = "完成"
    else:
        what = "文字进展"
    planned = how.get(records.replace(entry, path=""))
    place = f"（{planned.place}{'；' + planned.how if planned.how else ''}）" if planned else ""
    note = f"  {entry.note}" if entry.note else ""
    return f"{entry.date.isoformat()} {subject} {what}{note}{place}"


def _skipped(found: Intake) -> list[str]:
    parts = []
    if found.duplicates:
        parts.append(f"台账中已有的 {len(found.duplicates)} 行（重复导入不会重复记入）")
    if found.unchanged:
        parts.append(f"累计数没有变化的 {len(found.unchanged)} 行")
    reasons: dict[str, list[str]] = {}
    for place, why in found.skipped:
        reasons.setdefault(why, []).append(place.rsplit("!", 1)[-1])
    for why, places in reasons.items():
        parts.append(f"{why} {'、'.join(places[:5])}{' 等' if len(places) > 5 else ''}")
    if found.unfilled:
        parts.append(f"未填写的 {found.unfilled} 行")
    if found.blank:
        parts.append(f"空行 {found.blank} 行")
    return parts


def _status_text(status: TargetStatus) -> str:
    head = f"{status.id} {status.name}："
    if status.target is None:
        return head + status.label
    actual = format_number(status.actual) if not isinstance(status.actual, bool) else "—"
    unit = status.unit or ""
    both = f"{actual}/{format_number(status.target)}" + (unit if unit == "%" else f" {unit}")
    return head + f"{both.rstrip()}（{status.percent:.1f}%）{status.label}"
