"""The imported documents, built from one RawDocument each, with what had to be guessed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from fedplan.importer.clean import Line
from fedplan.importer.naming import ascii_id, file_slug, target_id
from fedplan.importer.structure import (
    UNTITLED,
    Kind,
    Node,
    Notice,
    RawDocument,
    Signature,
    check_numbering,
    first_sentence,
    likeliest_year,
    outline,
    split_problems,
    split_run_in_headings,
    sub_level,
    take_signature,
    title_year,
    top_level,
)
from fedplan.importer.targets import FoundTarget, find_targets


@dataclass(frozen=True)
class Options:
    """What the user or the repository told the importer (None: find it in the text)."""

    year: int | None = None
    org: str | None = None
    default_org: str | None = None  # the repository's `org` setting
    kind: Kind | None = None  # the user said what the documents are (--kind)


@dataclass
class ImportedTarget:
    id: str
    found: FoundTarget


@dataclass
class ImportedItem:
    id: str
    title: str
    text: str
    line: int
    targets: list[ImportedTarget] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    numbered: bool = True  # False: made from an unnumbered paragraph under the section heading


@dataclass
class ImportedSection:
    title: str
    line: int
    items: list[ImportedItem] = field(default_factory=list)


@dataclass
class Imported:
    """One document ready to be written: its kind, fields, and notes for the person checking it."""

    kind: Kind
    title: str
    source_number: int  # which document of the file (第几篇)
    line: int  # where it starts in the source
    year: int | None = None
    guesses: dict[str, str] = field(default_factory=dict)  # field → why it is a guess
    notes: list[str] = field(default_factory=list)  # header comments
    # plan
    org: str = ""
    preamble: str = ""
    sections: list[ImportedSection] = field(default_factory=list)
    # proposal
    date: dt.date | None = None
    background: str = ""
    problems: list[str] = field(default_factory=list)
    recommendations: list[tuple[str, str]] = field(default_factory=list)
    signature: Signature | None = None
    to: str | None = None  # 主送
    # report
    id: str = ""
    parts: list[tuple[str, str]] = field(default_factory=list)

    def targets(self) -> list[ImportedTarget]:
        return [t for i in self.items() for t in i.targets]

    def items(self) -> list[ImportedItem]:
        return [i for s in self.sections for i in s.items]


def _paragraphs(lines: Sequence[Line]) -> str:
    return "\n".join(line.text for line in lines if line.text)


def _year(doc: RawDocument, options: Options, *, also: Sequence[int | None] = (),
          texts: Sequence[str] = ()) -> tuple[int | None, str | None]:
    """The document's year and, if it is a guess, why."""
    stated = title_year(doc.title)
    if stated is not None:
        return stated, None
    if options.year is not None:
        return options.year, None
    for year in also:
        if year is not None:
            return year, None
    guessed = likeliest_year(texts)
    if guessed is not None:
        return guessed, f"标题中没有年份，取正文中出现最多的年份{guessed}"
    return None, None


_ORG_TITLE = re.compile(
    r"^(.+?)(?:(?:19|20)\d{2}\s*(?:年度|学年度|學年度|年|学年|學年))?"
    r"(?:上半年|下半年|第[一二]学期|第[一二]學期|年度)?(?:工作要点|工作要點|工作计划|工作計劃|工作安排|工作思路)"
)
_LEADING_YEAR = re.compile(r"^(?:(?:19|20)\d{2}\s*(?:年度|学年度|學年度|年|学年|學年)|(?:19|20)\d{2}(?=\D))\s*")


def _org(doc: RawDocument, options: Options) -> tuple[str, str | None]:
    if options.org:
        return options.org, None
    match = _ORG_TITLE.match(doc.title)
    # "2023年市妇联工作要点": the org is 市妇联, not "2023年市妇联".
    named = _LEADING_YEAR.sub("", match.group(1)).strip() if match else ""
    named = re.sub(r"(?:19|20)\d{2}\s*年度?$|(?:19|20)\d{2}\s*的?$", "", named).strip()
    if named and len(named) <= 20:
        # "区妇联2012年工作要点" in a repository of 金川区妇联: the full name is known.
        if options.default_org and options.default_org.endswith(named):
            return options.default_org, None
        return named, None
    if options.default_org:
        return options.default_org, None
    return "（单位）", "原文标题中没有单位名称；用 --org 指定或在 fedplan.yaml 中设置 org"


