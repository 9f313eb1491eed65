"""Display width (fedplan/width.py)."""

from __future__ import annotations

import json

from fedplan.width import display_width, escape_json, visible


def test_chinese_counts_two_and_latin_one() -> None:
    for ambiguous_wide in (False, True):
        assert display_width("培训300人次", ambiguous_wide=ambiguous_wide) == 11
        assert display_width("ＡＢ，", ambiguous_wide=ambiguous_wide) == 6
        assert display_width("", ambiguous_wide=ambiguous_wide) == 0


def test_ambiguous_quotes_and_dashes_follow_the_flag() -> None:
    assert display_width("“两规划”——…", ambiguous_wide=True) == 16
    assert display_width("“两规划”——…", ambiguous_wide=False) == 11


def test_document_width_counts_chinese_quotes_double() -> None:
    # Moved from test_chinese.py with the function: the txt page's width.
    assert display_width("培训300人次", ambiguous_wide=True) == 11
    assert display_width("“两规划”", ambiguous_wide=True) == 10


def test_visible_shows_what_a_terminal_would_act_on() -> None:
    assert visible("a\x1b[2Jb") == "a\u241b[2Jb"  # ␛
    assert visible("x\ry\x00\x7f") == "x\u240dy\u2400\u2421"
    assert visible("\x9b31m") == "\\u009b31m"
    assert visible("abc\u202edef\u2066") == "abc\\u202edef\\u2066"
    assert visible("a\u2028b") == "a\\u2028b"
    assert visible("培训\t300\n人次") == "培训\t300\n人次"


def test_escape_json_keeps_the_data() -> None:
    data = ["\x1b[2J", "\x9b", "\u202e", "\u2028", "培训"]
    text = escape_json(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not any(c in text for c in "\x1b\x9b\u202e\u2028")
