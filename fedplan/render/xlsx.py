"""Any ``Sheet`` (fedplan.render.table) as an .xlsx workbook that Excel, WPS and LibreOffice
open as a person expects: Chinese headers; the header row frozen and repeated on every printed
page; columns as wide as their content (a Chinese character counts two); numbers as numbers
with a number format that shows their unit; dates as dates; status cells filled in their
traffic-light colour with the word kept; sections and items as merged heading rows; the score
line at the bottom; A4 landscape, fitted to the page width.

openpyxl writes it: fedplan must also *read* workbooks (``log --from``), which XlsxWriter
cannot, and one library that does both is worth more than XlsxWriter's faster writing (a
2,000-target status table: about 0.4 s against 0.15 s; see the commit that added this).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fedplan.render.table import CellValue, Column, Row, Sheet, Validation
from fedplan.width import display_width

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Traffic-light fills (Excel's own "good / neutral / bad" cell styles), font colour second.
STATUS_FILLS: dict[str, tuple[str, str]] = {
    "done": ("C6EFCE", "006100"),
    "on-track": ("C6EFCE", "006100"),
    "behind": ("FFEB9C", "9C5700"),
    "at-risk": ("FFC7CE", "9C0006"),
    "overdue": ("FFC7CE", "9C0006"),
    "not-started": ("EDEDED", "595959"),
}
_HEADER_FILL = "D9E1F2"
_SECTION_FILL = "E7E6E6"
_LOCKED_FILL = "F2F2F2"  # the prefilled, locked cells of a fill-in sheet
_FONT = "宋体"  # WPS and Excel on Chinese Windows have it; LibreOffice substitutes a CJK face
_LINE_HEIGHT = 16.0  # points per line of 11-point CJK text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook holding ``sheets`` in order, as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        worksheet = book.create_sheet(_sheet_name(sheet.name, used))
        _write_sheet(worksheet, sheet)
    first = sheets[0] if sheets else None
    if first is not None:
        book.properties.title = _clean(first.document_title or first.title)
    book.properties.creator = "fedplan"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ncols = len(sheet.columns)
    last = get_column_letter(ncols)
    row = 1
    ws.cell(row=1, column=1, value=_clean(sheet.title)).font = Font(name=_FONT, size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 28
    if sheet.subtitle:
        row += 1
        cell = ws.cell(row=row, column=1, value=_clean(sheet.subtitle))
        cell.font = Font(name=_FONT, size=11)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A{row}:{last}{row}")
    for line in sheet.instructions:
        row += 1
        cell = ws.cell(row=row, column=1, value=_clean(line))
        cell.font = Font(name=_FONT, size=10, color="404040")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(f"A{row}:{last}{row}")
    header_row = row + 1
    widths = _column_widths(sheet)
    _write_header(ws, sheet.columns, header_row, widths)
    first_data = header_row + 1
    for offset, data in enumerate(sheet.rows):
        _write_row(ws, sheet, data, first_data + offset, widths)
    end = first_data + len(sheet.rows)
    for note in sheet.notes:
        end += 1
        cell = ws.cell(row=end, column=1, value=_clean(note))
        cell.font = Font(name=_FONT, size=11, bold=note is sheet.notes[0])
        ws.merge_cells(f"A{end}:{last}{end}")
    # Fill-in instructions lines are as tall as their text needs across the whole width.
    total_width = sum(widths)
    for r in range(header_row - len(sheet.instructions), header_row):
        text = str(ws.cell(row=r, column=1).value or "")
        ws.row_dimensions[r].height = _LINE_HEIGHT * _lines(text, total_width)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"B{first_data}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    _page_setup(ws, sheet)
    if sheet.editable:
        _protect(ws, sheet, first_data)


def _write_header(ws: Worksheet, columns: Sequence[Column], row: int, widths: list[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    lines = 1
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index, value=_clean(column.header))
        cell.font = Font(name=_FONT, size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _border()
        lines = max(lines, _lines(column.header, widths[index - 1]))
    ws.row_dimensions[row].height = _LINE_HEIGHT * lines + 4


def _write_row(ws: Worksheet, sheet: Sheet, data: Row, row: int, widths: list[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ncols = len(sheet.columns)
    if data.kind in ("section", "item"):
        # A heading row's text is its first filled cell (a 加分项 row may leave 序号 empty).
        text = next((str(c) for c in data.cells if c not in (None, "")), "")
        cell = ws.cell(row=row, column=1, value=_clean(text))
        cell.font = Font(name=_FONT, size=11, bold=True)
        cell.alignment = Alignment(indent=0 if data.kind == "section" else 1, vertical="center")
        if data.kind == "section":
            cell.fill = PatternFill("solid", fgColor=_SECTION_FILL)
        for index in range(1, ncols + 1):
            ws.cell(row=row, column=index).border = _border()
        if ncols > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        return
    lines = 1
    for index, (column, value) in enumerate(zip(sheet.columns, data.cells, strict=False), start=1):
        cell = ws.cell(row=row, column=index)
        _set_value(cell, column, value, data.unit)
        cell.border = _border()
        bold = data.kind == "total"
        cell.font = Font(name=_FONT, size=11, bold=bold)
        horizontal = "right" if column.kind in ("quantity", "number", "score", "percent") else "left"
        if column.kind in ("status", "date"):
            horizontal = "center"
        cell.alignment = Alignment(
            horizontal=horizontal,
            vertical="center",
            wrap_text=column.wrap,
            indent=data.indent if index == 1 else 0,
        )
        if column.kind == "status" and data.status in STATUS_FILLS and value not in (None, ""):
            fill, colour = STATUS_FILLS[data.status]
            cell.fill = PatternFill("solid", fgColor=fill)
            cell.font = Font(name=_FONT, size=11, color=colour, bold=bold)
        if column.wrap and isinstance(value, str):
            indent = data.indent * 2 if index == 1 else 0
            lines = max(lines, _lines(value, widths[index - 1] - indent))
    # LibreOffice does not fit a row to its wrapped text when it opens a file, so the height is
    # set, from Excel's measure (a Chinese character about two width units): a little roomy
    # in LibreOffice, never cut off in Excel or WPS.
    if lines > 1:
        ws.row_dimensions[row].height = _LINE_HEIGHT * lines + 2


def _set_value(cell: Any, column: Column, value: CellValue, unit: str | None) -> None:
    """Put ``value`` in ``cell`` with the number format its column and row call for."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        cell.value = "是" if value else "否"
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = 'yyyy"年"m"月"d"日"'
        return
    if isinstance(value, str):
        text = _clean(value)
        cell.value = text
        if text.startswith(_FORMULA_START):
            cell.data_type = "s"  # user text is never a formula (=HYPERLINK(…), =cmd|…)
        return
    number = value
    if column.kind == "percent" or (column.kind == "quantity" and unit == "%"):
        cell.value = _as_fraction(number)
        cell.number_format = "0%" if _decimals(number) == 0 else "0." + "0" * _decimals(number) + "%"
        return
    cell.value = number
    places = _decimals(number)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    if column.kind == "quantity" and unit:
        pattern += '"' + unit.replace('"', "") + '"'
    cell.number_format = pattern


