"""The Markdown subset templates write, and its parser into blocks.

Templates produce Markdown because that is what people review in git; every other format
is drawn from the blocks parsed back out of it, so overriding one template changes them all.

The subset, one construct per blank-line-separated chunk:

- ``# 标题`` the title; ``##`` … ``#####`` headings of level 1 (一、) to 4 (（1）)
- a one-line paragraph wholly in full-width brackets right under the title, e.g.
  ``（截至2012年9月30日）``: a subtitle
- in a document the caller says has a 主送机关 (``addressed``), the one-line paragraph
  right under the title (and subtitle) that ends in a full-width colon, e.g.
  ``区委、区政府：``: the addressee
- the last chunk of the document, when its lines end in a hard break (``\\``) and its last
  line is a date: the signature lines and the date (plain Markdown: GitHub shows them as
  lines of their own); a last chunk of one line that is a date alone is the date, and one
  that is the issuer's name the caller gives (``signer``) the signature of an undated
  document
- ``<div align="center">…</div>`` a subtitle; ``align="left"`` the 主送机关 (addressee);
  ``align="right"`` the signature, or the date when its text is a date (older templates,
  still read; the built-in ones write plain Markdown, no HTML)
- ``<!-- chart: TARGET-ID -->`` the progress chart of one target (HTML only; the built-in
  templates leave charts to the HTML writer, which draws them under the table of targets)
- pipe tables with a ``|---|`` line under the header
- anything else is a paragraph; lines join without spaces; a leading ``**…**`` is its run-in
  lead (``**1.创先争优。** 坚持……``; the space lets GitHub close the bold after 。, as
  CommonMark's flanking rules require)

``\\`` escapes a character (``md_escape`` writes these), so user text never turns into markup.
"""

from __future__ import annotations

import datetime as dt
import re

from fedplan.render.blocks import Block, RenderedDocument
from fedplan.render.chinese import numbering_level

