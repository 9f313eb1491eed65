"""fedplan/punctuation.py: the one half→full-width rule, for documents and (``prose``)
for imported lines."""

from __future__ import annotations

import pytest

from fedplan.punctuation import fullwidth, is_chinese


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("培训妇女,提高素质", "培训妇女，提高素质"),
        ("主要体现在:一是", "主要体现在：一是"),
        ("确保还贷率达到100%,力争", "确保还贷率达到100%，力争"),
        ("(年内争取培训妇女300人次)", "（年内争取培训妇女300人次）"),
        ("是不是?好!", "是不是？好！"),
        ("一是; 二是", "一是；二是"),
        ("3,000人", "3,000人"),
        ("“12·4”、“6.26”", "“12·4”、“6.26”"),
        ("2011—2020年", "2011—2020年"),
        ("(1)", "(1)"),
        ("妇联(ABC)", "妇联（ABC）"),
        ("see (a) and (b)", "see (a) and (b)"),
        ("time: 12:30", "time: 12:30"),
        # a document's field may hold a literal mark in quotes, or Markdown
        ("改用中文冒号“: ”", "改用中文冒号“: ”"),
        ("详见[导入](import.md)。", "详见[导入](import.md)。"),
    ],
)
def test_fullwidth_in_documents(text: str, expected: str) -> None:
    assert fullwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("近幾年來,在各級黨委的重視下;我區:", "近幾年來，在各級黨委的重視下；我區："),
        ("(1)建鄴區", "（1）建鄴區"),
        ("社區(居委會)婦聯", "社區（居委會）婦聯"),
        ("培訓班(年內爭取培訓婦女300人次)", "培訓班（年內爭取培訓婦女300人次）"),
        ("共1,000人,时间8:30", "共1,000人，时间8:30"),
        ("“6.26”等宣傳日", "“6.26”等宣傳日"),
        ("怎么办?", "怎么办？"),
        ("“双学双比”,“巾帼建功”", "“双学双比”，“巾帼建功”"),
        ("一是, 二是", "一是，二是"),
        ("见(附件", "见（附件"),
        ("https://example.org", "https://example.org"),
    ],
)
def test_fullwidth_in_imported_prose(text: str, expected: str) -> None:
    assert fullwidth(text, prose=True) == expected


def test_the_two_differ_only_where_documents_must_stay_literal() -> None:
    # what a document keeps as written, an imported Chinese line turns
    for text in ("(1)建邺区", "“: ”", "(1)"):
        assert fullwidth(text) != fullwidth(text, prose=True)
    # and wherever a document turns a mark, an imported line turns it too
    for text in ("培训妇女,提高素质", "妇联(ABC)", "是不是?好!", "3,000人"):
        assert fullwidth(text) == fullwidth(text, prose=True)


def test_digits_are_never_chinese_neighbours() -> None:
    assert not is_chinese("１") and not is_chinese("1")
    assert is_chinese("妇") and is_chinese("，")
    assert not is_chinese("“") and is_chinese("“", prose=True)