# Named partner units: "联合区农工办、区农牧局举办", "加强与银行、财政部门的联系",
# "协调卫生、民政部门，".
_PARTNER_PHRASES = (
    re.compile(r"(?:联合|聯合|会同|會同)([^，。；：]{2,60}?)(?:举办|舉辦|开展|開展|组织|組織|实施|實施)"),
    re.compile(r"加强与([^，。；：]{2,60}?)的(?:联系|聯繫|沟通|溝通|合作)"),
    re.compile(r"(?:协调|協調)([^，。；：]{2,40}?部门)(?=[，。；])"),
)
_UNIT_END = re.compile(r"(办|辦|局|部门|部門|委|会|會|银行|銀行|院|厅|廳|站|中心|政府|处|處|科|所)$")


def partners(text: str) -> list[str]:
    """The units an item's text names as working with it (SPEC §3.1 ``partners``)."""
    found: list[str] = []
    for phrase in _PARTNER_PHRASES:
        for match in phrase.finditer(text):
            names = [n.strip() for n in re.split("[、和及与與]", match.group(1)) if n.strip()]
            # "卫生、民政部门": the last name's 部门 belongs to every name before it.
            if names and names[-1].endswith(("部门", "部門")):
                suffix = names[-1][-2:]
                names = [n if _UNIT_END.search(n) else n + suffix for n in names]
            if names and all(_UNIT_END.search(n) and not n.startswith("各") for n in names):
                found.extend(n for n in names if n not in found)
    return found


def _items_of(node: Node, used: set[str], notices: list[Notice], previous: int) -> list[ImportedItem]:
    level = sub_level(node.lines, node.heading.level)
    intro_lines, nodes = outline(node.lines, level) if level else (node.lines, [])
    items: list[ImportedItem] = []
    intro = [(node.lead, node.line)] if node.lead else []
    intro += [(line.text, line.number) for line in intro_lines]
    for text, line in intro:
        title, rest = first_sentence(text)
        fallback = f"item-{previous + len(items) + 1}"
        items.append(ImportedItem(ascii_id(title, used, fallback), title, rest, line, numbered=False))
    notices.extend(check_numbering(nodes, previous=previous))
    for sub in nodes:
        # Fallback ids count items through the whole plan, as the printed numbers do.
        fallback = f"item-{previous + len(items) + 1}"
        items.append(ImportedItem(ascii_id(sub.title, used, fallback), sub.title, sub.body(), sub.line))
    return items


def build_plan(doc: RawDocument, options: Options) -> tuple[Imported, list[Notice]]:
    notices: list[Notice] = []
    lines = split_run_in_headings(doc.lines)
    before, nodes = outline(lines, top_level(lines))
    notices.extend(check_numbering(nodes))
    year, year_guess = _year(doc, options, texts=[line.text for line in lines])
    org, org_guess = _org(doc, options)
    plan = Imported("plan", doc.title, doc.number, doc.start, year=year, org=org,
                    preamble=_paragraphs(before))
    if year_guess:
        plan.guesses["year"] = year_guess
    if org_guess:
        plan.guesses["org"] = org_guess
    used_items: set[str] = set()  # ids are unique within a year, items and targets together
    previous = 0
    for node in nodes:
        items = _items_of(node, used_items, notices, previous)
        plan.sections.append(ImportedSection(node.title, node.line, items))
        previous += len(items)
        for item in items:
            item.partners = partners(item.text)
            for number, found in enumerate(find_targets(f"{item.title}。{item.text}"), start=1):
                fallback = f"{item.id}-t{number}"
                item.targets.append(ImportedTarget(target_id(found.name, used_items, fallback), found))
    if not nodes:
        notices.append(Notice(doc.start, "import-no-sections", "没有找到“一、”这样的大标题，计划没有分节，请核对"))
    return plan, notices


_ADDRESSEE = re.compile(r"向([^，。；、：]{2,30}?)(?:提出如下|建议如下|提出以下|提出)")


def addressee(text: str) -> str | None:
    """Whom a proposal is addressed to, when it says so: "向区人民政府及有关部门建议如下"."""
    match = _ADDRESSEE.search(text)
    return match.group(1) if match else None


