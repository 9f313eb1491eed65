"""From cleaned lines to documents: split a file, tell each document's kind, read its outline.

Works on lines that clean.py has already repaired (Simplified or Traditional both work:
every keyword is matched in either script).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from fedplan.dates import parse_written_date
from fedplan.headings import Heading, cn_digits, parse_heading
from fedplan.importer.clean import HAN, Line, is_volume_marker

Kind = Literal["plan", "proposal", "report"]

# The last of these words in a title names the kind ("……计划的建议" is a proposal), except
# that a title naming both a report and a plan ("上半年工作总结及下半年工作计划") is a report
# (and a plan too when the text has the second part; see split_report_plan).
_KIND_WORDS: tuple[tuple[str, Kind], ...] = (
    ("工作要点", "plan"), ("工作要點", "plan"), ("要点", "plan"), ("要點", "plan"),
    ("计划", "plan"), ("計劃", "plan"), ("计画", "plan"), ("計畫", "plan"),
    ("规划", "plan"), ("規劃", "plan"), ("工作安排", "plan"), ("工作思路", "plan"),
    ("实施方案", "plan"), ("實施方案", "plan"), ("工作方案", "plan"), ("专案", "plan"), ("專案", "plan"),
    ("打算", "plan"),
    ("建议", "proposal"), ("建議", "proposal"), ("提案", "proposal"),
    ("总结", "report"), ("總結", "report"), ("汇报", "report"), ("匯報", "report"),
    ("报告", "report"), ("報告", "report"), ("完成情况", "report"), ("完成情況", "report"),
)
# The title of a document, section or item the text gives none ("（一）" alone on its line,
# then "（二）……"): the YAML needs one, and the user sees that it was missing.
UNTITLED = "（原文无标题）"
# Marks a title cannot start with, left after a heading number ("（一）。", "一、，"): the
# number's own separator (、．) is taken by the heading; a stray one after it is debris.
_LEADING_MARKS = "。，,；;：:、．. \u3000"
_TITLE_LIKE = re.compile(r"^[^，。；,;：:！？]{4,40}$")
_SIGNATURE_LIKE = re.compile(r"^[^，。；,;：:！？、]{2,30}$")
# What a share site adds to a title: "（集合5篇）", "篇1", "范文", a running number.
_TITLE_FURNITURE = re.compile(
    r"[（(]\s*(?:集合|精选|精選|通用|合集|模板|范文|範文|范例|範例|汇编|彙編|大全)?\s*\d+\s*篇\s*[)）]"
    r"|(?:篇|范文|範文|范例|範例|模板)\s*(?:\d+|[一二三四五六七八九十]+)?\s*$"
    r"|(?<=[点點划劃画畫结結报報告议議排路案])\s*\d{1,2}\s*$"
)
_ANTHOLOGY_PART = re.compile(r"^篇[一二三四五六七八九十\d]+\s*[:：]\s*")


@dataclass(frozen=True)
class RawDocument:
    """The lines of one document of a file, its title and where it starts."""

    title: str
    lines: tuple[Line, ...]
    start: int
    number: int
    dropped: tuple[str, ...] = ()  # page text left out before the body (repeated titles, banners)


@dataclass(frozen=True)
class Notice:
    """Something a person should check, at a line of the source (becomes a Diagnostic)."""

    line: int
    code: str
    message: str


def _kind_words(title: str) -> list[tuple[int, Kind]]:
    found = []
    for word, kind in _KIND_WORDS:
        at = title.rfind(word)
        if at >= 0:
            found.append((at + len(word), kind))
    return sorted(found)


def _title_kind(title: str) -> Kind | None:
    found = _kind_words(title)
    if not found:
        return None
    kinds = {kind for _, kind in found}
    if found[-1][1] != "proposal" and {"report", "plan"} <= kinds:
        return "report"
    return found[-1][1]


def names_plan_too(title: str) -> bool:
    """A report's title that announces a plan as well: "……总结及下半年工作计划"."""
    return {"report", "plan"} <= {kind for _, kind in _kind_words(title)} and _title_kind(title) == "report"


