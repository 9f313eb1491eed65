"""Word writer: a RenderedDocument laid out as GB/T 9704-2012 asks (SPEC §8).

The XML is written here element by element (ooxml.py makes the package around it): page
size and margins, the line grid (``w:docGrid``) and character scale that give 22 x 28,
East-Asian fonts (``w:rFonts/@w:eastAsia``, no theme fonts), indents in characters
(``w:ind/@w:firstLineChars``), paragraphs, runs, tables and their borders, the odd/even
footers with the PAGE field, outline levels, the document language and fallback faces in
fontTable.xml.

Facts and their sources are in /work/shared/GBT9704.md; clause numbers below refer to it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from copy import deepcopy
from typing import Any

from fedplan.headings import numbering_level
from fedplan.records import record, replace
from fedplan.render import ooxml
from fedplan.render.blocks import Block, RenderedDocument
from fedplan.render.ooxml import qn
from fedplan.render.signature import signature_starts
from fedplan.render.titles import title_lines
from fedplan.width import display_width

_new = ooxml.element  # a new element, to be copied or inserted
_new_in = ooxml.child  # a new element appended to its parent

# ---------------------------------------------------------------------------------------
# Page geometry (5.1, 5.2.1, 5.2.3), all in twips (1/20 pt, 1440 per inch).


def _mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


PAGE_WIDTH = _mm(210)  # 11906, A4
PAGE_HEIGHT = _mm(297)  # 16838
MARGIN_TOP = _mm(37)  # 2098   天头 37 mm
MARGIN_BOTTOM = _mm(35)  # 1984 derived: 297 - 37 - 225
MARGIN_LEFT = _mm(28)  # 1587  订口 28 mm
MARGIN_RIGHT = _mm(26)  # 1474 derived: 210 - 28 - 156
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips = 156.0 mm
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT  # 243 mm across a sideways page
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips = 225.0 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TITLE_CHARS = 20  # 2号 characters a title line holds: 442.25 pt / 22 pt
TABLE_PT = 12  # 小四: six columns of figures and a name do not fit 156 mm in 4号 without names wrapping to three lines

# Line pitch: 12756 / 22 = 579.8 twips. Rounded *down* to 579 (28.95 pt, 10.21 mm):
# Word fits floor(12756 / pitch) lines, and 580 would give 21.99 -> 21 lines.
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE

# Characters per line: 28 full-width characters of 16 pt need 448 pt, the type area is
# 8845 twips = 442.25 pt wide, so each character must be <= 15.79 pt. Word's own way is a
# character grid (docGrid type="linesAndChars" charSpace=-842, i.e. 16 - 842/4096 pt per
# character), but LibreOffice (7.4, checked) sets a grid narrower than the font at *two*
# cells per character: 14 characters a line, 8 pages instead of 5. Negative tracking
# (w:spacing -0.25 pt) gives 28 a line everywhere, but LibreOffice then drops a comma that
# falls at the end of a full line. So the grid is lines only and 3号 runs are scaled
# horizontally (w:w, whole percent): floor(442.25 / 28 / 16 * 100) = 98 %, 15.68 pt a
# character; 28 take 439 pt, 29 would take 454.7 pt. Same count in Word, WPS, LibreOffice.
CHAR_SCALE = math.floor(TEXT_WIDTH / 20 / CHARS_PER_LINE / BODY_PT * 100)  # 98
CHAR_PITCH = BODY_PT * 20 * CHAR_SCALE / 100  # 313.6 twips per character, for indents

# Page number (7.5): the dashes sit 7 mm below the type area, i.e. 28 mm above the paper's
# edge. The footer distance is measured to the bottom of the footer paragraph, so put the
# middle of a one-line footer (exact 14 pt) at 28 mm: 1587 - 140 = 1447 twips ~ 25.5 mm.
PAGE_NUMBER_LINE = PAGE_NUMBER_PT * 20
FOOTER_DISTANCE = _mm(35 - 7) - PAGE_NUMBER_LINE // 2
TABLE_LINE = 19 * 20  # exact 19 pt for 12 pt table text
# A table too wide for the portrait page (a 自评表's eight columns) goes on a sideways page in
# 5号, the size such forms use: its long text columns still hold a dozen characters a line.
WIDE_TABLE_PT = 10.5
WIDE_TABLE_LINE = 16 * 20
WIDE_COLUMN = 9  # characters: a column whose longest cell is wider holds running text
# A table cell holding just a number (and its unit) is centred, like the header.
NUMBER = re.compile(r"[-+]?[\d,.]+(%|％|万元|元|万|个|人次|人|次|户|项|场|家)?")

# ---------------------------------------------------------------------------------------
# Typefaces (5.2.2, 7.3.1, 7.3.3, 7.5)


@record
class Faces:
    title: str  # 小标宋
    fangsong: str  # body, level-3/4 headings
    kai: str  # level-2 headings
    hei: str  # level-1 headings
    song: str  # page numbers
    latin: str = "Times New Roman"  # digits and Latin letters in the text


# The _GB2312 faces hold only the GB2312 repertoire, which lacks Traditional characters;
# a zh-TW document uses the GBK faces of the same designs instead.
FACES = {
    "zh-CN": Faces(
        title="方正小标宋简体", fangsong="仿宋_GB2312", kai="楷体_GB2312", hei="黑体", song="宋体"
    ),
    "zh-TW": Faces(title="方正小标宋_GBK", fangsong="仿宋", kai="楷体", hei="黑体", song="宋体"),
}

# fontTable.xml entries: when a face is missing, Word substitutes altName (仿宋_GB2312 is
# not installed on a stock Windows, 仿宋 is). charset 86 = GB2312.
FONT_TABLE = {
    "方正小标宋简体": ("宋体", "roman"),
    "方正小标宋_GBK": ("宋体", "roman"),
    "仿宋_GB2312": ("仿宋", "modern"),
    "楷体_GB2312": ("楷体", "modern"),
    "仿宋": ("FangSong", "modern"),
    "楷体": ("KaiTi", "modern"),
    "黑体": ("SimHei", "modern"),
    "宋体": ("SimSun", "auto"),
}


def _heading_face(faces: Faces, level: int) -> str:
    """一、 黑体; （一） 楷体; 1. and （1） 仿宋 (7.3.3). No bold: the standard names faces only."""
    return {1: faces.hei, 2: faces.kai}.get(level, faces.fangsong)


def _lead_level(block: Block) -> int:
    """The level of a paragraph's run-in lead: its own ``level``, else read off the numbering."""
    if 1 <= block.level <= 4:
        return block.level
    return numbering_level(block.lead) or 3