def _as_fraction(percent: int | float) -> float:
    """62.5 (percent) → 0.625, rounded so that binary noise never shows (0.1 + 0.2)."""
    return round(percent / 100, 10)


def _decimals(value: int | float) -> int:
    """How many decimals ``value`` was written with (up to 4): 12 → 0, 12.5 → 1, 0.25 → 2."""
    if isinstance(value, int) or float(value).is_integer():
        return 0
    text = f"{value:.4f}".rstrip("0")
    return min(4, len(text.split(".")[1]))


def _column_widths(sheet: Sheet) -> list[float]:
    """Each column as wide as its widest cell, in Excel's width unit (about one Latin digit)."""
    widths: list[float] = []
    for index, column in enumerate(sheet.columns):
        need = display_width(column.header, ambiguous_wide=True) if not column.wrap else 8
        for data in sheet.rows:
            if data.kind not in ("data", "total") or index >= len(data.cells):
                continue
            need = max(need, _shown_width(data.cells[index], column, data.unit) + 2 * (data.indent if index == 0 else 0))
        # Headers wrap over two lines rather than widen a narrow number column too much.
        need = max(need, math.ceil(display_width(column.header, ambiguous_wide=True) / 2))
        widths.append(min(column.max_width, max(need, 6)) + 2)
    return widths


def _shown_width(value: CellValue, column: Column, unit: str | None) -> int:
    """Display columns ``value`` takes as the spreadsheet shows it."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 2
    if isinstance(value, dt.date):
        return 12
    if isinstance(value, str):
        return display_width(value, ambiguous_wide=True)
    text = f"{value:,}"
    if column.kind == "quantity" and unit:
        text += unit
    if column.kind == "percent":
        text += "%"
    return display_width(text, ambiguous_wide=True)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide (the 2 units of padding excluded)."""
    usable = max(1.0, width - 2)
    return max(1, math.ceil(display_width(text, ambiguous_wide=True) / usable))


def _page_setup(ws: Worksheet, sheet: Sheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _protect(ws: Worksheet, sheet: Sheet, first_data: int) -> None:
    """Only the fill-in columns take typing; the prefilled ones are locked (no password)."""
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.utils import get_column_letter

    last_row = first_data + len(sheet.rows) - 1
    locked_fill = PatternFill("solid", fgColor=_LOCKED_FILL)
    for offset, data in enumerate(sheet.rows):
        r = first_data + offset
        for column in range(len(sheet.columns)):
            cell = ws.cell(row=r, column=column + 1)
            if data.open or column in sheet.editable:
                cell.protection = Protection(locked=False)
            elif data.kind == "data":
                cell.fill = locked_fill
    for column, rule in sheet.validation:
        letter = get_column_letter(column + 1)
        validation = _validation(rule)
        validation.add(f"{letter}{first_data}:{letter}{last_row}")
        ws.add_data_validation(validation)
    ws.protection.sheet = True
    # Filler may still resize and format, sort and filter; only locked cells refuse typing.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


def _validation(rule: Validation) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if rule.kind == "list":
        validation = DataValidation(type="list", formula1='"' + ",".join(rule.choices) + '"')
    elif rule.kind == "date":
        validation = DataValidation(
            type="date",
            operator="between",
            formula1=_excel_date(rule.minimum),
            formula2=_excel_date(rule.maximum),
        )
    else:
        validation = DataValidation(
            type="decimal", operator="between", formula1=str(rule.minimum), formula2=str(rule.maximum)
        )
    validation.allow_blank = True
    validation.showInputMessage = True
    validation.showErrorMessage = True
    validation.prompt = rule.message
    validation.error = rule.error
    validation.errorTitle = "填写有误"
    return validation


def _excel_date(value: CellValue) -> str:
    assert isinstance(value, dt.date)
    return f"DATE({value.year},{value.month},{value.day})"


def _border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="A6A6A6")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _clean(text: str) -> str:
    """Control characters (which Excel refuses) shown as their visible symbols (␛ for ESC)."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() != "\x7f" else "␡", text)


def _sheet_name(name: str, used: set[str]) -> str:
    """A tab name Excel accepts: no []:*?/\\, at most 31 characters, unique in the book."""
    base = _SHEET_NAME_BAD.sub("", _clean(name)).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate in used:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate
