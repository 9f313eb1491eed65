"""The words of a 考核细则, made from the rules and the scores (fedplan.scoring).

One home for them, since the terminal table, the JSON, the spreadsheet and the 自评表 all
print the same sentences: 评分标准 in the words a 细则 uses ("达到100%得40分，98%得30分
……"), 完成情况, and the 得分说明 that says how the score was reached ("完成7个，比目标少
12.5%，按“低于10%–20%扣10分”得20分"). Pure: strings from values.
"""

from __future__ import annotations

from fedplan.model import Indicator, Number, Rule
from fedplan.render.chinese import month_day
from fedplan.scoring import AssessmentScore, BonusScore, Gap, IndicatorScore
from fedplan.status import Exact, _exact, _round1


def num(value: Exact | float | None) -> str:
    """A figure as an office writes it: one decimal at most, half up; 40 not 40.0."""
    if value is None:  # the open end of a band ("以上"), never printed as a figure
        return ""
    rounded = _round1(_exact(value) if isinstance(value, float) else value)
    return str(rounded)


def _unit(unit: str | None) -> str:
    return "" if unit in (None, "%") else unit or ""


def _level(value: Exact | float | None, unit: str | None) -> str:
    return f"{num(value)}%" if unit == "%" else f"{num(value)}{unit or ''}"


def _share_points(points: float | int, share: float | int) -> str:
    return num(_exact(points) * _exact(share))


# --- 评分标准 -----------------------------------------------------------------------------------


def criterion(indicator: Indicator, *, unit: str | None = None, milestone: bool = False) -> str:
    """评分标准: the rule in a 细则's words. ``unit`` is the target's; ``milestone`` when it
    scores a task with no figure."""
    rule, points = indicator.rule, indicator.points
    p = num(points)
    form = rule.form
    if form == "proportional":
        if milestone:
            return f"完成得{p}分，未完成不得分"
        return f"完成目标得{p}分，未完成按完成比例得分"
    if form == "shortfall":
        return f"完成目标得{p}分；" + "，".join(_band_words(rule, n) + f"扣{num(d)}分" for n, (_, d) in enumerate(rule.bands)) + _beyond(rule)
    if form == "steps":
        parts = []
        for n, (threshold, got) in enumerate(rule.bands):
            level = f"{num(threshold)}%" if rule.of == "percent" else _level(threshold, unit)
            lead = ("完成率达" if rule.of == "percent" else "达到") if n == 0 else ""
            parts.append(f"{lead}{level}得{num(got)}分")
        last = rule.bands[-1][0]
        floor = f"{num(last)}%" if rule.of == "percent" else _level(last, unit)
        return "，".join(parts) + f"，低于{floor}不得分"
    if form == "per_unit":
        per = _exact(rule.per_unit)
        if per > 0:
            return f"每件得{num(per)}分，最多{p}分"
        return f"每次扣{num(-per)}分，扣完为止"
    if form == "on_time":
        late = f"逾期完成得{_share_points(points, rule.late)}分，" if rule.late else "逾期完成不得分，"
        return f"按时完成得{_share_points(points, rule.on_time)}分，{late}未完成不得分"
    # grades
    return "按等级计分：" + "，".join(f"{grade}得{_share_points(points, share)}分" for grade, share in rule.grades)


def _band_words(rule: Rule, n: int) -> str:
    """How far short band ``n`` covers: 低于目标10%以内 / 10%–20% / 20%以上."""
    limit = rule.bands[n][0]
    before = rule.bands[n - 1][0] if n else None
    if limit is None:
        return f"低于目标{num(before)}%以上" if before is not None else "未完成目标"
    if n == 0:
        return f"低于目标{num(limit)}%以内"
    return f"低于{num(before)}%–{num(limit)}%"


def _beyond(rule: Rule) -> str:
    last = rule.bands[-1][0]
    return "" if last is None else f"，低于{num(last)}%以上不得分"


def summary_sentence(score: AssessmentScore) -> str:
    """The annual summary's quotation of the self-assessment: 按《…》自评，得分251分（满分300分）."""
    by = f"{score.issuer}" if score.issuer else ""
    line = f"对照{by}《{score.title}》自评，得分{num(score.score)}分（满分{num(score.total_points)}分"
    line += f"，其中加分{num(score.bonus)}分）" if score.bonus else "）"
    if score.vetoed:
        line += "，因" + "、".join(dict.fromkeys(v.name for v in score.vetoes)) + "被一票否决"
    return line


def bonus_criterion(points: Number, most: Number | None) -> str:
    cap = f"，本项最多加{num(most)}分" if most is not None else ""
    return f"每次加{num(points)}分{cap}"


