"""`fedplan score` output: the terminal table, JSON (SPEC §5), CSV and the worksheet.

Every function lays out a computed AssessmentScore (fedplan.scoring) in the words of
fedplan.rule_words. The table is one plain structure, ``rows``, which the terminal, the
CSV and the spreadsheet (fedplan.render.xlsx) all print.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import IO, TYPE_CHECKING, Any

from fedplan import rule_words as words
from fedplan.records import record
from fedplan.render.chinese import cn_date
from fedplan.scoring import AssessmentScore, IndicatorScore

if TYPE_CHECKING:
    from rich.console import Console

    from fedplan.render.table import Sheet

HEADER = ("序号", "考核内容", "分值", "评分标准", "完成情况", "得分", "得分说明")


@record
class ScoreRow:
    cells: tuple[Any, ...]  # in HEADER's order; numbers as numbers
    kind: str = "data"  # data | section (加分项, 一票否决) | total


def criterion(scored: IndicatorScore) -> str:
    t = scored.target
    return words.criterion(scored.indicator, unit=t.unit if t else None, milestone=bool(t and t.is_milestone))


def rows(score: AssessmentScore) -> list[ScoreRow]:
    """The score table: one row per indicator, then 加分项, 一票否决 and the total."""
    out = [
        ScoreRow((n, i.name, i.points, criterion(i), words.completion(i), i.score, words.explanation(i)))
        for n, i in enumerate(score.indicators, 1)
    ]
    if score.bonus_items:
        cap = f"（合计最多{words.num(score.bonus_max)}分）" if score.bonus_max is not None else ""
        out.append(ScoreRow(("", f"加分项{cap}"), kind="section"))
        for item in score.bonus_items:
            spec = words.bonus_criterion(item.points, item.max)
            out.append(ScoreRow(("", item.name, None, spec, f"{item.count}次", item.score, words.bonus_explanation(item))))
        if score.bonus_capped:
            out.append(ScoreRow(("", "加分合计", None, "", "", score.bonus, f"超过上限，按{words.num(score.bonus_max)}分计")))
    if score.vetoes:
        out.append(ScoreRow(("", "一票否决"), kind="section"))
        for hit in score.vetoes:
            out.append(ScoreRow(("", hit.name, None, "发生即一票否决", f"{cn_date(hit.date, '2012')}：{hit.note}".rstrip("："), None, "一票否决")))
    out.append(ScoreRow(("", "合计", score.total_points, "", "", score.score, _total_note(score)), kind="total"))
    return out


def _total_note(score: AssessmentScore) -> str:
    parts = [f"指标{words.num(score.indicators_score)}分"]
    if score.bonus_items:
        parts.append(f"加分{words.num(score.bonus)}分")
    note = "，".join(parts)
    if score.vetoed:
        note += "；一票否决"
    return note


def headline(score: AssessmentScore) -> str:
    """The one line `status` and the summary quote: 考核自评得分 246.5 分（满分 300 分）."""
    what = "预计年终得分" if score.projected else "考核自评得分"
    line = f"{what} {words.num(score.score)} 分（满分 {words.num(score.total_points)} 分"
    line += f"，含加分 {words.num(score.bonus)} 分）" if score.bonus else "）"
    if score.vetoed:
        line += "，一票否决：" + "、".join(dict.fromkeys(v.name for v in score.vetoes))
    return line


def title(score: AssessmentScore) -> str:
    return f"{score.title}（{'预计年终' if score.projected else '截至' + cn_date(score.as_of, '2012')}）"


# --- JSON and CSV ---------------------------------------------------------------------------


def as_json(score: AssessmentScore, *, gaps: bool = False) -> str:
    """SPEC §5: ``score`` is indicators plus bonus after caps; numbers as numbers."""
    indicators = []
    for i in score.indicators:
        t = i.target
        actual: Any
        if t is not None:
            actual = t.actual
        elif i.form == "per_unit":
            actual = words.num(i.facts.units or 0)
            actual = float(actual) if "." in actual else int(actual)
        else:
            actual = i.facts.grade
        indicators.append(
            {
                "id": i.id,
                "name": i.name,
                "points": i.points,
                "rule": criterion(i),
                "target": t.id if t else None,
                "actual": actual,
                "percent": t.percent if t else None,
                "completion": words.completion(i),
                "score": i.score,
                "explanation": words.explanation(i),
                "evidence": list(i.evidence),
            }
        )
    document: dict[str, Any] = {
        "org": score.org,
        "year": score.year,
        "as_of": score.as_of.isoformat(),
        "title": score.title,
        "projected": score.projected,
        "score": score.score,
        "total_points": score.total_points,
        "indicators_score": score.indicators_score,
        "bonus": score.bonus,
        "bonus_max": score.bonus_max,
        "vetoed": score.vetoed,
        "indicators": indicators,
        "bonus_items": [
            {"id": b.id, "name": b.name, "points": b.points, "max": b.max, "count": b.count, "score": b.score}
            for b in score.bonus_items
        ],
        "vetoes": [{"id": v.id, "name": v.name, "date": v.date.isoformat(), "note": v.note} for v in score.vetoes],
    }
    if gaps:
        document["gaps"] = [
            {"indicator": g.indicator, "name": g.name, "points": g.gain, "text": words.gap_text(g)} for g in score.gaps()
        ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_csv(score: AssessmentScore) -> str:
    """The score table with a header row; encode as utf-8-sig for Excel/WPS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows(score):
        writer.writerow(["" if c is None else c for c in row.cells] + [""] * (len(HEADER) - len(row.cells)))
    return buffer.getvalue()


