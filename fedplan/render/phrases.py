"""The wording of a drafted 工作总结: how one result, one setback or one plan reads.

Real 总结 of 妇联, 团委, 工会 and 街道 (the pages studied are listed in docs/templates.md)
share a shape these helpers write to:

- an item leads with its results in figures ("农业实用技术妇女骨干培训320人次，为全年目标
  300人次的106.7%，超额完成任务"), then a few dated notes of what was done;
- at year end a figure is 完成 / 未完成 / 超额完成; before it, it is set against 序时进度
  (the share of the year's target the elapsed time asks for);
- a milestone done late says when it was due and when it was done;
- 存在的问题 and 下一步工作打算 enumerate with 一是……二是…… — but a list of one is just said;
- a count (个, 人次, 名, 期 …) is whole: "序时进度应完成6个", never "5.3个"; nothing says "0项".

Pure functions of the status figures: no Jinja, no I/O; tested in tests/unit/test_phrases.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from fedplan.model import Number, Target
from fedplan.render.chinese import cn_numeral, month_day, number, percent, quantity
from fedplan.status import TargetStatus

# Measure words that count whole things. A unit ending in one of them is a count (人次, 个,
# 名, 期 …) unless it is scaled (万人次 may be 1.2万人次).
_CLASSIFIERS = set("个人名次期场户家项所篇件支批座处间位份条本套台辆册部节堂")
_SCALED = ("万", "亿", "千", "百")


def is_count(unit: str | None) -> bool:
    """Whether ``unit`` counts whole things: 人次, 个, 名 yes; 万元, %, 亩, 万人次 no."""
    return bool(unit) and unit is not None and unit[-1] in _CLASSIFIERS and not unit.startswith(_SCALED)


def whole_up(value: float) -> int:
    """A count's required figure, rounded up: 5.3 more trainees means 6 (binary noise aside)."""
    return math.ceil(round(value, 6))


def amount_of(value: Number | None, unit: str | None, *, required: bool = False) -> str:
    """A figure with its unit; a count never shows a fraction.

    ``required`` (a 序时进度 or a remaining amount) rounds a count up: the pace asks for 5.3
    posts, so 6 must be done to meet it, and 5 done is behind, as the verdict says.
    """
    if value is not None and is_count(unit) and not float(value).is_integer():
        value = whole_up(float(value)) if required else round(float(value))
    return quantity(value, unit)


def enumerate_points(points: Sequence[str]) -> list[str]:
    """Paragraphs "一是……" "二是……" — or the single point as it is: a list of one is not
    written as 一是."""
    if len(points) == 1:
        return [points[0]]
    return [f"{cn_numeral(i)}是{p}" for i, p in enumerate(points, start=1)]


def join_names(names: Sequence[str]) -> str:
    """A、B和C."""
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def sentence(text: str) -> str:
    text = text.rstrip().rstrip("；;，,")
    return text if not text or text[-1] in "。！？" else text + "。"


def clause(text: str) -> str:
    return text.strip().rstrip("。；;，,.")


# A note reports a setback when it says something was put off, fell short or met trouble.
# "逾期贷款已全部收回" is good news: 逾期 alone is not a setback word.
_SETBACK = re.compile(
    r"推迟|延期|延后|暂缓|搁置|取消|未能|未按|未完成|未达|没有完成|尚未|尚差|还差|困难|受阻|"
    r"放缓|滞后|偏少|少于|低于|不足|不全|不到位|不够|未统一|影响"
)


def is_setback(note: str) -> bool:
    """Whether a ledger note reports a setback (it belongs under 存在的问题, not 成效)."""
    return bool(_SETBACK.search(note))


def spread(items: Sequence[str], limit: int = 3) -> list[str]:
    """At most ``limit`` of ``items``, spread over them (first, middle, last): a paragraph of
    a 总结 names a few things done across the year, not the whole ledger."""
    if len(items) <= limit:
        return list(items)
    if limit <= 1:
        return [items[-1]]
    step = (len(items) - 1) / (limit - 1)
    return [items[round(i * step)] for i in range(limit)]


def dated(day: dt.date, note: str) -> str:
    """One ledger note as a sentence of the text: "3月20日，在双湾镇举办第二期培训班。"."""
    return sentence(f"{month_day(day)}，{clause(note)}")


def goal_phrase(target: Target) -> str:
    """What a target asks for, as a plan states it: 农业实用技术妇女骨干培训300人次."""
    if target.target is None:
        return f"{target.name}，{month_day(target.due)}前完成" if target.due else target.name
    figure = quantity(target.target, target.unit)
    if target.direction == "down":
        return f"{target.name}控制在{figure}以内"
    if target.measure == "latest":
        return f"{target.name}达到{figure}"
    return f"{target.name}{figure}"