# --- 完成情况 and 得分说明 ------------------------------------------------------------------------


def completion(scored: IndicatorScore) -> str:
    """完成情况: what was done, in figures."""
    t, f = scored.target, scored.facts
    if t is not None:
        if t.is_milestone:
            return f"已于{month_day(f.done_on)}完成" if f.done_on is not None else f"尚未完成（时限{month_day(t.due)}）"
        assert f.actual is not None and f.percent is not None
        return f"完成{_level(f.actual, t.unit)}，目标{_level(t.target or 0, t.unit)}，完成率{num(f.percent)}%"
    if scored.form == "per_unit":
        return f"{num(f.units or 0)}{'件' if _exact(scored.indicator.rule.per_unit) > 0 else '次'}"
    if scored.form == "grades":
        return f"评定为“{f.grade}”" if f.grade else "尚未评定"
    return "没有可计分的目标"


def explanation(scored: IndicatorScore) -> str:
    """扣分/得分说明: how the score follows from the figures and the rule."""
    f, rule, t = scored.facts, scored.indicator.rule, scored.target
    s, p = num(scored.score), num(scored.points)
    form = scored.form
    if t is not None and t.is_milestone:
        if f.done_on is None:
            return f"尚未完成，暂不得分（时限{month_day(t.due)}）"
        if form == "on_time":
            if f.late:
                return f"{month_day(f.done_on)}完成，晚于时限{month_day(t.due)}，按逾期完成得{s}分"
            return f"{month_day(f.done_on)}完成，按时，得{s}分"
        return f"已完成，得{s}分"
    if t is not None:
        assert f.actual is not None and f.percent is not None
        done = f"完成{_level(f.actual, t.unit)}"
        if form == "shortfall":
            if not f.shortfall:
                return f"{done}，达到目标，得满分{p}分"
            short = f"比目标少{num(f.shortfall)}%"
            if f.band is None:
                return f"{done}，{short}，低于最低一档，不得分"
            deduct = num(rule.bands[f.band][1])
            return f"{done}，{short}，按“{_band_words(rule, f.band)}扣{deduct}分”得{s}分"
        if form == "steps":
            value = f"完成率{num(f.percent)}%" if rule.of == "percent" else done
            if f.band is None:
                last = rule.bands[-1][0]
                floor = f"{num(last)}%" if rule.of == "percent" else _level(last, t.unit)
                return f"{value}，未达到最低一档（{floor}），不得分"
            threshold, got = rule.bands[f.band]
            level = f"{num(threshold)}%" if rule.of == "percent" else _level(threshold, t.unit)
            return f"{value}，达到“{level}得{num(got)}分”一档，得{s}分"
        if f.percent >= 100:
            return f"{done}，完成率{num(f.percent)}%，得满分{p}分"
        return f"{done}，完成率{num(f.percent)}%，按比例得{s}分"
    if form == "per_unit":
        per = _exact(rule.per_unit)
        units = num(f.units or 0)
        if per > 0:
            cap = f"，已达上限{p}分" if f.capped else ""
            return f"共{units}件，每件{num(per)}分{cap}，得{s}分"
        floor = "，扣完为止" if f.capped else ""
        return f"共{units}次，每次扣{num(-per)}分{floor}，得{s}分"
    if form == "grades":
        if f.grade is None:
            return "尚未评定等级，暂不得分"
        share = dict(rule.grades)[f.grade]
        return f"评定为“{f.grade}”，得分值的{num(_exact(share) * 100)}%，得{s}分"
    return "计划中没有该指标依据的目标，不得分"


def bonus_explanation(item: BonusScore) -> str:
    if not item.count:
        return "未发生"
    raw = _exact(item.points) * item.count
    capped = item.max is not None and raw > _exact(item.max)
    return f"{item.count}次，每次{num(item.points)}分" + (f"，本项最多{num(item.max or 0)}分" if capped else "") + f"，加{num(item.score)}分"


def gap_text(gap: Gap) -> str:
    """One line of ``score --gaps``: what to do, and the points it brings."""
    gain = num(gap.gain)
    if gap.kind == "milestone":
        return f"{gap.name}：完成可得{gain}分"
    if gap.kind == "grade":
        return f"{gap.name}：评为“{gap.grade}”可得{gain}分"
    if gap.measure == "latest":
        assert gap.level is not None
        return f"{gap.name}：提高到{_level(gap.level, gap.unit)}可再得{gain}分"
    unit = _unit(gap.unit) if gap.unit != "%" else "个百分点"
    return f"{gap.name}：再完成{num(gap.work)}{unit}可再得{gain}分"
