"""Untrusted text is read in linear time: each pattern or loop that was quadratic on crafted
input gives the same results as before on ordinary text (compared with the old pattern on
many short random strings) and the right result on the crafted input.

No timing assertions: the crafted input (200,000 characters) is run in a child process
with a generous time limit, which it only reaches when the code is quadratic again (it
then takes minutes; linear, well under a second).
"""

from __future__ import annotations

import importlib
import random
import re
import subprocess
import sys
import textwrap

import pytest

from fedplan import headings, intake, logbook
from fedplan.importer.clean import Line, find_mojibake, mark_mojibake
from fedplan.schema import fields

clean = importlib.import_module("fedplan.importer.clean")

N = 200_000
LIMIT = 60  # seconds: linear code takes a fraction of one


def runs_in_bounded_time(code: str) -> None:
    """Run ``code`` in a fresh interpreter; fail if it does not finish within LIMIT."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=LIMIT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {LIMIT} s on a {N:,}-character input: quadratic again?")
    assert done.returncode == 0, done.stderr


def random_texts(alphabet: str, count: int = 3000, longest: int = 12, seed: int = 9704) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]



def random_lines(pieces: list[str], count: int, most_pieces: int, lines: tuple[int, int], seed: int) -> list[list[Line]]:
    """``count`` lists of Lines numbered from 1 (``randint(*lines) - 1`` of them), each line
    up to ``most_pieces`` random pieces."""
    rng = random.Random(seed)
    return [[Line(n, "".join(rng.choice(pieces) for _ in range(rng.randint(0, most_pieces))))
             for n in range(1, rng.randint(*lines))] for _ in range(count)]

# --- intake: bracketed notes in header cells ---------------------------------------------------

_OLD_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def test_bracket_stripping_is_the_old_pattern() -> None:
    for text in random_texts("（(【[）)】]a数 "):
        assert intake._strip_bracketed(text) == _OLD_BRACKETED.sub("", text), text


@pytest.mark.parametrize(
    ("cell", "word"),
    [("数值（人次）", "数值"), ("备注(说明)【x】", "备注"), ("((名称", "((名称"), ("名称)(", "名称)(")],
)
def test_header_words(cell: str, word: str) -> None:
    assert intake._header_word(cell) == word


def test_a_cell_of_opening_brackets() -> None:
    assert intake._header_word("(" * 1000) == "(" * 1000
    runs_in_bounded_time(f"""
        from fedplan.intake import _header_word
        assert _header_word("(" * {N}) == "(" * {N}
        assert _header_word("(" * {N} + ")") == ""
    """)


# --- numbers with a unit: intake cells, logbook values, schema fields ---------------------------

_NUMBER = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)"
_OLD_NUMBER_WITH_UNIT = re.compile(rf"({_NUMBER})\s*(\S.*)")
_OLD_UNIT_IN_NUMBER = re.compile(r"^\s*[-+]?[\d.,，]+\s*(\S+)\s*$")


@pytest.mark.parametrize("pattern", [intake._NUMBER_WITH_UNIT, logbook._NUMBER_WITH_SUFFIX])
def test_number_with_unit_is_the_old_pattern(pattern: re.Pattern[str]) -> None:
    number = re.compile(_NUMBER)
    for text in random_texts("12.+- \n人x", longest=8):
        text = text.strip()
        if number.fullmatch(text):
            continue  # the callers take a plain number first
        old, new = _OLD_NUMBER_WITH_UNIT.fullmatch(text), pattern.fullmatch(text)
        assert (old and old.groups()) == (new and new.groups()), repr(text)


def test_unit_in_number_is_the_old_pattern_where_it_counts() -> None:
    # The caller only uses a unit that is not all digits (and the text holds a digit).
    figure = re.compile(r"[\d.,，]+")
    for text in random_texts("1,.，人 a", longest=8):
        old, new = _OLD_UNIT_IN_NUMBER.match(text), fields._UNIT_IN_NUMBER.match(text)
        old_unit = old.group(1) if old and not figure.fullmatch(old.group(1)) else None
        new_unit = new.group(1) if new and not figure.fullmatch(new.group(1)) else None
        assert old_unit == new_unit, repr(text)


def test_long_numbers_with_a_unit() -> None:
    runs_in_bounded_time(f"""
        from fedplan import intake, logbook
        from fedplan.schema import fields
        text = "1" * {N} + "\\n人次\\n说明"
        assert intake._NUMBER_WITH_UNIT.fullmatch(text) is None
        assert logbook._NUMBER_WITH_SUFFIX.fullmatch(text) is None
        assert intake._read_number(text, "人次") == "“" + text + "”不是数字"
        assert fields._UNIT_IN_NUMBER.match("1" * {N} + " 人 次") is None
        assert fields._UNIT_IN_NUMBER.match("1" * {N} + " 人次").group(1) == "人次"
    """)


# --- importer/clean.py: mojibake -------------------------------------------------------------

_LATIN = "\u0080-\u00ff€‚ƒ„†‡ˆ‰Š‹ŒŽ‘’“”•˜™š›œžŸ\ufffd"
_OLD_LATIN_GARBLE = re.compile(f"(?=[{_LATIN}]*[\u00c0-\u00ff])[{_LATIN}]{{3,}}")
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_OLD_STRAY_PINYIN = re.compile(rf"(?<![A-Za-z])[a-zü{_TONES}]*[{_TONES}][a-zü{_TONES}]*\)?")


def test_latin_garble_is_the_old_pattern() -> None:
    for text in random_texts("\x80\xc0\xe9€”\ufffda·×婦 ", longest=14):
        old = [(m.span(), m.group()) for m in _OLD_LATIN_GARBLE.finditer(text)]
        assert [(m.span(), m.group()) for m in clean._latin_garble(text)] == old, repr(text)


def test_stray_pinyin_is_the_old_pattern() -> None:
    for text in random_texts("aAzZüāé) 婦", longest=14):
        old = [(m.start(), m.group()) for m in _OLD_STRAY_PINYIN.finditer(text)]
        assert clean._stray_pinyin(text) == old, repr(text)


def _old_find_mojibake(lines: list[Line]) -> list[clean.Mojibake]:
    """find_mojibake as it was, with its quadratic parts."""
    spots: list[clean.Mojibake] = []
    for line in lines:
        text = line.text
        taken: list[tuple[int, int]] = []
        for match in _OLD_LATIN_GARBLE.finditer(text):
            taken.append(match.span())
            spots.append(clean.Mojibake(line.number, match.start() + 1, match.group(), None))
        for match in re.finditer("[?\ufffd]", text):
            start = match.start()
            if any(a <= start < b for a, b in taken):
                continue
            head = text[:start]
            found = clean._PINYIN_AT_END.search(head)
            if found:
                head = head[: found.start()]
            before = head[-1] if head else ""
            after = text[start + 1 : start + 2]
            if match.group() == "?" and before in clean._QUESTION_PARTICLES and not clean._PINYIN_TAIL.match(
                text, start + 1
            ):
                continue
            debris_follows = bool(clean._PINYIN_TAIL.match(text, start + 1))
            if not (
                match.group() == "\ufffd"
                or debris_follows
                or (clean._is_han(before) and (clean._is_han(after) or bool(re.match(r"[!-'*-~]", after))))
            ):
                continue
            end = clean._debris_end(text, start)
            debris = text[start:end]
            taken.append((start, end))
            spots.append(clean.Mojibake(line.number, start + 1, debris, clean._guess_repair(debris, text[end : end + 1])))
        masked = clean._ANNOTATION.sub(lambda m: " " * len(m.group(0)), text)
        for a, b in taken:
            masked = masked[:a] + " " * (b - a) + masked[b:]
        for match in _OLD_STRAY_PINYIN.finditer(masked):
            spots.append(clean.Mojibake(line.number, match.start() + 1, match.group(), None))
    spots = sorted(spots, key=lambda s: (s.line, s.col))
    texts = {line.number: line.text for line in lines}
    merged: list[clean.Mojibake] = []
    for spot in spots:
        prev = merged[-1] if merged else None
        if prev is not None and prev.line == spot.line and prev.repair is None and spot.repair is None:
            gap = texts.get(spot.line, "")[prev.col - 1 + len(prev.debris) : spot.col - 1]
            if len(gap) <= clean._RUN_GAP and not re.search(r"[，。；：、！？,.;:!\s“”]", gap):
                end = spot.col - 1 + len(spot.debris)
                merged[-1] = clean.Mojibake(prev.line, prev.col, texts[spot.line][prev.col - 1 : end], prev.repair)
                continue
        merged.append(spot)
    return merged


def _old_mark_mojibake(lines: list[Line], spots: list[clean.Mojibake]) -> list[Line]:
    out = []
    for line in lines:
        text = line.text
        for spot in sorted((s for s in spots if s.line == line.number), key=lambda s: -s.col):
            start = spot.col - 1
            text = text[:start] + (spot.repair or clean.MISSING) + text[start + len(spot.debris) :]
        out.append(Line(line.number, text))
    return out


def test_find_and_mark_mojibake_are_the_old_code() -> None:
    # Debris of every kind side by side: "?" with trail bytes and pinyin, U+FFFD, Latin-1
    # runs, tone marks; overlapping spots and runs merged.
    alphabet = ["婦", "女", "?", "?D", "\ufffd", "á", "à)", "ü", "\xc0", "\x80", "D", "(", ")", "(guān)", "呢", "，", " ", "a", "A"]
    rng = random.Random(2012)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        lines = [Line(1, text), Line(2, text[::-1])]
        spots = find_mojibake(lines)
        assert spots == _old_find_mojibake(lines), repr(text)
        assert mark_mojibake(lines, spots) == _old_mark_mojibake(lines, spots), repr(text)


def test_replacing_overlapping_spots_is_the_old_code() -> None:
    rng = random.Random(1949)
    for _ in range(3000):
        text = "".join(rng.choice("abcdef") for _ in range(rng.randint(1, 12)))
        spots = []
        for _ in range(rng.randint(1, 4)):
            col = rng.randint(1, len(text))
            spots.append(clean.Mojibake(1, col, text[col - 1 : col - 1 + rng.randint(1, 4)], rng.choice([None, "X"])))
        lines = [Line(1, text)]
        assert mark_mojibake(lines, spots) == _old_mark_mojibake(lines, spots), (text, spots)


def test_long_lines_of_mojibake() -> None:
    runs_in_bounded_time(f"""
        from fedplan.importer.clean import Line, find_mojibake, mark_mojibake, MISSING
        def spots(text):
            return [(s.col, s.debris) for s in find_mojibake([Line(1, text)])]
        assert spots("\\x80" * {N}) == []
        assert spots("\\ufffd" * {N}) == [(1, "\\ufffd" * {N})]  # one run, merged
        assert spots("\\x80" * {N} + "é") == [(1, "\\x80" * {N} + "é")]
        assert spots("üa" * {N // 2}) == []
        assert spots("Aü" + "a" * {N} + "á") == [(3, "a" * {N} + "á")]
        assert spots("婦?" * {N // 2}) == [(2, ("?婦" * ({N // 2} - 1))[:-1])]  # the last "?" ends the line
        line = "婦?D，" * {N // 4}
        found = find_mojibake([Line(1, line)])
        assert len(found) == {N // 4}
        assert mark_mojibake([Line(1, line)], found)[0].text == ("婦" + MISSING + "，") * {N // 4}
    """)


# --- importer/clean.py: footers, furniture, sentence ends ------------------------------------------

_OLD_FOOTER_END = clean._FOOTER_END


def test_footer_end_is_the_old_pattern() -> None:
    for text in random_texts("—-－ 1 2a。\u3000", longest=12):
        assert clean._remove_footer_end(text) == _OLD_FOOTER_END.subn("", text), repr(text)


_OLD_FURNITURE_INLINE = re.compile(
    r"(?:\s*[(（]\d{1,3}[)）])?\s*\.(?:docx?|pdf|wps|txt)(?:VIP)?(?=\s|$)"
    r"|^-?精品\S{0,6}推荐-?\s*"
    r"|本文具有广泛通用性[^。]{0,30}。\s*|本文具有廣泛通用性[^。]{0,30}。\s*"
)


def test_inline_furniture_is_the_old_pattern() -> None:
    pieces = [" ", "  ", ".doc", ".docx", "VIP", "(1)", "（2）", "a", "。", "本文具有广泛通用性", "精品", "推荐", "-"]
    rng = random.Random(2000)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert clean._FURNITURE_INLINE.subn("", text) == _OLD_FURNITURE_INLINE.subn("", text), repr(text)


def test_ends_sentence_is_the_old_loop() -> None:
    def old(text: str) -> bool:
        text = text.rstrip()
        while text and text[-1] in clean._CLOSERS:
            text = text[:-1]
        return bool(text) and text[-1] in clean._TERMINAL

    for text in random_texts("。”）) a！", longest=6):
        assert clean.ends_sentence(text) == old(text), repr(text)


def test_long_lines_of_spaces_and_closers() -> None:
    runs_in_bounded_time(f"""
        from fedplan.importer.clean import Line, remove_footers, remove_furniture, ends_sentence
        spaces = " " * {N} + "x"
        assert remove_footers([Line(1, spaces)]) == ([Line(1, spaces)], 0)
        assert remove_footers([Line(1, "正文" + spaces + "—1—")]) == ([Line(1, "正文" + spaces)], 1)
        assert remove_furniture([Line(1, spaces)]) == ([Line(1, spaces)], 0)
        assert remove_furniture([Line(1, "标题" + spaces + ".docx")]) == ([Line(1, "标题" + spaces)], 1)
        assert ends_sentence("完成。" + "）" * {N})
        assert not ends_sentence("完成" + "）" * {N})
    """)


# --- importer/targets.py, importer/structure.py ---------------------------------------------

targets = importlib.import_module("fedplan.importer.targets")
structure = importlib.import_module("fedplan.importer.structure")
_OLD_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|《[^》]*》|「[^」]*」")
_OLD_QUANTITY = re.compile(
    r"(?<![\d.·:：/\-—–~～第])(\d+(?:\.\d+)?)\s*(?:余|餘|多)?\s*(" + "|".join(re.escape(u) for u in targets.UNITS) + ")"
)
_OLD_ROC_YEAR = re.compile(r"(?<![\d.])(?:民国|民國)?\s*(\d{2,3})\s*(?:学年度|學年度|年度|学年|學年|年)")


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_quoted_is_the_old_pattern() -> None:
    for text in random_texts("“”‘’《》「」a1", longest=14):
        assert targets._quoted(text) == [m.span() for m in _OLD_QUOTED.finditer(text)], text


def test_quantity_is_the_old_pattern() -> None:
    pieces = ["1", "20", ".5", " ", "  ", "余", "多", "个", "人次", "万元", "第", "x", "%"]
    rng = random.Random(1978)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert spans(targets._QUANTITY, text) == spans(_OLD_QUANTITY, text), repr(text)


def test_roc_year_is_the_old_pattern() -> None:
    pieces = ["1", "01", "101", " ", "  ", "民国", ".", "年", "学年度", "x"]
    rng = random.Random(1911)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert spans(structure._ROC_YEAR, text) == spans(_OLD_ROC_YEAR, text), repr(text)


def test_long_sentences_of_targets() -> None:
    runs_in_bounded_time(f"""
        import importlib, re
        targets = importlib.import_module("fedplan.importer.targets")
        structure = importlib.import_module("fedplan.importer.structure")
        assert targets.find_targets("“" * {N}) == []
        assert targets.find_targets("培训1" + " " * {N} + "x") == []
        found = targets.find_targets("增加1个" * {N // 4} + "，6月底前完成")
        assert len(found) == {N // 4} and {{t.due for t in found}} == {{(6, None)}}
        assert len(targets.find_targets("“甲”新建1个，" * {N // 7})) == {N // 7}
        assert structure._ROC_YEAR.search(" " * {N}) is None
        assert structure._ROC_YEAR.search(" " * {N} + "101年").group(1) == "101"
    """)


# --- render/docx.py, bodies/bounds.py -----------------------------------------------------------

docx = importlib.import_module("fedplan.render.docx")
bounds = importlib.import_module("fedplan.bodies.bounds")
_OLD_FIGURE_WITH_UNIT = re.compile(docx.FIGURE_WITH_UNIT.pattern.replace(r"(?<!\d)(?<!\d[.,])", "", 1))
_OLD_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d*))?[diouxXeEfFgGcrsa%]")


def test_figure_with_unit_is_the_old_pattern() -> None:
    assert _OLD_FIGURE_WITH_UNIT.pattern != docx.FIGURE_WITH_UNIT.pattern
    pieces = ["1", "23", ".", ",", "年", "度", "月", "日", "%", "余", "万元", "人", "x", " "]
    rng = random.Random(2020)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert spans(docx.FIGURE_WITH_UNIT, text) == spans(_OLD_FIGURE_WITH_UNIT, text), repr(text)


def test_percent_specs_are_the_old_pattern() -> None:
    for text in random_texts("%()-#0 +5.dsx", longest=12):
        assert bounds._percent_specs(text) == _OLD_PERCENT_SPEC.findall(text), repr(text)


def test_long_figures_and_format_strings() -> None:
    runs_in_bounded_time(f"""
        import importlib
        docx = importlib.import_module("fedplan.render.docx")
        bounds = importlib.import_module("fedplan.bodies.bounds")
        assert list(docx.FIGURE_WITH_UNIT.finditer("1" * {N})) == []
        assert list(docx.FIGURE_WITH_UNIT.finditer("1," * {N // 2})) == []
        assert [m.span() for m in docx.FIGURE_WITH_UNIT.finditer("1" * {N} + "人")] == [(0, {N} + 1)]
        assert bounds._percent_specs("%(" * {N // 2}) == []
        assert bounds._percent_specs("%(" * {N // 2} + ")9d") == [("9", "")]
        assert bounds._percent_specs("%" + "0" * {N} + "y") == []
        assert bounds._percent_specs("%" + "0" * {N} + "7.2f") == [("7", "2")]
    """)


# --- render/titles.py ---------------------------------------------------------------------------

titles = importlib.import_module("fedplan.render.titles")


def test_break_costs_are_the_old_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = random_texts("12年度关于，的x", longest=14)
    new = [titles.break_costs(text) for text in texts]
    real_finditer = re.finditer
    monkeypatch.setattr(titles.re, "finditer", lambda p, s: real_finditer(p.replace("(?<!\\d)", ""), s))
    assert [titles.break_costs(text) for text in texts] == new


def test_a_long_number_in_a_title() -> None:
    runs_in_bounded_time(f"""
        import importlib
        titles = importlib.import_module("fedplan.render.titles")
        assert titles.break_costs("1" * {N}) == {{}}
        small = titles.break_costs("11111年度x")
        assert small and titles.break_costs("1" * {N} + "年度x") == {{i + {N} - 5: c for i, c in small.items()}}
    """)


# --- importer/clean.py: watermarks ------------------------------------------------------------


def test_watermarks_are_the_old_pattern() -> None:
    pieces = ["www.", "http://", "https://", "a", "ab", ".", "1", "-", "/", "x y", "(来源于", "网)", "（本文来自", "甲", " ", ".cn"]
    rng = random.Random(1998)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert clean.remove_watermarks(text) == clean._WATERMARK.subn("", text), repr(text)


def test_a_long_line_of_addresses() -> None:
    runs_in_bounded_time(f"""
        from fedplan.importer.clean import remove_watermarks
        text = "www.1" * {N // 5}
        assert remove_watermarks(text) == (text, 0)
        assert remove_watermarks(text + ".cn/x 甲") == (" 甲", 1)
    """)


# --- importer/clean.py: headings in the middle of a line ----------------------------------------

_HEADING_PIECES = ["一、", "二、", "三、", "一", "1、", "2、", "1.", "2.", "1.1", "（一）", "（二）", "(1)", "(2)", "①", "②",
                   "第一章", "第二部分", "壹、", "第一，", "计划", "重点1、确保", "甲1.乙", "。", "，", "：", " ", "  ", "甲", "乙", "1", "、", "”"]


def _old_take(text: str, at: int, heading: headings.Heading, cuts: list[int], last: dict[int, int]) -> None:
    clean._count(last, heading)  # type: ignore[arg-type]  # reads only .level and .number
    run_in = clean._FIRST_ITEM.search(heading.rest)
    if run_in and heading.level < 3 and not re.search("[，。；,;：:]", heading.rest[: run_in.start()]):
        first = at + len(text[at:]) - len(heading.rest) + run_in.start()
        item = headings.parse_heading(text[first:])
        if item is not None:
            cuts.append(first)
            clean._count(last, item)  # type: ignore[arg-type]


def _old_split_inline_headings(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    last: dict[int, int] = {}
    for line in lines:
        text = line.text
        if headings.parse_heading(text) is None and len(text) < 8:
            out.append(line)
            continue
        cuts = [0]
        opening = headings.parse_heading(text)
        if opening is not None:
            _old_take(text, 0, opening, cuts, last)
        for match in clean._INLINE_MARK.finditer(text):
            if match.start() in cuts:
                continue
            heading = headings.parse_heading(text[match.start():])
            if heading is None or not heading.rest.strip():
                continue
            if heading.number in (1, last.get(heading.level, 0) + 1):
                cuts.append(match.start())
                _old_take(text, match.start(), heading, cuts, last)
        cuts = sorted(set(cuts))
        for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
            piece = text[a:b].strip()
            if piece:
                out.append(Line(line.number, piece))
    return out


def test_heading_at_is_parse_heading_of_the_rest() -> None:
    rng = random.Random(9704)
    for _ in range(3000):
        text = "".join(rng.choice(_HEADING_PIECES) for _ in range(rng.randint(0, 6)))
        for pos in range(len(text) + 1):
            old, new = headings.parse_heading(text[pos:]), headings.heading_at(text, pos)
            assert (old is None) == (new is None), (text, pos)
            if old is not None and new is not None:
                assert (new.level, new.number, new.marker, new.style, text[new.end:]) == (
                    old.level, old.number, old.marker, old.style, old.rest), (text, pos)


def test_inline_headings_are_the_old_code() -> None:
    for lines in random_lines(_HEADING_PIECES, 5000, 12, (1, 4), seed=2012):
        assert clean.split_inline_headings(lines) == _old_split_inline_headings(lines), lines


def test_a_long_line_of_headings() -> None:
    runs_in_bounded_time(f"""
        from fedplan.importer.clean import Line, split_inline_headings
        def split(text):
            return [line.text for line in split_inline_headings([Line(1, text)])]
        assert split("。一、甲" * {N // 4}) == ["。"] + ["一、甲。"] * ({N // 4} - 1) + ["一、甲"]
        assert split(" 一、甲" * {N // 4}) == ["一、甲"] * {N // 4}
        assert split("一、" + "甲" * {N}) == ["一、" + "甲" * {N}]
        # Not cut before the 1 the title starts with: the one after its first Han character.
        assert split("第一章" + "1、甲" * {N // 3}) == ["第一章1、甲", "1、甲" * ({N // 3} - 1)]
        assert split("二、工作重点1、确保" * {N // 10}) == ["二、工作重点", "1、确保" + "二、工作重点1、确保" * ({N // 10} - 1)]
    """)


# --- importer/targets.py: the name a parenthetical figure belongs to -----------------------------


def _old_host_name(sentence: str, clause_start: int) -> tuple[str | None, int]:
    """The old _host_name, and how long its name was before 班 or 活动 came off it."""
    if clause_start == 0 or sentence[clause_start - 1] not in "（(":
        return None, 0
    host = re.split("[，,、；;：:]", sentence[: clause_start - 1])[-1]
    verbs = list(targets._HOST_VERB.finditer(host))
    if not verbs:
        return None, 0
    name = host[verbs[-1].end():]
    length = len(name)
    name = re.sub("(班|活动|活動)$", "", name)
    return name or None, length


_HOST_PIECES = ["举办", "开展", "创建", "建立", "创", "建", "立", "成立", "组织", "培训", "班", "活动", "甲", "，", "、", "（", "(", "1个"]


@pytest.mark.parametrize("window", [0, 1, 2, 3, 5, targets.WINDOW])
def test_host_name_is_the_old_code_for_names_within_the_window(monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    monkeypatch.setattr(targets, "_HOST_REACH", window + 2)
    rng = random.Random(1995 + window)
    for _ in range(3000):
        sentence = "".join(rng.choice(_HOST_PIECES) for _ in range(rng.randint(0, 10)))
        for start in range(len(sentence) + 1):
            new = targets._host_name(sentence, start)
            old, length = _old_host_name(sentence, start)
            if length <= window:
                assert new == old, (sentence, start)
            else:  # longer than any real one: cut short, or left to the figure's own clause
                assert new is None or len(new) <= window, (sentence, start)


def test_targets_are_the_old_code_on_short_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    pieces = [*_HOST_PIECES, "300人次", "20%", "达到", "。", "）", ")", "年内", "6月底前"]
    rng = random.Random(2011)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    new = [targets.find_targets(text) for text in texts]
    monkeypatch.setattr(targets, "_host_name", lambda sentence, start: _old_host_name(sentence, start)[0])
    assert [targets.find_targets(text) for text in texts] == new


def test_a_long_sentence_of_parenthetical_figures() -> None:
    runs_in_bounded_time(f"""
        import importlib
        targets = importlib.import_module("fedplan.importer.targets")
        found = targets.find_targets("举办" + "（1个" * {N // 3})
        assert len(found) == {N // 3} and found[-1].name == "1个"  # all before it, as the old code had
        assert max(len(t.name) for t in found) <= targets.WINDOW  # within reach of 举办: "（1个（1个…"
        found = targets.find_targets("举办培训班（1个" * {N // 8})
        assert len(found) == {N // 8} and {{t.name for t in found}} == {{"培训"}}
        found = targets.find_targets("举办" + "甲" * {N} + "（1个）")
        assert [(t.name, t.target, t.unit) for t in found] == [("1个", 1, "个")]
    """)


# --- importer/clean.py: joining the lines of a hard-wrapped paragraph ---------------------------


def _old_join_broken_lines(lines: list[Line]) -> list[Line]:
    """The old join_broken_lines: each join added the line to the whole paragraph's text and
    read the whole again (quadratic in the lines of one paragraph)."""
    from fedplan.headings import is_bare_marker, parse_heading

    def is_prose(text: str) -> bool:
        heading = parse_heading(text.strip())
        if heading is not None:
            return "。" in heading.rest
        return bool(re.search("[，,。；;]", text))

    out: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if not out or not text:
            out.append(Line(line.number, text))
            continue
        prev = out[-1].text
        heading = parse_heading(prev)
        joins = False
        if clean.is_volume_marker(prev) or clean._is_block_start(text):
            joins = False
        elif is_bare_marker(prev):
            joins = True
        elif heading is not None and "。" not in heading.rest:
            joins = len(text) <= 12 and not re.search(r"[，,。；;：:、]", text)
        elif prev and is_prose(prev) and not clean.ends_sentence(prev):
            joins = True
        if joins:
            out[-1] = Line(out[-1].number, prev + text)
        else:
            out.append(Line(line.number, text))
    return [line for line in out if line.text]


# Pieces of wrapped lines: heading numbers, "第一篇：", dates, closing marks, and runs of
# text long enough that a paragraph outgrows what the next join reads of it (clean._SEEN).
_WRAP_PIECES = ["（1）", "(2)", "一、", "二", "、", "第一篇：", "一是", "*", "2012年3月1日", "甲", "乙丙",
                "，", "。", "；", "：", "”", "）", " ", "1.", "甲" * 40, "推进，" * 30, "。" * 3]


def test_joining_wrapped_lines_is_the_old_code() -> None:
    for lines in random_lines(_WRAP_PIECES, 4000, 8, (2, 12), seed=9704):
        assert clean.join_broken_lines(lines) == _old_join_broken_lines(lines), lines


@pytest.mark.parametrize(
    ("texts", "joined"),
    [
        # a heading whose "。" stands past what the next join reads of its start: prose, ended
        (["一、" + "甲" * 300 + "。", "乙"], 2),
        # a paragraph whose first comma stands past it: prose, not ended, so it goes on
        (["甲" * 300 + "，乙", "丙"], 1),
        # a heading number whose spaces run past it: not a bare number, so a long line after
        # it is a paragraph of its own
        (["（1）" + " " * 300 + "甲，乙", "丙" * 20], 2),
    ],
)
def test_joining_reads_all_of_a_long_paragraph(texts: list[str], joined: int) -> None:
    lines = [Line(n, text) for n, text in enumerate(texts, 1)]
    assert clean.join_broken_lines(lines) == _old_join_broken_lines(lines)
    assert len(clean.join_broken_lines(lines)) == joined


def test_a_long_hard_wrapped_paragraph() -> None:
    runs_in_bounded_time(f"""
        from fedplan.importer.clean import Line, join_broken_lines
        def join(texts):
            return [line.text for line in join_broken_lines([Line(n, t) for n, t in enumerate(texts, 1)])]
        # one sentence wrapped over {N} lines of 100 characters (the old code copied the
        # paragraph at each: minutes)
        line = "推进工作" * 25
        assert join(["加强组织建设，"] + [line] * {N} + ["。", "二、下一段"]) == [
            "加强组织建设，" + line * {N} + "。", "二、下一段"]
        # a heading continued by {N} short lines, then a bare "(1)" and its paragraph
        assert join(["一、加强"] + ["建设"] * {N} + ["（1）", "甲，乙。"]) == ["一、加强" + "建设" * {N}, "（1）甲，乙。"]
    """)