def _figure_verb(target: Target) -> str:
    """How a figure follows a target's name: a count joins on (培训320人次), a level or an
    amount is reached (放贷额度达到1960万元)."""
    return "" if is_count(target.unit) else "达到"


def _gap(ts: TargetStatus) -> float:
    assert ts.target is not None and not isinstance(ts.actual, bool)
    return float(ts.target) - float(ts.actual)


def numeric_result(ts: TargetStatus, target: Target, *, year_end: bool) -> str:
    """The result of a numeric target, figures first, as the item's paragraph opens with it.

    Year end: 超额完成 / 完成 / 未完成 (with what is missing). Before it: the share of the
    year's target and how it stands against 序时进度.
    """
    assert ts.target is not None and not isinstance(ts.actual, bool)
    unit = ts.unit
    goal = amount_of(ts.target, unit)
    actual = amount_of(ts.actual, unit)
    base = float(target.baseline)
    prefix = f"在年初{amount_of(base, unit)}的基础上，" if base and target.direction == "up" else ""
    whole = "全年目标"

    if target.direction == "down":
        head = f"{ts.name}为{actual}"
        if float(ts.actual) <= float(ts.target):
            return f"{head}，控制在{whole}{goal}以内"
        return f"{head}，超出{goal}的控制目标" + ("" if year_end else f"，{_pace_word(ts)}")

    if float(ts.actual) == base and target.measure == "sum":
        head = f"{ts.name}{whole}{goal}，尚无完成记录"
        if year_end:
            return head
        return head + (f"，序时进度应完成{amount_of(ts.expected, unit, required=True)}" if ts.expected else "")
    head = f"{prefix}{ts.name}{_figure_verb(target)}{actual}"
    share = percent(ts.percent)
    if unit == "%":  # a rate: "还贷率达到99.1%" says it; "为目标100%的99.1%" would repeat it
        if ts.status == "done":
            return f"{head}，{'实现' if year_end else '提前实现'}{whole}"
        if year_end:
            return f"{head}，未达到{whole}{goal}"
        return f"{head}（{whole}{goal}），{_pace(ts, level=target.measure == 'latest')}"
    if ts.status == "done":
        if ts.percent is not None and ts.percent > 100:
            done = "超额完成全年任务" if year_end else "提前超额完成全年任务"
            return f"{head}，为{whole}{goal}的{share}，{done}"
        return f"{head}，{'完成' if year_end else '提前完成'}{whole}"
    if year_end:
        return f"{head}，为{whole}{goal}的{share}，尚差{amount_of(_gap(ts), unit, required=True)}，未完成全年任务"
    return f"{head}，为{whole}{goal}的{share}，{_pace(ts)}"


def _pace(ts: TargetStatus, *, level: bool = False) -> str:
    """How a numeric target stands against 序时进度 before year end (a level, such as a
    rate, is on track or not: "应完成49.6%" of a repayment rate would mean nothing)."""
    if level and ts.status == "on-track":
        return "进度正常"
    if ts.status == "not-started":
        return f"计划自{month_day(ts.start)}起实施"
    expected = amount_of(ts.expected, ts.unit, required=True)
    if ts.status == "on-track":
        return f"达到序时进度（应完成{expected}）"
    if ts.status == "overdue":
        return f"原定{month_day(ts.due)}前完成，已逾期"
    return f"序时进度应完成{expected}，{_pace_word(ts)}"


def _pace_word(ts: TargetStatus) -> str:
    return {"at-risk": "进度严重滞后", "behind": "进度滞后", "overdue": "已逾期"}.get(ts.status, "进度正常")


def milestone_result(ts: TargetStatus, done_on: dt.date | None, *, year_end: bool) -> str:
    """A milestone: when it was done (and, if late, when it was due), or where it stands."""
    due = month_day(ts.due)
    if done_on is not None:
        late = (done_on - ts.due).days
        if late > 0:
            return f"{ts.name}原定{due}前完成，实际于{month_day(done_on)}完成，推迟{late}天"
        return f"{ts.name}于{month_day(done_on)}完成"
    if year_end:
        return f"{ts.name}原定{due}前完成，至年底尚未完成"
    if ts.status == "overdue":
        return f"{ts.name}原定{due}前完成，目前尚未完成，已逾期"
    if ts.status == "behind":
        return f"{ts.name}，计划于{due}前完成，临近期限，尚未完成"
    if ts.status == "not-started":
        return f"{ts.name}，计划于{due}前完成，尚未开始"
    return f"{ts.name}，计划于{due}前完成，正在推进"


def _each(values: Sequence[str]) -> str:
    """Figures that go with joined names, in their order: "7个和1960万元" (分别 before the
    verb says they pair up)."""
    return join_names(values)


