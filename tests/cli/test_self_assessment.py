"""The 自评表 (fedplan render ASSESSMENT.yaml): its columns and rows from the score, and a
sideways GB/T 9704 page in Word and HTML because an eight-column table needs one."""

from __future__ import annotations

import io
from pathlib import Path

from fedplan.render.markdown import parse_markdown
from tests.cli.test_score_cli import ASSESSMENT, LEDGER
from tests.conftest import PLAN_2012, PLAN_PATH, MakeRepo, RunLine

HEADER = ["序号", "考核内容", "分值", "评分标准", "完成情况", "自评分", "佐证材料", "考核组评分"]


def _repo(make_repo: MakeRepo) -> Path:
    ledger = LEDGER.replace("{date: 2012-04-01, indicator: xinxi, value: 1}", "{date: 2012-04-01, indicator: xinxi, value: 1, evidence: [材料/采用通知.pdf]}")
    root = make_repo({PLAN_PATH: PLAN_2012, "plans/2012/assessment.yaml": ASSESSMENT, "plans/2012/progress/p.yaml": ledger})
    (root / "材料").mkdir()
    (root / "材料/采用通知.pdf").write_bytes(b"%PDF-1.4\n")
    return root


def test_the_table_has_the_forms_columns_and_the_scores(run_line: RunLine, make_repo: MakeRepo):
    root = _repo(make_repo)
    result = run_line(["-C", str(root), "render", "plans/2012/assessment.yaml", "--as-of", "2012-12-31"])
    assert result.exit_code == 0, result.output
    blocks = parse_markdown(result.output)
    assert blocks[0].kind == "title" and blocks[0].text == "测试区妇联2012年度考核自评表"
    table = next(b for b in blocks if b.kind == "table")
    assert list(table.rows[0]) == HEADER
    by_name = {r[1]: r for r in table.rows[1:]}
    # hand-computed in tests/cli/test_score_cli.py: 32 + 10 + 6, bonus 5, total 53 of 70
    assert by_name["农业实用技术培训"][2:6] == ("40", "完成目标得40分，未完成按完成比例得分", "完成240人次，完成率80%，按比例得32分", "32")
    assert by_name["信息报送"][5:] == ("6", "采用通知.pdf", "")  # 佐证材料 by file name; 考核组评分 left empty
    assert by_name["获省级以上表彰"][5] == "5"
    assert by_name["合计"][2] == "70" and by_name["合计"][5] == "53"
    assert all(row[7] == "" for row in table.rows[1:])
    assert "自评总分53分（满分70分），其中考核指标得分48分，加分5分。未发生一票否决事项。" in result.output


def test_word_and_html_turn_the_page_sideways(run_line: RunLine, make_repo: MakeRepo, tmp_path: Path):
    import docx

    root = _repo(make_repo)
    out = tmp_path / "自评表.docx"
    assert run_line(["-C", str(root), "render", "plans/2012/assessment.yaml", "--as-of", "2012-12-31", "-o", str(out)]).exit_code == 0
    section = docx.Document(io.BytesIO(out.read_bytes())).sections[0]
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert (round(section.page_width / 36000), round(section.page_height / 36000)) == (297, 210)
    # the same margins as a portrait page: 37 top, 35 bottom, 28 left, 26 right (mm)
    assert [round(m / 36000) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    html = tmp_path / "自评表.html"
    assert run_line(["-C", str(root), "render", "plans/2012/assessment.yaml", "--as-of", "2012-12-31", "-o", str(html)]).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "size: A4 landscape" in text and '<table class="wide">' in text


def test_a_portrait_document_stays_portrait(run_line: RunLine, make_repo: MakeRepo, tmp_path: Path):
    import docx

    root = make_repo({PLAN_PATH: PLAN_2012})
    out = tmp_path / "plan.docx"
    assert run_line(["-C", str(root), "render", PLAN_PATH, "-o", str(out)]).exit_code == 0
    section = docx.Document(io.BytesIO(out.read_bytes())).sections[0]
    assert section.page_width < section.page_height