def clean_title(text: str) -> str:
    """The title without what a share site added to it: "镇妇联工作总结（集合5篇）" → "镇妇联工作总结"."""
    previous = None
    while previous != text:
        previous, text = text, _TITLE_FURNITURE.sub("", text).strip()
    return text or previous


def _is_title(text: str) -> bool:
    return (
        bool(_TITLE_LIKE.match(text))
        and parse_heading(text) is None
        and _title_kind(text) is not None
    )


def _title_key(text: str) -> str:
    """What two spellings of one title share: "××镇妇联年度工作总结" and "镇妇联年度工作总结1"."""
    return re.sub(r"[\s×xX*＊_·\-—（）()]", "", clean_title(text))


def same_title(one: str, other: str) -> bool:
    """Two lines that name one document: equal but for a share site's additions, a year
    written in one of them, or one holding the other ("…汇报（…汇报）")."""
    a, b = (re.sub(r"(?:19|20)\d{2}\s*年?度?", "", _title_key(t)) for t in (one, other))
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


def split_title_run_in(text: str) -> tuple[str, str] | None:
    """A title that runs into the text after it: "2008年街道办工作总结一年来，……" →
    ("2008年街道办工作总结", "一年来，……"). The title ends at a kind word, within 40
    characters and before any punctuation."""
    best: int | None = None
    for word, _ in _KIND_WORDS:
        start = 0
        while (at := text.find(word, start)) >= 0:
            end = at + len(word)
            start = at + 1
            head = text[:end]
            if end > 40 or re.search(r"[，。；,;：:！？\s]", head.strip()) or len(head.strip()) < 4:
                break
            number = re.match(r"\d{1,2}(?=[一二三四五六七八九十]、|\s)", text[end:])  # "…工作计划1一、…"
            if number:
                end += number.end()
            rest = text[end:]
            if rest.strip() and not re.match(r"\s*(如下|书|書|[的之和及与與暨])", rest):
                best = max(best or 0, end)
    if best is None:
        return None
    return text[:best].strip(), text[best:].strip()


def _is_prose(text: str) -> bool:
    return bool(re.search(r"[，。；,;！？]", text)) or len(text) > 40


def split_documents(lines: Sequence[Line]) -> list[RawDocument]:
    """The documents of a file: split at "第一篇:" lines, or else at a new title line.

    Before a document's body starts (its first heading or sentence), a title that runs
    into the text is cut off it, the same title repeated (a web page's heading and the
    document's own, "（集合5篇）", "篇1") is left out, and so are short banner lines in front
    of the title. Once the body has started, only a different title begins a new document.
    """
    groups: list[tuple[str, list[Line]]] = []
    if any(is_volume_marker(line.text) for line in lines):
        for line in lines:
            if is_volume_marker(line.text):
                hint = re.split("[:：]", line.text, maxsplit=1)[1].strip(" ）)")
                groups.append((hint, []))
            elif groups:
                groups[-1][1].append(line)
            elif line.text.strip():
                groups.append(("", [line]))
    else:
        groups = [("", list(lines))]
    documents: list[RawDocument] = []
    for hint, group in groups:
        documents.extend(_documents_of(hint, group, len(documents) + 1))
    return documents


