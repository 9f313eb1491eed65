"""`status -o FILE.xlsx`: the workbook a person opens in Excel/WPS (fedplan/render/xlsx.py).

Read back with openpyxl for what a spreadsheet program stores (values, number formats, fills,
frozen panes, print settings), and through LibreOffice for what a person sees in the cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from fedplan.render.table import Column, Row, Sheet
from fedplan.render.xlsx import write_workbook
from tests.conftest import MakeRepo, fedplan_in, item, needs_soffice, plan, section, target

PLAN = plan(
    section(item("shuangxue", targets=[target("farm-training", "points: 40"), target("repay-rate"), target("loan")])),
    section(
        item("weiquan", title="推进妇女维权行动", targets=[target("launch", "points: 20")]),
        title="以促进社会公平正义为重点",
    ),
)

PROGRESS = """\
kind: progress
year: 2012
entries:
  - {date: 2012-03-15, target: farm-training, value: 120}
  - {date: 2012-04-01, target: repay-rate, value: 99.5}
  - {date: 2012-05-01, target: loan, value: 1030.25}
  - {date: 2012-05-20, target: launch, done: true}
"""


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo({"plans/2012/plan.yaml": PLAN, "plans/2012/progress/a.yaml": PROGRESS})


def _status_workbook(repo: Path, tmp_path: Path, *args: str) -> openpyxl.Workbook:
    out = tmp_path / "进度.xlsx"
    result = fedplan_in(repo, "status", "2012", "--as-of", "2012-06-30", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _rows(ws) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Data rows by their 指标编号 (column B)."""
    return {
        row[1].value: list(row)
        for row in ws.iter_rows()
        if isinstance(row[1].value, str) and row[1].value != "指标编号"
    }


def test_status_xlsx_is_a_real_table(repo: Path, tmp_path: Path) -> None:
    book = _status_workbook(repo, tmp_path)
    ws = book.worksheets[0]
    assert ws.title == "2012年工作进度"
    assert ws["A1"].value == "测试区妇联2012年工作进度"
    assert ws["A2"].value == "截至2012年6月30日"
    headers = [c.value for c in ws[3]]
    assert headers[:5] == ["指标", "指标编号", "目标", "完成", "完成率"]
    assert "状态" in headers
    # The header row stays on screen and is printed on every page.
    assert ws.freeze_panes == "B4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True

    rows = _rows(ws)
    col = {h: i for i, h in enumerate(headers)}
    training = rows["farm-training"]
    # Numbers are numbers, their unit in the number format (Excel can still sum them).
    assert training[col["目标"]].value == 300
    assert training[col["目标"]].number_format == '#,##0"人次"'
    assert training[col["完成"]].value == 120
    assert training[col["完成率"]].value == pytest.approx(0.4)
    assert training[col["完成率"]].number_format == "0%"
    assert training[col["得分"]].value == 16  # 40 × 120/300
    loan = rows["loan"]
    assert loan[col["完成"]].value == pytest.approx(1030.25)
    assert loan[col["完成"]].number_format == '#,##0.00"万元"'
    rate = rows["repay-rate"]
    assert rate[col["目标"]].value == 1 and rate[col["目标"]].number_format == "0%"
    assert rate[col["完成"]].value == pytest.approx(0.995)
    assert rate[col["完成"]].number_format == "0.0%"
    # Dates are dates.
    assert rows["launch"][col["截止日期"]].value == dt.datetime(2012, 6, 30)
    assert rows["launch"][col["完成"]].value == "是"
    # The status word is kept and its cell filled in the traffic-light colour.
    assert rows["launch"][col["状态"]].value == "已完成"
    assert rows["launch"][col["状态"]].fill.fgColor.rgb.endswith("C6EFCE")
    behind = training[col["状态"]]
    assert behind.value in ("滞后", "严重滞后")
    assert behind.fill.fgColor.rgb.endswith("FFEB9C" if behind.value == "滞后" else "FFC7CE")


def test_sections_and_items_are_merged_heading_rows_and_the_score_closes_the_table(
    repo: Path, tmp_path: Path
) -> None:
    ws = _status_workbook(repo, tmp_path).worksheets[0]
    merged = {str(r) for r in ws.merged_cells.ranges}
    headings = [r for r in ws.iter_rows(min_row=4) if r[0].value and r[1].value is None]
    texts = [r[0].value for r in headings]
    assert texts[:2] == ["一、以服务群众为主题，引领妇女参与经济社会发展", "1. 着力推进“双学双比”竞赛活动"]
    assert "二、以促进社会公平正义为重点" in texts
    for row in headings:
        if row[0].value != "合计":
            assert f"A{row[0].row}:{ws.cell(row=3, column=ws.max_column).column_letter}{row[0].row}" in merged
    total = next(r for r in ws.iter_rows() if r[0].value == "合计")
    headers = [c.value for c in ws[3]]
    assert total[headers.index("分值")].value == 60
    assert total[headers.index("得分")].value == 36  # 16 for the training + 20 for the launch
    notes = [ws.cell(row=r, column=1).value for r in range(total[0].row + 1, ws.max_row + 1)]
    assert next(n for n in notes if n).startswith("得分 36 / 60")


