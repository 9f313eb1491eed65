"""The rows of a 台账 spreadsheet as progress entries (``fedplan log --from``). Pure: a grid of
cells in (fedplan.spreadsheet), entries and located problems out; nothing is written here.

Columns are found by their header words, in any order, wherever the header row is (title
rows above it are skipped; a header merged over two rows — 完成情况 over 本期/累计 — is read
as one). Each data row names a target or item by id or by name, and carries a date and what
was done: a number (本期完成), a running total (累计, from which the increment is worked out
against the ledger), 是/否 for a milestone, or a note. Blank rows, rows left unfilled in a
fill-in sheet, 合计 rows and explanation lines are skipped and counted; a row already in the
ledger (same date, subject, value and note) is skipped, so importing a sheet twice adds
nothing the second time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from fedplan.dates import parse_loose_date
from fedplan.diagnostics import Diagnostic, Pos, codes, error
from fedplan.model import Entry, Number, Plan
from fedplan.spreadsheet import CellValue, Grid, GridRow

# The codes of the problems a row of the sheet may have (fedplan.diagnostics.REGISTRY).
CODES = codes("sheet-target", "sheet-date", "sheet-value")

# Header words by the field they fill. Matched after normalising (full-width forms, spaces,
# a unit in brackets and a trailing colon or asterisk removed).
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "时间", "填报日期", "完成日期", "记录日期", "完成时间", "日期时间", "进展日期"),
    "id": ("指标编号", "目标编号", "编号", "id", "目标id", "指标id", "代码", "指标代码"),
    "name": (
        "目标", "指标", "项目", "指标名称", "目标名称", "项目名称", "工作事项", "事项",
        "任务", "工作任务", "考核指标", "目标任务", "工作项目",
    ),
    "value": (
        "数值", "完成数", "本期完成", "本月完成", "完成数量", "数量", "本期完成数", "完成值",
        "本次完成", "本期", "本月", "当期完成", "本季度完成", "本期数",
    ),
    "total": ("累计", "累计完成", "累计完成数", "截至目前累计", "累计数", "年度累计", "累计值"),
    "done": ("完成", "是否完成", "已完成", "完成与否"),
    "note": (
        "说明", "备注", "工作进展", "进展情况", "进展", "情况说明", "工作内容", "具体进展",
        "主要工作", "完成情况", "工作开展情况",
    ),
    "by": ("填报人", "部门", "填报部门", "责任部门", "填报单位", "责任人", "牵头部门", "科室"),
}
# Header words that are known but not read (the prefilled columns of a fill-in sheet).
IGNORED_HEADERS = (
    "序号", "单位", "计量单位", "年度目标", "目标值", "目标数", "全年目标", "计划", "完成率",
    "进度", "状态", "截止日期", "分值", "所属事项", "年度任务",
)
FIELD_LABELS = {
    "date": "日期", "id": "指标编号", "name": "目标/指标", "value": "数值/本期完成",
    "total": "累计", "done": "是否完成", "note": "说明/备注", "by": "填报人/部门",
}
_HEADER_INDEX = {word: name for name, words in HEADERS.items() for word in words}
_TOTAL_WORDS = {"合计", "小计", "总计", "累计合计", "总合计"}
_YES = {"是", "完成", "已完成", "√", "✓", "✔", "y", "yes", "true", "1", "已办结", "办结"}
_NO = {"否", "未完成", "×", "✗", "n", "no", "false", "0", "未", "无"}
_LEADING_NUMBER = re.compile(r"^(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
# The number may not end before a digit: "1111…1\n元\n" must not be retried with every shorter
# number (each retry rescans the digits up to the line break: minutes for a 200k-digit cell).
# Only a cell that is a number and spaces matched otherwise, and _NUMBER.fullmatch is asked first.
_NUMBER_WITH_UNIT = re.compile(rf"({_NUMBER.pattern})(?!\d)\s*(\S.*)")
_OPENING = re.compile(r"[（(【\[]")
_CLOSING = re.compile(r"[）)】\]]")
HEADER_SCAN = 30  # rows searched for the header
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 in Excel's 1900 date system


@dataclass(frozen=True)
class Planned:
    """One entry a row asks for, before a ledger is chosen (``entry.path`` is empty)."""

    entry: Entry
    place: str  # the row's first cell, 台账.xlsx!工作表!A7
    how: str = ""  # how the value was read, when it was worked out ("累计 260，此前 120")


@dataclass
class Intake:
    grid: Grid
    header_row: int
    columns: dict[str, int]  # field → 1-based column
    planned: list[Planned] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (place, why) worth naming
    blank: int = 0  # empty rows
    unfilled: int = 0  # rows of a fill-in sheet left empty
    duplicates: list[str] = field(default_factory=list)  # places of rows already in the ledger
    unchanged: list[str] = field(default_factory=list)  # 累计 rows that add nothing


class SheetLayoutError(Exception):
    """The sheet has no header row fedplan can read, or lacks a needed column."""

    def __init__(self, message: str, *, code: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.code, self.hint = message, code, hint


def read_entries(
    grid: Grid,
    plan: Plan,
    existing: Iterable[Entry],
    *,
    default_date: dt.date | None = None,
    by: str | None = None,
) -> Intake:
    """What ``grid`` asks to add to ``plan``'s ledger, given the ``existing`` entries of the
    year; raises SheetLayoutError when the columns cannot be found."""
    header_row, columns, first_data = find_columns(grid)
    intake = Intake(grid, header_row, columns)
    subjects = _Subjects(plan)
    existing = list(existing)
    already = Counter(_key(e) for e in existing)
    totals = _RunningTotals(existing)
    for row in grid.rows:
        if row.number < first_data:
            continue
        _read_row(
            intake, row, plan, subjects,
            default_date=default_date, by=by, already=already, totals=totals,
        )
    return intake


def find_columns(grid: Grid) -> tuple[int, dict[str, int], int]:
    """The header row, the column of each field found (1-based), and the first data row."""
    for row in grid.rows[:HEADER_SCAN]:
        known = sum(1 for c in row.cells if _is_header_word(c))
        if known < 2:
            continue
        words = list(row.cells)
        first_data = row.number + 1
        below = next((r for r in grid.rows if r.number == row.number + 1), None)
        if below is not None and _is_sub_header(grid, row, below):
            # 完成情况 merged over 本期 | 累计: the second line names what each column holds.
            for index, cell in enumerate(below.cells):
                if _is_header_word(cell):
                    words += [None] * (index + 1 - len(words))
                    words[index] = cell
            first_data += 1
        found = _header_fields(tuple(words))
        if "id" not in found and "name" not in found:
            continue
        columns = {name: index + 1 for name, index in found.items()}
        _require(columns, grid)
        return row.number, columns, first_data
    needed = "、".join(FIELD_LABELS[f] for f in ("name", "date", "value"))
    where = grid.file + (f"!{grid.sheet}" if grid.sheet else "")
    raise SheetLayoutError(
        f"{where} 的前 {HEADER_SCAN} 行中找不到表头（需要 {needed} 等列）",
        code="sheet-no-header",
        hint="表头一行写列名，如：日期 | 指标 | 本期完成 | 说明；或用 fedplan sheet 生成填报表",
    )


def _require(columns: dict[str, int], grid: Grid) -> None:
    missing = []
    if "value" not in columns and "total" not in columns and "done" not in columns and "note" not in columns:
        missing.append("数值/本期完成、累计、是否完成或说明（至少一列）")
    if missing:
        raise SheetLayoutError(
            f"{grid.file} 的表头缺少：{'；'.join(missing)}",
            code="sheet-missing-column",
            hint="认得的列名：" + "；".join(f"{FIELD_LABELS[k]}：{'、'.join(v[:4])}" for k, v in HEADERS.items()),
        )


def _header_fields(cells: tuple[CellValue, ...]) -> dict[str, int]:
    """field → 0-based column, the first column that names it."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _HEADER_INDEX.get(_header_word(cell))
        if name is not None and name not in found:
            found[name] = index
    return found