def _documents_of(hint: str, group: list[Line], number: int) -> list[RawDocument]:
    found: list[RawDocument] = []
    body: list[Line] = []
    dropped: list[str] = []
    title, start = clean_title(hint), group[0].number if group else 0
    started = False
    hinted = bool(title)  # the "第一篇:" line's title gives way to the document's own
    queue = deque(group)
    lookahead_title = any(_is_title(clean_title(line.text)) or split_title_run_in(line.text)
                          for line in group[:8])
    while queue:
        line = queue.popleft()
        text = _ANTHOLOGY_PART.sub("", line.text).strip()
        if not text:
            continue
        candidate = clean_title(text)
        heading = parse_heading(text)
        if not started and heading is None:
            run_in = split_title_run_in(text)
            if run_in is not None and not _is_title(candidate):
                head, rest = run_in
                queue.extendleft([replace(line, text=rest), replace(line, text=head)])
                continue
        if _is_title(candidate):
            if not started:
                if not title or hinted:
                    title, start, hinted = candidate, line.number, False
                elif text != title:
                    dropped.append(text)
                continue
            if same_title(candidate, title):
                dropped.append(text)
                continue
            if not title and not any(parse_heading(b.text) or "。" in b.text for b in body) and len(body) <= 8:
                # Untitled lines with no sentence before a title: a page's banner, not a document.
                dropped.extend(b.text for b in body)
                body, title, start, started = [], candidate, line.number, False
                continue
            found.append(RawDocument(title, tuple(body), start, number + len(found), tuple(dropped)))
            title, body, dropped, start, started = candidate, [], [], line.number, False
            continue
        if not started and not title and lookahead_title and heading is None and not _is_prose(text):
            dropped.append(text)  # a banner above the title ("热门议案范例", "政府公开信息")
            continue
        started = True
        body.append(replace(line, text=text) if text != line.text else line)
    if title or body:
        found.append(RawDocument(title, tuple(body), start, number + len(found), tuple(dropped)))
    return found


# Words that tell a plan from a report when the title does not: what will be done, or
# what was. Strong cues count three times.
_PLAN_STRONG = re.compile(r"指导思想|指導思想|工作目标|工作目標|总体思路|總體思路|工作思路|工作要点|工作要點|"
                          r"主要任务|主要任務|具体措施|具體措施|工作措施|计划如下|計劃如下|安排如下|重点工作|重點工作")
_PLAN_WEAK = re.compile(r"将|將|要|力争|力爭|确保|確保|争取|爭取|拟|擬|计划|計劃|新增|全年|年内|年內")
_REPORT_STRONG = re.compile(r"完成情况|完成情況|一年来|一年來|今年以来|今年以來|回顾|回顧|总结如下|總結如下|"
                            r"汇报如下|匯報如下|做了以下|全部完成|圆满完成|圓滿完成|取得了|成效显著|成效顯著")
_REPORT_WEAK = re.compile(r"了|已|累计|累計|共组织|共組織|共举办|共舉辦|获得|獲得|荣获|榮獲")


def content_kind(texts: Iterable[str]) -> Kind | None:
    """plan or report, judged by what the text says: will do (plan) or has done (report);
    None when it says neither."""
    text = "\n".join(texts)
    plan = 3 * len(_PLAN_STRONG.findall(text)) + len(_PLAN_WEAK.findall(text))
    report = 3 * len(_REPORT_STRONG.findall(text)) + len(_REPORT_WEAK.findall(text))
    if plan == report == 0:
        return None
    return "report" if report > plan else "plan"


def document_kind(document: RawDocument) -> Kind:
    """plan, proposal or report: from the title's kind words, else from what the text says."""
    kind = _title_kind(document.title) or content_kind(line.text for line in document.lines)
    if kind is not None:
        return kind
    levels = {h.level for h in (parse_heading(line.text) for line in document.lines) if h}
    return "plan" if {1, 3} <= levels else "report"


# A report's part that is the plan for the next period: "二、下半年工作打算", "三、2022年工作计划".
_PLAN_PART = re.compile(r"计划|計劃|打算|安排|思路|要点|要點|设想|設想|下一步")


