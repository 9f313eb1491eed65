"""`fedplan log --from 台账.xlsx|.csv` and `fedplan sheet`: the tables offices exchange, in.

Workbooks are made the ways offices make them: by fedplan itself (the fill-in sheet), by
openpyxl as Excel would store cells (date cells, numbers, merged headers), and by LibreOffice
from a CSV, so the reader meets what another program writes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from fedplan.repo import load_repository
from tests.conftest import MakeRepo, fedplan_in, item, needs_soffice, plan, section, target

PLAN = plan(
    section(
        item("shuangxue", "owner: 发展部", targets=[target("farm-training"), target("gang"), target("launch")]),
        item("volunteer", "owner: 宣传部"),
    )
)

LEDGER = """\
kind: progress
year: 2012
entries:
  # 一月的培训
  - date: 2012-01-20
    target: farm-training
    value: 100
  - date: 2012-02-10
    target: gang
    value: 2
"""

LEDGER_PATH = "plans/2012/progress/fazhanbu.yaml"


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo({"plans/2012/plan.yaml": PLAN, LEDGER_PATH: LEDGER})


def _entries(root: Path) -> list[tuple[str, str, object, str]]:
    loaded = load_repository(root)
    assert not loaded.errors(), loaded.diagnostics
    return sorted(
        (e.date.isoformat(), e.target or e.item or "", e.value if e.value is not None else e.done, e.note)
        for p in loaded.repo.progress
        for e in p.entries
    )


def _csv(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_csv_with_title_rows_any_column_order_and_the_ways_people_type(repo: Path, tmp_path: Path) -> None:
    sheet = _csv(
        tmp_path / "台账.csv",
        "测试区妇联5月份工作进展台账\n"
        "填报单位：发展部\n"
        "说明,本期完成,指标,日期,填报人\n"
        "第二期培训,１２０,农业实用技术妇女骨干培训,2012/5/3,发展部\n"
        "第三期,\"1,050\",farm-training,2012年5月8日,\n"
        "新建两个岗,2个,gang,2012.5.9,\n"
        ",,,,\n"
        "全区召开,是,召开全区“两规划”启动大会,5月20日,\n"
        "合计,1172,,,\n"
        "走访慰问困难妇女,,volunteer,2012-05-21,宣传部\n",
    )
    result = fedplan_in(repo, "log", "--from", str(sheet))
    assert result.exit_code == 0, result.output
    assert "已记入 5 条记录" in result.output
    assert "合计行 A9" in result.output and "空行 1 行" in result.output
    assert _entries(repo) == [
        ("2012-01-20", "farm-training", 100, ""),
        ("2012-02-10", "gang", 2, ""),
        ("2012-05-03", "farm-training", 120, "第二期培训"),
        ("2012-05-08", "farm-training", 1050, "第三期"),
        ("2012-05-09", "gang", 2, "新建两个岗"),
        ("2012-05-20", "launch", True, "全区召开"),
        ("2012-05-21", "volunteer", False, "走访慰问困难妇女"),
    ]
    # The existing ledger only grew: its bytes (comment included) are all still there.
    assert (repo / LEDGER_PATH).read_text(encoding="utf-8").startswith(LEDGER)
    # The item's note went to the department's own ledger (fedplan log's rule).
    assert (repo / "plans/2012/progress/宣传部.yaml").is_file()


def test_the_same_sheet_twice_adds_nothing_the_second_time(repo: Path, tmp_path: Path) -> None:
    sheet = _csv(tmp_path / "t.csv", "日期,指标,本期完成\n2012-05-03,farm-training,120\n2012-05-04,gang,1\n")
    assert fedplan_in(repo, "log", "--from", str(sheet)).exit_code == 0
    before = (repo / LEDGER_PATH).read_bytes()
    again = fedplan_in(repo, "log", "--from", str(sheet))
    assert again.exit_code == 0
    assert "没有要记入的新记录" in again.output
    assert "台账中已有的 2 行" in again.output
    assert (repo / LEDGER_PATH).read_bytes() == before


def test_one_bad_row_writes_nothing_and_every_problem_is_placed(repo: Path, tmp_path: Path) -> None:
    sheet = _csv(
        tmp_path / "t.csv",
        "日期,指标,本期完成,说明\n"
        "2012-05-03,farm-training,120,好\n"
        "2012-13-40,gang,1,\n"
        "2012-05-05,农业实用技术妇女骨干陪训,3,\n"
        "2012-05-06,farm-training,120人,\n"
        "2011-05-06,gang,1,\n",
    )
    before = (repo / LEDGER_PATH).read_bytes()
    result = fedplan_in(repo, "log", "--from", str(sheet))
    assert result.exit_code == 1
    out = result.output
    assert "t.csv!A3: 错误: “2012-13-40”不是日期 [sheet-date]" in out
    assert "t.csv!B4: 错误: 2012 年的工作要点中没有目标或事项“农业实用技术妇女骨干陪训” [sheet-target]" in out
    assert "是不是“农业实用技术妇女骨干培训”（farm-training）？" in out
    assert "t.csv!C5: 错误: “120人”带的单位“人”与目标不符，计划中的单位是“人次” [sheet-value]" in out
    assert "t.csv!A6: 错误: 日期 2011-05-06 不在 2012 年度内 [sheet-date]" in out
    assert "[sheet-rejected]" in out and "Traceback" not in out
    assert (repo / LEDGER_PATH).read_bytes() == before

    skipping = fedplan_in(repo, "log", "--from", str(sheet), "--skip-bad")
    assert skipping.exit_code == 0
    assert "已记入 1 条记录" in skipping.output
    assert ("2012-05-03", "farm-training", 120, "好") in _entries(repo)


def test_dry_run_shows_entries_and_statuses_and_writes_nothing(repo: Path, tmp_path: Path) -> None:
    sheet = _csv(tmp_path / "t.csv", "日期,指标,累计\n2012-05-03,farm-training,260\n")
    before = (repo / LEDGER_PATH).read_bytes()
    result = fedplan_in(repo, "log", "--from", str(sheet), "--dry-run")
    assert result.exit_code == 0
    # 累计 260 as of May 3, the ledger had 100 by then: the increment is 160.
    assert "2012-05-03 farm-training 160" in result.output
    assert "累计 260，此前 100，本期 160" in result.output
    assert "farm-training 农业实用技术妇女骨干培训：260/300 人次（86.7%）" in result.output
    assert "试运行" in result.output
    assert (repo / LEDGER_PATH).read_bytes() == before


def test_an_excel_workbook_with_date_cells_serials_and_a_merged_two_row_header(
    repo: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "五月"
    ws.append(["测试区妇联进展台账"])
    ws.merge_cells("A1:E1")
    ws.append(["日期", "指标", "完成情况", None, "备注"])
    ws.merge_cells("C2:D2")
    ws.append([None, None, "本期", "累计", None])
    ws.append([dt.datetime(2012, 5, 3), "gang", None, 5, "累计五个"])
    ws.append([41041, "farm-training", 30, None, "Excel 序列号日期"])  # 41041 = 2012-05-12
    ws.append(["小计", None, 30, None, None])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    result = fedplan_in(repo, "log", "--from", str(path))
    assert result.exit_code == 0, result.output
    entries = _entries(repo)
    assert ("2012-05-03", "gang", 3, "累计五个") in entries  # 5 to date, 2 already logged
    assert ("2012-05-12", "farm-training", 30, "Excel 序列号日期") in entries
    assert "合计行 A6" in result.output
    # A problem names the sheet too.
    ws.append([dt.datetime(2012, 5, 4), "gang", "很多", None, None])
    book.save(path)
    bad = fedplan_in(repo, "log", "--from", str(path), "--sheet", "五月")
    assert "台账.xlsx!五月!C7: 错误: “很多”不是数字 [sheet-value]" in bad.output


def test_missing_columns_and_unknown_sheets_are_named(repo: Path, tmp_path: Path) -> None:
    no_header = _csv(tmp_path / "a.csv", "甲,乙\n1,2\n")
    result = fedplan_in(repo, "log", "--from", str(no_header))
    assert result.exit_code == 1 and "[sheet-no-header]" in result.output
    no_value = _csv(tmp_path / "b.csv", "日期,指标,单位\n2012-05-01,gang,个\n")
    result = fedplan_in(repo, "log", "--from", str(no_value))
    assert result.exit_code == 1 and "[sheet-missing-column]" in result.output
    assert "数值/本期完成" in result.output
    book = openpyxl.Workbook()
    book.active.title = "五月"
    book.save(tmp_path / "c.xlsx")
    result = fedplan_in(repo, "log", "--from", str(tmp_path / "c.xlsx"), "--sheet", "五日")
    assert result.exit_code == 2 and "[sheet-not-found]" in result.output and "五月" in result.output


def test_files_that_are_not_workbooks_get_a_clear_refusal(repo: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "台账.xlsx"
    renamed.write_text("日期,指标\n", encoding="utf-8")
    result = fedplan_in(repo, "log", "--from", str(renamed))
    assert result.exit_code == 1 and "[sheet-corrupt]" in result.output
    # A password-protected .xlsx is an OLE compound file holding an EncryptedPackage stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    encrypted = tmp_path / "加密.xlsx"
    encrypted.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    result = fedplan_in(repo, "log", "--from", str(encrypted))
    assert result.exit_code == 1 and "[sheet-encrypted]" in result.output and "密码" in result.output
    assert "Traceback" not in result.output


def test_a_gbk_csv_from_excel_on_chinese_windows(repo: Path, tmp_path: Path) -> None:
    sheet = _csv(tmp_path / "t.csv", "日期,指标,本期完成\r\n2012-05-03,创建巾帼文明岗,1\r\n", encoding="gbk")
    assert fedplan_in(repo, "log", "--from", str(sheet)).exit_code == 0
    assert ("2012-05-03", "gang", 1, "") in _entries(repo)


def test_sheet_comes_back_through_log_from(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "填报表.xlsx"
    made = fedplan_in(repo, "sheet", "2012", "-o", str(out), "--owner", "发展部")
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0]
    assert ws.protection.sheet is True
    header = next(r for r in ws.iter_rows() if r[0].value == "序号")
    col = {c.value: c.column - 1 for c in header}
    rows = {r[col["指标编号"]].value: r for r in ws.iter_rows(min_row=header[0].row + 1) if r[col["指标编号"]].value}
    assert set(rows) == {"farm-training", "gang", "launch"}  # 宣传部's item is not on 发展部's sheet
    training = rows["farm-training"]
    assert training[col["年度目标"]].value == 300 and training[col["单位"]].value == "人次"
    assert training[col["台账已记"]].value == 100
    # The plan's columns are locked, the fill-in ones open and checked as typed.
    assert training[col["指标"]].protection.locked is True
    assert training[col["本期完成"]].protection.locked is False
    kinds = {v.type for v in ws.data_validations.dataValidation}
    assert {"date", "decimal", "list"} <= kinds
    # The office fills it in as Excel stores what they type, and sends it back.
    training[col["日期"]].value = dt.datetime(2012, 5, 31)
    training[col["本期完成"]].value = 80
    training[col["说明"]].value = "第二期培训班"
    rows["launch"][col["日期"]].value = dt.datetime(2012, 5, 20)
    rows["launch"][col["是否完成"]].value = "是"
    rows["gang"][col["日期"]].value = dt.datetime(2012, 5, 31)
    rows["gang"][col["是否完成"]].value = None  # left empty: no 本期完成 either → unfilled
    spare = ws.cell(row=header[0].row + 5, column=col["指标编号"] + 1)
    assert spare.value is None and spare.protection.locked is False  # a blank row for extra entries
    spare.value = "farm-training"
    ws.cell(row=spare.row, column=col["日期"] + 1).value = dt.datetime(2012, 5, 25)
    ws.cell(row=spare.row, column=col["本期完成"] + 1).value = 20
    book.save(out)
    result = fedplan_in(repo, "log", "--from", str(out))
    assert result.exit_code == 1  # gang has a date but no figure: said, not guessed
    assert "[sheet-value]" in result.output and "创建巾帼文明岗" in result.output
    rows["gang"][col["日期"]].value = None
    book.save(out)
    result = fedplan_in(repo, "log", "--from", str(out))
    assert result.exit_code == 0, result.output
    assert "已记入 3 条记录" in result.output
    entries = _entries(repo)
    assert ("2012-05-31", "farm-training", 80, "第二期培训班") in entries
    assert ("2012-05-25", "farm-training", 20, "") in entries
    assert ("2012-05-20", "launch", True, "") in entries


def test_sheet_refuses_an_unknown_owner_and_a_wrong_extension(repo: Path, tmp_path: Path) -> None:
    result = fedplan_in(repo, "sheet", "2012", "-o", str(tmp_path / "x.xlsx"), "--owner", "组织部")
    assert result.exit_code == 1 and "[unknown-owner]" in result.output and "发展部" in result.output
    result = fedplan_in(repo, "sheet", "2012", "-o", str(tmp_path / "x.xls"))
    assert result.exit_code == 2 and "[unknown-format]" in result.output


def test_from_is_its_own_form_of_log(repo: Path, tmp_path: Path) -> None:
    sheet = _csv(tmp_path / "t.csv", "日期,指标,本期完成\n")
    result = fedplan_in(repo, "log", "gang", "1", "--from", str(sheet))
    assert result.exit_code == 2
    result = fedplan_in(repo, "log", "gang", "1", "--dry-run")
    assert result.exit_code == 2


def _soffice(tmp_path: Path, src: Path, target: str) -> Path:
    # A CSV is read as UTF-8 (76), comma-separated (44), quoted with " (34), as an office would.
    infilter = ["--infilter=CSV:44,34,76,1"] if src.suffix == ".csv" else []
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", *infilter, "--convert-to", target,
         "--outdir", str(tmp_path / "lo-out"), str(src)],
        check=True, capture_output=True, timeout=120,
    )
    return tmp_path / "lo-out" / (src.stem + "." + target.split(":")[0])


@needs_soffice
def test_a_workbook_libreoffice_wrote_from_csv(repo: Path, tmp_path: Path) -> None:
    csv_file = _csv(
        tmp_path / "五月台账.csv",
        "日期,指标,本期完成,说明\n2012-05-03,农业实用技术妇女骨干培训,120,第二期\n2012-05-09,gang,1,\n",
        encoding="utf-8",
    )
    xlsx = _soffice(tmp_path, csv_file, "xlsx")
    result = fedplan_in(repo, "log", "--from", str(xlsx))
    assert result.exit_code == 0, result.output
    entries = _entries(repo)
    assert ("2012-05-03", "farm-training", 120, "第二期") in entries
    assert ("2012-05-09", "gang", 1, "") in entries
    # The same CSV saved by LibreOffice as old Excel (.xls) is refused with how to convert it.
    xls = _soffice(tmp_path, csv_file, 'xls:MS Excel 97')
    refused = fedplan_in(repo, "log", "--from", str(xls))
    assert refused.exit_code == 1 and "[sheet-old-format]" in refused.output
    assert "另存为" in refused.output


@needs_soffice
def test_the_fill_in_sheet_after_libreoffice_saved_it(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "填报表.xlsx"
    assert fedplan_in(repo, "sheet", "2012", "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    ws = book.worksheets[0]
    header = next(r for r in ws.iter_rows() if r[0].value == "序号")
    col = {c.value: c.column - 1 for c in header}
    row = next(r for r in ws.iter_rows() if r[col["指标编号"]].value == "gang")
    row[col["日期"]].value = dt.datetime(2012, 6, 1)
    row[col["本期完成"]].value = 2
    book.save(out)
    resaved = _soffice(tmp_path, out, "xlsx")
    shutil.copy(resaved, tmp_path / "交回.xlsx")
    result = fedplan_in(repo, "log", "--from", str(tmp_path / "交回.xlsx"))
    assert result.exit_code == 0, result.output
    assert ("2012-06-01", "gang", 2, "") in _entries(repo)