# ---------------------------------------------------------------------------------------
# XML helpers. Word rejects children out of schema order, so each get-or-create inserts by
# the sequence of its parent's schema type.

PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
TCPR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark"
).split()


_W = qn("w:p")[:-1]  # "{…wordprocessingml/2006/main}": w:tag is _W + tag
# The Clark names of the tags after ``tag`` in ``order``, by (id(order), tag): a document
# asks _child for a few thousand elements, and building these sets was most of its time.
_LATER: dict[tuple[int, str], frozenset[str]] = {}


def _child(parent: Any, tag: str, order: Sequence[str], **attrs: str | int) -> Any:
    """Get or create ``w:<tag>`` under ``parent`` in schema order and set its attributes."""
    el = parent.find(_W + tag)
    if el is None:
        el = _new(f"w:{tag}")
        later = _LATER.get((id(order), tag))
        if later is None:
            later = _LATER[(id(order), tag)] = frozenset(_W + t for t in order[order.index(tag) + 1 :])
        for i, sibling in enumerate(parent):
            if sibling.tag in later:
                parent.insert(i, el)
                break
        else:
            parent.append(el)
    for name, value in attrs.items():
        el.set(_W + name, str(value))
    return el


_THEME_FONTS = tuple(_W + name for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))


def _set_fonts(rpr: Any, east_asian: str, latin: str, size_pt: float, lang: str | None) -> None:
    fonts = _child(rpr, "rFonts", RPR_ORDER)
    attrib = fonts.attrib
    for theme_attr in _THEME_FONTS:
        attrib.pop(theme_attr, None)  # theme fonts would override ours
    # hint=eastAsia: characters both scripts share (“ ” — ……) take the East-Asian face,
    # full width, as in a Chinese document.
    for name, value in (
        ("ascii", latin),
        ("hAnsi", latin),
        ("eastAsia", east_asian),
        ("cs", latin),
        ("hint", "eastAsia"),
    ):
        fonts.set(_W + name, value)
    # 3号 text is scaled to 28 a line (see CHAR_SCALE); other sizes explicitly not, so the
    # Normal style's scale does not reach them.
    _child(rpr, "w", RPR_ORDER, val=CHAR_SCALE if size_pt == BODY_PT else 100)
    half_points = round(size_pt * 2)
    _child(rpr, "sz", RPR_ORDER, val=half_points)
    _child(rpr, "szCs", RPR_ORDER, val=half_points)
    if lang is not None:
        _child(rpr, "lang", RPR_ORDER, val=LATIN_LANG, eastAsia=lang, bidi="ar-SA")


# A run by (face, latin, size, figure?): its w:rPr made once with _set_fonts, then the run
# copied (in C) for each text — a report has hundreds of runs of a few kinds, and building
# each one's properties child by child, then python-docx's text setter (an XPath a run),
# were half of writing the document. The copy is the same XML python-docx writes.
_RUNS: dict[tuple[str, str, float, bool], Any] = {}
_XML_SPACE = qn("xml:space")


def _run_element(face: str, latin: str, size_pt: float, figure: bool) -> Any:
    key = (face, latin, size_pt, figure)
    made = _RUNS.get(key)
    if made is None:
        made = _new("w:r")
        rpr = _new("w:rPr")
        made.append(rpr)
        _set_fonts(rpr, face, latin, size_pt, None)
        if figure:  # see _text_runs
            _child(rpr, "lang", RPR_ORDER, val=LATIN_LANG, eastAsia=LATIN_LANG)
        _RUNS[key] = made
    return deepcopy(made)