def split_report_plan(document: RawDocument) -> tuple[RawDocument, RawDocument | None]:
    """"……总结及……计划": the report, and the plan that its last top-level part holds, if any.

    The plan is titled from the report's title: "街道2020年上半年工作总结和下半年工作计划" →
    "街道2020年下半年工作计划"."""
    if not names_plan_too(document.title):
        return document, None
    level = top_level(document.lines)
    for index, line in enumerate(document.lines):
        heading = parse_heading(line.text)
        if heading is not None and heading.level == level and index and _PLAN_PART.search(heading.rest[:20]):
            report = replace(document, lines=document.lines[:index])
            plan = RawDocument(_plan_title(document.title), document.lines[index + 1:], line.number,
                               document.number)
            return report, plan
    return document, None


def _plan_title(title: str) -> str:
    part = re.split(r"及|和|暨|与|與|并|並|、", title)[-1]
    year = _YEAR.search(title)
    unit = title[: year.start()] if year else ""
    if _YEAR.search(part) is None and year is not None:
        part = year.group(0) + part
    return unit + part


# --- dates, years, signatures ----------------------------------------------------------

_YEAR = re.compile(r"(?<![\d〔\[])((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d)")


# In a title the year may be written without 年: "团委2023的工作计划", "2005学年度…",
# "2008-2009年度…" (the first year), or in the ROC calendar: "103年度施政计画" (2014).
_TITLE_YEAR = re.compile(r"(?<![\d〔\[])((?:19|20)\d{2})(?!\d)(?!\s*[〕\]])(?=\s*(?:[\u4e00-\u9fff]|[—\-–~～]))")
# Spaces before the year are taken from the first or second of their run on ((?<!\s\s)):
# tried from every space of a long run, \s* rescanned the rest of it (quadratic). A match
# from further in is also one from there, and the second place always passes (?<![\d.]).
_ROC_YEAR = re.compile(r"(?<![\d.])(?:(?:民国|民國)\s*|(?<!\s\s)\s*)(\d{2,3})\s*(?:学年度|學年度|年度|学年|學年|年)")
_YEAR_RANGE = re.compile(r"(?<![\d〔\[])((?:19|20)\d{2})\s*[—\-–~～至]\s*(?:19|20)?\d{2}(?!\d)")
ROC_OFFSET = 1911
# A title may write its year in Chinese numerals, digit by digit: "二〇一二年工作要点".
_CN_YEAR = re.compile(r"([〇○零O一二三四五六七八九]{4})\s*(?:年|学年|學年)")
_ROC_SCHOOL_YEAR = re.compile(r"(?<![\d.])(\d{2,3})\s*(?:学年度|學年度)")


def title_year(title: str) -> int | None:
    """The year a title names, in any of the ways titles write it."""
    match = _YEAR_RANGE.search(title) or _YEAR.search(title) or _TITLE_YEAR.search(title)
    if match:
        return int(match.group(1))
    roc = _ROC_YEAR.search(title)
    if roc and 60 <= int(roc.group(1)) <= 150:
        return int(roc.group(1)) + ROC_OFFSET
    written = _CN_YEAR.search(title)
    year = cn_digits(written.group(1)) if written else None
    return year if year is not None and 1900 <= year <= 2100 else None


def likeliest_year(texts: Iterable[str]) -> int | None:
    """The year a document talks about most (document numbers like 〔2000〕 and ranges not counted)."""
    counts: Counter[int] = Counter()
    roc: Counter[int] = Counter()  # school years of the ROC calendar: "102 學年度"
    for text in texts:
        text = re.sub(r"\d{4}\s*[—\-–~至]\s*\d{4}", "", text)
        counts.update(int(y) for y in _YEAR.findall(text))
        roc.update(int(y) + ROC_OFFSET for y in _ROC_SCHOOL_YEAR.findall(text) if 60 <= int(y) <= 150)
    if not counts:
        counts = roc
    if not counts:
        return None
    return counts.most_common(1)[0][0]


@dataclass(frozen=True)
class Signature:
    org: str | None
    date: dt.date | None
    line: int


