"""What ``fedplan import`` found in a document, in words a person can check against the original.

``import --dry-run`` prints this outline before the YAML: the kind and year (and why, when
guessed), the sections, items and targets with the line of the source each starts on,
and for each target the words it was read from.
"""

from __future__ import annotations

from fedplan.headings import CIRCLED
from fedplan.importer import Imported
from fedplan.render.chinese import section_number

KIND_NAMES = {"plan": "工作要点", "proposal": "建议", "report": "总结/汇报"}
_EXCERPT = 36


def _short(text: str, size: int = _EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def describe(doc: Imported) -> str:
    """One line: what kind of document and how much was found in it."""
    kind = KIND_NAMES[doc.kind]
    if doc.kind == "plan":
        return f"{kind}：{len(doc.sections)} 部分 {len(doc.items())} 条，{len(doc.targets())} 个量化指标"
    if doc.kind == "proposal":
        return f"{kind}：{len(doc.problems)} 个问题，{len(doc.recommendations)} 条建议"
    return f"{kind}：{len(doc.parts)} 部分"


def outline(doc: Imported) -> list[str]:
    """The document's outline as found, one line per heading, item and target."""
    year = str(doc.year) if doc.year is not None else "未知"
    if "year" in doc.guesses:
        year += "（推测）"
    lines = [f"“{doc.title}”，{KIND_NAMES[doc.kind]}，{year}年度，原文第{doc.line}行起"]
    if doc.kind == "plan":
        if doc.preamble:
            lines.append(f"  总体思路：{_short(doc.preamble)}")
        number = 0
        for index, section in enumerate(doc.sections, start=1):
            lines.append(f"  {section_number(index)}{_short(section.title)}（第{section.line}行）")
            for item in section.items:
                number += 1
                mark = f"{number}." if item.numbered else "·"
                lines.append(f"    {mark} {_short(item.title)}（第{item.line}行）")
                for target in item.targets:
                    found = target.found
                    value = f"{found.target:g}" if isinstance(found.target, float) else str(found.target)
                    down = "，越低越好" if found.direction == "down" else ""
                    lines.append(f"       目标 {target.id}：{found.name} {value} {found.unit}{down}"
                                 f"（原文：“{_short(found.sentence, 48)}”）")
    elif doc.kind == "report":
        if doc.preamble:
            lines.append(f"  导语：{_short(doc.preamble)}")
        for index, (title, _) in enumerate(doc.parts, start=1):
            lines.append(f"  {section_number(index)}{_short(title)}")
    else:
        for index, problem in enumerate(doc.problems[: len(CIRCLED)]):
            lines.append(f"  问题{CIRCLED[index]} {_short(problem)}")
        for index, (title, _) in enumerate(doc.recommendations, start=1):
            lines.append(f"  建议{section_number(index)}{_short(title)}")
    return lines