_BREAKS = re.compile(r"([\t\r\n])")


def _run(p: Any, text: str, face: str, size_pt: float, latin: str, *, figure: bool = False) -> Any:
    """A ``w:r`` of ``text`` appended to the paragraph ``p``: a tab becomes ``w:tab``, each CR
    or LF a ``w:br``, the rest ``w:t``, kept with its edge spaces."""
    r = _run_element(face, latin, size_pt, figure)
    for piece in _BREAKS.split(text) if text else ():
        if piece == "\t":
            r.append(_new("w:tab"))
        elif piece in ("\r", "\n"):
            r.append(_new("w:br"))
        elif piece:
            t = _new("w:t")
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")
            r.append(t)
    p.append(r)
    return r


# A figure with the Chinese words that belong to it: a date (2012年3月8日, 12月20日, 3月份),
# a count with its unit (320人次, 80余人, 1960万元), a percentage (106.7%). None may break
# across lines. Word and WPS keep 年 月 日 by the 避头尾 lists (NO_LINE_START/END below), but
# LibreOffice (7.4, measured with pdftotext) ignores a .docx's lists and breaks East-Asian
# text with a break iterator that honours nothing but its built-in punctuation list: it
# printed "12 / 月20日", "2012 / 年", "320人 / 次" (17 breaks in 30 shifted test lines, 9 in
# the annual summary). What it does honour is U+2060 WORD JOINER, in text whose East-Asian
# language is not Chinese, Japanese or Korean (then it breaks by the Unicode rules, where a
# word joiner forbids a break): so each such unit is its own run, its East-Asian language
# en-US, with a word joiner wherever a Chinese character meets its neighbour (0 breaks).
# The joiner has no width; LibreOffice's PDF carries none of it (pdftotext reads 12月20日,
# and the gap LibreOffice otherwise puts between a digit and 月 goes too).
UNIT_WORDS = "万人次|人次|万元|亿元|万人|万户|元|人|名|个|项|期|次|场|户|家|份|篇|条|件|所|处|天|岁|届|批|支|位|台|座|亩|年度|年|月份|月|日|号|周|万|亿"
# A figure starts where its digits do ((?<!\d)(?<!\d[.,])): tried from every digit of
# "1111…" or "1,1,1…" with no unit, it rescanned the rest each time (quadratic). A figure
# found from inside is found from its start: no unit starts with a digit, "." or ",", and
# no match ends in digits.
FIGURE_WITH_UNIT = re.compile(
    r"(?<!\d)(?<!\d[.,])\d+(?:[.,]\d+)*(?:年(?:度|\d{1,2}月(?:\d{1,2}日)?)?|月\d{1,2}日|[%％‰]|(?:余|多)?(?:"
    + UNIT_WORDS
    + r"))"
)
WORD_JOINER = "\u2060"
_JOINS = re.compile(r"(?<=[^\x00-\x7f])(?=.)|(?<=.)(?=[^\x00-\x7f])")


def _text_runs(paragraph: Any, text: str, face: str, size_pt: float, latin: str) -> None:
    """``text`` as runs, every figure with its unit (FIGURE_WITH_UNIT) kept on one line."""
    start = 0
    for match in FIGURE_WITH_UNIT.finditer(text):
        if match.group(0).isascii():
            continue  # 106.7%: digits and % hold by the Latin language (LATIN_LANG)
        if match.start() > start:
            _run(paragraph, text[start : match.start()], face, size_pt, latin)
        _run(paragraph, _JOINS.sub(WORD_JOINER, match.group(0)), face, size_pt, latin, figure=True)
        start = match.end()
    if start < len(text):
        _run(paragraph, text[start:], face, size_pt, latin)


@record
class Layout:
    """How one paragraph sits: alignment, indents in characters, line, outline level."""

    jc: str = "both"
    first_line_chars: float = 0
    right_chars: float = 0
    keep_next: bool = False
    # Widow/orphan control for this paragraph alone (the Normal style turns it off: the
    # standard fills 22 lines a page): the body's last paragraph, tied to the signature,
    # then brings at least two of its lines over, never one.
    widow_control: bool = False
    outline_level: int | None = None
    # Off where the exact line height should rule: LibreOffice gives a line whose font is
    # taller than the grid pitch (the 2号 title) two grid lines.
    snap_to_grid: bool = True


# A paragraph's w:pPr by its Layout, made once (as _run_element does for runs): a new
# paragraph has none, so the made one is copied in.
_PPR: dict[Layout, Any] = {}


def _layout(p: Any, layout: Layout) -> None:
    """Lay out the new paragraph ``p`` (it has no w:pPr yet)."""
    made = _PPR.get(layout)
    if made is None:
        made = _PPR[layout] = _new("w:pPr")
        _set_layout(made, layout)
    p.insert(0, deepcopy(made))