_HEADING = re.compile(r"^(#{1,5})\s+(.*)$")
_DIV = re.compile(r'^<div\s+align="(left|center|right)">(.*)</div>$')
_CHART = re.compile(r"^<!--\s*chart:\s*([\w-]+)\s*-->$")
_LEAD = re.compile(r"^\*\*((?:\\.|[^*\\])+)\*\*")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_DATE_TEXT = re.compile(r"^[\d〇○零一二三四五六七八九十]{4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_SPECIAL = re.compile(r"([\\*<|`])")
# Every character str.splitlines() (and so a reader of the Markdown) breaks a line at: a
# note holding U+2028 must not start a heading or a table row of its own.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def md_escape(text: object) -> str:
    """Text made inert in this Markdown subset (and on GitHub): ``<b>`` → ``\\<b>``.

    Newlines become spaces and the ends are trimmed: a fragment never starts a new block.
    """
    escaped = _SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)).strip())
    if escaped.startswith(("#", ">")):
        escaped = "\\" + escaped
    return escaped


def md_heading(level: int) -> str:
    """The ``#`` marks of a heading of ``level`` 1..4 (level 0, the title, is ``#``)."""
    return "#" * (max(0, min(level, 4)) + 1)


def _inline(text: str) -> str:
    """Plain text of a line: escapes resolved, stray ``**`` emphasis dropped."""
    parts = re.split(r"(\\.)", text)
    return "".join(p[1] if p.startswith("\\") else p.replace("**", "") for p in parts)


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if text and text[-1].isascii() and text[-1].isalnum() and line[:1].isascii() and line[:1].isalnum():
            text += " "
        text += line
    return text


def _split_row(line: str) -> tuple[str, ...]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return tuple(_inline(c.strip()) for c in cells)


def _chunk_blocks(lines: list[str]) -> list[Block]:
    first = lines[0].strip()
    if heading := _HEADING.match(first):
        depth = len(heading.group(1))
        text = _inline(_join([heading.group(2), *lines[1:]]))
        if depth == 1:
            return [Block("title", text)]
        return [Block("heading", text, level=depth - 1)]
    if first.startswith("|") and len(lines) >= 2 and _TABLE_RULE.match(lines[1].strip()):
        rows = [_split_row(line) for i, line in enumerate(lines) if i != 1 and line.strip()]
        return [Block("table", rows=tuple(rows))]
    if all(_DIV.match(line.strip()) or _CHART.match(line.strip()) for line in lines):
        return [_line_block(line.strip()) for line in lines]
    if lead := _LEAD.match(first):
        rest = _join([first[lead.end() :], *lines[1:]])
        lead_text = _inline(lead.group(1))
        return [Block("paragraph", _inline(rest), lead=lead_text, level=numbering_level(lead_text))]
    return [Block("paragraph", _inline(_join(lines)))]


def _line_block(line: str) -> Block:
    if chart := _CHART.match(line):
        return Block("chart", target_id=chart.group(1))
    div = _DIV.match(line)
    assert div is not None
    align, text = div.group(1), _inline(div.group(2).strip())
    if align == "center":
        return Block("subtitle", text)
    if align == "left":
        return Block("addressee", text)
    return Block("date" if _DATE_TEXT.match(text) else "signature", text)


_SUBTITLE = re.compile(r"^（[^（）]+）$")
_HARD_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")  # an odd number of trailing backslashes


def _addressee_block(lines: list[str], blocks: list[Block]) -> Block | None:
    """A one-line chunk under the title (and its subtitle) ending in "：": the 主送机关."""
    above = [b.kind for b in blocks]
    if len(lines) != 1 or above not in (["title"], ["title", "subtitle"]):
        return None
    text = _inline(lines[0].strip())
    return Block("addressee", text) if text.endswith("：") and len(text) > 1 else None


def _signature_blocks(lines: list[str], signer: str | None) -> list[Block] | None:
    """The closing chunk "金川区妇联\\" / "2012年12月31日" as signature and date blocks;
    a closing date alone, or the document's issuer alone (an undated document)."""
    if len(lines) == 1:
        text = _inline(lines[0].strip())
        if _DATE_TEXT.match(text):
            return [Block("date", text)]
        return [Block("signature", text)] if signer and text == signer else None
    if not all(_HARD_BREAK.search(line.rstrip()) for line in lines[:-1]):
        return None
    texts = [_inline(line.rstrip()[:-1].strip()) for line in lines[:-1]] + [_inline(lines[-1].strip())]
    if not _DATE_TEXT.match(texts[-1]) or any(not t or re.search(r"[。；！？]", t) for t in texts):
        return None
    return [Block("signature", t) for t in texts[:-1]] + [Block("date", texts[-1])]


def parse_markdown(text: str, *, addressed: bool = False, signer: str | None = None) -> tuple[Block, ...]:
    """The blocks of a document written in this module's Markdown subset.

    ``addressed``: the document has a 主送机关, the one-line chunk under its title (and
    subtitle) ending in "："; ``signer``: the issuer's name, which an undated document's
    last chunk holds alone. Both are said by the caller, who knows the document, so that
    a summary opening "现将上半年工作总结如下：" or a closing line of text is never misread.
    """
    chunks: list[list[str]] = []
    chunk: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            chunk.append(line)
        elif chunk:
            chunks.append(chunk)
            chunk = []
    blocks: list[Block] = []
    for index, lines in enumerate(chunks):
        if index == len(chunks) - 1 and index and (closing := _signature_blocks(lines, signer)):
            blocks.extend(closing)
            continue
        if addressed and (addressee := _addressee_block(lines, blocks)):
            blocks.append(addressee)
            continue
        if (
            len(lines) == 1
            and blocks
            and blocks[-1].kind == "title"
            and _SUBTITLE.match(lines[0].strip())
        ):
            blocks.append(Block("subtitle", _inline(lines[0].strip())))
            continue
        blocks.extend(_chunk_blocks(lines))
    return tuple(blocks)


def to_document(
    text: str,
    *,
    date: dt.date | None = None,
    lang: str = "zh-CN",
    addressed: bool = False,
    signer: str | None = None,
) -> RenderedDocument:
    """A rendered document from Markdown: its title is its first ``#`` line."""
    blocks = parse_markdown(text, addressed=addressed, signer=signer)
    title = next((b.text for b in blocks if b.kind == "title"), "")
    return RenderedDocument(title=title, blocks=blocks, date=date, lang=lang)