def take_signature(lines: Sequence[Line]) -> tuple[list[Line], Signature | None]:
    """Split off the closing signature ("***区委…办公室") and date lines."""
    body = list(lines)
    date = org = None
    line_no = 0
    if body and parse_written_date(body[-1].text):
        date = parse_written_date(body[-1].text)
        line_no = body[-1].number
        body.pop()
    if body and (
        body[-1].text.startswith("*")
        or (date is not None and _SIGNATURE_LIKE.match(body[-1].text)
            and parse_heading(body[-1].text) is None)
    ):
        org = body[-1].text.lstrip("*＊ ").strip() or None
        line_no = body[-1].number
        body.pop()
    if date is None and org is None:
        return body, None
    return body, Signature(org, date, line_no)


# --- outline ----------------------------------------------------------------------------


@dataclass
class Node:
    """A numbered heading with the paragraphs and sub-headings under it."""

    heading: Heading
    line: int
    title: str
    lead: str = ""  # text that ran on after the heading's title on its own line
    lines: list[Line] = field(default_factory=list)

    def body(self) -> str:
        parts = [self.lead] if self.lead else []
        parts.extend(line.text for line in self.lines)
        return "\n".join(parts)


_RUN_IN_L3 = re.compile(rf"(?<=[{HAN}])(\d{{1,2}}[.．](?!\d))")


def split_run_in_headings(lines: Iterable[Line]) -> list[Line]:
    """Put a "1." that a level-1 heading runs into on its own line:
    "一、区妇联组织状况1.组织状况全区……" → "一、区妇联组织状况" + "1.组织状况全区……"."""
    out = []
    for line in lines:
        heading = parse_heading(line.text)
        if heading is not None and heading.level == 1:
            match = _RUN_IN_L3.search(heading.rest)
            if match and not re.search("[，。；,;]", heading.rest[: match.start()]):
                cut = len(line.text) - len(heading.rest) + match.start()
                out.append(replace(line, text=line.text[:cut]))
                out.extend(_split_echo(replace(line, text=line.text[cut:]), heading.rest[: match.start()]))
                continue
        out.append(line)
    return out


def _split_echo(line: Line, parent: str) -> list[Line]:
    """A run-in sub-heading that repeats its parent's last words is a title of its own:
    under "区妇联组织状况", "1.组织状况全区……" → "1.组织状况" + "全区……"."""
    heading = parse_heading(line.text)
    if heading is None:
        return [line]
    rest = heading.rest
    for size in range(min(len(parent), len(rest) - 1), 2, -1):
        if parent.endswith(rest[:size]) and not re.search("[，。；,;]", rest[:size]):
            cut = len(line.text) - len(rest) + size
            return [replace(line, text=line.text[:cut]), replace(line, text=line.text[cut:])]
    return [line]


def heading_title(rest: str) -> tuple[str, str]:
    """A heading's title and the paragraph that runs on after it:
    "加快垃圾消纳设施建设。合理规划……" → ("加快垃圾消纳设施建设", "合理规划……");
    UNTITLED when nothing follows the number."""
    title, lead = _heading_title(rest.strip().lstrip(_LEADING_MARKS))
    return title or UNTITLED, lead


def first_sentence(text: str) -> tuple[str, str]:
    """A paragraph's first sentence as a title, and the rest (a title of at most 60
    characters; else the whole paragraph is the title); UNTITLED when it holds no words."""
    text = text.lstrip(_LEADING_MARKS)
    title, mark, rest = text.partition("。")
    if not (mark and rest and len(title) <= 60):
        title, rest = text.rstrip("。"), ""
    return title or UNTITLED, rest