def test_columns_fit_chinese_text(repo: Path, tmp_path: Path) -> None:
    ws = _status_workbook(repo, tmp_path).worksheets[0]
    # 8 Chinese characters need 16 columns of display width, plus padding.
    assert ws.column_dimensions["A"].width >= 2 * len("召开全区“两规划”启动大会")
    assert ws.column_dimensions["B"].width >= len("farm-training")
    assert ws.column_dimensions["B"].width < ws.column_dimensions["A"].width


def test_user_text_is_never_a_formula_nor_a_control_character(tmp_path: Path) -> None:
    sheet = Sheet(
        name="t",
        title="标题\x1b[2J",
        columns=(Column("指标"), Column("数")),
        rows=(Row(('=HYPERLINK("http://x","点我")', 1)), Row(("+1", 2))),
    )
    book = openpyxl.load_workbook(io.BytesIO(write_workbook([sheet])))
    ws = book.worksheets[0]
    assert ws["A1"].value == "标题␛[2J"
    formula_like = ws["A3"]
    assert formula_like.value == '=HYPERLINK("http://x","点我")'
    assert formula_like.data_type == "s"


def test_sheet_names_follow_excel_rules() -> None:
    long = "金川区妇联2012年度工作目标管理考核细则自评表：第一部分/总表"
    sheets = [Sheet(name=long, title="x", columns=(Column("a"),), rows=()) for _ in range(2)]
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(sheets)))
    names = book.sheetnames
    assert all(len(n) <= 31 and "/" not in n for n in names)
    assert len(set(names)) == 2


def test_xlsx_needs_a_file(repo: Path) -> None:
    result = fedplan_in(repo, "status", "2012", "--format", "xlsx")
    assert result.exit_code == 2
    assert "[xlsx-needs-output]" in result.output


def test_format_follows_the_extension(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    assert fedplan_in(repo, "status", "2012", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == 2012
    bad = fedplan_in(repo, "status", "2012", "-o", str(tmp_path / "s.pdf"))
    assert bad.exit_code == 2 and "[unknown-format]" in bad.output


@needs_soffice
def test_libreoffice_shows_what_the_status_json_says(repo: Path, tmp_path: Path) -> None:
    """Opened in LibreOffice, the cells show the figures and words of `status --format json`."""
    out = tmp_path / "进度.xlsx"
    assert fedplan_in(repo, "status", "2012", "--as-of", "2012-06-30", "-o", str(out)).exit_code == 0
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=120,
    )
    shown = list(csv.reader((tmp_path / "进度.csv").read_text(encoding="utf-8").splitlines()))
    by_id = {row[1]: row for row in shown if len(row) > 1}
    headers = shown[2]
    status = json.loads(
        fedplan_in(repo, "status", "2012", "--as-of", "2012-06-30", "--format", "json").output
    )
    for shown_target in status["targets"]:
        row = by_id[shown_target["id"]]
        assert row[headers.index("状态")] in {"已完成", "正常", "滞后", "严重滞后", "已逾期", "未开始"}
        if shown_target["percent"] is not None:
            assert row[headers.index("完成率")] == f"{shown_target['percent']:g}%".replace(".0%", "%")
    assert by_id["farm-training"][headers.index("目标")] == "300人次"
    assert by_id["loan"][headers.index("完成")] == "1,030.25万元"
    assert by_id["launch"][headers.index("截止日期")] == "2012年6月30日"


def test_a_heading_row_takes_its_first_filled_cell() -> None:
    sheet = Sheet(
        name="t",
        title="x",
        columns=(Column("序号", "number"), Column("考核内容"), Column("分值", "number")),
        rows=(Row((None, "加分项（合计最多20分）", None), kind="section"), Row((1, "获省级表彰", 5))),
    )
    ws = openpyxl.load_workbook(io.BytesIO(write_workbook([sheet]))).worksheets[0]
    assert ws["A3"].value == "加分项（合计最多20分）"
    assert "A3:C3" in {str(r) for r in ws.merged_cells.ranges}


EXAMPLE = Path(__file__).resolve().parents[2]


def test_the_self_assessment_as_an_excel_table(tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE / "plans", repo / "plans")
    shutil.copy(EXAMPLE / "fedplan.yaml", repo / "fedplan.yaml")
    out = tmp_path / "自评表.xlsx"
    result = fedplan_in(repo, "render", "plans/2012/assessment.yaml", "--as-of", "2012-12-31", "-o", str(out))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = next(r for r in ws.iter_rows() if r[0].value == "序号")
    assert [c.value for c in header] == ["序号", "考核内容", "分值", "评分标准", "完成情况", "自评分", "佐证材料", "考核组评分"]
    body = [r for r in ws.iter_rows(min_row=header[0].row + 1) if r[1].value]
    first = body[0]
    assert isinstance(first[0].value, int) and isinstance(first[2].value, int)  # 序号 and 分值 are numbers
    total = next(r for r in body if r[1].value == "合计")
    points = sum(r[2].value for r in body if isinstance(r[0].value, int))
    assert total[2].value == points  # the indicators' 分值 add up to the 合计
    assert total[5].value == 251  # the example's score, pinned by hand in tests/cli/test_score_cli.py
    assert any(str(c.value).startswith("加分项") for r in ws.iter_rows() for c in r[:1])
    refused = fedplan_in(repo, "render", "plans/2012/plan.yaml", "-o", str(tmp_path / "p.xlsx"))
    assert refused.exit_code == 2 and "[not-a-table]" in refused.output
