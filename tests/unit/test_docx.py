"""The Word writer, read back through python-docx and the package's XML (GB/T 9704-2012)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from fedplan.render.blocks import Block, RenderedDocument
from fedplan.render.docx import WORD_JOINER, signature_indents, to_docx
from tests.conftest import needs_soffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BLOCKS = (
    Block("title", "2012年区妇联工作要点"),
    Block("subtitle", "（2012年2月15日区妇联执委会通过）"),
    Block("addressee", "各街道妇联、区直各单位妇委会："),
    Block("paragraph", "2012年全区妇联工作的总体思路是：深入贯彻落实科学发展观。"),
    Block("heading", "一、创先争优，引领妇女弘扬时代精神", level=1),
    Block("heading", "（一）加强思想引领", level=2),
    Block(
        "paragraph", "组织开展“巾帼建功”活动。", lead="1.创先争优，引领妇女弘扬时代精神。", level=3
    ),
    Block("heading", "（1）开展技能培训", level=4),
    Block("heading", "2.加强宣传引导", level=3),
    Block("table", rows=(("序号", "工作目标", "年度任务"), ("1", "培训城乡妇女", "3000人次"))),
    Block("chart", target_id="training"),
    Block("paragraph", "各街道妇联要结合实际，抓好落实。"),
    Block("signature", "某某区妇女联合会"),
    Block("date", "2012年2月15日"),
)
TEXTS = [
    "2012年区妇联工作要点",
    "（2012年2月15日区妇联执委会通过）",
    "各街道妇联、区直各单位妇委会：",
    "2012年全区妇联工作的总体思路是：深入贯彻落实科学发展观。",
    "一、创先争优，引领妇女弘扬时代精神",
    "（一）加强思想引领",
    "1.创先争优，引领妇女弘扬时代精神。组织开展“巾帼建功”活动。",
    "（1）开展技能培训",
    "2.加强宣传引导",
    "各街道妇联要结合实际，抓好落实。",
    "某某区妇女联合会",
    "2012年2月15日",
]


def render(blocks: tuple[Block, ...] = BLOCKS, lang: str = "zh-CN") -> bytes:
    return to_docx(
        RenderedDocument(
            title="2012年区妇联工作要点", blocks=blocks, date=dt.date(2012, 2, 15), lang=lang
        )
    )


@pytest.fixture(scope="module")
def data() -> bytes:
    return render()


@pytest.fixture(scope="module")
def document(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def shown(text: str) -> str:
    """Text as read: without the zero-width word joiners that keep a figure with its unit."""
    return text.replace(WORD_JOINER, "")


def texts(document: Any) -> list[str]:
    return [shown(p.text) for p in document.paragraphs if p.text]


def paragraph(document: Any, text: str) -> Any:
    (found,) = [p for p in document.paragraphs if shown(p.text) == text]
    return found


def east_asian_fonts(p: Any) -> set[str]:
    return {r._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for r in p.runs}


def sizes(p: Any) -> set[float]:
    return {r.font.size.pt for r in p.runs}


def attr(el: Any, path: str, name: str) -> str | None:
    found = el.find(path.replace("w:", W))
    return None if found is None else found.get(f"{W}{name}")


def test_the_text_is_the_blocks_text_in_order_and_charts_are_left_out(document: Any) -> None:
    assert texts(document) == TEXTS


def test_blank_lines_after_the_title_block_and_before_the_signature(document: Any) -> None:
    all_texts = [shown(p.text) for p in document.paragraphs]
    subtitle = all_texts.index("（2012年2月15日区妇联执委会通过）")
    assert all_texts[subtitle + 1 : subtitle + 3] == ["", "各街道妇联、区直各单位妇委会："]
    signature = all_texts.index("某某区妇女联合会")
    assert all_texts[signature - 2 : signature + 2] == [
        "各街道妇联要结合实际，抓好落实。",
        "",
        "某某区妇女联合会",
        "2012年2月15日",
    ]


def test_page_is_a4_with_the_standard_margins(document: Any, data: bytes) -> None:
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert abs(section.page_width - Mm(210)) < Mm(0.05)
    assert abs(section.page_height - Mm(297)) < Mm(0.05)
    pg_mar = part(data, "word/document.xml").find(f".//{W}sectPr/{W}pgMar")
    margins = {k: int(pg_mar.get(f"{W}{k}")) for k in ("top", "bottom", "left", "right")}
    assert margins == {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}  # twips
    # the type area is 156 x 225 mm to within a twip
    assert abs((11906 - 1587 - 1474) - 156 * 1440 / 25.4) < 1
    assert abs((16838 - 2098 - 1984) - 225 * 1440 / 25.4) < 1


def test_22_lines_of_28_characters(data: bytes, document: Any) -> None:
    grid = part(data, "word/document.xml").find(f".//{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "lines"
    assert grid.get(f"{W}linePitch") == "579"
    assert 22 * 579 <= 16838 - 2098 - 1984 < 23 * 579  # 22 lines fit, 23 do not

    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    assert normal.font.size == Pt(16)
    # 3号 text is scaled to 98 %: 28 characters fit across 156 mm, 29 do not
    width_pt = (11906 - 1587 - 1474) / 20
    assert attr(normal.element, "w:rPr/w:w", "val") == "98"
    assert 28 * 16 * 0.98 <= width_pt < 29 * 16 * 0.98
    assert 28 * 16 * 0.99 > width_pt  # and 98 is the largest whole percent that fits
    body = paragraph(document, TEXTS[3])
    assert {r._r.find(f"{W}rPr/{W}w").get(f"{W}val") for r in body.runs} == {"98"}
    title = paragraph(document, TEXTS[0])
    assert {r._r.find(f"{W}rPr/{W}w").get(f"{W}val") for r in title.runs} == {"100"}
    # no autospace between Chinese and digits, no hanging punctuation
    assert attr(normal.element, "w:pPr/w:autoSpaceDN", "val") == "0"
    assert attr(normal.element, "w:pPr/w:overflowPunct", "val") == "0"


def test_fonts_and_sizes_per_element(document: Any) -> None:
    expected = {
        TEXTS[0]: ({"方正小标宋简体"}, {22.0}),
        TEXTS[1]: ({"楷体_GB2312"}, {16.0}),
        TEXTS[2]: ({"仿宋_GB2312"}, {16.0}),
        TEXTS[3]: ({"仿宋_GB2312"}, {16.0}),
        TEXTS[4]: ({"黑体"}, {16.0}),
        TEXTS[5]: ({"楷体_GB2312"}, {16.0}),
        TEXTS[6]: ({"仿宋_GB2312"}, {16.0}),
        TEXTS[7]: ({"仿宋_GB2312"}, {16.0}),
        TEXTS[8]: ({"仿宋_GB2312"}, {16.0}),
        TEXTS[10]: ({"仿宋_GB2312"}, {16.0}),
        TEXTS[11]: ({"仿宋_GB2312"}, {16.0}),
    }
    for text, (fonts, size) in expected.items():
        p = paragraph(document, text)
        assert (east_asian_fonts(p), sizes(p)) == (fonts, size), text
        for run in p.runs:
            assert run.bold is None  # the standard names typefaces only
            fonts_el = run._r.find(f"{W}rPr/{W}rFonts")
            assert fonts_el.get(f"{W}ascii") == "Times New Roman"
            assert fonts_el.get(f"{W}hint") == "eastAsia"


def test_a_lead_takes_its_level_s_face() -> None:
    blocks = (
        Block("paragraph", "正文。", lead="一、总体要求。", level=1),
        Block("paragraph", "正文。", lead="（二）主要任务。"),
        Block("paragraph", "正文。", lead="3.具体措施。"),
    )
    document = docx.Document(io.BytesIO(render(blocks)))
    faces = [[east_asian_fonts_of(r) for r in p.runs] for p in document.paragraphs]
    assert faces == [
        ["黑体", "仿宋_GB2312"],
        ["楷体_GB2312", "仿宋_GB2312"],
        ["仿宋_GB2312", "仿宋_GB2312"],
    ]


def east_asian_fonts_of(run: Any) -> str:
    return str(run._r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia"))


def test_normal_style_and_defaults_name_the_body_face_without_theme_fonts(data: bytes) -> None:
    styles = part(data, "word/styles.xml")
    for fonts in (
        styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts"),
        styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}rFonts"),
    ):
        assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
        assert fonts.get(f"{W}ascii") == "Times New Roman"
        assert fonts.get(f"{W}eastAsiaTheme") is None
    lang = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}lang")
    # Chinese text is zh-CN; the Latin slot (digits, Latin words) en-US, so no reader's
    # zh-CN break iterator splits "2013" across lines
    assert (lang.get(f"{W}val"), lang.get(f"{W}eastAsia")) == ("en-US", "zh-CN")
    font_table = part(data, "word/fontTable.xml")
    alt = font_table.find(f"{W}font[@{W}name='仿宋_GB2312']/{W}altName")
    assert alt.get(f"{W}val") == "仿宋"


def test_title_centred_body_indented_two_characters_and_justified(document: Any) -> None:
    title = paragraph(document, TEXTS[0])
    assert attr(title._p, "w:pPr/w:jc", "val") == "center"
    assert attr(title._p, "w:pPr/w:snapToGrid", "val") == "0"
    for text in (TEXTS[3], TEXTS[4], TEXTS[5], TEXTS[6], TEXTS[7], TEXTS[11 - 2]):
        p = paragraph(document, text)
        assert attr(p._p, "w:pPr/w:ind", "firstLineChars") == "200", text
        assert attr(p._p, "w:pPr/w:ind", "firstLine") == "627", text  # 2 x 15.68 pt
        assert attr(p._p, "w:pPr/w:jc", "val") == "both", text
    addressee = paragraph(document, TEXTS[2])
    assert addressee._p.find(f"{W}pPr/{W}ind") is None  # 顶格
    levels = {
        TEXTS[4]: "0",
        TEXTS[5]: "1",
        TEXTS[8]: "2",
        TEXTS[7]: "3",
    }
    for text, level in levels.items():
        assert attr(paragraph(document, text)._p, "w:pPr/w:outlineLvl", "val") == level


def test_signature_and_date_right_aligned_per_7_3_5_2(document: Any) -> None:
    name = paragraph(document, "某某区妇女联合会")
    date = paragraph(document, "2012年2月15日")
    assert attr(name._p, "w:pPr/w:jc", "val") == "right"
    assert attr(date._p, "w:pPr/w:jc", "val") == "right"
    # the date (6.5 characters) is nearly as long as the name (8): the date keeps two
    # characters from the right and the name moves in, to start two characters before it
    assert attr(date._p, "w:pPr/w:ind", "rightChars") == "200"
    assert attr(name._p, "w:pPr/w:ind", "rightChars") == "250"
    assert attr(date._p, "w:pPr/w:ind", "right") == "627"


def test_signature_indents_arithmetic() -> None:
    # a long name: it keeps two characters, the date starts two characters right of it
    names, date = signature_indents(["某某市某某区妇女联合会办公室"], "2012年2月15日")
    assert names == [2.0]
    assert date == 2 + 14 - 2 - 6.5  # name starts 16 from the right, date starts at 14
    # joint issue: names share their first column
    names, date = signature_indents(["某某区妇女联合会", "某某区总工会"], None)
    assert names == [2.0, 4.0]
    assert date == 2.0
    # the 1999 style date is all full width
    names, date = signature_indents(["区妇联"], "二〇一二年二月十五日")
    assert (names, date) == ([2 + 10 + 2 - 3], 2.0)


def test_footers_carry_page_numbers_odd_right_even_left(data: bytes) -> None:
    settings = part(data, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    document_xml = part(data, "word/document.xml")
    refs = {
        ref.get(f"{W}type"): ref.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        for ref in document_xml.findall(f".//{W}sectPr/{W}footerReference")
    }
    assert set(refs) == {"default", "even"}
    rels = part(data, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in rels}
    for kind, jc, indent in (("default", "right", "right"), ("even", "left", "left")):
        footer = part(data, "word/" + target[refs[kind]])
        (p,) = footer.findall(f"{W}p")
        assert attr(p, "w:pPr/w:jc", "val") == jc
        assert attr(p, "w:pPr/w:ind", indent) == "280"  # one 4号 character
        instr = "".join(t.text for t in p.iter(f"{W}instrText"))
        assert instr.strip() == "PAGE"
        assert [f.get(f"{W}fldCharType") for f in p.iter(f"{W}fldChar")] == [
            "begin",
            "separate",
            "end",
        ]
        shown = "".join(t.text for t in p.iter(f"{W}t"))
        assert shown == "— 1 —"
        for fonts in p.iter(f"{W}rFonts"):
            assert fonts.get(f"{W}eastAsia") == "宋体"
        assert {s.get(f"{W}val") for s in p.iter(f"{W}sz")} == {"28"}  # 14 pt
    pg_mar = document_xml.find(f".//{W}sectPr/{W}pgMar")
    # the middle of the page-number line 7 mm below the type area
    footer_mid_mm = (int(pg_mar.get(f"{W}footer")) + 140) * 25.4 / 1440
    assert abs(footer_mid_mm - 28) < 0.1


def test_table_is_readable_with_borders_and_centred_header(document: Any) -> None:
    (table,) = document.tables
    assert [[shown(c.text) for c in row.cells] for row in table.rows] == [
        ["序号", "工作目标", "年度任务"],
        ["1", "培训城乡妇女", "3000人次"],
    ]
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    assert {b.tag.removeprefix(W): b.get(f"{W}val") for b in borders} == {
        edge: "single" for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    }
    header = table.rows[0]
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None
    for cell in header.cells:
        assert attr(cell.paragraphs[0]._p, "w:pPr/w:jc", "val") == "center"
    # The text column is left-aligned (justified CJK in a narrow cell spreads 已完成 into
    # 已　完　成); short cells and figures are centred.
    assert attr(table.rows[1].cells[1].paragraphs[0]._p, "w:pPr/w:jc", "val") == "left"
    assert attr(table.rows[1].cells[2].paragraphs[0]._p, "w:pPr/w:jc", "val") == "center"
    for row in table.rows:  # a row never breaks across a page
        assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                assert east_asian_fonts_of(run) == "仿宋_GB2312"
                assert run.font.size == Pt(12)
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert sum(widths) == pytest.approx(8845, abs=2)
    # "3000人次" is 4 half-width + 2 full-width = 4 characters of 12 pt (240 twips): its
    # column gets at least that plus one character of padding, so it never wraps.
    assert widths[2] >= 5 * 240
    cell_widths = [int(c._tc.tcPr.find(f"{W}tcW").get(f"{W}w")) for c in table.rows[1].cells]
    assert cell_widths == widths  # WPS reads w:gridCol, Word the cells: both say the same


def test_the_results_table_gives_names_room_and_figures_one_line() -> None:
    from fedplan.render.docx import _cell_width, _column_widths

    rows = (
        ("项目", "目标", "完成", "完成率", "状态", "得分"),
        ("编制金川区“十二五”家庭教育工作规划", "10月31日前", "未完成", "—", "未完成", "0"),
        ("妇女小额贷款全年放贷额度", "2000万元", "1960万元", "98%", "未完成", "39.2"),
        ("农业实用技术妇女骨干培训", "300人次", "320人次", "106.7%", "超额完成", "40"),
    )
    widths, wide = _column_widths(rows, 6)
    assert wide == [True, False, False, False, False, False]
    assert sum(widths) == 8845
    char = 12 * 20
    assert widths[0] >= 10 * char  # a name of 18 characters takes two lines, not four
    for c in range(2, 6):  # figures and status words on one line
        assert widths[c] >= max(_cell_width(r[c]) for r in rows) * char - 1


def test_core_properties_and_language(document: Any, data: bytes) -> None:
    props = document.core_properties
    assert props.title == "2012年区妇联工作要点"
    assert props.language == "zh-CN"
    assert props.author == ""
    assert props.created == dt.datetime(2012, 2, 15, tzinfo=dt.timezone.utc)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "docProps/thumbnail.jpeg" not in package.namelist()


PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def test_the_package_holds_its_parts_each_named_by_a_relationship_and_a_content_type(
    data: bytes,
) -> None:
    """Every relationship points at a member, every member but the package's own files is
    reached by one, and every part has its content type: what Word checks before it opens
    a file (a dangling or missing one is "Word found unreadable content")."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        reached = set()
        for rels_name in (n for n in names if n.endswith(".rels")):
            folder = rels_name.rsplit("_rels/", 1)[0]
            for rel in etree.fromstring(package.read(rels_name)).iter(
                f"{{{PACKAGE_RELS}}}Relationship"
            ):
                target = folder + rel.get("Target")
                assert target in names, (rels_name, target)
                reached.add(target)
        assert names - reached == {
            "[Content_Types].xml",
            "_rels/.rels",
            "word/_rels/document.xml.rels",
        }
        types = etree.fromstring(package.read("[Content_Types].xml"))
        overrides = {o.get("PartName") for o in types.iter(f"{{{CONTENT_TYPES}}}Override")}
        assert overrides == {"/" + n for n in reached}
        # the footers' ids in the section are the document's footer relationships
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        footers = {r.get("Id"): r.get("Target") for r in rels if r.get("Type").endswith("/footer")}
        body = etree.fromstring(package.read("word/document.xml"))
        refs = {f.get(f"{W}type"): f.get(qn("r:id")) for f in body.iter(f"{W}footerReference")}
        assert set(refs.values()) == set(footers) and set(refs) == {"default", "even"}
        # nothing from a template the document does not use
        assert not any("theme" in n or "WithEffects" in n or "numbering" in n for n in names)
        styles = etree.fromstring(package.read("word/styles.xml"))
        named = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
        used = {
            s.get(f"{W}val")
            for n in names
            if n.endswith(".xml")
            for s in etree.fromstring(package.read(n)).iter(f"{W}pStyle")
        }
        assert used <= named


