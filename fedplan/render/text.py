"""Plain text laid out like the printed page: 28 full-width characters a line (GB/T 9704 5.2.2),
a centred title, paragraphs indented two characters, signature and date at the right."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fedplan.records import record
from fedplan.render.blocks import Block, RenderedDocument
from fedplan.render.signature import signature_starts
from fedplan.width import display_width

LINE_CHARS = 28  # characters per line of the type area (GB/T 9704-2012 5.2.2)
INDENT = "\u3000\u3000"  # 段首左空二字
# 避头尾 (kinsoku): these never start a line; the opening ones never end one.
_NO_LINE_START = set("，。、；：？！）》」』”’…—%,.;:?!)]}·")
_NO_LINE_END = set("（《「『“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9.%+\-_/@#&]+|.", re.S)
# A quoted or book-title name ("“巾帼文明岗”", "《甘肃省反家庭暴力条例》"): in a table cell
# it moves to the next line whole rather than break ("“巾帼 / 文明岗”"), unless it alone is
# wider than the column.
_NAME = re.compile(r"“[^“”\n]+”|‘[^‘’\n]+’|《[^《》\n]+》|「[^「」\n]+」|『[^『』\n]+』")
_NAME_OR_TOKEN = re.compile(_NAME.pattern + "|" + _TOKEN.pattern, re.S)


def _width(text: str) -> int:
    """Columns on the page: “ ” — … are set in the Chinese face here, so they count 2."""
    return display_width(text, ambiguous_wide=True)


def _tokens(text: str, columns: int, keep_names: bool) -> list[str]:
    """What may not be split: a run of digits or Latin letters, else one character; with
    ``keep_names`` a quoted or 《》 name that fits the column, too."""
    if not keep_names:
        return _TOKEN.findall(text)
    tokens: list[str] = []
    for token in _NAME_OR_TOKEN.findall(text):
        if len(token) > 1 and _NAME.fullmatch(token) and _width(token) > columns:
            tokens.extend(_TOKEN.findall(token))  # wider than the column: it must break
        else:
            tokens.append(token)
    return tokens


def wrap(
    text: str, *, columns: int, first_indent: str = "", hang: bool = True, keep_names: bool = False
) -> list[str]:
    """``text`` broken into lines of at most ``columns`` display columns, Chinese-style:
    continuation lines flush left, no closing mark at a line start, no word or number split
    (nor, with ``keep_names``, a quoted or 《》 name that fits the column).

    A closing mark that would start a line hangs in the margin (``hang``), or, where nothing
    may stick out (a table cell), takes the token before it down to the next line.
    """
    lines: list[str] = []
    line: list[str] = [first_indent] if first_indent else []
    used = _width(first_indent)
    for token in _tokens(text, columns, keep_names):
        width = _width(token)
        if used + width > columns and "".join(line).strip():
            if token in _NO_LINE_START and hang:  # hang the mark rather than orphan it
                lines.append("".join(line) + token)
                line, used = [], 0
                continue
            carried = [line.pop()] if token in _NO_LINE_START and len(line) > 1 else []
            while len(line) > 1 and line[-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append("".join(line))
            line, used = carried, _width("".join(carried))
        if width > columns:  # a token longer than a line: cut it
            used, token, width = _cut(token, width, "".join(line), used, columns, lines)
            line = []
        line.append(token)
        used += width
    if "".join(line).strip() or not lines:
        lines.append("".join(line))
    return lines


def _cut(token: str, width: int, head: str, used: int, columns: int, lines: list[str]) -> tuple[int, str, int]:
    """Cut a token wider than a line into full lines (appended to ``lines``), the first one
    after ``head`` (``used`` columns); → the columns used on the new line (0), and what is
    left of the token and its width. Each character is measured once: a 100 KB token was
    measured and copied again for every line cut off it (18 s for the txt of one such word)."""
    each = {char: _width(char) for char in set(token)}
    widths = [each[char] for char in token]
    start = 0
    while width > columns:
        room, end, taken = columns - used, start, 0
        while end < len(token) and taken + widths[end] <= room:
            taken += widths[end]
            end += 1
        if end == start:  # not even one character fits: it goes alone
            taken, end = widths[start], start + 1
        lines.append(head + token[start:end])
        start, width = end, width - taken
        head, used = "", 0
    return used, token[start:], width


def _centre(text: str, columns: int) -> list[str]:
    lines = wrap(text, columns=columns - 4) if _width(text) > columns else [text]
    return [" " * ((columns - _width(line)) // 2) + line for line in lines]


@record
class SignaturePlacement:
    """Where the signature and the date start, in display columns from the left margin."""

    name_start: int
    date_start: int


def place_signature(name: str, date: str, *, columns: int) -> SignaturePlacement:
    """GB/T 9704-2012 7.3.5.2 (no seal): the name two characters from the right, the date's
    first character two characters right of the name's; a date longer than that is set two
    characters from the right and the name moves left with it."""
    from_right = signature_starts(_width(name), _width(date), two=4)  # 4 columns: two characters
    name_start, date_start = (columns - int(x) for x in from_right)
    return SignaturePlacement(max(0, name_start), max(0, date_start))


_MIN_COLUMN = 4  # two characters: no cell is squeezed narrower than that


def _fit_widths(widths: list[int], columns: int, gap: int) -> list[int]:
    """Column widths that fit the line: the widest columns give way first."""
    widths = list(widths)
    while sum(widths) + gap * (len(widths) - 1) > columns:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= _MIN_COLUMN:
            break  # cannot fit: let it run over rather than cut words into nothing
        widths[widest] -= 1
    return widths


def _table(rows: tuple[tuple[str, ...], ...], columns: int) -> list[str]:
    """A table within the line width: cells wrap inside their columns, a rule under the header."""
    count = max(len(r) for r in rows)
    cells = [list(r) + [""] * (count - len(r)) for r in rows]
    natural = [max(_width(row[i]) for row in cells) for i in range(count)]
    gap = 2 if sum(natural) + 2 * (count - 1) <= columns else 1
    widths = _fit_widths(natural, columns, gap)

    def lines(row: list[str]) -> list[str]:
        wrapped = [
            wrap(c, columns=w, hang=False, keep_names=True) if c else [""] for c, w in zip(row, widths, strict=True)
        ]
        height = max(len(w) for w in wrapped)
        out = []
        for n in range(height):
            parts = [(w[n] if n < len(w) else "") for w in wrapped]
            out.append(
                (" " * gap).join(p + " " * (w - _width(p)) for p, w in zip(parts, widths, strict=True)).rstrip()
            )
        return out

    rule = (" " * gap).join("－" * (w // 2) + " " * (w % 2) for w in widths).rstrip()
    return [*lines(cells[0]), rule, *(line for row in cells[1:] for line in lines(row))]


def to_text(doc: RenderedDocument, *, chars: int = LINE_CHARS) -> str:
    """The document as plain text ``chars`` full-width characters wide."""
    columns = chars * 2
    out: list[str] = []
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("title", "subtitle"):
            out.extend([*_centre(block.text, columns), ""])
        elif block.kind == "addressee":
            out.extend(wrap(block.text, columns=columns))
        elif block.kind in ("heading", "paragraph"):
            out.extend(wrap(block.lead + block.text, columns=columns, first_indent=INDENT))
        elif block.kind == "table":
            out.extend(["", *_table(block.rows, columns), ""])
        elif block.kind in ("signature", "date"):
            name, date, i = signature_pair(blocks, i)
            out.extend(_signature_lines(name, date, columns))
        i += 1
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def signature_pair(blocks: Sequence[Block], i: int) -> tuple[str, str, int]:
    """The signature and the date starting at ``i`` (either may be missing), and the index
    of the last of them."""
    name = date = ""
    if blocks[i].kind == "signature":
        name = blocks[i].text
        if i + 1 < len(blocks) and blocks[i + 1].kind == "date":
            i += 1
            date = blocks[i].text
    else:
        date = blocks[i].text
    return name, date, i


def _signature_lines(name: str, date: str, columns: int) -> list[str]:
    place = place_signature(name, date, columns=columns)
    lines = [""]
    if name:
        lines.append(" " * place.name_start + name)
    if date:
        lines.append(" " * place.date_start + date)
    return lines
