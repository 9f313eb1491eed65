"""fedplan/importer/clean.py: each kind of debris, one function each."""

from __future__ import annotations

import pytest

from fedplan.importer.clean import (
    MISSING,
    Line,
    clean,
    detect_script,
    find_mojibake,
    join_broken_lines,
    mark_mojibake,
    normalize_punctuation,
    remove_footers,
    remove_watermarks,
    split_lines,
    strip_pinyin,
    to_script,
)


def texts(lines: list[Line]) -> list[tuple[int, str]]:
    return [(line.number, line.text) for line in lines]


# --- pinyin -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("關(guān)於", "關於"),
        ("進(jìn)一步", "進一步"),
        ("加強(qiáng)我區(qū)婦聯(lián)工作", "加強我區婦聯工作"),
        ("我們(men)的", "我們的"),  # neutral tone, no tone mark
        ("(1)建鄴區", "(1)建鄴區"),
        ("社區(qū)(居委會(huì))婦聯", "社區(居委會)婦聯"),
        ("全體(擴(kuò)大)會議", "全體(擴大)會議"),
        ("手册(app)下载", "手册(app)下载"),  # English, not pinyin: no tone, not a neutral syllable
        ("(a)", "(a)"),
    ],
)
def test_strip_pinyin_keeps_real_parentheses(raw: str, cleaned: str) -> None:
    assert strip_pinyin(raw)[0] == cleaned


def test_strip_pinyin_counts_what_it_removed() -> None:
    assert strip_pinyin("關(guān)於進(jìn)一步") == ("關於進一步", 2)


# --- watermarks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["(來源於新世紀範本網)", "(来源于新世纪范本网)", "（来源于某某范文网）", "本文来自 www.example.com"],
)
def test_remove_watermarks(raw: str) -> None:
    text, count = remove_watermarks(f"前文{raw}后文")
    assert count == 1
    assert "来源" not in text and "來源" not in text and "www" not in text


def test_watermark_line_with_only_punctuation_left_is_dropped() -> None:
    cleaned = clean("二、加大力度\n (來(lái)源于新世紀(jì)范本網(wǎng));\n各級婦聯要利用優勢。\n")
    assert [line.text for line in cleaned.lines] == ["二、加大力度", "各级妇联要利用优势。"]
    assert cleaned.removed["watermark"] == 1


def test_a_real_source_note_is_not_a_watermark() -> None:
    assert remove_watermarks("数据(来自统计局年报)显示")[1] == 0


# --- page footers -----------------------------------------------------------------------


def test_footer_lines_are_removed_and_the_split_sentence_joined() -> None:
    lines = split_lines("同時，積極宣傳主題活\n—2—\n動，引導廣大婦女。\n下一段。\n— 3 —\n新段落。\n-4-\n")
    out, count = remove_footers(lines)
    assert count == 3
    assert texts(out) == [(1, "同時，積極宣傳主題活動，引導廣大婦女。"), (4, "下一段。"), (6, "新段落。")]


def test_footer_glued_to_the_end_of_a_line() -> None:
    lines = split_lines("進一步創新思路，廣 —1—\n泛開展群眾性文化活動。\n利用“三八”維權周、“12·4”、—4—\n“6.26”等宣傳日。\n")
    out, count = remove_footers(lines)
    assert count == 2
    assert texts(out) == [
        (1, "進一步創新思路，廣泛開展群眾性文化活動。"),
        (3, "利用“三八”維權周、“12·4”、“6.26”等宣傳日。"),
    ]


def test_ranges_and_dashes_are_not_footers() -> None:
    lines = split_lines("出台《2011—2020年規劃》\n培训—1—2—3期\n")
    out, count = remove_footers(lines)
    assert count == 0
    assert [line.text for line in out] == ["出台《2011—2020年規劃》", "培训—1—2—3期"]


# --- broken lines -----------------------------------------------------------------------


def test_join_broken_lines() -> None:
    lines = split_lines(
        "五、注重参与\n"
        "要建立健全两支队伍，努力提供援助。要高度重视\n"
        "和加强调查研究。\n"
        "(1)\n"
        "建邺区妇女儿童工作委员会。\n"
        "一、对区政府领导班子成员\n"
        "这个层面来讲\n"
        "（一）要做好表率。\n"
    )
    assert texts(join_broken_lines(lines)) == [
        (1, "五、注重参与"),
        (2, "要建立健全两支队伍，努力提供援助。要高度重视和加强调查研究。"),
        (4, "(1)建邺区妇女儿童工作委员会。"),
        (6, "一、对区政府领导班子成员这个层面来讲"),
        (8, "（一）要做好表率。"),
    ]


def test_a_heading_is_not_joined_with_its_paragraph() -> None:
    lines = split_lines("1.创先争优，引领妇女弘扬时代精神\n坚持用最新理论成果武装教育妇女。\n")
    assert len(join_broken_lines(lines)) == 2


