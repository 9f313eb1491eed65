"""Imported documents → YAML text written by hand (SPEC §3), so comments and `|` blocks read well.

yaml.dump cannot write comments and folds long Chinese lines unpredictably; this writer
puts every key in the order of SPEC §3, quotes a string only when YAML would misread it,
and writes prose as literal blocks, one paragraph per line.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from fedplan.dates import due_date, year_end
from fedplan.importer.documents import Imported
from fedplan.importer.targets import FoundTarget
from fedplan.ledger import CONTROL, quoted, scalar


def flow_list(values: list[str]) -> str:
    """``[a, b]``, quoting what a flow sequence would misread."""
    return "[" + ", ".join(quoted(v) if re.search(r"[,\[\]{}]", v) else scalar(v) for v in values) + "]"


def block(text: str, indent: int) -> str:
    """A literal block scalar (``|``) holding ``text``, its lines indented by ``indent``."""
    if CONTROL.search(text) or any(line != line.rstrip() for line in text.splitlines()):
        return quoted(text)
    pad = " " * indent
    lines = text.strip("\n").split("\n")
    indicator = str(indent) if lines[0].startswith(" ") else ""
    body = "\n".join(pad + line if line else "" for line in lines)
    return f"|{indicator}\n{body}"


def _comment_text(text: str) -> str:
    return text.replace("\n", " ")


def _field(key: str, value: str, indent: int) -> str:
    return f"{' ' * indent}{key}: {value}"


def _prose(key: str, text: str, indent: int) -> str:
    return _field(key, block(text, indent + 2), indent) if text else _field(key, '""', indent)


def _header(doc: Imported, source: str) -> list[str]:
    # The file's name only: a full path would put the importer's machine into the repository.
    lines = [f"# 由 fedplan import 从 {PurePath(source).name} 第{doc.source_number}篇（第{doc.line}行起）导入，请核对后提交。"]
    lines.extend(f"# {_comment_text(note)}" for note in doc.notes)
    return lines


def _guess(doc: Imported, key: str) -> str:
    reason = doc.guesses.get(key)
    return f"  # 推测：{reason}，请核对" if reason else ""


def _target_lines(target_id: str, found: FoundTarget, indent: int, year: int | None = None) -> list[str]:
    pad = " " * indent
    out = [
        f"{pad}# 原文：“{_comment_text(found.sentence)}”",
        f"{pad}- id: {scalar(target_id)}",
        f"{pad}  name: {scalar(found.name)}",
        f"{pad}  target: {scalar(found.target)}",
        f"{pad}  unit: {scalar(found.unit)}",
    ]
    if found.measure != "sum":
        out.append(f"{pad}  measure: {found.measure}")
    if found.direction != "up":
        out.append(f"{pad}  direction: {found.direction}")
    due = due_date(found.due, year)
    if due is not None:
        out.append(f"{pad}  due: {scalar(due)}  # 取自原文的完成时限，请核对")
    return out


def plan_yaml(doc: Imported, source: str) -> str:
    out = _header(doc, source)
    out.append("kind: plan")
    out.append(f"org: {scalar(doc.org)}{_guess(doc, 'org')}")
    out.append(f"year: {scalar(doc.year)}{_guess(doc, 'year')}")
    out.append(f"title: {scalar(doc.title)}{_guess(doc, 'title')}")
    if doc.preamble:
        out.append(_prose("preamble", doc.preamble, 0))
    out.append("sections:" if doc.sections else "sections: []")
    for section in doc.sections:
        out.append(f"  - title: {scalar(section.title)}")
        out.append("    items:" if section.items else "    items: []")
        for item in section.items:
            out.append(f"      - id: {scalar(item.id)}")
            out.append(f"        title: {scalar(item.title)}")
            if item.text:
                out.append(_prose("text", item.text, 8))
            if item.partners:
                out.append(f"        partners: {flow_list(item.partners)}  # 取自正文，请核对")
            if item.targets:
                out.append("        targets:")
                for target in item.targets:
                    out.extend(_target_lines(target.id, target.found, 10, doc.year))
    return "\n".join(out) + "\n"


def _signature_lines(doc: Imported) -> list[str]:
    if doc.signature is None:
        return []
    out = ["signature:"]
    if doc.signature.org:
        out.append(f"  org: {scalar(doc.signature.org)}")
    if doc.signature.date:
        out.append(f"  date: {scalar(doc.signature.date)}")
    return out


def proposal_yaml(doc: Imported, source: str) -> str:
    out = _header(doc, source)
    out.append("kind: proposal")
    if doc.year is not None:
        out.append(f"year: {scalar(doc.year)}{_guess(doc, 'year')}")
    out.append(f"title: {scalar(doc.title)}{_guess(doc, 'title')}")
    if doc.to:
        out.append(f"to: {scalar(doc.to)}  # 取自正文，请核对")
    if doc.date is not None:
        out.append(f"date: {scalar(doc.date)}")
    if doc.background:
        out.append(_prose("background", doc.background, 0))
    if doc.problems:
        out.append("problems:")
        out.extend(f"  - {scalar(problem)}" for problem in doc.problems)
    out.append("recommendations:" if doc.recommendations else "recommendations: []")
    for title, body in doc.recommendations:
        out.append(f"  - title: {scalar(title)}")
        if body:
            out.append(_prose("body", body, 4))
    out.extend(_signature_lines(doc))
    return "\n".join(out) + "\n"


def report_yaml(doc: Imported, source: str) -> str:
    out = _header(doc, source)
    out.append("kind: report")
    out.append(f"year: {scalar(doc.year)}{_guess(doc, 'year')}")
    out.append(f"id: {scalar(doc.id)}")
    out.append(f"title: {scalar(doc.title)}{_guess(doc, 'title')}")
    if doc.year is not None:
        out.append(f"as_of: {scalar(year_end(doc.year))}")
    if doc.preamble:
        out.append(_prose("preamble", doc.preamble, 0))
    out.append("sections:" if doc.parts else "sections: []")
    for index, (title, body) in enumerate(doc.parts):
        out.append(f"  - title: {scalar(title)}{_guess(doc, f'sections[{index}].title')}")
        if body:
            out.append(_prose("body", jinja_literal(body), 4))
    out.extend(_signature_lines(doc))
    return "\n".join(out) + "\n"


def jinja_literal(text: str) -> str:
    """Report bodies are Jinja templates (SPEC §3.3): legacy text that happens to hold
    "{{", "{%" or "{#" is made to print as itself."""
    return re.sub(r"\{[{%#]", lambda m: "{{ '" + m.group() + "' }}", text)


def to_yaml(doc: Imported, source: str) -> str:
    """The YAML text of ``doc``; ``source`` names the file it came from, for the header."""
    if doc.kind == "plan":
        return plan_yaml(doc, source)
    if doc.kind == "proposal":
        return proposal_yaml(doc, source)
    return report_yaml(doc, source)
