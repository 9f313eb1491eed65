"""From cleaned lines to documents: split a file, tell each document's kind, read its outline.

Works on lines that clean.py has already repaired (Simplified or Traditional both work:
every keyword is matched in either script).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from fedplan.dates import parse_date
from fedplan.headings import Heading, cn_digits, cn_number, parse_heading
from fedplan.importer.clean import HAN, Line, is_volume_marker

Kind = Literal["plan", "proposal", "report"]

# The last of these words in a title names the kind ("……计划的建议" is a proposal).
_KIND_WORDS: tuple[tuple[str, Kind], ...] = (
    ("工作要点", "plan"), ("工作要點", "plan"), ("要点", "plan"), ("要點", "plan"),
    ("计划", "plan"), ("計劃", "plan"), ("规划", "plan"), ("規劃", "plan"),
    ("建议", "proposal"), ("建議", "proposal"),
    ("总结", "report"), ("總結", "report"), ("汇报", "report"), ("匯報", "report"),
    ("报告", "report"), ("報告", "report"),
)
_TITLE_LIKE = re.compile(r"^[^，。；,;：:！？]{4,40}$")
_SIGNATURE_LIKE = re.compile(r"^[^，。；,;：:！？、]{2,30}$")


@dataclass(frozen=True)
class RawDocument:
    """The lines of one document of a file, its title and where it starts."""

    title: str
    lines: tuple[Line, ...]
    start: int
    number: int


@dataclass(frozen=True)
class Notice:
    """Something a person should check, at a line of the source (becomes a Diagnostic)."""

    line: int
    code: str
    message: str


def _title_kind(title: str) -> Kind | None:
    found: tuple[int, Kind] | None = None
    for word, kind in _KIND_WORDS:
        at = title.rfind(word)
        if at >= 0 and (found is None or at + len(word) > found[0]):
            found = (at + len(word), kind)
    return found[1] if found else None


def _is_title(text: str) -> bool:
    return (
        bool(_TITLE_LIKE.match(text))
        and parse_heading(text) is None
        and _title_kind(text) is not None
    )


def split_documents(lines: Sequence[Line]) -> list[RawDocument]:
    """The documents of a file: split at "第一篇:" lines, or else at repeated title lines."""
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
        for line in lines:
            body_started = bool(groups) and len(groups[-1][1]) > 1
            if _is_title(line.text) and (not groups or body_started):
                groups.append((line.text, [line]))
            elif groups:
                groups[-1][1].append(line)
            else:
                groups.append(("", [line]))
    documents = []
    for number, (hint, group) in enumerate(groups, start=1):
        if not group:
            continue
        title = group[0].text if _is_title(group[0].text) else hint
        body = group[1:] if group[0].text == title else group
        # A title repeated on the next line (a web page's heading and the document's own).
        while body and body[0].text == title:
            body = body[1:]
        documents.append(RawDocument(title, tuple(body), group[0].number, number))
    return documents


def document_kind(document: RawDocument) -> Kind:
    """plan, proposal or report: from the title's last kind word, else from its shape."""
    kind = _title_kind(document.title)
    if kind is not None:
        return kind
    levels = {h.level for h in (parse_heading(line.text) for line in document.lines) if h}
    return "plan" if {1, 3} <= levels else "report"


# --- dates, years, signatures ----------------------------------------------------------

_DATE_CHINESE = re.compile(r"^([〇○零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")


def parse_date_line(text: str) -> dt.date | None:
    """A date written alone on a line: "2012年2月15日" or "二○○六年二月十五日"."""
    text = text.strip()
    if "年" not in text:  # documents sign with 年月日; a bare 2012-02-15 line is not a signature
        return None
    written = parse_date(text)
    if written is not None:
        return written
    match = _DATE_CHINESE.match(text)
    if match is None:
        return None
    year, month, day = cn_digits(match.group(1)), cn_number(match.group(2)), cn_number(match.group(3))
    if not (year and month and day):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_YEAR = re.compile(r"(?<![\d〔\[])((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d)")


def title_year(title: str) -> int | None:
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None


def likeliest_year(texts: Iterable[str]) -> int | None:
    """The year a document talks about most (document numbers like 〔2000〕 and ranges not counted)."""
    counts: Counter[int] = Counter()
    for text in texts:
        text = re.sub(r"\d{4}\s*[—\-–~至]\s*\d{4}", "", text)
        counts.update(int(y) for y in _YEAR.findall(text))
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
    if body and parse_date_line(body[-1].text):
        date = parse_date_line(body[-1].text)
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
    "加快垃圾消纳设施建设。合理规划……" → ("加快垃圾消纳设施建设", "合理规划……")."""
    rest = rest.strip()
    if "。" in rest:
        title, _, lead = rest.partition("。")
        if lead.strip() and len(title) <= 60:
            return title.strip(), lead.strip()
        if not lead.strip():
            return title.strip(), ""
    return rest, ""


def outline(lines: Iterable[Line], level: int) -> tuple[list[Line], list[Node]]:
    """The lines before the first heading of ``level``, and one Node per such heading."""
    before: list[Line] = []
    nodes: list[Node] = []
    for line in lines:
        heading = parse_heading(line.text)
        if heading is not None and heading.level == level:
            title, lead = heading_title(heading.rest)
            nodes.append(Node(heading, line.number, title, lead))
        elif nodes:
            nodes[-1].lines.append(line)
        else:
            before.append(line)
    return before, nodes


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