def _set_layout(ppr: Any, layout: Layout) -> None:
    if layout.keep_next:
        _child(ppr, "keepNext", PPR_ORDER)
    if layout.widow_control:
        _child(ppr, "widowControl", PPR_ORDER, val=1)
    if not layout.snap_to_grid:
        _child(ppr, "snapToGrid", PPR_ORDER, val=0)
    # Indents in characters for Word and WPS (hundredths of a grid character), and the same
    # length in twips for readers that ignore the *Chars attributes.
    ind: dict[str, str | int] = {}
    if layout.first_line_chars:
        ind |= {
            "firstLineChars": round(layout.first_line_chars * 100),
            "firstLine": round(layout.first_line_chars * CHAR_PITCH),
        }
    if layout.right_chars:
        ind |= {
            "rightChars": round(layout.right_chars * 100),
            "right": round(layout.right_chars * CHAR_PITCH),
        }
    if ind:
        _child(ppr, "ind", PPR_ORDER, **ind)
    _child(ppr, "jc", PPR_ORDER, val=layout.jc)
    if layout.outline_level is not None:
        _child(ppr, "outlineLvl", PPR_ORDER, val=layout.outline_level)


def _width_in_chars(text: str) -> float:
    """Width in characters: CJK and full-width punctuation (“ ” — too) 1, digits and Latin ½."""
    return display_width(text, ambiguous_wide=True) / 2


def signature_indents(names: Sequence[str], date: str | None) -> tuple[list[float], float]:
    """Right indents (in characters) of the issuer's name(s) and the date, 7.3.5.2.

    Without a seal: the name one line below the body, two characters in from the right; the
    date on the next line with its first character two characters right of the name's
    first character; if the date is the longer, the date keeps two characters and the name
    moves in. Paragraphs are right-aligned, so "first character at column x" becomes a right
    indent of (distance of x from the right edge) - (width of the line); widths count digits
    as half a character (Times New Roman digits at 16 pt are 8 pt wide), which is why the
    placement is approximate by a fraction of a character at most.
    Several names (joint issue) share the first name's starting column.
    """
    widest = max((_width_in_chars(n) for n in names), default=0.0)
    if date is None:
        name_start, date_right = 2.0 + widest, 2.0
    else:
        date_width = _width_in_chars(date)
        name_start, date_start = signature_starts(widest, date_width, two=2.0)
        date_right = date_start - date_width
    return [name_start - _width_in_chars(n) for n in names], date_right


# ---------------------------------------------------------------------------------------
# Document-wide parts


STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()


def _styles(faces: Faces, lang: str) -> Any:
    """styles.xml: the defaults and Normal carry the body's face, size and line pitch."""
    styles = ooxml.styles()
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, faces.fangsong, faces.latin, BODY_PT, lang)
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _child(ppr_default, "spacing", PPR_ORDER, before=0, after=0, line=LINE_PITCH, lineRule="exact")

    # Normal carries the body's font, size and exact line pitch, so empty lines (the blank
    # after the title, before the signature) are body lines of the grid too.
    normal = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
    rpr = _child(normal, "rPr", STYLE_ORDER)
    _set_fonts(rpr, faces.fangsong, faces.latin, BODY_PT, lang)
    ppr = _child(normal, "pPr", STYLE_ORDER)
    # Widow control would end pages early; the standard fills 22 lines on every page.
    _child(ppr, "widowControl", PPR_ORDER, val=0)
    # Punctuation stays inside the type area: a line that would end on a comma pushes a
    # character down. (LibreOffice reads this flag inverted and hangs the comma instead.)
    _child(ppr, "overflowPunct", PPR_ORDER, val=0)
    # No automatic gaps between Chinese and digits/Latin ("2012年2月15日" stays tight, and
    # the signature arithmetic holds). LibreOffice ignores these two and adds the gaps.
    _child(ppr, "autoSpaceDE", PPR_ORDER, val=0)
    _child(ppr, "autoSpaceDN", PPR_ORDER, val=0)
    _child(ppr, "spacing", PPR_ORDER, before=0, after=0, line=LINE_PITCH, lineRule="exact")
    _child(ppr, "jc", PPR_ORDER, val="both")
    return styles


def _section(body: Any, *, landscape: bool = False) -> None:
    """The body's last child, w:sectPr: A4, the margins, the footers, the line grid."""
    sect = _new_in(body, "w:sectPr")
    for kind, rid in zip(("default", "even"), ooxml.FOOTER_IDS, strict=True):
        _new_in(sect, "w:footerReference", {qn("w:type"): kind, qn("r:id"): rid})
    if landscape:  # the same margins round the sideways page (a wide table, e.g. a 自评表)
        _child(sect, "pgSz", SECTPR_ORDER, w=PAGE_HEIGHT, h=PAGE_WIDTH, orient="landscape")
    else:
        _child(sect, "pgSz", SECTPR_ORDER, w=PAGE_WIDTH, h=PAGE_HEIGHT)
    _child(
        sect,
        "pgMar",
        SECTPR_ORDER,
        top=MARGIN_TOP,
        right=MARGIN_RIGHT,
        bottom=MARGIN_BOTTOM,
        left=MARGIN_LEFT,
        header=_mm(15),
        footer=FOOTER_DISTANCE,
        gutter=0,
    )
    _child(sect, "cols", SECTPR_ORDER, space=720)
    _child(sect, "docGrid", SECTPR_ORDER, type="lines", linePitch=LINE_PITCH)


SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
).split()


def _footer(faces: Faces, *, odd: bool) -> Any:
    """Page number "— N —" in 4号 宋体 (7.5): odd pages right, even left, one character in."""
    footer = ooxml.root("w:ftr")
    paragraph = _new_in(footer, "w:p")
    ppr = _new_in(paragraph, "w:pPr")
    _child(ppr, "pStyle", PPR_ORDER, val="Footer")
    _child(ppr, "snapToGrid", PPR_ORDER, val=0)
    _child(ppr, "spacing", PPR_ORDER, before=0, after=0, line=PAGE_NUMBER_LINE, lineRule="exact")
    one_char = PAGE_NUMBER_PT * 20
    if odd:
        _child(ppr, "ind", PPR_ORDER, left=0, right=one_char, firstLine=0)
    else:
        _child(ppr, "ind", PPR_ORDER, left=one_char, right=0, firstLine=0)
    _child(ppr, "jc", PPR_ORDER, val="right" if odd else "left")

    def run(text: str = "") -> Any:
        # 半角宋体 digits: the Song face serves the Latin slots too.
        return _run(paragraph, text, faces.song, PAGE_NUMBER_PT, faces.song)

    def field_char(kind: str) -> None:
        _new_in(run(), "w:fldChar", {qn("w:fldCharType"): kind})

    run("— ")
    field_char("begin")
    _new_in(run(), "w:instrText", {qn("xml:space"): "preserve"}).text = " PAGE "
    field_char("separate")
    run("1")  # shown until the reader updates the field, which Word, WPS and LibreOffice do
    field_char("end")
    run(" —")
    return footer


# 避头尾 (kinsoku): Word's own lists for Chinese, plus the parts of a date. A line may not
# start with 年 月 日 nor end with 年 月, so "6月26日" and "2012年7月5日" never break inside;
# a run of digits, a decimal or a percentage is kept whole by the Latin language (below).
NO_LINE_START = (
    "!%),.:;?]}¢°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～￠" + "年月日"
)
NO_LINE_END = "$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥" + "年月"
# Digits are script-neutral: LibreOffice breaks them with the language of the run's Latin
# slot, and a zh-CN break iterator splits "2013" as "20" / "13". The Latin slot is en-US
# (digits and Latin words stay whole in Word, WPS and LibreOffice); Chinese text keeps
# its East-Asian language.
LATIN_LANG = "en-US"

# Word 2010's layout (compatibilityMode 14) with East-Asian line layout: the mode the
# documents were laid out and measured in (GBT9704.md).
_COMPAT = (
    ("compatibilityMode", "14"),
    ("overrideTableStyleFontSizeAndJustification", "1"),
    ("enableOpenTypeFeatures", "1"),
    ("doNotFlipMirrorIndents", "1"),
)


def _settings(lang: str) -> Any:
    """settings.xml, its children in schema order."""
    settings = ooxml.root("w:settings")

    def setting(name: str, **attrs: str) -> Any:
        return _new_in(settings, f"w:{name}", {qn(f"w:{k}"): v for k, v in attrs.items()})

    setting("defaultTabStop", val="720")
    setting("evenAndOddHeaders")  # the page number sits right on odd pages, left on even
    setting("characterSpacingControl", val="doNotCompress")
    setting("noLineBreaksAfter", lang=lang, val=NO_LINE_END)
    setting("noLineBreaksBefore", lang=lang, val=NO_LINE_START)
    compat = setting("compat")
    _new_in(compat, "w:useFELayout")
    for name, value in _COMPAT:
        _new_in(
            compat,
            "w:compatSetting",
            {qn("w:name"): name, qn("w:uri"): "http://schemas.microsoft.com/office/word", qn("w:val"): value},
        )
    setting("themeFontLang", val=LATIN_LANG, eastAsia=lang)
    setting("decimalSymbol", val=".")
    setting("listSeparator", val=",")
    return settings