def as_sheet(score: AssessmentScore, *, gaps: bool = False) -> Sheet:
    """The score table as a worksheet for fedplan.render.xlsx."""
    from fedplan.render.table import Column, Row, Sheet

    columns = (
        Column("序号", "number", max_width=6),
        Column("考核内容", wrap=True, max_width=24),
        Column("分值", "number"),
        Column("评分标准", wrap=True, max_width=40),
        Column("完成情况", wrap=True, max_width=30),
        Column("得分", "score"),
        Column("得分说明", wrap=True, max_width=40),
    )
    kinds = {"data": "data", "section": "section", "total": "total"}
    sheet_rows = tuple(Row(r.cells, kind=kinds[r.kind]) for r in rows(score))  # type: ignore[arg-type]
    notes = [headline(score)]
    if gaps:
        notes += [words.gap_text(g) for g in score.gaps()]
    return Sheet(
        name=f"{score.year}年考核得分",
        title=f"{score.org}{score.title}",
        subtitle="预计年终得分" if score.projected else f"截至{cn_date(score.as_of, '2012')}",
        columns=columns,
        rows=sheet_rows,
        notes=tuple(notes),
    )


# --- the terminal --------------------------------------------------------------------------------


def make_console(file: IO[str] | None = None) -> Console:
    """A rich console that follows the terminal (colour only there and without NO_COLOR);
    piped, as wide as status's table unless COLUMNS says otherwise."""
    from rich.console import Console

    from fedplan.reporters.status import _PIPE_WIDTH

    console = Console(file=file, highlight=False, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = _PIPE_WIDTH
    return console


def print_table(score: AssessmentScore, *, gaps: bool = False, console: Console | None = None) -> None:
    from rich.table import Table

    console = console or make_console()
    table = Table(title=f"{score.org} {title(score)}", show_lines=True)
    for header in HEADER:
        numeric = header in ("序号", "分值", "得分")
        table.add_column(header, justify="right" if numeric else "left", no_wrap=numeric, overflow="fold")
    for row in rows(score):
        cells = [words.num(c) if isinstance(c, (int, float)) and not isinstance(c, bool) else (c or "") for c in row.cells]
        cells += [""] * (len(HEADER) - len(cells))
        style = "bold" if row.kind != "data" else None
        table.add_row(*cells, style=style)
    console.print(table)
    console.print(headline(score), markup=False)
    if gaps:
        found = score.gaps()
        console.print("还可得分：" if found else "各项均已得满分。", markup=False)
        for n, gap in enumerate(found, 1):
            console.print(f"  {n}. {words.gap_text(gap)}", markup=False)