def _is_sub_header(grid: Grid, header: GridRow, below: GridRow) -> bool:
    """Whether ``below`` is the second line of a two-row header (under a merged cell)."""
    spans = [(first, last) for row, first, last in grid.merged if row == header.number]
    if not spans:
        return False
    words = [i for i, c in enumerate(below.cells) if _is_header_word(c)]
    return bool(words) and all(any(first <= i + 1 <= last for first, last in spans) for i in words)


def _header_word(cell: CellValue) -> str:
    if not isinstance(cell, str):
        return ""
    text = unicodedata.normalize("NFKC", cell)
    text = _strip_bracketed(text)
    text = re.sub(r"\s+", "", text).strip("*:：").lower()
    return text


def _strip_bracketed(text: str) -> str:
    r"""``text`` without its bracketed notes: "数值（人次）" → "数值"; a bracket opened and never
    closed stays. Each bracket runs to the first closing one after it, of any kind.

    What ``re.sub(r"[（(【\[][^）)】\]]*[）)】\]]", "", text)`` did, in linear time: that
    pattern scanned to the end of the text from every opening bracket with no closing one
    after it (a cell of 200,000 "(" took minutes). An opening bracket with no closing one
    after it has none after any later one either, so the scan stops there.
    """
    parts: list[str] = []
    pos = 0
    while (opening := _OPENING.search(text, pos)) is not None:
        closing = _CLOSING.search(text, opening.end())
        if closing is None:
            break
        parts.append(text[pos : opening.start()])
        pos = closing.end()
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def _is_header_word(cell: CellValue) -> bool:
    word = _header_word(cell)
    return bool(word) and (word in _HEADER_INDEX or word in IGNORED_HEADERS)


