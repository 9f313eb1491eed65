"""From a template and its context to the bytes of one output format (SPEC §8).

template → Markdown (normalised) → [OpenCC, for Traditional] → blocks → md | txt | html | docx
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from fedplan.diagnostics import FedplanError
from fedplan.formats import DOCUMENTS
from fedplan.records import record
from fedplan.render.chinese import to_traditional
from fedplan.render.env import render_template
from fedplan.render.markdown import to_document

LANGS = {"hans": "zh-CN", "hant": "zh-TW"}


def choose_format(output: Path | None, fmt: str | None) -> str:
    """``--format`` if given, else the extension of ``-o``, else Markdown; docx needs a file."""
    return DOCUMENTS.choose(output, fmt)


def render_markdown(env: jinja2.Environment, template: str, context: Mapping[str, Any]) -> str:
    """The template's Markdown, tidied: no trailing spaces, at most one blank line in a row."""
    text = render_template(env, template, **context)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


@record
class Rendering:
    """Everything one document needs besides its Markdown, to be written in any format."""

    env: jinja2.Environment
    script: str = "hans"
    date: dt.date | None = None  # the document's own date (成文日期)
    charts: Mapping[str, Markup] | None = None  # SVG by target id, for html
    # target id → name: html draws a target's chart under the table row that names it
    chart_names: Mapping[str, str] | None = None
    addressed: bool = False  # the Markdown's line under the title is a 主送机关
    signer: str | None = None  # the issuer's name an undated document closes with


def produce(markdown: str, fmt: str, how: Rendering) -> bytes:
    """The document in ``fmt``, from the Markdown its template wrote."""
    charts = how.charts or {}
    names = how.chart_names or {}
    if how.script == "hant":
        markdown = to_traditional(markdown)
        # the charts' labels are written in Python, not the template: convert them too
        charts = {target: Markup(to_traditional(str(svg))) for target, svg in charts.items()}
        names = {target: to_traditional(name) for target, name in names.items()}
        signer = to_traditional(how.signer) if how.signer else None
    else:
        signer = how.signer
    if fmt == "md":
        return markdown.encode("utf-8")
    doc = to_document(
        markdown, date=how.date, lang=LANGS.get(how.script, "zh-CN"), addressed=how.addressed, signer=signer
    )
    if fmt == "txt":
        from fedplan.render.text import to_text

        return to_text(doc).encode("utf-8")
    if fmt == "html":
        from fedplan.render.html import to_html

        return to_html(doc, env=how.env, charts=charts, names=names).encode("utf-8")
    if fmt == "docx":
        try:
            from fedplan.render.docx import to_docx
        except ImportError as exc:  # lxml missing from a broken install
            raise FedplanError(
                f"无法生成 Word 文档：{exc}", code="docx-unavailable", hint="pip install lxml"
            ) from None
        return to_docx(doc)
    raise FedplanError(f"未知的输出格式：{fmt}", code="unknown-format", exit_code=2)
