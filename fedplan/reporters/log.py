"""What ``fedplan log`` says once an entry is written: where it went and where the target
now stands. Formatting only: the caller prints."""

from __future__ import annotations

from fedplan.ledger import format_number
from fedplan.logbook import Recorded


def written(recorded: Recorded) -> str:
    """"已记入 plans/2012/progress/fazhanbu.yaml：2012-07-01 farm-training"."""
    return f"已记入 {recorded.path}：{recorded.entry.date.isoformat()} {recorded.subject.id}"


def status_line(recorded: Recorded) -> str:
    """"farm-training 农业实用技术妇女骨干培训：320/300 人次（106.7%）已完成"."""
    subject, status = recorded.subject, recorded.status
    if subject.target is None:
        return f"{subject.item.id} {subject.item.title}：已记录文字进展"
    if status is None:  # pragma: no cover - the target was there a moment ago
        return ""
    head = f"{status.id} {status.name}："
    if status.target is None:
        return head + status.label
    actual = format_number(status.actual) if not isinstance(status.actual, bool) else "—"
    unit = status.unit or ""
    both = f"{actual}/{format_number(status.target)}" + (unit if unit == "%" else f" {unit}")
    return head + f"{both.rstrip()}（{status.percent:.1f}%）{status.label}"