def _font_table(faces: Faces) -> Any:
    """fontTable.xml: the Latin face and every Chinese face, each with the face Word puts
    in its place where it is not installed (FONT_TABLE)."""
    fonts = ooxml.root("w:fonts")
    latin = _new_in(fonts, "w:font", {qn("w:name"): faces.latin})
    _new_in(latin, "w:charset", {qn("w:val"): "00"})
    _new_in(latin, "w:family", {qn("w:val"): "roman"})
    _new_in(latin, "w:pitch", {qn("w:val"): "variable"})
    for name in dict.fromkeys((faces.title, faces.fangsong, faces.kai, faces.hei, faces.song)):
        alt, family = FONT_TABLE[name]
        font = _new_in(fonts, "w:font", {qn("w:name"): name})
        _new_in(font, "w:altName", {qn("w:val"): alt})
        _new_in(font, "w:charset", {qn("w:val"): "86"})
        _new_in(font, "w:family", {qn("w:val"): family})
        _new_in(font, "w:pitch", {qn("w:val"): "variable"})
    return fonts


def _stamp(doc: RenderedDocument) -> dt.datetime:
    """The document's date (or now) as its created and modified time."""
    if doc.date is not None:
        return dt.datetime(doc.date.year, doc.date.month, doc.date.day)
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _core_properties(doc: RenderedDocument, stamp: dt.datetime) -> bytes:
    title = doc.title if len(doc.title) <= PROPERTY_CHARS else doc.title[: PROPERTY_CHARS - 1] + "…"
    return ooxml.core_properties(title=title, language=doc.lang, stamp=stamp)


# ---------------------------------------------------------------------------------------
# Blocks


def _blank(body: Any, *, keep_next: bool = False) -> None:
    paragraph = _new_in(body, "w:p")
    if keep_next:
        _layout(paragraph, Layout(jc="left", keep_next=True))


def _tied_to_signature(blocks: Sequence[Block]) -> set[int]:
    """The blocks kept on the page of what follows them, so that the signature and date
    never stand alone on the last page (7.3.5.5): every signature line, and the last body
    block before the signature (its last lines go over with it: keep-with-next only stops a
    break *between* paragraphs, which Word, WPS and LibreOffice all honour)."""
    tied: set[int] = set()
    for i, block in enumerate(blocks):
        if block.kind == "signature" and i + 1 < len(blocks) and blocks[i + 1].kind in ("signature", "date"):
            tied.add(i)
        if block.kind in ("signature", "date") and i and blocks[i - 1].kind not in ("signature", "date"):
            body = i - 1
            while body >= 0 and blocks[body].kind == "chart":
                body -= 1
            if body >= 0 and blocks[body].kind in ("paragraph", "heading", "addressee"):
                tied.add(body)
    return tied