def shortfalls(short: Sequence[TargetStatus], *, year_end: bool) -> str:
    """The numeric targets that are short, as 存在的问题 states them: the shortfall said once
    and the targets joined ("A和B分别完成7个和1960万元，为全年目标的87.5%和98%，分别尚差
    1个和40万元"), not one "为全年目标……的……，尚差……" per target. A rate (unit %) is
    compared with its goal, not given a share of itself; it joins the others after a "；"."""
    rates = [t for t in short if t.unit == "%"]
    amounts = [t for t in short if t.unit != "%"]
    parts = []
    if amounts:
        names = join_names([t.name for t in amounts])
        each = "分别" if len(amounts) > 1 else ""
        done = _each([amount_of(t.actual, t.unit) for t in amounts])
        if year_end:
            goals = _each([percent(t.percent) for t in amounts])
            gaps = _each([amount_of(_gap(t), t.unit, required=True) for t in amounts])
            if len(amounts) == 1:
                (t,) = amounts
                parts.append(f"{names}完成{done}，为全年目标{amount_of(t.target, t.unit)}的{goals}，尚差{gaps}")
            else:
                parts.append(f"{names}{each}完成{done}，为全年目标的{goals}，{each}尚差{gaps}")
        else:
            expected = _each([amount_of(t.expected, t.unit, required=True) for t in amounts])
            text = f"{names}{each}完成{done}，低于序时进度应完成的{expected}"
            severe = [t.name for t in amounts if t.status == "at-risk"]
            if severe and len(severe) == len(amounts):
                text += "，进度严重滞后"
            elif severe:
                text += f"，其中{join_names(severe)}进度严重滞后"
            parts.append(text)
    if rates:
        names = join_names([t.name for t in rates])
        each = "分别" if len(rates) > 1 else ""
        values = _each([amount_of(t.actual, "%") for t in rates])
        goals = _each([amount_of(t.target, "%") for t in rates])
        parts.append(f"{names}{each}为{values}，{'未达到' if year_end else '低于'}全年目标{goals}")
    return "；".join(parts)


def milestone_setbacks(
    missing: Sequence[TargetStatus], late: Sequence[tuple[TargetStatus, dt.date]], *, year_end: bool
) -> str:
    """The milestones 存在的问题 names, each group's words said once: those still not done
    ("A和B原定10月31日和11月30日前完成，至年底尚未完成"), then those done late ("C推迟12天，
    于7月12日完成（原定6月30日前）")."""
    parts = []
    if missing:
        names = join_names([t.name for t in missing])
        dues = join_names([month_day(t.due) for t in missing])
        each = "分别" if len(missing) > 1 else ""
        still = "至年底尚未完成" if year_end else "目前尚未完成，已逾期"
        parts.append(f"{names}原定{each}于{dues}前完成，{still}")
    for ts, done_on in late:
        parts.append(f"{ts.name}推迟{(done_on - ts.due).days}天，于{month_day(done_on)}完成（原定{month_day(ts.due)}前）")
    return "；".join(parts)


def still_needed(behind: Sequence[tuple[TargetStatus, str]]) -> str:
    """What the lagging targets still need, as 下一步工作打算 says it, the words said once:
    "A（发展部）和B（发展部）分别还需完成180人次和5个"; a rate is raised to its goal
    ("还贷率由目前的99.1%提高到100%"), never "还需完成0.9%". Each target comes with the
    note that follows its name (its 牵头部门)."""
    amounts = [(t, who) for t, who in behind if t.unit != "%"]
    rates = [(t, who) for t, who in behind if t.unit == "%"]
    parts = []
    if amounts:
        names = join_names([t.name + who for t, who in amounts])
        need = join_names([remaining(t) for t, _ in amounts])
        if len(amounts) == 1:
            (t, _), = amounts
            parts.append(f"{names}全年目标{amount_of(t.target, t.unit)}，还需完成{need}")
        else:
            parts.append(f"{names}分别还需完成{need}")
    for t, who in rates:
        assert not isinstance(t.actual, bool)
        parts.append(f"{t.name}{who}由目前的{amount_of(t.actual, '%')}提高到{amount_of(t.target, '%')}")
    return "；".join(parts)


def remaining(ts: TargetStatus) -> str:
    """What is left of a numeric target: 还需完成1040万元."""
    assert ts.target is not None and not isinstance(ts.actual, bool)
    return amount_of(max(0.0, _gap(ts)), ts.unit, required=True)


def tally(total: int, done: int, over: int, *, kind: str, year_end: bool) -> str:
    """"5项量化目标完成3项，其中超额完成1项" — never "完成0项"."""
    if not total:
        return ""
    head = f"{total}项{kind}"
    if done == total:
        text = f"{head}全部完成"
    elif done == 0:
        text = f"{head}均未完成" if year_end else f"{head}均在推进中"
    else:
        text = f"{head}{'' if year_end else '已'}完成{done}项"
    if over:
        text += f"，其中超额完成{over}项"
    return text


def score_phrase(score: Number, total: Number) -> str:
    return f"考核得分{number(score)}分（满分{number(total)}分）"
