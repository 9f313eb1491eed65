"""Display width (fedplan/width.py)."""

from __future__ import annotations

from fedplan.width import display_width


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