def _table(body: Any, rows: Sequence[Sequence[str]], faces: Faces, text_width: int = TEXT_WIDTH) -> None:
    sideways = text_width > TEXT_WIDTH
    size, line = (WIDE_TABLE_PT, WIDE_TABLE_LINE) if sideways else (TABLE_PT, TABLE_LINE)
    columns = max((len(r) for r in rows), default=0)
    if not columns:
        return
    table = _new_in(body, "w:tbl")
    # Long text columns (target names) read left-aligned; short ones (figures, 已完成) are
    # centred: justified CJK in a narrow cell spreads 已完成 into 已　完　成.
    widths, wide = _column_widths(rows, columns, text_width, size)
    tbl_pr = _new_in(table, "w:tblPr")
    _child(tbl_pr, "tblW", TBLPR_ORDER, w=text_width, type="dxa")
    _child(tbl_pr, "jc", TBLPR_ORDER, val="center")
    borders = _child(tbl_pr, "tblBorders", TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _child(
            borders,
            edge,
            ("top", "left", "bottom", "right", "insideH", "insideV"),
            val="single",
            sz=4,
            space=0,
            color="000000",
        )
    _child(tbl_pr, "tblLayout", TBLPR_ORDER, type="fixed")
    # Word's own look for a new table (first row and column emphasised, rows banded).
    _child(tbl_pr, "tblLook", TBLPR_ORDER, firstColumn=1, firstRow=1, lastColumn=0, lastRow=0, noHBand=0, noVBand=1, val="04A0")
    grid = _new_in(table, "w:tblGrid")
    for width in widths:  # WPS takes the columns' widths from here
        _new_in(grid, "w:gridCol", {qn("w:w"): str(width)})

    for r, row in enumerate(rows):
        tr = _new_in(table, "w:tr")
        tr_pr = _new_in(tr, "w:trPr")
        _new_in(tr_pr, "w:cantSplit")  # a row never breaks across pages
        if r == 0:  # the header row repeats on every page the table spans
            _new_in(tr_pr, "w:tblHeader")
        for c in range(columns):
            text = row[c] if c < len(row) else ""
            tc = _new_in(tr, "w:tc")
            tc.append(_cell_properties(widths[c]))
            paragraph = _new_in(tc, "w:p")  # a cell holds at least one paragraph
            numeric = NUMBER.fullmatch(text) is not None
            jc = "left" if wide[c] and r and not numeric else "center"
            paragraph.append(_cell_paragraph_properties(line, jc))
            if text:
                _text_runs(paragraph, text, faces.fangsong, size, faces.latin)


# A cell's w:tcPr and its paragraph's w:pPr, made once per kind and copied (as _run_element):
# a results table has a hundred cells, five properties each.
_TCPR: dict[int, Any] = {}
_CELL_PPR: dict[tuple[int, str], Any] = {}


def _cell_properties(width: int) -> Any:
    made = _TCPR.get(width)
    if made is None:
        made = _TCPR[width] = _new("w:tcPr")
        _child(made, "tcW", TCPR_ORDER, w=width, type="dxa")
        _child(made, "vAlign", TCPR_ORDER, val="center")
    return deepcopy(made)


def _cell_paragraph_properties(line: int, jc: str) -> Any:
    made = _CELL_PPR.get((line, jc))
    if made is None:
        made = _new("w:pPr")
        _child(made, "snapToGrid", PPR_ORDER, val=0)
        _child(made, "spacing", PPR_ORDER, before=0, after=0, line=line, lineRule="exact")
        _child(made, "jc", PPR_ORDER, val=jc)
        _CELL_PPR[(line, jc)] = made
    return deepcopy(made)


_UNBREAKABLE = re.compile(r"[-+]?[\d,.]+(?:%|％|[^\W\d_]{0,2})?|[A-Za-z]+|[^\s\d]", re.U)


def _cell_width(text: str) -> float:
    """A cell's width in characters on one line, with its padding: the cell margins take
    about ¾ of a character, readers add a little space where CJK meets digits ("6月30日前"),
    and "%" in Times New Roman is nearly full width."""
    seams = len(re.findall(r"(?<=\d)(?=[^\d.,%])|(?<=[^\d.,\s])(?=\d)", text))
    return _width_in_chars(text) + 0.5 * text.count("%") + 0.3 * seams + 1.4


def _min_width(text: str, wide: bool) -> float:
    """The narrowest a cell may be: its widest unit that must not wrap — a figure with its
    unit (2000万元), a status word (超额完成) — or, in a text column, four characters."""
    if wide:
        return 4.0 + 1.0
    if not re.search(r"\d", text):
        return _cell_width(text)  # 已完成, 推迟完成: whole
    units = [m.group(0) for m in _UNBREAKABLE.finditer(text)]
    return max((_cell_width(u) for u in units), default=1.0)


def _column_widths(
    rows: Sequence[Sequence[str]], columns: int, text_width: int = TEXT_WIDTH, size: float = TABLE_PT
) -> tuple[list[int], list[bool]]:
    """Column widths in twips, and which columns hold running text, laid out the way a
    browser lays out an automatic table: every column gets at least its narrowest unit that
    must not wrap; the rest of the 156 mm goes to each column in proportion to how much
    wider its longest cell would like to be. Figures and status words never wrap; the
    names, which want the most, take most of what is left."""
    char = size * 20
    total = text_width / char
    natural = [max((_cell_width(r[c]) for r in rows if c < len(r)), default=1.0) for c in range(columns)]
    wide_columns = [c for c in range(columns) if natural[c] > WIDE_COLUMN] or [
        max(range(columns), key=lambda c: natural[c])
    ]
    wide = [c in wide_columns for c in range(columns)]
    least = [
        max((_min_width(r[c], wide[c]) for r in rows if c < len(r)), default=1.0) for c in range(columns)
    ]
    least = [min(lo, hi) for lo, hi in zip(least, natural, strict=True)]
    # Short columns on one line if the text columns still get a third of the width:
    # "6月30日前" reads better whole than as "6月30日" / "前".
    whole = [natural[c] if not wide[c] else least[c] for c in range(columns)]
    if total - sum(w for c, w in enumerate(whole) if not wide[c]) >= total / 3:
        least = whole
    if sum(natural) <= total:
        # everything fits on one line: the text columns take the slack
        slack = total - sum(natural)
        share = sum(natural[c] for c in wide_columns)
        widths = [natural[c] + (slack * natural[c] / share if wide[c] else 0) for c in range(columns)]
    elif sum(least) >= total:
        widths = least  # too many columns: everything at its narrowest, scaled below
    else:
        room = total - sum(least)
        wants = sum(hi - lo for lo, hi in zip(least, natural, strict=True))
        widths = [lo + room * (hi - lo) / wants for lo, hi in zip(least, natural, strict=True)]
    scale = total / sum(widths)
    out = [int(w * scale * char) for w in widths]
    out[-1] += text_width - sum(out)
    return out, wide


def _signature_indents(blocks: Sequence[Block]) -> dict[int, float]:
    """Right indent, in characters, of every signature and date block, by block index."""
    indents: dict[int, float] = {}
    i = 0
    while i < len(blocks):
        if blocks[i].kind not in ("signature", "date"):
            i += 1
            continue
        names: list[int] = []
        while i < len(blocks) and blocks[i].kind == "signature":
            names.append(i)
            i += 1
        date = i if i < len(blocks) and blocks[i].kind == "date" else None
        # A date with no issuer above it has no rule without a seal; it gets the name's place.
        name_rights, date_right = signature_indents(
            [blocks[n].text for n in names], blocks[date].text if date is not None else None
        )
        indents.update(zip(names, name_rights, strict=True))
        if date is not None:
            indents[date] = date_right
            i += 1
    return indents


def _render_blocks(body: Any, blocks: Sequence[Block], faces: Faces, text_width: int = TEXT_WIDTH) -> None:
    right_indents = _signature_indents(blocks)
    tied = _tied_to_signature(blocks)
    previous = ""
    for i, block in enumerate(blocks):
        kind = block.kind
        if previous in ("title", "subtitle") and kind not in ("title", "subtitle"):
            _blank(body)  # 7.3.1/7.3.2: the 主送机关 or the body one blank line below
        if kind in ("signature", "date") and previous not in ("signature", "date", ""):
            _blank(body, keep_next=True)  # 7.3.5.2: 正文下空一行
        if kind == "chart":
            # A chart is a picture of numbers the text and tables already state; an official
            # document has no element for it, and a note pointing elsewhere would be read
            # as part of the document. Nothing is written.
            continue
        if kind == "table":
            _table(body, block.rows, faces, text_width)
            previous = kind
            continue
        p = _new_in(body, "w:p")
        if kind == "title":
            _layout(p, Layout(jc="center", snap_to_grid=False))
            # 7.3.1: a long title breaks at its joints, in a trapezoid or diamond
            for n, line in enumerate(title_lines(block.text, width=TITLE_CHARS, measure=_width_in_chars)):
                r = _run(p, line, faces.title, TITLE_PT, faces.latin)
                if n:
                    r.insert(r.index(r.find(qn("w:t"))), _new("w:br"))
        elif kind == "subtitle":
            # Not in the standard; 楷体 is the usual face for a note under the title.
            _layout(p, Layout(jc="center"))
            _text_runs(p, block.text, faces.kai, BODY_PT, faces.latin)
        elif kind == "addressee":
            _layout(p, Layout(keep_next=i in tied))  # 居左顶格 (7.3.2)
            _text_runs(p, block.text, faces.fangsong, BODY_PT, faces.latin)
        elif kind == "heading":
            level = min(max(block.level, 1), 4)
            _layout(p, Layout(first_line_chars=2, keep_next=True, outline_level=level - 1))
            _text_runs(p, block.text, _heading_face(faces, level), BODY_PT, faces.latin)
        elif kind == "paragraph":
            _layout(p, Layout(first_line_chars=2, keep_next=i in tied, widow_control=i in tied))
            if block.lead:
                face = _heading_face(faces, _lead_level(block))
                _text_runs(p, block.lead, face, BODY_PT, faces.latin)
            if block.text:
                _text_runs(p, block.text, faces.fangsong, BODY_PT, faces.latin)
        elif kind in ("signature", "date"):
            _layout(p, Layout(jc="right", right_chars=right_indents[i], keep_next=i in tied))
            _text_runs(p, block.text, faces.fangsong, BODY_PT, faces.latin)
        else:
            raise ValueError(f"unknown block kind: {kind!r}")
        previous = kind


# What XML 1.0 cannot hold (lxml refuses it): C0 controls but tab, newline and CR, lone
# surrogates, U+FFFE and U+FFFF. validate accepts a note written "\x1f" in YAML or given as
# `log --note $'\x1f'`; the Word file shows such a character as the other writers' terminals
# do (U+241F ␟ from the Control Pictures block), never fails on it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A document title is at most 255 characters in Word's properties (python-docx, which the
# tests read the file with, refuses a longer one).
PROPERTY_CHARS = 255


def _xml_safe(text: str) -> str:
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < " " else "\ufffd", text)


