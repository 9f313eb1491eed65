"""The terminal table of ``fedplan status``: width-aware columns, folded names, colour only
on a terminal — what it used rich for, without importing rich (a fifth of the command's
start-up, issue 15).

- ``Text``: a line (or lines, split at ``\\n``) of styled pieces; ``style`` is one of STYLES.
- ``Console``: where the lines go, how wide it is (``COLUMNS``, else the terminal, else
  ``pipe_width``) and whether it gets colour (a terminal, or ``FORCE_COLOR``; never with
  ``NO_COLOR`` or ``TERM=dumb``), as rich and most command-line tools decide.
- ``Table``: a title, a header row under a rule, rows grouped in sections. Every column is
  as wide as its widest cell, the first (the names) as wide as the room left, between a
  minimum and its own widest; a name longer than that folds onto more lines, a heading
  (``Cell(…, cut=True)``) is cut with “…”. Columns are three spaces apart.

Widths are terminal cells (fedplan.width: Chinese characters two, the ambiguous “ … ● one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Literal

from fedplan.width import display_width, terminal_columns

Style = str | None
# SGR parameters of the styles the reporters use.
STYLES: dict[str, str] = {
    "bold": "1",
    "italic": "3",
    "green": "32",
    "yellow": "33",
    "red": "31",
    "bold red": "1;31",
    "bright_black": "90",
}
GAP = "   "  # between two columns


def cells(text: str) -> int:
    return display_width(text, ambiguous_wide=False)


class Text:
    """Styled pieces of text; ``\\n`` in a piece starts a new line."""

    __slots__ = ("pieces",)

    def __init__(self, text: str = "", style: Style = None) -> None:
        self.pieces: list[tuple[str, Style]] = [(text, style)] if text else []

    def append(self, text: str, style: Style = None) -> Text:
        if text:
            self.pieces.append((text, style))
        return self

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def lines(self) -> list[list[tuple[str, Style]]]:
        out: list[list[tuple[str, Style]]] = [[]]
        for text, style in self.pieces:
            first, *rest = text.split("\n")
            if first:
                out[-1].append((first, style))
            for part in rest:
                out.append([(part, style)] if part else [])
        return out


def _line_cells(line: list[tuple[str, Style]]) -> int:
    return sum(cells(text) for text, _ in line)


def _fold(line: list[tuple[str, Style]], width: int) -> list[list[tuple[str, Style]]]:
    """``line`` in lines of at most ``width`` cells: broken after a space where one fits,
    else between characters (Chinese has no spaces to break at)."""
    width = max(width, 2)
    chars = [(c, style) for text, style in line for c in text]
    out: list[list[tuple[str, Style]]] = []
    while chars:
        used, cut, last_space = 0, 0, -1
        while cut < len(chars) and used + cells(chars[cut][0]) <= width:
            used += cells(chars[cut][0])
            if chars[cut][0] == " ":
                last_space = cut
            cut += 1
        if cut < len(chars) and last_space > 0 and chars[cut][0] != " ":
            cut = last_space + 1  # break after the space, the word goes down whole
        piece, chars = chars[:cut], chars[cut:]
        while chars and chars[0][0] == " ":  # a new line does not start with the break's space
            chars = chars[1:]
        out.append(_join(piece, strip=True))
        if cut == 0:  # pragma: no cover - a character wider than the width: show it anyway
            out[-1] = _join(chars[:1])
            chars = chars[1:]
    return out or [[]]


def _join(chars: list[tuple[str, Style]], strip: bool = False) -> list[tuple[str, Style]]:
    if strip:
        while chars and chars[-1][0] == " ":
            chars = chars[:-1]
    joined: list[tuple[str, Style]] = []
    for c, style in chars:
        if joined and joined[-1][1] == style:
            joined[-1] = (joined[-1][0] + c, style)
        else:
            joined.append((c, style))
    return joined


def _cut(line: list[tuple[str, Style]], width: int) -> list[tuple[str, Style]]:
    """``line`` in ``width`` cells, ending in “…” when it had to be cut."""
    if _line_cells(line) <= width:
        return line
    room = max(width - 1, 0)
    chars = [(c, style) for text, style in line for c in text]
    kept: list[tuple[str, Style]] = []
    used = 0
    for c, style in chars:
        if used + cells(c) > room:
            break
        kept.append((c, style))
        used += cells(c)
    style = kept[-1][1] if kept else (chars[0][1] if chars else None)
    kept.extend([(" ", style)] * (room - used))  # a wide character that did not fit
    kept.append(("…", style))
    return _join(kept)


class Cell:
    """A table cell: its text, indented ``indent`` cells on every line; ``cut``: one line
    cut with “…” instead of folded."""

    __slots__ = ("cut", "indent", "text")

    def __init__(self, text: Text | str, indent: int = 0, *, cut: bool = False) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.indent = indent
        self.cut = cut

    def natural(self) -> int:
        return self.indent + max((_line_cells(line) for line in self.text.lines()), default=0)

    def render(self, width: int, fold: bool) -> list[list[tuple[str, Style]]]:
        room = width - self.indent
        out: list[list[tuple[str, Style]]] = []
        for line in self.text.lines():
            if fold and not self.cut and _line_cells(line) > room:
                out.extend(_fold(line, room))
            else:  # a heading; or a squeezed column's figure (Table.squeeze)
                out.append(_cut(line, room))
        pad = [(" " * self.indent, None)] if self.indent else []
        return [pad + line if line else [] for line in out]


Justify = Literal["left", "right"]


class Column:
    __slots__ = ("cells", "header", "justify", "width")

    def __init__(self, header: str, justify: Justify = "left") -> None:
        self.header = header
        self.justify: Justify = justify
        self.cells: list[Cell] = []
        self.width = 0

    def natural(self) -> int:
        return max([cells(self.header), *(c.natural() for c in self.cells)])


class Table:
    """A title, a bold header row and a rule, then rows; ``add_section`` leaves a blank line."""

    def __init__(self, title: Text | None = None) -> None:
        self.title = title
        self.columns: list[Column] = []
        self._rows: list[list[Cell] | None] = []  # None: a section break

    def add_column(self, header: str, justify: Justify = "left") -> None:
        self.columns.append(Column(header, justify))

    def add_row(self, *row: Cell | Text | str) -> None:
        made = [c if isinstance(c, Cell) else Cell(c) for c in row]
        made += [Cell("")] * (len(self.columns) - len(made))
        for column, cell in zip(self.columns, made, strict=True):
            column.cells.append(cell)
        self._rows.append(made)

    def add_section(self) -> None:
        self._rows.append(None)

    def fit(self, width: int, first_min: int) -> bool:
        """Every column as wide as its widest cell but the first, which gets the room left:
        at least ``first_min``, at most its own widest. False when even that does not fit."""
        first, *others = self.columns
        for column in others:
            column.width = column.natural()
        need = sum(c.width for c in others) + len(GAP) * len(others) + first_min
        room = width - need
        if room < 0:
            return False
        first.width = first_min + min(room, max(0, first.natural() - first_min))
        return True

    def squeeze(self, width: int, first_min: int, keep: int) -> None:
        """When ``fit`` cannot: the first column the room left (at least ``first_min`` cells),
        and the widest of the others but column ``keep`` narrowed a cell at a time until the table fits, their
        cells cut with “…” (a terminal too narrow for the table)."""
        first, *others = self.columns
        for column in others:
            column.width = column.natural()
        first.width = 0
        first.width = max(first_min, min(first.natural(), width - self.width))
        narrowable = [c for n, c in enumerate(self.columns) if n and n != keep]
        while self.width > width and narrowable:
            widest = max(narrowable, key=lambda c: c.width)
            if widest.width <= 1:
                break
            widest.width -= 1

    @property
    def width(self) -> int:
        return sum(c.width for c in self.columns) + len(GAP) * (len(self.columns) - 1)

    def lines(self) -> Iterable[list[tuple[str, Style]]]:
        total = self.width
        if self.title is not None:
            for line in self.title.lines():
                for part in _fold(line, total) if _line_cells(line) > total else [line]:
                    left = max(total - _line_cells(part), 0) // 2
                    yield [(" " * left, None), *part]
        yield from self._row([Cell(Text(c.header, "bold")) for c in self.columns])
        yield [("─" * total, None)]
        for row in self._rows:
            if row is None:
                yield []
            else:
                yield from self._row(row)

    def _row(self, row: Sequence[Cell]) -> Iterable[list[tuple[str, Style]]]:
        rendered = [cell.render(column.width, fold=n == 0) for n, (column, cell) in enumerate(zip(self.columns, row, strict=True))]
        for number in range(max(len(r) for r in rendered)):
            out: list[tuple[str, Style]] = []
            for n, (column, lines) in enumerate(zip(self.columns, rendered, strict=True)):
                line = lines[number] if number < len(lines) else []
                pad = " " * max(column.width - _line_cells(line), 0)
                if n:
                    out.append((GAP, None))
                if column.justify == "right":
                    out += [(pad, None), *line]
                else:
                    out += [*line, (pad, None)]
            yield out


class Console:
    """Lines to ``file`` (stdout), ``width`` cells wide, with colour or without."""

    def __init__(
        self, file: IO[str] | None = None, *, width: int | None = None, color: bool | None = None, pipe_width: int = 80
    ) -> None:
        self.file = file if file is not None else sys.stdout
        terminal = _is_terminal(self.file)
        env = os.environ
        if color is None:
            forced = bool(env.get("FORCE_COLOR"))
            color = (terminal or forced) and not env.get("NO_COLOR") and env.get("TERM") not in ("dumb", "unknown")
            color = color and (forced or _escapes_shown(self.file))
        self.color = color
        self.width = width if width is not None else terminal_columns(self.file, pipe_width if not terminal else 80)

    def print(self, text: Text | str = "") -> None:
        """``text``, each line wrapped at the width."""
        made = text if isinstance(text, Text) else Text(text)
        for line in made.lines():
            for part in _fold(line, self.width) if _line_cells(line) > self.width else [line]:
                self._write(part)

    def print_table(self, table: Table) -> None:
        for line in table.lines():
            self._write(line)

    def _write(self, line: list[tuple[str, Style]]) -> None:
        out = []
        for text, style in line:
            code = STYLES.get(style) if style is not None and self.color else None
            out.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
        self.file.write("".join(out).rstrip(" ") + "\n")


def _escapes_shown(file: IO[str]) -> bool:
    """Whether the terminal shows colour codes rather than printing them: always outside
    Windows; on Windows once its console is switched to them (as rich does), else no colour."""
    if sys.platform != "win32":
        return True
    try:
        import ctypes
        import msvcrt

        handle = msvcrt.get_osfhandle(file.fileno())
        kernel32 = ctypes.windll.kernel32
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))  # ENABLE_VIRTUAL_TERMINAL_PROCESSING
    except Exception:
        return False


def _is_terminal(file: IO[str]) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError, OSError):
        return False