class _Subjects:
    """Targets and items of the plan, found by id or by name."""

    def __init__(self, plan: Plan) -> None:
        self.targets = {t.id: t for _, _, t in plan.targets()}
        self.items = {i.id: i for _, i in plan.items()}
        self.by_name: dict[str, str] = {}
        for t in self.targets.values():
            self.by_name.setdefault(_name_key(t.name), t.id)
        for i in self.items.values():
            self.by_name.setdefault(_name_key(i.title), i.id)

    def find(self, id_text: str, name_text: str) -> str | None:
        for text in (id_text, name_text):
            if not text:
                continue
            if text in self.targets or text in self.items:
                return text
            key = _name_key(text)
            if key in self.by_name:
                return self.by_name[key]
        return None

    def suggestion(self, text: str) -> str:
        from fedplan.checks import did_you_mean

        labels = {**{t.name: k for k, t in self.targets.items()}, **{i.title: k for k, i in self.items.items()}}
        hint = did_you_mean(text, list(self.targets) + list(self.items))
        if not hint:
            close = did_you_mean(_name_key(text), [_name_key(n) for n in labels])
            if close:
                name = next(n for n in labels if _name_key(n) in close)
                hint = f"是不是“{name}”（{labels[name]}）？"
        return hint


def _name_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = _LEADING_NUMBER.sub("", text)
    return re.sub(r"\s+", "", text)


