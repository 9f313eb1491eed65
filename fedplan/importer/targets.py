"""Quantified commitments in a plan item's text → targets ("培训妇女300人次" → 300 人次).

Only Arabic numerals followed by a unit count. Chinese numerals are left alone on
purpose: in these documents they are almost always slogans and names (两学一做, 三八,
十八大, 十二五, 三个文明建设), while commitments are written in figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fedplan.dates import due_by
from fedplan.importer.clean import covered

Number = int | float

# Longest first, so "万元" wins over "元" and "人次" over "人".
UNITS = (
    "个百分点", "個百分點", "百分点", "百分點", "万美元", "萬美元", "亿美元", "億美元", "美元",
    "万人次", "萬人次", "平方米", "万元", "萬元", "亿元", "億元", "人次", "万人", "萬人",
    "公里", "小时", "小時", "元", "人", "名", "个", "個", "户", "戶", "家", "场", "場",
    "期", "次", "所", "项", "項", "篇", "件", "处", "處", "支", "座", "村", "亩", "畝",
    "天", "条", "條", "份", "%",
)
_QUANTITY = re.compile(
    # The spaces after 余 belong to it: \s*(?:余)?\s* split a run of spaces every way.
    r"(?<![\d.·:：/\-—–~～第])(\d+(?:\.\d+)?)\s*(?:(?:余|餘|多)\s*)?("
    + "|".join(re.escape(u) for u in UNITS)
    + ")"
)
_SENTENCE = re.compile(r"[^。；;！？!?]+")
_CLAUSE = re.compile(r"[^，,（）()：:]+")
# Quoted names, titles of documents and days ("12·4", 《2011—2020年……规划》) hold no targets.
# What r"“[^”]*”|‘[^’]*’|《[^》]*》|「[^」]*」" finds (see _quoted).
_QUOTE_OPENING = re.compile("[“‘《「]")
_QUOTE_CLOSING = {"“": "”", "‘": "’", "《": "》", "「": "」"}
# A state, not a commitment: what exists now or was done before.
_PAST = re.compile(r"(?<!比)去年|(?<!比)上年|已经|已經|已有|现有|現有|目前|截至|累计|累計|共有|设有|設有|建有|"
                   r"占地|佔地|位于|位於|涉及|初步统计|初步統計")
# "有39个" states what exists; "300到500人" is a range; "近2000个" and "约500人" are
# estimates; "等7大类32项职责" counts what a list names.
_NOT_BEFORE = re.compile(r"有$|\d\s*[到至]\s*$|(?:近|约|約|等)\s*$|\d\s*(?:大类|大類|类|類|方面)\s*$")
_LEVEL_VERB = re.compile(r"(达到|達到|提高到|保持在|控制在|不低于|不低於|不少于|不少於|不高于|不高於|不超过|不超過|至少|"
                         r"超过|超過|达|達|≥|≤|>|<|＞|＜)\s*$")
_DOWN = re.compile(r"以下|以内|以內|控制在|不超过|不超過|不高于|不高於|(?<!不)低于|(?<!不)低於|≤|<|＜")
_LEADING = re.compile(
    r"^(?:今年|年内|年內|全年|明年|争取|爭取|力争|力爭|计划|計劃|确保|確保|努力|要|将|將|"
    r"区妇联|區婦聯|各级妇联|各級婦聯|妇联|婦聯|共|再|使|实现|實現|进一步|進一步|"
    r"积极|積極|全区|全區|[一二三四五六七八九十]是)+"
)
_TRAILING = re.compile(r"(以上|以下|左右|以内|以內|力争|力爭|争取|爭取|确保|確保|至少|要|将|將)$")
# How much text around a figure a target looks at and keeps: a clause of a real plan is far
# shorter, and a paragraph with no punctuation must not be copied into each of its targets.
WINDOW = 80


@dataclass(frozen=True)
class FoundTarget:
    """A commitment found in text: what, how many, of what, and the sentence that says so."""

    name: str
    target: Number
    unit: str
    sentence: str
    measure: str = "sum"
    direction: str = "up"
    due: tuple[int, int | None] | None = None  # (month, day) it is due by; day None: the month's end


def _quoted(text: str) -> list[tuple[int, int]]:
    """The spans of r"“[^”]*”|‘[^’]*’|《[^》]*》|「[^」]*」" in ``text``, in linear time: the
    pattern scanned to the end from every opening mark with no closing one after it ("“"
    * 200,000 took minutes). When a mark has none after it, no later mark of its kind has."""
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    pos = 0
    while (opening := _QUOTE_OPENING.search(text, pos)) is not None:
        mark = opening.group()
        start = opening.start()
        end = -1 if mark in unclosed else text.find(_QUOTE_CLOSING[mark], start + 1)
        if end < 0:
            unclosed.add(mark)
            pos = start + 1
            continue
        spans.append((start, end + 1))
        pos = end + 1
    return spans


def _number(text: str) -> Number:
    value = float(text)
    return int(value) if value.is_integer() else value


def _name(before: str, after: str) -> str:
    """What is counted: "年内争取培训妇女" + "" → "培训妇女"; "还贷率达到" → "还贷率"."""
    level = _LEVEL_VERB.search(before)
    if level:
        name = before[: level.start()]
    else:
        name = before + after
    name = _LEADING.sub("", name.strip())
    return _TRAILING.sub("", name).strip("，、 的")


_HOST_VERBS = ("举办", "舉辦", "开展", "開展", "组织", "組織", "创建", "創建", "建立", "实施", "實施", "成立")
_HOST_VERB = re.compile("|".join(_HOST_VERBS))
_HOST_SEPARATOR = re.compile("[，,、；;：:]")
# How far before its bracket a host's name is looked for: WINDOW characters and its verb.
_HOST_REACH = WINDOW + max(len(verb) for verb in _HOST_VERBS)


def _host_name(sentence: str, clause_start: int) -> str | None:
    """The name a parenthetical figure belongs to: "举办农业实用技术妇女骨干培训班（年内争取
    培训妇女300人次）" counts the 农业实用技术妇女骨干培训.

    A name is at most WINDOW characters, as the others taken from around a figure are: only
    the _HOST_REACH characters before the bracket are read, which gives the same name as
    the whole sentence would whenever that name is that short. (Read to the sentence's
    start, "举办" + "（1个" * n gave each figure all the text before it: quadratic.)"""
    if clause_start == 0 or sentence[clause_start - 1] not in "（(":
        return None
    end = clause_start - 1
    host = _HOST_SEPARATOR.split(sentence[max(end - _HOST_REACH, 0) : end])[-1]
    verbs = list(_HOST_VERB.finditer(host))
    if not verbs:
        return None
    name = host[verbs[-1].end():]
    name = re.sub("(班|活动|活動)$", "", name)
    return name or None


def _excerpt(sentence: str, start: int, end: int) -> str:
    """The sentence, or the part of a long one within WINDOW of the figure, marked with …."""
    if len(sentence) <= 2 * WINDOW:
        return sentence
    a, b = max(start - WINDOW, 0), min(end + WINDOW, len(sentence))
    return ("…" if a else "") + sentence[a:b].strip() + ("…" if b < len(sentence) else "")


def find_targets(text: str) -> list[FoundTarget]:
    """Every quantified commitment in ``text``, in order of appearance."""
    found = []
    for sentence_match in _SENTENCE.finditer(text):
        sentence = sentence_match.group().strip()
        if not sentence:
            continue
        quoted = _quoted(sentence)
        due: list[tuple[int, int | None] | None] = []  # due_by(sentence), once asked (once per figure was quadratic)
        for clause_match in _CLAUSE.finditer(sentence):
            clause = clause_match.group()
            if _PAST.search(clause):
                continue
            offset = clause_match.start()
            host: list[str | None] = []
            for quantity in _QUANTITY.finditer(clause):
                if covered(quoted, offset + quantity.start()):
                    continue
                before = clause[max(quantity.start() - WINDOW, 0) : quantity.start()]
                after = clause[quantity.end() : quantity.end() + WINDOW]
                if _NOT_BEFORE.search(before):
                    continue
                value = _number(quantity.group(1))
                if value == 0:
                    # no figure to reach ("新增0个", "增长0.0%"): a target must be above 0,
                    # and the sentence stays in its item's text as written
                    continue
                unit = quantity.group(2)
                if not host:  # once per clause, not once per figure (each looks through the sentence)
                    host.append(_host_name(sentence, offset))
                name = host[0] or _name(before, after) or clause.strip()[:WINDOW]
                rate = unit in ("%", "个百分点", "個百分點", "百分点", "百分點") or name.endswith(("率", "比例"))
                if not due:
                    due.append(due_by(sentence))
                found.append(
                    FoundTarget(
                        name=name,
                        target=value,
                        unit=unit,
                        sentence=_excerpt(sentence, offset + quantity.start(), offset + quantity.end()),
                        measure="latest" if rate else "sum",
                        direction="down" if _DOWN.search(before + quantity.group() + after) else "up",
                        due=due[0],
                    )
                )
    return found
