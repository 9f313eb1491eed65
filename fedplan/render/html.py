"""One self-contained HTML file: the blocks through ``page.html.j2`` (autoescaped), inline
CSS for screen and A4 print, one inline SVG chart per chart block; no script, no URL."""

from __future__ import annotations

from collections.abc import Mapping

import jinja2
from markupsafe import Markup

from fedplan.model import Plan, Target
from fedplan.render.blocks import RenderedDocument
from fedplan.render.chart import progress_chart
from fedplan.render.env import render_template
from fedplan.render.text import LINE_CHARS, place_signature, signature_pair
from fedplan.status import PlanStatus

PAGE_TEMPLATE = "page.html.j2"


def charts_for(status: PlanStatus | None, plan: Plan | None) -> dict[str, Markup]:
    """The SVG chart of every numeric target of ``status``, by target id."""
    if status is None or plan is None:
        return {}
    charts: dict[str, Markup] = {}
    targets: dict[str, Target] = {}
    for _, _, t in plan.targets():
        targets.setdefault(t.id, t)
    for ts in status.targets:
        target = targets.get(ts.id)
        if ts.is_milestone or target is None:
            continue
        charts[ts.id] = progress_chart(
            ts,
            as_of=status.as_of,
            year=status.year,
            baseline=float(target.baseline),
            latest=target.measure == "latest",
            down=target.direction == "down",
        )
    return charts


def chart_names(status: PlanStatus | None) -> dict[str, str]:
    """Target id → name, for placing each chart under the table row that names it."""
    return {ts.id: ts.name for ts in status.targets} if status is not None else {}


def _table_charts(
    doc: RenderedDocument, charts: Mapping[str, Markup], names: Mapping[str, str]
) -> dict[int, list[Markup]]:
    """The charts to draw under each table (by block index): those of the targets its rows
    name, unless a chart block of the template already placed them."""
    placed = {b.target_id for b in doc.blocks if b.kind == "chart"}
    by_name = {name: target for target, name in names.items() if target in charts and target not in placed}
    under: dict[int, list[Markup]] = {}
    for i, block in enumerate(doc.blocks):
        if block.kind != "table":
            continue
        for row in block.rows[1:]:
            target = by_name.pop(row[0], None) if row else None
            if target is not None:
                under.setdefault(i, []).append(charts[target])
    return under


# A sideways page's type area: 297 − 28 − 26 = 243 mm of 16 pt (5.64 mm) characters.
LANDSCAPE_LINE_CHARS = 43


def _line_chars(doc: RenderedDocument) -> int:
    return LANDSCAPE_LINE_CHARS if doc.landscape else LINE_CHARS


def _signature_indents(doc: RenderedDocument) -> dict[int, float]:
    """Left indent (in characters) of each signature and date block, as on the printed page."""
    indents: dict[int, float] = {}
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.kind not in ("signature", "date") or i in indents:
            continue
        name, date, last = signature_pair(blocks, i)
        place = place_signature(name, date, columns=_line_chars(doc) * 2)
        if block.kind == "signature":
            indents[i] = place.name_start / 2
        if blocks[last].kind == "date":
            indents[last] = place.date_start / 2
    return indents


def to_html(
    doc: RenderedDocument,
    *,
    env: jinja2.Environment,
    charts: Mapping[str, Markup] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    return render_template(
        env,
        PAGE_TEMPLATE,
        doc=doc,
        blocks=doc.blocks,
        charts=charts or {},
        table_charts=_table_charts(doc, charts or {}, names or {}),
        indents=_signature_indents(doc),
        line_chars=_line_chars(doc),
    )