def _text(cell: CellValue) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _cell(row: GridRow, columns: dict[str, int], name: str) -> CellValue:
    index = columns.get(name)
    if index is None or index > len(row.cells):
        return None
    value = row.cells[index - 1]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _read_row(
    intake: Intake,
    row: GridRow,
    plan: Plan,
    subjects: _Subjects,
    *,
    default_date: dt.date | None,
    by: str | None,
    already: Counter[tuple[object, ...]],
    totals: _RunningTotals,
) -> None:
    grid, columns = intake.grid, intake.columns

    def place(field: str | None = None) -> str:
        return grid.place(row.number, columns[field] if field in columns else 1)

    def problem(field: str | None, message: str, *, code: str, hint: str = "") -> None:
        intake.problems.append(error(Pos(place(field)), code, message, hint))

    filled = [c for c in row.cells if c is not None and _text(c)]
    if not filled:
        intake.blank += 1
        return
    if any(_name_key(_text(c)) in _TOTAL_WORDS for c in row.cells[:4]):
        intake.skipped.append((place(), "合计行"))
        return
    id_text = _text(_cell(row, columns, "id"))
    name_text = _text(_cell(row, columns, "name"))
    fills = {f: _cell(row, columns, f) for f in ("date", "value", "total", "done", "note")}
    if not id_text and not name_text:
        if len(filled) == 1:
            intake.skipped.append((place(), "说明行"))
        else:
            problem("name", "这一行没有写是哪项目标或事项", code="sheet-target", hint="在“指标”列写目标的名称或编号")
        return
    subject = subjects.find(id_text, name_text)
    if subject is None:
        if len(filled) == 1 or _is_header_word(id_text or name_text):
            intake.skipped.append((place(), "说明行"))
            return
        shown = id_text or name_text
        problem(
            "id" if id_text else "name",
            f"{plan.year} 年的工作要点中没有目标或事项“{shown}”",
            code="sheet-target",
            hint=subjects.suggestion(shown) or f"fedplan status {plan.year} --format csv 列出全部目标的编号和名称",
        )
        return
    if all(v is None for v in fills.values()):
        intake.unfilled += 1
        return
    day = _read_date(fills["date"], plan.year, default_date)
    if isinstance(day, str):
        problem("date", day, code="sheet-date", hint="写成 2012-03-08、2012/3/8 或 2012年3月8日；整张表同一日期时可加 --date")
        return
    if day.year != plan.year:
        problem("date", f"日期 {day.isoformat()} 不在 {plan.year} 年度内", code="sheet-date", hint=f"写 {plan.year} 年内的日期")
        return
    note = _text(fills["note"])
    who = _text(_cell(row, columns, "by")) or by
    target = subjects.targets.get(subject)
    how = ""
    if target is None:  # an item: narrative progress
        if not note:
            problem("note", f"“{subject}”是工作事项，进展要写在“说明”列", code="sheet-value", hint="数值请记在该事项的目标上")
            return
        entry = Entry(path="", date=day, item=subject, note=note, by=who)
    elif target.is_milestone:
        word = _text(fills["done"]) or _text(fills["value"])
        answer = _yes_no(word)
        if answer is None:
            if word:
                problem(
                    "done" if fills["done"] is not None else "value",
                    f"“{target.name}”是节点任务，“{word}”不是 是/否",
                    code="sheet-value",
                    hint="完成了写“是”或“完成”，未完成留空或写“否”",
                )
            else:
                problem("done", f"节点任务“{target.name}”要在“是否完成”列写“是”", code="sheet-value", hint="完成了写“是”")
            return
        if not answer:
            intake.skipped.append((place(), "节点任务未完成"))
            return
        entry = Entry(path="", date=day, target=target.id, done=True, note=note, by=who)
    else:
        field_name = "value" if fills["value"] is not None else "total"
        raw = fills[field_name]
        if raw is None:
            problem("value", f"数值目标“{target.name}”这一行没有完成数", code="sheet-value", hint="在“本期完成”列写本期的数字，或在“累计”列写截至当日的累计数")
            return
        number = _read_number(raw, target.unit)
        if isinstance(number, str):
            problem(field_name, number, code="sheet-value", hint=_unit_hint(target.unit))
            return
        if field_name == "total" and target.measure == "sum":
            before = _exact(target.baseline) + totals.to_date(target.id, day)
            increment = _exact(number) - before
            if increment == 0:
                intake.unchanged.append(place(field_name))
                return
            how = f"累计 {_show(number)}，此前 {_show(before)}，本期 {_show(increment)}"
            number = _plain(increment)
        entry = Entry(path="", date=day, target=target.id, value=number, note=note, by=who)
    key = _key(entry)
    if already[key]:
        already[key] -= 1
        intake.duplicates.append(place())
        return
    if entry.target is not None and entry.value is not None:
        totals.add(entry.target, entry.date, entry.value)
    intake.planned.append(Planned(entry, place(), how))


