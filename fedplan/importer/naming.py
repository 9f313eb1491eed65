"""ASCII ids for generated items and targets, and file names for imported documents."""

from __future__ import annotations

import re

# Domain words → English id stems, most specific first. Both scripts, since ids are made
# after conversion to the repository's script.
_GLOSSARY: tuple[tuple[str, str], ...] = (
    ("还贷率", "repay-rate"), ("還貸率", "repay-rate"),
    ("放贷", "loans"), ("放貸", "loans"), ("小额贷款", "microloans"), ("小額貸款", "microloans"),
    ("贷款", "loans"), ("貸款", "loans"),
    ("巾帼文明岗", "model-posts"), ("巾幗文明崗", "model-posts"),
    ("巾帼建功", "jinguo-jiangong"), ("巾幗建功", "jinguo-jiangong"),
    ("双学双比", "shuangxue"), ("雙學雙比", "shuangxue"),
    ("创先争优", "chuangxian"), ("創先爭優", "chuangxian"),
    ("两规划", "two-plans"), ("兩規劃", "two-plans"),
    ("妇女之家", "women-homes"), ("婦女之家", "women-homes"),
    ("留守", "left-behind"), ("志愿", "volunteer"), ("志願", "volunteer"),
    ("维权", "rights"), ("維權", "rights"), ("标兵", "pacesetters"), ("標兵", "pacesetters"),
    ("和谐家庭", "harmonious-family"), ("和諧家庭", "harmonious-family"),
    ("精神文明", "civility"), ("身心健康", "health"), ("健康", "health"),
    ("干部", "cadres"), ("幹部", "cadres"), ("基层组织", "grassroots"), ("基層組織", "grassroots"),
    ("作风", "work-style"), ("作風", "work-style"),
    ("培训", "training"), ("培訓", "training"), ("示范", "demonstration"), ("示範", "demonstration"),
    ("就业", "jobs"), ("就業", "jobs"), ("创业", "startups"), ("創業", "startups"),
    ("家庭", "families"), ("救助", "relief"), ("讲座", "lectures"), ("講座", "lectures"),
)


# What a target counts, for target ids: the measured thing first, the campaign last.
_TARGET_WORDS: tuple[tuple[str, str], ...] = (
    ("还贷率", "repay-rate"), ("還貸率", "repay-rate"), ("放贷", "loan-amount"), ("放貸", "loan-amount"),
    ("农业实用技术", "farm-training"), ("農業實用技術", "farm-training"),
    ("文明岗", "model-posts"), ("文明崗", "model-posts"), ("标兵", "pacesetters"), ("標兵", "pacesetters"),
    ("培训", "training"), ("培訓", "training"), ("女能手", "women-experts"),
    ("示范基地", "demo-bases"), ("示範基地", "demo-bases"), ("讲座", "lectures"), ("講座", "lectures"),
    ("筛查", "screening"), ("篩查", "screening"), ("救助", "relief"),
)


def target_id(name: str, used: set[str], fallback: str) -> str:
    """An id for a target called ``name`` (see ascii_id)."""
    return ascii_id(name, used, fallback, glossary=_TARGET_WORDS + _GLOSSARY)


def ascii_id(text: str, used: set[str], fallback: str,
             glossary: tuple[tuple[str, str], ...] = _GLOSSARY) -> str:
    """An id for ``text`` that is not in ``used`` (and is then added to it).

    The stem comes from the first domain word ``text`` contains, else ``fallback``;
    a clash gets -2, -3 ….
    """
    return _unused(next((english for word, english in glossary if word in text), fallback), used)


def _unused(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3`` … whichever is not in ``used`` yet (and add it).

    The numbers taken are found by doubling, then halving: a plan with thousands of items
    of one stem costs a few look-ups each, not one per item before it.
    """
    if stem not in used:
        used.add(stem)
        return stem
    high = 2
    while f"{stem}-{high}" in used:
        high *= 2
    low = high // 2 if high > 2 else 1  # stem-low is taken (or low is 1: the stem itself)
    while high - low > 1:
        middle = (low + high) // 2
        if f"{stem}-{middle}" in used:
            low = middle
        else:
            high = middle
    candidate = f"{stem}-{high}"
    used.add(candidate)
    return candidate


_FILLER = re.compile(
    r"^(人大代表|政协委员)?(关于|關於)|(进一步|進一步)|(我区|我區|我县|我縣|我市)|"
    r"(的)?(几点|幾點)?(建议|建議)$|[“”‘’《》（）()，、：:\s]"
)


def file_slug(title: str, used: set[str], fallback: str) -> str:
    """A short file name (no extension) from a title: "关于进一步加强我区妇联工作的建议" → "加强妇联工作"."""
    slug = _FILLER.sub("", title)
    return _unused(re.sub(r"[^\w-]", "", slug)[:20] or fallback, used)