def _heading_title(rest: str) -> tuple[str, str]:
    # "开展主题宣讲：组织……" and "领导重视，组织有力 为保证……": a short title ends at "：" or a space.
    for mark in ("：", " ", "\u3000"):
        title, found, lead = rest.partition(mark)
        plain = not re.search(r"[。；！？]", title) and (mark != "：" or "，" not in title)
        if found and plain and 2 <= len(title) <= 30 and len(lead.strip()) >= 4:
            return title.strip(), lead.strip()
    first, _, after = rest.partition("。")
    clause, comma, more = first.partition("，")
    if len(first) > 60 and comma and 2 <= len(clause) <= 20:
        # A whole paragraph behind the number, too long to be a title: its first clause is.
        return clause.strip(), (more + ("。" + after if _ else "")).strip()
    if "。" in rest:
        title, _, lead = rest.partition("。")
        if lead.strip() and len(title) <= 60:
            return title.strip(), lead.strip()
        if not lead.strip() and len(title) <= 60:
            return title.strip(), ""
    return rest.rstrip("。"), ""


def outline(lines: Iterable[Line], level: int) -> tuple[list[Line], list[Node]]:
    """The lines before the first heading of ``level``, and one Node per such heading."""
    before: list[Line] = []
    nodes: list[Node] = []
    for line in lines:
        heading = parse_heading(line.text)
        # "1、加强教育。" then "1、组织学习……": the second 1 restarts under the first, whose
        # title it is; it is the first point under that heading, not a heading of its own.
        restart = (heading is not None and nodes and heading.number == 1 and nodes[-1].heading.number == 1
                   and not nodes[-1].lines and not nodes[-1].lead)
        if heading is not None and heading.level == level and not restart:
            title, lead = heading_title(heading.rest)
            nodes.append(Node(heading, line.number, title, lead))
        elif nodes:
            nodes[-1].lines.append(line)
        else:
            before.append(line)
    return before, nodes


def top_level(lines: Iterable[Line]) -> int:
    """The highest heading level the text uses: 一、 (1) usually, but （一） when there is
    no 一、, 第一章 or 壹、 above them, ① when nothing else is numbered."""
    levels = {h.level for h in (parse_heading(line.text) for line in lines) if h}
    return min(levels - {5} or levels or {1})


def sub_level(lines: Iterable[Line], below: int) -> int | None:
    """The first heading level deeper than ``below`` used in ``lines``."""
    for line in lines:
        heading = parse_heading(line.text)
        if heading is not None and heading.level > below:
            return heading.level
    return None


def check_numbering(nodes: Sequence[Node], *, previous: int = 0) -> list[Notice]:
    """Numbers must count up by one, starting at 1 or running on from ``previous``."""
    notices = []
    expected: set[int] = {1, previous + 1}
    for node in nodes:
        if node.heading.number not in expected:
            want = "或".join(str(n) for n in sorted(expected))
            notices.append(Notice(node.line, "import-numbering",
                                  f"编号“{node.heading.marker}”不连续（应为{want}），可能漏了一段，请核对原文"))
        expected = {node.heading.number + 1}
    return notices


# --- the problem list of a proposal -----------------------------------------------------

_PROBLEMS_INTRO = re.compile(r"(主要体现在|主要體現在|主要表现在|主要表現在|具体表现为|具體表現為)[：:]")
_ORDINAL = re.compile(r"(?:^|(?<=[；;]))[一二三四五六七八九十]是")


def split_problems(text: str) -> tuple[str, list[str], str]:
    """"……问题，主要体现在：一是……；二是……。" → (text before, [problems], text after)."""
    intro = _PROBLEMS_INTRO.search(text)
    if intro is None:
        return text, [], ""
    after_intro = text[intro.end():]
    if not after_intro.startswith("一是"):
        return text, [], ""
    end = after_intro.find("。")
    listed, rest = (after_intro, "") if end < 0 else (after_intro[:end], after_intro[end + 1:])
    problems = [p.strip("；;，, ") for p in _ORDINAL.split(listed) if p.strip("；;，, ")]
    return text[: intro.start()], problems, rest.strip()
