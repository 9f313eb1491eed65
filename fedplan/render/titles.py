"""Where a long title breaks (GB/T 9704-2012 7.3.1): 回行时词意完整, 排列对称, and a
trapezoid (梯形) or diamond (菱形) shape — never "…几点建 / 议".

A 公文 title follows one formula, 发文机关 + 关于 + 事由 + 的 + 文种 ("人大代表 / 关于 /
进一步加强我区城市生活垃圾处理 / 的 / 建议"), and its joints are the places to break: the
title's own punctuation, either side of 关于, before or after the last 的, after a year
(2012年, 上半年), after the verbs and places 事由 opens with (进一步, 加强, 我区), before
the nouns 事由 ends with (工作, 建设, 情况). A Chinese word segmenter (jieba) was measured
against these rules on every bundled title and on the test titles: it found no better break,
and costs 19 MB and ~1 s of dictionary loading per run (docs/GBT9704.md), so it is not used.
Runs of digits and Latin letters are never split.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable

# Break after these: the title's punctuation, and heads that end a phrase.
_AFTER_PUNCT = set("，、：；）》”」』！？")
_BEFORE_PUNCT = set("（《“「『")
_OPENERS = (
    "关于", "进一步", "切实", "全面", "加强", "加快", "推进", "推动", "做好", "开展", "实施",
    "深化", "落实", "建立", "健全", "完善", "印发", "转发", "表彰",
    "我区", "我市", "我县", "我镇", "全区", "全市", "全县", "全镇",
    "上半年", "下半年", "年度",
)
_CLOSERS = (
    "工作", "建设", "管理", "服务", "活动", "情况", "问题", "处理", "发展", "规划", "计划",
    "方案", "意见", "建议", "要点", "总结", "报告", "通知", "决定", "办法", "汇报",
)
_ATOM = re.compile(r"[0-9A-Za-z.．%％·]+")

# How good a break is (lower is better): punctuation and the formula's joints first.
_PUNCT_COST, _JOINT_COST, _WORD_COST = 0.0, 1.0, 2.0
# The most arrangements of breaks title_lines tries (each one measured): every way of
# cutting a title at its joints is C(joints, breaks) of them, which grows without bound
# with the title (a plan's title of 240 characters took 7 s, one of a few hundred stalled
# the Word file). A 公文 title of three lines and twenty joints is 1,140; one needing more
# is no 公文 title and is filled line by line (_forced).
_MOST_ARRANGEMENTS = 20_000


def break_costs(title: str) -> dict[int, float]:
    """Positions ``i`` (a break between ``title[i-1]`` and ``title[i]``) where a line may
    end, with the cost of ending it there."""
    costs: dict[int, float] = {}

    def allow(i: int, cost: float) -> None:
        if 0 < i < len(title):
            costs[i] = min(cost, costs.get(i, cost))

    for i, char in enumerate(title):
        if char in _AFTER_PUNCT:
            allow(i + 1, _PUNCT_COST)
        if char in _BEFORE_PUNCT:
            allow(i, _PUNCT_COST)
    for m in re.finditer("关于", title):
        allow(m.start(), _JOINT_COST)
        allow(m.end(), _JOINT_COST)
    for m in re.finditer("[和与及暨并]", title):  # before a conjunction: "… / 和“双学双比”女能手"
        allow(m.start(), _JOINT_COST)
    last_de = title.rfind("的")
    if last_de > 0:
        allow(last_de, _JOINT_COST)
        allow(last_de + 1, _JOINT_COST)
    # (?<!\d): tried from every digit of a long run with no 年 after it, \d+ rescanned the rest
    # of the run each time (quadratic); a match can only start where the run does.
    for m in re.finditer(r"(?<!\d)\d+年(度)?", title):
        allow(m.end(), _JOINT_COST)
    for word in _OPENERS:
        for m in re.finditer(word, title):
            allow(m.end(), _WORD_COST)
            allow(m.start(), _WORD_COST)
    for word in _CLOSERS:
        for m in re.finditer(word, title):
            allow(m.start(), _WORD_COST)
            allow(m.end(), _WORD_COST)
    # never inside a number, a date's digits or a Latin word, nor before closing punctuation
    for m in _ATOM.finditer(title):
        for i in range(m.start() + 1, m.end()):
            costs.pop(i, None)
    for m in re.finditer(r"(?<!\d)\d+年度", title):  # 2012年度 is one word
        costs.pop(m.end() - 1, None)
    for i in list(costs):
        if title[i] in _AFTER_PUNCT or title[i - 1] in _BEFORE_PUNCT:
            costs.pop(i)
    return costs


def _shape_ok(widths: list[float]) -> bool:
    """A trapezoid (lines growing or shrinking, never equal) or a diamond (the middle the
    longest) — not a rectangle, not a zigzag."""
    if len(widths) == 1:
        return True
    pairs = list(itertools.pairwise(widths))
    growing = all(b > a for a, b in pairs)
    shrinking = all(b < a for a, b in pairs)
    peak = widths.index(max(widths))
    diamond = (
        len(widths) >= 3
        and 0 < peak < len(widths) - 1
        and all(b > a for a, b in pairs[:peak])
        and all(b < a for a, b in pairs[peak:])
    )
    return growing or shrinking or diamond


def title_lines(title: str, *, width: float, measure: Callable[[str], float]) -> list[str]:
    """``title`` in as few lines of at most ``width`` (in ``measure``'s units) as its joints
    allow, shaped as a trapezoid or diamond, breaking at the cheapest joints and as evenly
    as the shape permits. A title that fits stays one line; one with no usable joint, or
    with more ways to cut it than _MOST_ARRANGEMENTS, breaks where the width forces it
    (never inside a number)."""
    title = title.strip()
    if measure(title) <= width or len(title) < 2:
        return [title]
    costs = break_costs(title)
    positions = sorted(costs)
    lines_needed = int(measure(title) // width) + 1
    budget = _MOST_ARRANGEMENTS
    for count in range(lines_needed, min(lines_needed + 2, len(positions) + 1) + 1):
        budget -= math.comb(len(positions), count - 1)
        if budget < 0:
            break
        best: tuple[float, list[str]] | None = None
        for cut in itertools.combinations(positions, count - 1):
            bounds = [0, *cut, len(title)]
            lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
            widths = [measure(line) for line in lines]
            if max(widths) > width or not _shape_ok(widths):
                continue
            spread = max(widths) - min(widths)
            score = sum(costs[c] for c in cut) * 2 + spread
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return _forced(title, width, measure)


def _forced(title: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """No joint gives a shape: fill lines to ``width``, keeping numbers whole."""
    atoms = [m.group(0) for m in re.finditer(r"[0-9A-Za-z.．%％·]+|.", title)]
    lines = [""]
    for atom in atoms:
        if lines[-1] and measure(lines[-1] + atom) > width:
            lines.append("")
        lines[-1] += atom
    return lines
