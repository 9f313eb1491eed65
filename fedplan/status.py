"""The arithmetic of SPEC §4: where each target stands as of a date. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from fedplan.model import Entry, Number, Plan, Settings

StatusName = Literal["done", "overdue", "not-started", "on-track", "behind", "at-risk"]

STATUS_LABELS: dict[str, str] = {
    "done": "已完成",
    "overdue": "已逾期",
    "not-started": "未开始",
    "on-track": "正常",
    "behind": "滞后",
    "at-risk": "严重滞后",
}


@dataclass(frozen=True)
class TargetStatus:
    id: str
    name: str
    section: str  # the section's title
    section_index: int  # 0-based position of the section in the plan
    item: str  # the item's id
    item_title: str
    item_number: int  # 1-based, continuous across sections as in the plan
    target: Number | None
    unit: str | None
    actual: Number | bool  # bool for a milestone
    percent: float | None  # one decimal; None for milestones
    expected: float | None  # None for milestones
    status: StatusName
    start: dt.date
    due: dt.date
    points: Number | None
    score: float | None  # None when the target has no points
    entries: tuple[Entry, ...]  # the entries counted, date order
    last_entry: dt.date | None
    stale: bool  # numeric, not done, no entry for settings.stale_days

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_milestone(self) -> bool:
        return self.target is None


@dataclass(frozen=True)
class PlanStatus:
    org: str
    year: int
    as_of: dt.date
    score: float
    total_points: Number
    targets: tuple[TargetStatus, ...]

    def target(self, target_id: str) -> TargetStatus | None:
        return next((t for t in self.targets if t.id == target_id), None)


def compute_status(
    plan: Plan, entries: tuple[Entry, ...], *, as_of: dt.date, settings: Settings
) -> PlanStatus:
    """Status of every target of ``plan`` as of ``as_of`` (SPEC §4)."""
    raise NotImplementedError  # being written: issue 3
