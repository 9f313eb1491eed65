"""Inline SVG progress charts: a numeric target's actual course against the expected pace.

The geometry is computed here, in Python, so the HTML template only places the result;
every piece of user text in the SVG goes through ``escape``.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from fedplan.records import record
from fedplan.render.chinese import month_day, percent, quantity
from fedplan.status import TargetStatus

WIDTH, HEIGHT = 600, 215
LEFT, RIGHT, TOP, BOTTOM = 16, 584, 58, 168

STATUS_COLOURS = {
    "done": "#2e7d32",
    "on-track": "#2e7d32",
    "not-started": "#757575",
    "behind": "#ef8f00",
    "at-risk": "#c62828",
    "overdue": "#c62828",
}


@record
class _Scale:
    first: dt.date
    last: dt.date
    top_value: float

    def x(self, day: dt.date) -> float:
        span = max(1, (self.last - self.first).days)
        return round(LEFT + (RIGHT - LEFT) * (day - self.first).days / span, 1)

    def y(self, value: float) -> float:
        return round(BOTTOM - (BOTTOM - TOP) * value / self.top_value, 1)


def _course(ts: TargetStatus, baseline: float, measure_latest: bool) -> list[tuple[dt.date, float]]:
    """The actual value over time, as steps at each entry."""
    points = [(ts.start, baseline)]
    level = baseline
    for entry in ts.entries:
        if entry.value is None:
            continue
        level = float(entry.value) if measure_latest else level + float(entry.value)
        points.append((entry.date, points[-1][1]))
        points.append((entry.date, level))
    return points


def progress_chart(ts: TargetStatus, *, as_of: dt.date, year: int, baseline: float = 0,
                   latest: bool = False, down: bool = False) -> Markup:
    """An SVG of ``ts`` across the year: the actual course (solid, coloured by status), the
    expected pace from start to due (dashed), the target line, and the as-of day."""
    assert ts.target is not None and not isinstance(ts.actual, bool)
    goal, actual = float(ts.target), float(ts.actual)
    scale = _Scale(dt.date(year, 1, 1), dt.date(year, 12, 31), max(goal, actual, baseline, 1) * 1.15)
    colour = STATUS_COLOURS[ts.status]
    course = [*_course(ts, baseline, latest), (as_of, actual)]
    course_points = " ".join(f"{scale.x(d)},{scale.y(v)}" for d, v in course)
    if down:
        pace = f"{LEFT},{scale.y(goal)} {RIGHT},{scale.y(goal)}"
    else:
        pace = (
            f"{scale.x(ts.start)},{scale.y(baseline)} {scale.x(ts.due)},{scale.y(goal)}"
            f" {RIGHT},{scale.y(goal)}"
        )
    label = escape(ts.name)
    actual_text = escape(f"{quantity(actual, ts.unit)}（{percent(ts.percent)}）")
    goal_text = escape(f"目标 {quantity(goal, ts.unit)}")
    x_now, y_now = scale.x(as_of), scale.y(actual)
    anchor = "end" if x_now > (LEFT + RIGHT) / 2 else "start"
    dx = -8 if anchor == "end" else 8
    today_anchor = "end" if x_now > RIGHT - 50 else "start" if x_now < LEFT + 50 else "middle"
    months = "".join(
        f'<text x="{scale.x(dt.date(year, m, 15))}" y="{BOTTOM + 20}" class="tick">{m}月</text>'
        for m in range(1, 13)
    )
    description = escape(
        f"{ts.name}：完成{quantity(actual, ts.unit)}，目标{quantity(goal, ts.unit)}，"
        f"序时进度{quantity(ts.expected, ts.unit)}，{ts.label}"
    )
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{description}">'
        f"<title>{description}</title>"
        f'<text x="{LEFT}" y="18" class="name">{label}</text>'
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" class="axis"/>'
        f"{months}"
        f'<line x1="{LEFT}" y1="{scale.y(goal)}" x2="{RIGHT}" y2="{scale.y(goal)}" class="goal"/>'
        f'<text x="{LEFT + 4}" y="{scale.y(goal) - 6}" class="goal-label">{goal_text}</text>'
        f'<polyline points="{pace}" class="pace"/>'
        f'<line x1="{x_now}" y1="{TOP - 8}" x2="{x_now}" y2="{BOTTOM}" class="today"/>'
        f'<text x="{x_now}" y="{TOP - 14}" text-anchor="{today_anchor}" class="today-label">'
        f"截至{escape(month_day(as_of))}</text>"
        f'<polyline points="{course_points}" class="course" stroke="{colour}"/>'
        f'<circle cx="{x_now}" cy="{y_now}" r="4.5" fill="{colour}"/>'
        f'<text x="{x_now + dx}" y="{y_now - 8}" text-anchor="{anchor}" class="value"'
        f' fill="{colour}">{actual_text}</text>'
        f'<text x="{RIGHT}" y="18" class="legend">— 实际完成　- - 序时进度</text>'
        "</svg>"
    )