def build_proposal(doc: RawDocument, options: Options) -> tuple[Imported, list[Notice]]:
    notices: list[Notice] = []
    body, signature = take_signature(doc.lines)
    before, nodes = outline(body, top_level(body))
    notices.extend(check_numbering(nodes))
    background: list[str] = []
    problems: list[str] = []
    lead_in: list[str] = []
    for line in before:
        if problems:
            # Between the problem list and the first recommendation comes the sentence that
            # leads into them ("特提出如下建议："); the template writes its own, and kept in
            # the background it would print before the problems.
            lead_in.append(line.text)
            continue
        head, found, rest = split_problems(line.text)
        background.append(head)
        problems = found
        if found and rest:
            lead_in.append(rest)
    date = signature.date if signature else None
    year, _ = _year(doc, options, also=[date.year if date else None])
    proposal = Imported(
        "proposal",
        doc.title,
        doc.number,
        doc.start,
        year=year,
        # The signature carries the date; `date` would only repeat it.
        date=None if signature else date,
        background="\n".join(p for p in background if p),
        problems=problems,
        signature=signature,
    )
    proposal.to = addressee("\n".join(background + lead_in))
    if year is None:
        proposal.notes.append("原文没有年份和日期，year 与 date 从略；如知道，请补上（year 用于关联当年计划条目）")
    for text in lead_in:
        proposal.notes.append(
            f"原文在问题清单之后还有一句“{text}”，格式中没有对应字段（成文时模板写“针对上述问题，特提出如下建议：”），照录于此"
        )
    if not problems:
        listed, nodes = problem_nodes(before, nodes)
        proposal.problems.extend(listed)
    for node in nodes:
        proposal.recommendations.append((node.title, node.body()))
    return proposal, notices


_PROBLEM_LIST_INTRO = re.compile(r"(表现为|表現為|体现在|體現在|表现在|表現在|存在|主要有)[^。]{0,16}[：:]$")
_ADVICE_INTRO = re.compile(r"建议如下|建議如下|如下建议|如下建議|以下建议|以下建議|提出如下|对策|對策|建议[：:]|建議[：:]")


def problem_nodes(before: Sequence[Line], nodes: list[Node]) -> tuple[list[str], list[Node]]:
    """Numbered problems ("主要表现为以下几个方面：1、……2、……") before the recommendations: the
    problems' texts, and the headings that are recommendations (after "提出如下建议：")."""
    last = before[-1].text.strip() if before else ""
    if not _PROBLEM_LIST_INTRO.search(last) or _ADVICE_INTRO.search(last):
        return [], nodes
    problems: list[str] = []
    for index, node in enumerate(nodes):
        body = node.body()
        problems.append(f"{node.title}。{body}" if body else node.title)
        if _ADVICE_INTRO.search(body):
            return problems, nodes[index + 1:]
    return problems, []


def build_report(doc: RawDocument, options: Options, used_slugs: set[str]) -> tuple[Imported, list[Notice]]:
    notices: list[Notice] = []
    body, signature = take_signature(doc.lines)
    lines = split_run_in_headings(body)
    before, nodes = outline(lines, top_level(lines))
    notices.extend(check_numbering(nodes))
    year, year_guess = _year(doc, options, also=[signature.date.year if signature and signature.date else None],
                             texts=[doc.title] + [line.text for line in lines])
    report = Imported("report", doc.title, doc.number, doc.start, year=year, signature=signature)
    report.id = file_slug(doc.title, used_slugs, f"report-{doc.number}")
    if year_guess:
        report.guesses["year"] = year_guess
    report.preamble = _paragraphs(before)
    for node in nodes:
        report.parts.append((node.title, node.body()))
    return report, notices


def build(doc: RawDocument, kind: Kind, options: Options, used_slugs: set[str]) -> tuple[Imported, list[Notice]]:
    """The imported document of ``kind`` made from ``doc``."""
    untitled = not doc.title
    if untitled:
        doc = replace(doc, title=UNTITLED)
    if kind == "plan":
        built = build_plan(doc, options)
    elif kind == "proposal":
        built = build_proposal(doc, options)
    else:
        built = build_report(doc, options, used_slugs)
    if untitled:
        built[0].guesses["title"] = "原文没有标题"
    return built
