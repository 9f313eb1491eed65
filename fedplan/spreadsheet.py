"""Reading a spreadsheet an office keeps (.xlsx from Excel/WPS/LibreOffice, or .csv) into a
grid of cell values, each with its place (``台账.xlsx!工作表!C7``).

No interpretation happens here (fedplan.intake finds the columns and makes entries); this
module only gets the cells out, and refuses with a clear message what it cannot read: an old
.xls, a password-protected workbook, a file that is not a workbook at all, a CSV in an
encoding it cannot tell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fedplan.diagnostics import FedplanError

CellValue = str | int | float | dt.date | dt.datetime | bool | None

# An OLE compound file: old Excel (.xls) — or a password-protected .xlsx, which Office wraps
# in the same container with an "EncryptedPackage" stream.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
SUFFIXES = (".xlsx", ".xlsm", ".csv")


@dataclass(frozen=True)
class GridRow:
    number: int  # 1-based, as the spreadsheet program shows it
    cells: tuple[CellValue, ...]


@dataclass(frozen=True)
class Grid:
    """One sheet's cells. ``merged`` holds the (row, first column, last column) of merged
    ranges, 1-based, so a header cell spanning several columns can be read as such."""

    file: str  # the file's name as the user wrote it
    sheet: str
    rows: tuple[GridRow, ...]
    merged: tuple[tuple[int, int, int], ...] = ()

    def place(self, row: int, column: int) -> str:
        """``台账.xlsx!工作表!C7`` for row 7, column 3 (1-based); CSV files have no sheet part."""
        ref = f"{column_letter(column)}{row}"
        return f"{self.file}!{ref}" if self.sheet == "" else f"{self.file}!{self.sheet}!{ref}"


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_grid(path: Path, *, sheet: str | None = None, display: str | None = None) -> Grid:
    """The cells of ``sheet`` (default: the first) of the workbook or CSV file at ``path``."""
    name = display or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FedplanError(
            f"无法读取 {name}：{exc.strerror or exc}",
            code="sheet-unreadable",
            hint="检查文件名和读取权限",
        ) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise FedplanError(
                f"{name} 是 CSV 文件，没有工作表",
                code="sheet-not-found",
                hint="CSV 文件不用 --sheet",
                exit_code=2,
            )
        return _read_csv(data, name)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise FedplanError(
                f"{name} 设置了打开密码，无法读取",
                code="sheet-encrypted",
                hint="在 Excel/WPS 中打开，“文件 → 信息 → 保护工作簿 → 用密码进行加密”清空密码后另存，再导入",
            )
        raise FedplanError(
            f"{name} 是旧版 Excel 97-2003（.xls）文件，fedplan 只读 .xlsx",
            code="sheet-old-format",
            hint="在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx），"
            "或运行 soffice --headless --convert-to xlsx " + name,
        )
    if suffix not in SUFFIXES:
        raise FedplanError(
            f"不认识 {name} 的格式",
            code="sheet-old-format",
            hint="fedplan 读取 .xlsx 和 .csv；其他表格请先另存为 .xlsx",
            exit_code=2,
        )
    return _read_xlsx(data, name, sheet)


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> Grid:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FedplanError(
            f"{name} 不是有效的 Excel 工作簿（文件已损坏，或只是改了扩展名）",
            code="sheet-corrupt",
            hint="在 Excel/WPS 中打开并另存为 .xlsx 后重试",
        )
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions, styles);
            # only the values matter here.
            warnings.simplefilter("ignore")
            # read_only streams the rows: a sheet of 10⁵ rows is not held as cell objects.
            book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise FedplanError(
            f"{name} 不是有效的 Excel 工作簿：{type(exc).__name__}",
            code="sheet-corrupt",
            hint="在 Excel/WPS 中打开并另存为 .xlsx 后重试",
        ) from None
    names = book.sheetnames
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in names:
        ws = book[sheet]
    else:
        from fedplan.checks import did_you_mean

        raise FedplanError(
            f"{name} 中没有工作表“{sheet}”；有：{'、'.join(names)}",
            code="sheet-not-found",
            hint=did_you_mean(sheet, names) or "用 --sheet 写工作表的名字",
            exit_code=2,
        )
    ws.reset_dimensions()  # some writers record a wrong <dimension>; read what is there
    rows = tuple(
        GridRow(number, tuple(values))
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1)
    )
    merged = _merged_ranges(data, ws._worksheet_path)
    book.close()
    return Grid(file=name, sheet=ws.title, rows=rows, merged=merged)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_ranges(data: bytes, sheet_path: str) -> tuple[tuple[int, int, int], ...]:
    """The merged ranges spanning columns, read from the sheet's XML (openpyxl's streaming
    reader does not report them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(sheet_path.lstrip("/"))
    return tuple(
        (int(m.group(2)), column_number(m.group(1).decode()), column_number(m.group(3).decode()))
        for m in _MERGE.finditer(xml)
        if m.group(1) != m.group(3)
    )


def column_number(letters: str) -> int:
    """A → 1, AA → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _read_csv(data: bytes, name: str) -> Grid:
    """A CSV as Excel, WPS and LibreOffice write it: UTF-8 (with or without BOM) or GB18030
    (what Excel on Chinese Windows writes by default), comma or tab separated."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise FedplanError(f"{name} 的编码无法识别", code="sheet-encoding", hint="另存为 UTF-8 CSV")
    if "\x00" in text:
        raise FedplanError(
            f"{name} 看起来是 UTF-16 编码的文本，fedplan 读取 UTF-8 或 GB18030 的 CSV",
            code="sheet-encoding",
            hint="在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”",
        )
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = tuple(
        GridRow(number, tuple(cell if cell.strip() else None for cell in values))
        for number, values in enumerate(reader, start=1)
    )
    return Grid(file=name, sheet="", rows=rows)
