"""The rendered document as a list of blocks, shared by the txt, html and docx writers.

Templates produce Markdown (the reviewable form); ``parse_markdown`` turns that Markdown
into these blocks, so a user's template override changes every output format at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fedplan.records import record

BlockKind = Literal[
    "title",  # the document title (2号小标宋, centred)
    "subtitle",  # a line under the title (e.g. 主送机关 or a dated note), centred
    "addressee",  # 主送机关, flush left, ends with a full-width colon
    "heading",  # level 1 一、(黑体) 2 （一）(楷体) 3 1.(仿宋) 4 （1）(仿宋)
    "paragraph",  # body text; ``lead`` is a run-in heading printed before it (e.g. "1.创先争优。")
    "table",  # ``rows``: first row is the header
    "chart",  # progress chart of one numeric target (html draws SVG; others skip)
    "signature",  # 发文机关署名, right
    "date",  # 成文日期, right
]


@record
class Block:
    kind: BlockKind
    text: str = ""
    level: int = 0  # headings: 1..4; run-in lead level for paragraphs
    lead: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    target_id: str = ""


@record
class RenderedDocument:
    title: str
    blocks: tuple[Block, ...]
    date: dt.date | None = None
    lang: str = "zh-CN"  # zh-TW when rendered in Traditional script

    @property
    def landscape(self) -> bool:
        """Whether a page turned sideways is needed: a table of more columns than a portrait
        type area of 28 characters can hold readably (a 自评表 has eight)."""
        return any(b.kind == "table" and b.rows and len(b.rows[0]) >= LANDSCAPE_COLUMNS for b in self.blocks)


LANDSCAPE_COLUMNS = 7