def _xml_safe_document(doc: RenderedDocument) -> RenderedDocument:
    blocks = tuple(
        replace(
            b,
            text=_xml_safe(b.text),
            lead=_xml_safe(b.lead),
            rows=tuple(tuple(_xml_safe(cell) for cell in row) for row in b.rows),
        )
        for b in doc.blocks
    )
    return replace(doc, title=_xml_safe(doc.title), blocks=blocks)


def to_docx(doc: RenderedDocument) -> bytes:
    """The document as .docx bytes, laid out per GB/T 9704-2012 (SPEC §8)."""
    doc = _xml_safe_document(doc)
    lang = "zh-TW" if doc.lang == "zh-TW" else "zh-CN"
    faces = FACES[lang]
    document = ooxml.root("w:document")
    body = _new_in(document, "w:body")
    _render_blocks(body, doc.blocks, faces, LANDSCAPE_TEXT_WIDTH if doc.landscape else TEXT_WIDTH)
    _section(body, landscape=doc.landscape)
    stamp = _stamp(doc)
    return ooxml.package(
        document=document,
        styles=_styles(faces, lang),
        settings=_settings(lang),
        fonts=_font_table(faces),
        footers=(_footer(faces, odd=True), _footer(faces, odd=False)),
        core=_core_properties(doc, stamp),
        stamp=stamp,
    )