def test_a_dated_document_is_the_same_file_every_time_it_is_written(data: bytes) -> None:
    assert render() == data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {i.date_time for i in package.infolist()} == {(2012, 2, 15, 0, 0, 0)}


def test_tabs_line_breaks_and_edge_spaces_in_a_run() -> None:
    document = docx.Document(io.BytesIO(render((Block("paragraph", " 甲\t乙\n丙\r\n丁 "),))))
    (p,) = document.paragraphs
    content = [
        (c.tag[len(W) :], c.text) for r in p._p.iter(f"{W}r") for c in r if c.tag != f"{W}rPr"
    ]
    assert content == [
        ("t", " 甲"),
        ("tab", None),
        ("t", "乙"),
        ("br", None),
        ("t", "丙"),
        ("br", None),
        ("br", None),
        ("t", "丁 "),
    ]
    spaced = [t for t in p._p.iter(f"{W}t") if t.text != t.text.strip()]
    assert spaced and all(t.get(qn("xml:space")) == "preserve" for t in spaced)
    assert p.text == " 甲\t乙\n丙\n\n丁 "


def test_writing_a_word_file_does_not_import_python_docx() -> None:
    """python-docx took longer to import than the rest of `report -o x.docx`; the writer
    builds the XML itself, and python-docx only reads the files back here."""
    code = (
        "import sys, datetime as dt\n"
        "from fedplan.render.blocks import Block, RenderedDocument\n"
        "from fedplan.render.docx import to_docx\n"
        "to_docx(RenderedDocument(title='t', blocks=(Block('paragraph', '甲'),), date=dt.date(2012, 1, 1)))\n"
        "print(sorted(m for m in sys.modules if m == 'docx' or m.startswith('docx.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_traditional_script_uses_gbk_faces_and_zh_tw() -> None:
    document = docx.Document(io.BytesIO(render(BLOCKS[:5], lang="zh-TW")))
    styles = document.styles.element
    lang = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-TW"
    assert east_asian_fonts(paragraph(document, TEXTS[3])) == {"仿宋"}
    assert east_asian_fonts(paragraph(document, TEXTS[4])) == {"黑体"}
    assert document.core_properties.language == "zh-TW"


def test_empty_and_odd_inputs_still_make_a_document() -> None:
    document = docx.Document(io.BytesIO(render(())))
    assert texts(document) == []
    document = docx.Document(io.BytesIO(render((Block("date", "2012年2月15日"),))))
    (date,) = document.paragraphs
    assert attr(date._p, "w:pPr/w:ind", "rightChars") == "200"
    assert qn("w:jc") in {c.tag for c in date._p.pPr}


# --- read back as LibreOffice lays it out ------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2]


def _pdf_of(tmp_path: Path, out: Path) -> list[str]:
    """The text of each page of the Word file ``out`` as LibreOffice lays it out (PDF)."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(out.with_suffix(".pdf")), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _pdf_pages(tmp_path: Path, *args: str) -> list[str]:
    """The text of each page of the example repository's ``fedplan report ARGS -o x.docx``,
    converted to PDF by LibreOffice."""
    from tests.conftest import fedplan_in

    out = tmp_path / "x.docx"
    result = fedplan_in(EXAMPLE, "report", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return _pdf_of(tmp_path, out)


# A figure and what belongs to it, as the PDF's lines show them: a line ending in a digit
# (or 年/月) and the next starting with its unit (or a digit) is a figure broken in two.
_BROKEN_FIGURE = (
    re.compile(r"(\d[.]?|\d[年月]|[人万])$"),
    re.compile(r"^([\d.%]|[年月日人次个项期万元名])"),
)


def _broken_figures(lines: list[str]) -> list[tuple[str, str]]:
    end, start = _BROKEN_FIGURE
    return [
        (a[-8:], b[:8])
        for a, b in itertools.pairwise(lines)
        if end.search(a) and start.match(b) and (a[-1].isdigit() or a[-1] in "年月" or b[0] in "次元")
    ]


@needs_soffice
def test_the_signature_never_stands_alone_on_the_last_page(tmp_path: Path) -> None:
    pages = _pdf_pages(tmp_path, "2012", "--id", "half-year")
    last = [line.strip() for line in pages[-1].splitlines() if line.strip()]
    body = [line for line in last if line not in ("金川区妇联", "2012 年 7 月 5 日", "2012年7月5日")]
    body = [line for line in body if not re.fullmatch(r"—\s*\d+\s*—", line)]
    assert body, f"the last page holds only the signature and date: {last}"
    assert last[-3:-1] == ["金川区妇联", "2012 年 7 月 5 日"] or "金川区妇联" in last


@needs_soffice
def test_numbers_never_break_across_lines(tmp_path: Path) -> None:
    pages = _pdf_pages(tmp_path, "2012", "--as-of", "2012-12-31")
    lines = [line.strip() for page in pages for line in page.splitlines() if line.strip()]
    # table rows hold one figure a cell: look at running text only (lines with CJK text)
    text = [line for line in lines if re.search(r"[\u4e00-\u9fff]{4}", line)]
    split = [
        (a[-8:], b[:8])
        for a, b in itertools.pairwise(text)
        if re.search(r"\d[.]?$", a) and re.match(r"[\d.%]", b)
    ]
    assert not split
    # nor a date or a count from its 年/月/日 or unit ("6 / 月20日", "11月29 / 日": 8 before)
    body = [re.sub(r"\s+", "", line) for line in text]
    assert not _broken_figures(body)
    assert "6月20日" in "".join(body)  # read back as written, no joiner, no gap


SHIFTED = "12月20日举办培训班，培训320人次，2012年3月8日召开大会，完成106.7%，放贷1960万元，80余人参加。"


def _shifted_lines() -> RenderedDocument:
    """The same sentence pushed one character further each paragraph, so that every place
    inside its dates and counts falls at the end of a line once."""
    lines = [Block("paragraph", "妇" * k + SHIFTED) for k in range(30)]
    return RenderedDocument(title="试验", blocks=(Block("title", "试验"), *lines))


def test_a_figure_and_its_unit_are_one_run_joined_for_libreoffice() -> None:
    document = docx.Document(io.BytesIO(to_docx(_shifted_lines())))
    (first,) = [p for p in document.paragraphs if p.text.startswith("12")]
    assert shown(first.text) == SHIFTED  # nothing but zero-width joiners added
    units = {
        shown(r.text): r for r in first.runs if r._r.find(f"{W}rPr/{W}lang") is not None
    }
    assert list(units) == ["12月20日", "320人次", "2012年3月8日", "1960万元", "80余人"]
    assert units["12月20日"].text == "12\u2060月\u206020\u2060日"
    assert units["2012年3月8日"].text == "2012\u2060年\u20603\u2060月\u20608\u2060日"
    assert units["320人次"].text == "320\u2060人\u2060次"
    lang = units["320人次"]._r.find(f"{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "en-US"  # LibreOffice then breaks by Unicode's rules
    # the joiners sit inside the units only
    between = [r.text for r in first.runs if r._r.find(f"{W}rPr/{W}lang") is None]
    assert not any(WORD_JOINER in t for t in between)
    assert any("106.7%" in t for t in between)  # a percentage needs no joiner: its digits and % hold


@needs_soffice
def test_dates_and_counts_never_break_in_libreoffice(tmp_path: Path) -> None:
    out = tmp_path / "shifted.docx"
    out.write_bytes(to_docx(_shifted_lines()))
    pages = _pdf_of(tmp_path, out)
    lines = [re.sub(r"\s+", "", line) for page in pages for line in page.splitlines() if line.strip()]
    lines = [line for line in lines if not re.fullmatch(r"—\d+—", line)]
    assert not _broken_figures(lines)  # 17 before, in LibreOffice 7.4
    flat = "".join(lines)
    assert WORD_JOINER not in flat
    for unit in ("12月20日", "320人次", "2012年3月8日", "1960万元"):
        assert flat.count(unit) == 30, unit


# --- what validate accepts, the Word writer writes (issue 10) --------------------------------


def test_control_characters_and_a_long_title_from_a_repository_are_written(make_repo, tmp_path):
    from tests.conftest import PLAN_2012, fedplan_in

    long_title = "测试区妇联关于" + "长" * 300 + "的工作要点"
    plan = PLAN_2012.replace("year: 2012\n", f'year: 2012\ntitle: {long_title}\npreamble: "总体\\x01思路"\n')
    ledger = 'kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-08\n    target: farm-training\n'
    ledger += '    value: 120\n    note: "培训\\x1f一期"\n'
    root = make_repo({"plans/2012/plan.yaml": plan, "plans/2012/progress.yaml": ledger})
    assert fedplan_in(root, "validate").exit_code == 0
    # The note reaches the summary, the preamble and the title the plan's own rendering.
    for args, out, shown in (
        (("report", "2012"), tmp_path / "summary.docx", "培训\u241f一期"),
        (("render", "plans/2012/plan.yaml"), tmp_path / "plan.docx", "总体\u2401思路"),
    ):
        result = fedplan_in(root, *args, "-o", str(out))
        assert result.exit_code == 0, result.output
        written = docx.Document(str(out))
        assert shown in "\n".join(p.text for p in written.paragraphs), args
    assert "".join(p.text for p in written.paragraphs).replace("\n", "").startswith(long_title)  # whole, in lines
    assert len(written.core_properties.title) == 255
    assert written.core_properties.title == long_title[:254] + "…"
