"""The 自评表: the table an office sends up with its self-assessment, from a computed
AssessmentScore (fedplan.scoring) in the words of fedplan.rule_words.

Columns as such forms have them: 序号, 考核内容, 分值, 评分标准, 完成情况, 自评分,
佐证材料, and an empty 考核组评分 column for the assessors. The template
(templates/assessment.md.j2) only arranges what this view says.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from fedplan import rule_words as words
from fedplan.model import Settings
from fedplan.render.chinese import cn_date, resolve_date_style
from fedplan.scoring import AssessmentScore, IndicatorScore

if TYPE_CHECKING:
    from fedplan.render.table import Sheet

HEADER = ("序号", "考核内容", "分值", "评分标准", "完成情况", "自评分", "佐证材料", "考核组评分")


def _criterion(scored: IndicatorScore) -> str:
    t = scored.target
    return words.criterion(scored.indicator, unit=t.unit if t else None, milestone=bool(t and t.is_milestone))


def _evidence(refs: tuple[str, ...]) -> str:
    """File names (the attachments' names), web addresses whole."""
    return "；".join(ref if "://" in ref else posixpath.basename(ref) for ref in refs)


def self_assessment_context(score: AssessmentScore, settings: Settings) -> dict[str, Any]:
    rows: list[tuple[str, ...]] = []
    for n, i in enumerate(score.indicators, 1):
        rows.append((str(n), i.name, words.num(i.points), _criterion(i), words.explanation(i), words.num(i.score), _evidence(i.evidence), ""))
    if score.bonus_items:
        cap = f"（合计最多{words.num(score.bonus_max)}分）" if score.bonus_max is not None else ""
        rows.append(("", f"加分项{cap}", "", "", "", "", "", ""))
        for b in score.bonus_items:
            rows.append(
                (
                    "",
                    b.name,
                    words.num(b.max) if b.max is not None else "",
                    words.bonus_criterion(b.points, b.max),
                    words.bonus_explanation(b),
                    words.num(b.score),
                    _evidence(b.evidence),
                    "",
                )
            )
    for hit in score.vetoes:
        rows.append(("", hit.name, "", "发生即一票否决", f"{cn_date(hit.date, '2012')}{hit.note and '：' + hit.note}", "否决", "", ""))
    rows.append(("", "合计", words.num(score.total_points), "", "", words.num(score.score), "", ""))
    summary = f"自评总分{words.num(score.score)}分（满分{words.num(score.total_points)}分）"
    parts = [f"考核指标得分{words.num(score.indicators_score)}分"]
    if score.bonus_items:
        parts.append(f"加分{words.num(score.bonus)}分")
    summary += "，其中" + "，".join(parts) + "。"
    if score.vetoes:
        summary += "发生一票否决事项：" + "、".join(dict.fromkeys(v.name for v in score.vetoes)) + "。"
    else:
        summary += "未发生一票否决事项。"
    return {
        "title": f"{score.org}{score.year}年度考核自评表",
        "subtitle": f"（依据《{score.title}》，截至{cn_date(score.as_of, '2012')}）",
        "header": HEADER,
        "rows": rows,
        "summary": summary,
        "note": "“考核组评分”栏由考核组填写。",
        "org": score.org,
        "date": score.as_of,
        "date_style": resolve_date_style(settings.date_style, score.as_of),
    }


def self_assessment_sheet(context: dict[str, Any]) -> Sheet:
    """The 自评表 as a worksheet (``render assessment.yaml -o 自评表.xlsx``): the same rows as
    the document, 分值 and 自评分 as numbers, the 加分项 line as a heading row, 合计 last."""
    from fedplan.render.table import Column, Row, RowKind, Sheet

    columns = (
        Column("序号", "number", max_width=6),
        Column("考核内容", wrap=True, max_width=24),
        Column("分值", "number"),
        Column("评分标准", wrap=True, max_width=36),
        Column("完成情况", wrap=True, max_width=30),
        Column("自评分", "score"),
        Column("佐证材料", wrap=True, max_width=20),
        Column("考核组评分", "score"),
    )
    rows = []
    for cells in context["rows"]:
        kind: RowKind
        if cells[1] == "合计":
            kind = "total"
        elif not cells[0] and not any(cells[2:]):
            kind = "section"
        else:
            kind = "data"
        rows.append(Row(tuple(_figure(c) if i in (0, 2, 5) else c for i, c in enumerate(cells)), kind=kind))
    return Sheet(
        name="考核自评表",
        title=context["title"],
        subtitle=context["subtitle"],
        columns=columns,
        rows=tuple(rows),
        notes=(context["summary"], context["note"]),
    )


def _figure(text: str) -> str | int | float:
    """"40" → 40, "12.5" → 12.5; words ("否决") and blanks stay text."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value