# --- punctuation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        # the half→full-width rule itself is tests/unit/test_punctuation.py's; here, what the
        # importer adds around it
        ("２０１２年，完成１００％", "2012年，完成100%"),
        ("２０１２年,完成１００％,", "2012年，完成100%，"),
        ("蘇發[2000]23號", "蘇發〔2000〕23號"),
        ("市政府“1\u00a06”文件", "市政府“1 6”文件"),
        ("\u3000\u3000首行缩进", "首行缩进"),
    ],
)
def test_normalize_punctuation(raw: str, normal: str) -> None:
    assert normalize_punctuation(raw) == normal


# --- script -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("考核", "考核"),
        ("關於", "关于"),
        ("婦聯", "妇联"),
        ("幹部", "干部"),
        ("發展", "发展"),
        ("著力推進", "着力推进"),  # t2s would keep 著 here; tw2s reads it as the particle
        ("影響著人們", "影响着人们"),
        ("顯著", "显著"),
        ("甌海", "瓯海"),
        ("擔保", "担保"),
    ],
)
def test_to_script_hans(traditional: str, simplified: str) -> None:
    assert to_script(traditional, "hans") == simplified


def test_simplified_text_is_left_alone() -> None:
    text = "关于进一步加强妇联干部考核的意见，着力发展，成绩显著"
    assert detect_script(text) == "hans"
    assert to_script(text, "hans", source="hans") == text
    # Why detection matters: tw2s reads the 著 of Simplified 显著 as the particle.
    assert to_script("成绩显著", "hans", source="hant") == "成绩显着"


def test_to_script_hant() -> None:
    assert to_script("关于加强妇联干部考核", "hant", source="hans") == "關於加強婦聯幹部考核"
    assert to_script("關於加強婦聯幹部考核", "hant", source="hant") == "關於加強婦聯幹部考核"


def test_detect_script() -> None:
    assert detect_script("關(guān)於進(jìn)一步加強(qiáng)我區(qū)婦聯(lián)工作的建議") == "hant"
    assert detect_script("关于进一步加强我区妇联工作的建议") == "hans"
    assert detect_script("2012") == "hans"


# --- mojibake ---------------------------------------------------------------------------


def spots(text: str) -> list[tuple[int, int, str, str | None]]:
    return [(s.line, s.col, s.debris, s.repair) for s in find_mojibake(split_lines(text))]


def test_mojibake_in_the_seed_forms() -> None:
    text = (
        "全面提高基層?jì)D女組織的活力\n"
        "2.?huà)D聯(lián)協助政府\n"
        "所擔(dān)負(fù)的重要?dú)v史使命\n"
        "分析擔(dān)?;疬\\(yùn)行狀況\n"
    )
    assert spots(text) == [
        (1, 7, "?jì)D", "婦"),
        (2, 3, "?huà)D", "婦"),
        (3, 16, "?dú)v", "歷"),
        (4, 9, "?;疬\\(yùn)", None),
    ]


def test_mojibake_replacement_character_and_question_mark_between_han() -> None:
    assert spots("妇女\ufffd联合会\n组织?活动\n") == [(1, 3, "\ufffd", None), (2, 3, "?", None)]


def test_stray_pinyin_is_mojibake() -> None:
    assert spots("推动jì)妇女工作") == [(1, 3, "jì)", None)]


def test_a_real_question_mark_is_not_mojibake() -> None:
    assert spots("怎么办?\nWhat? OK\n比例为50%?\n") == []


def test_repair_needs_a_single_word_that_fits() -> None:
    # "D" is the trail byte of 婦 (GBK 8B 44), but nothing here says which word it is.
    assert spots("基層?jì)D組") == [(1, 3, "?jì)D", None)]


def test_mark_mojibake_repairs_or_marks() -> None:
    lines = split_lines("基層?jì)D女組織\n擔(dān)?;疬\\(yùn)行\n")
    marked = mark_mojibake(lines, find_mojibake(lines))
    assert [line.text for line in marked] == ["基層婦女組織", f"擔(dān){MISSING}行"]


def test_clean_reports_every_spot_with_its_source_line() -> None:
    cleaned = clean("第一行正常。\n—1—\n基層?jì)D女組織\n")
    assert [(s.line, s.col) for s in cleaned.mojibake] == [(3, 3)]
    assert [(line.number, line.text) for line in cleaned.lines] == [(1, "第一行正常。"), (3, "基层妇女组织")]


@pytest.mark.parametrize(
    "garbled",
    [
        "妇女联合会".encode().decode("cp1252", errors="replace"),  # UTF-8 read as Windows-1252
        "妇女联合会".encode("gbk").decode("latin-1"),  # GBK read as Latin-1
    ],
)
def test_chinese_bytes_read_as_latin_are_one_mojibake_spot(garbled: str) -> None:
    assert spots(f"关于{garbled}的通知") == [(1, 3, garbled, None)]


def test_latin_words_and_symbols_are_not_mojibake() -> None:
    assert spots("Café 咖啡，30°C，3×4，“12·4”、“6.26”\n") == []
