"""A table as values: what every spreadsheet fedplan writes is made of.

Reporters (status, score, 自评表, roll-ups) turn their computed results into a ``Sheet``;
one writer (fedplan.render.xlsx) lays any sheet out as a workbook. A sheet knows what each
column *means* (a quantity with its unit, a percentage, a date, a status), never how a
spreadsheet program shows it, so the same sheet could be written as CSV or HTML too.

Cell values are plain Python: ``str``, ``int``/``float``, ``datetime.date``, ``bool`` or
``None`` (empty). Percentages are kept as the percent figure (``62.5`` for 62.5 %), as
fedplan computes them; the writer turns them into the spreadsheet's own percent type.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fedplan.records import field, record

CellValue = str | int | float | dt.date | bool | None

# What a column holds, which decides its number format and alignment:
# text — words; quantity — a number in the row's unit (see ``Row.unit``); number — a bare
# number; score — points with one decimal; percent — a percent figure (62.5 → 62.5 %);
# date — a calendar date; status — a status word, filled in its traffic-light colour.
ColumnKind = Literal["text", "quantity", "number", "score", "percent", "date", "status"]

# What a row is: data, or a grouping heading (section 一、, item 1.) spanning the table, or
# the total/score line at the bottom.
RowKind = Literal["data", "section", "item", "total"]


@record
class Column:
    header: str
    kind: ColumnKind = "text"
    wrap: bool = False  # long text (names, notes) wraps instead of widening the column
    max_width: int = 40  # in display columns (a Chinese character is 2)


@record
class Row:
    cells: tuple[CellValue, ...]
    kind: RowKind = "data"
    unit: str | None = None  # the unit of this row's quantity cells (人次, 万元, %, 个 …)
    status: str | None = None  # the status name (done, behind …) that colours status cells
    indent: int = 0  # levels of indent of the first cell (a target under its item)
    open: bool = False  # in a fill-in sheet: every cell of the row takes typing (blank rows)


@record
class Sheet:
    """One worksheet: a title block, the header row, the rows, then notes under the table."""

    name: str  # the worksheet's tab (Excel allows 31 characters, no []:*?/\)
    title: str  # the first line printed above the table: org, year, what it is
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    subtitle: str = ""  # the second line: as-of date, filters
    notes: tuple[str, ...] = ()  # lines under the table (status counts, explanations)
    landscape: bool = True
    document_title: str = ""  # the workbook's title property; defaults to ``title``
    # Filled in by a fill-in sheet (fedplan sheet): which columns the filler may type into
    # (all others are protected) and the data validation of each, by column index.
    editable: frozenset[int] = field(default_factory=frozenset)
    validation: tuple[tuple[int, Validation], ...] = ()
    instructions: tuple[str, ...] = ()  # a block above the header (fill-in sheets)


@record
class Validation:
    """A data-validation rule for a fill-in column, with the message the filler sees."""

    kind: Literal["date", "decimal", "list"]
    message: str  # shown when the cell is selected
    error: str  # shown when what was typed is refused
    minimum: CellValue = None
    maximum: CellValue = None
    choices: tuple[str, ...] = ()