def _read_date(cell: CellValue, year: int, default: dt.date | None) -> dt.date | str:
    """The date a cell holds (a date cell, an Excel serial number or text), or why not."""
    if cell is None:
        return default if default is not None else "这一行没有日期"
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if 1 <= cell < 2958466:  # Excel's days from 1900-01-01 up to 9999-12-31
            # 60 is Excel's 1900-02-29, a day that never was; serials after it count from
            # 1899-12-30, those before from 1899-12-31.
            serial = int(cell)
            return EXCEL_EPOCH + dt.timedelta(days=serial if serial > 60 else serial + 1)
        return f"“{_text(cell)}”不是日期"
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    day = parse_loose_date(text, default_year=year)
    return day if day is not None else f"“{cell}”不是日期"


def _read_number(cell: CellValue, unit: str | None) -> Number | str:
    """A number cell, or text holding a number ("1,200", full-width digits, "120人次" when
    人次 is the target's unit); otherwise why not."""
    if isinstance(cell, bool):
        return f"“{_text(cell)}”不是数字"
    if isinstance(cell, (int, float)):
        return _plain(cell)
    if not isinstance(cell, str):
        return f"“{cell}”不是数字"
    text = unicodedata.normalize("NFKC", cell).strip().replace(",", "").replace("，", "")
    match = _NUMBER.fullmatch(text)
    suffix = ""
    if match is None:
        with_unit = _NUMBER_WITH_UNIT.fullmatch(text)
        if with_unit is None:
            return f"“{cell}”不是数字"
        text, suffix = with_unit.group(1), with_unit.group(2).strip()
        if not unit or suffix != unicodedata.normalize("NFKC", unit):
            shown = f"，计划中的单位是“{unit}”" if unit else ""
            return f"“{cell}”带的单位“{suffix}”与目标不符{shown}"
    value = Fraction(text)
    return _plain(value)


def _unit_hint(unit: str | None) -> str:
    return "只写数字" + (f"（单位“{unit}”已在计划中规定）" if unit else "") + "，说明写在“说明”列"


def _yes_no(word: str) -> bool | None:
    key = unicodedata.normalize("NFKC", word).strip().lower()
    if key in _YES:
        return True
    if key in _NO or key == "":
        return False if key else None
    return None


class _RunningTotals:
    """Each target's sum of values up to a day, from the ledger and the rows read so far.

    Rows usually come in date order, so a new value is appended and the prefix sums stay
    valid; one dated earlier than the last is inserted and the sums after it redone.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._dates: dict[str, list[dt.date]] = {}
        self._sums: dict[str, list[Fraction]] = {}
        for entry in sorted((e for e in entries if e.target and e.value is not None), key=lambda e: e.date):
            assert entry.target is not None and entry.value is not None
            self.add(entry.target, entry.date, entry.value)

    def add(self, target: str, day: dt.date, value: Number) -> None:
        dates = self._dates.setdefault(target, [])
        sums = self._sums.setdefault(target, [Fraction(0)])
        if not dates or day >= dates[-1]:
            dates.append(day)
            sums.append(sums[-1] + _exact(value))
            return
        index = bisect.bisect_right(dates, day)
        dates.insert(index, day)
        sums.insert(index + 1, sums[index] + _exact(value))
        for later in range(index + 2, len(sums)):
            sums[later] += _exact(value)

    def to_date(self, target: str, day: dt.date) -> Fraction:
        dates = self._dates.get(target)
        if not dates:
            return Fraction(0)
        return self._sums[target][bisect.bisect_right(dates, day)]


def _exact(value: Number | Fraction) -> Fraction:
    if isinstance(value, Fraction):
        return value
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _plain(value: Number | Fraction) -> Number:
    """An exact number back as the int or float a ledger holds (12 → 12, 12.5 → 12.5)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    return int(value) if value.denominator == 1 else float(value)


def _show(value: Number | Fraction) -> str:
    plain = _plain(value)
    return f"{plain:g}" if isinstance(plain, float) else str(plain)


def _key(entry: Entry) -> tuple[object, ...]:
    """What makes two entries the same record: date, subject, value (or done) and note."""
    value = _exact(entry.value) if entry.value is not None else None
    return (entry.date, entry.target or entry.item, value, entry.done, entry.note.strip())
