"""fedplan/source.py: bytes to YAML nodes — encodings, syntax errors, unsafe tags, aliases.

One broken input per test, checked through load_repository (so paths and positions are
what users see) by its exact diagnostics ``(path, line, col, code)``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from fedplan.diagnostics import Diagnostic
from fedplan.source import MAX_DEPTH, MAX_EXPANDED_NODES, looks_like_big5, read

P = "plans/2012/progress.yaml"
LEDGER = """\
kind: progress
year: 2012
entries:
  - date: 2012-03-08
    item: volunteer
    note: 组织巾帼志愿者开展“送温暖献爱心”活动
"""


def keys(found: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    return [d.key() for d in found]


# --- encodings ---------------------------------------------------------------------------


def test_utf8_with_bom_is_read(diagnose, plan_2012):
    assert diagnose({**plan_2012, P: codecs.BOM_UTF8 + LEDGER.encode()}) == []


def test_crlf_line_ends_are_read(diagnose, plan_2012):
    assert diagnose({**plan_2012, P: LEDGER.replace("\n", "\r\n").encode()}) == []


def test_crlf_keeps_line_and_column(diagnose, plan_2012):
    text = LEDGER.replace("item: volunteer", "item: volunter").replace("\n", "\r\n")
    assert keys(diagnose({**plan_2012, P: text})) == [(P, 5, 11, "unknown-item")]


def test_gbk_file_names_its_encoding_and_how_to_convert(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.encode("gbk")})
    # The first byte that is not UTF-8: the first Chinese character, line 6 after "note: ".
    assert keys(found) == [(P, 6, 11, "encoding-gbk")]
    assert "GBK" in found[0].message
    assert "UTF-8" in found[0].hint and f"iconv -f GB18030 -t UTF-8 {P}" in found[0].hint


def test_gb18030_only_characters_are_named_gbk_too(diagnose, plan_2012):
    text = LEDGER.replace("组织", "组织\u3400")  # U+3400 exists in GB18030, not in GBK
    assert keys(diagnose({**plan_2012, P: text.encode("gb18030")})) == [(P, 6, 11, "encoding-gbk")]



BIG5_TEXT = "臺灣省婦女會一百一十年度工作計畫\n一、組織發展\n1.舉辦婦女幹部訓練班三期，參加人數達三百人次。\n"


def test_big5_is_told_from_gbk_by_character_frequency():
    assert looks_like_big5(BIG5_TEXT.encode("big5"))
    # GBK, Simplified or Traditional, is not taken for Big5; nor is a file with almost no Chinese.
    assert not looks_like_big5(LEDGER.encode("gbk"))
    assert not looks_like_big5(BIG5_TEXT.encode("gbk"))
    assert not looks_like_big5("note: 臺灣".encode("big5"))


def test_big5_file_is_named_big5_with_its_iconv_command(diagnose, plan_2012):
    text = LEDGER.replace("组织巾帼志愿者开展“送温暖献爱心”活动", "臺灣省婦女會舉辦幹部訓練班，參加人數達三百人次")
    found = diagnose({**plan_2012, P: text.encode("big5")})
    assert keys(found) == [(P, 6, 11, "encoding")]
    assert "Big5" in found[0].message and f"iconv -f BIG5 -t UTF-8 {P}" in found[0].hint

def test_utf16_file_is_refused_by_name(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.encode("utf-16")})
    assert keys(found) == [(P, 1, 1, "encoding")]
    assert "UTF-16" in found[0].message and "UTF-8" in found[0].hint


def test_bytes_of_no_known_encoding(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.encode() + b"  - \xff\xfe\n"})
    assert keys(found) == [(P, 7, 5, "encoding")]


# --- syntax --------------------------------------------------------------------------------


def test_tab_indentation(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("  - date", "\t- date")})
    assert keys(found) == [(P, 4, 1, "yaml-syntax")]
    assert "Tab" in found[0].message and "空格" in found[0].hint


def test_unclosed_quote(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("note: 组织", 'note: "组织')})
    assert keys(found) == [(P, 7, 1, "yaml-syntax")]
    assert "引号" in found[0].hint


def test_key_indented_less_than_its_siblings(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("    item:", "   item:")})
    assert keys(found) == [(P, 5, 4, "yaml-syntax")]
    assert "缩进" in found[0].message


def test_key_indented_more_than_its_siblings(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("year: 2012", "year: 2012\n  x: 1")})
    assert keys(found) == [(P, 3, 4, "yaml-syntax")]
    assert "引号" in found[0].hint  # "a: b: c" — quote text that holds ": "


def test_full_width_colon_after_a_key_is_named_where_it_is(diagnose, plan_2012):
    # libyaml says "could not find expected ':'" at the next line, in English.
    found = diagnose({**plan_2012, P: LEDGER.replace("item: volunteer", "item：volunteer")})
    assert keys(found) == [(P, 5, 9, "yaml-syntax")]
    assert "中文冒号" in found[0].message and "“item”" in found[0].message
    assert found[0].hint == "改成 item: volunteer"


def test_full_width_colon_on_the_last_line(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("note: 组织", "note：组织")})
    assert keys(found) == [(P, 6, 9, "yaml-syntax")]
    assert "中文冒号" in found[0].message


def test_full_width_colon_inside_text_is_fine(diagnose, plan_2012):
    assert diagnose({**plan_2012, P: LEDGER.replace("note: 组织", "note: 时间：3月 组织")}) == []


def test_text_that_starts_with_a_quote_is_not_an_indentation_problem(diagnose, plan_2012):
    text = LEDGER.replace("note: 组织巾帼志愿者开展“送温暖献爱心”活动", 'note: "送温暖献爱心"活动')
    found = diagnose({**plan_2012, P: text})
    assert keys(found) == [(P, 6, 11, "yaml-syntax")]  # the opening quote, not the next key
    assert "缩进" not in found[0].message and "引号" in found[0].message and "“活动”" in found[0].message
    assert """'"送温暖献爱心"活动'""" in found[0].hint and "中文引号" in found[0].hint


def test_list_item_that_starts_with_a_quote(diagnose, plan_2012):
    text = "kind: plan\norg: 测试区妇联\nyear: 2012\nsections:\n  - 'a'b\n"
    found = diagnose({"plans/2012/plan.yaml": text})
    assert keys(found) == [("plans/2012/plan.yaml", 5, 5, "yaml-syntax")]
    assert "引号" in found[0].message and "对齐" not in found[0].message


def test_list_items_out_of_line(diagnose, plan_2012):
    text = LEDGER + "   - date: 2012-03-09\n"
    assert keys(diagnose({**plan_2012, P: text})) == [(P, 7, 4, "yaml-syntax")]


def test_unclosed_bracket(diagnose, plan_2012):
    text = "kind: progress\nyear: 2012\nentries: [{date: 2012-03-08, item: volunteer, note: 活动}\n"
    assert keys(diagnose({**plan_2012, P: text})) == [(P, 4, 1, "yaml-syntax")]


def test_control_character_is_placed_by_character_not_byte(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("志愿者", "志愿者\x07")})
    assert keys(found) == [(P, 6, 18, "yaml-syntax")]
    assert "控制字符" in found[0].message


def test_undefined_alias(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER.replace("item: volunteer", "item: *volunteer")})
    assert keys(found) == [(P, 5, 11, "yaml-syntax")]
    assert "锚点" in found[0].message


def test_empty_file(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, P: ""})) == [(P, 1, 1, "empty-document")]


def test_file_of_only_comments_is_empty(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, P: "# 待填写\n"})) == [(P, 1, 1, "empty-document")]


def test_two_documents_in_one_file(diagnose, plan_2012):
    found = diagnose({**plan_2012, P: LEDGER + "---\n" + LEDGER})
    assert keys(found) == [(P, 7, 1, "yaml-syntax")]
    assert "一个文件只能有一个" in found[0].message and "---" in found[0].hint


# --- nothing a document says is executed ----------------------------------------------------


def test_python_tag_is_refused_and_never_constructed(diagnose, plan_2012, tmp_path: Path):
    witness = tmp_path / "constructed"
    text = LEDGER.replace(
        "year: 2012", f'year: !!python/object/apply:os.system ["touch {witness}"]'
    )
    found = diagnose({**plan_2012, P: text})
    assert keys(found) == [(P, 2, 7, "unsafe-tag")]
    assert "!!python/object/apply:os.system" in found[0].message
    assert not witness.exists()


def test_python_tag_on_a_key_is_refused(diagnose, plan_2012, tmp_path: Path):
    witness = tmp_path / "constructed"
    text = LEDGER + f'!!python/object/apply:os.system ["touch {witness}"]: 1\n'
    assert keys(diagnose({**plan_2012, P: text})) == [(P, 7, 1, "unsafe-tag")]
    assert not witness.exists()


def test_local_tag_is_refused(diagnose, plan_2012):
    text = LEDGER.replace("note: 组织", "note: !secret 组织")
    assert keys(diagnose({**plan_2012, P: text})) == [(P, 6, 11, "unsafe-tag")]


# --- aliases --------------------------------------------------------------------------------


def _laughs(levels: int) -> str:
    """"Billion laughs": each level names the previous one ten times."""
    lines = ["kind: progress", "year: 2012", "entries: []", "a0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused(diagnose, plan_2012):
    # 10^10 nodes once expanded; the time it takes to refuse is in bench/.
    found = diagnose({**plan_2012, P: _laughs(9)})
    assert keys(found) == [(P, 1, 1, "yaml-alias-bomb")]
    assert str(MAX_EXPANDED_NODES) in found[0].message


def test_small_aliases_are_not_a_bomb(diagnose, plan_2012):
    # Just under the bound, aliases are allowed; the unknown keys are what is reported.
    found = diagnose({**plan_2012, P: _laughs(3)})
    assert [d.code for d in found] == ["unknown-key"] * 4


def test_alias_cycle(diagnose, plan_2012):
    text = "kind: progress\nyear: 2012\nentries: &loop\n  - date: 2012-03-08\n    note: *loop\n"
    found = diagnose({**plan_2012, P: text})
    assert keys(found) == [(P, 3, 10, "yaml-alias-cycle")]


def test_nesting_deeper_than_the_bound_is_refused_not_a_crash(diagnose, plan_2012):
    # libyaml's composer recursed in C and crashed the interpreter at some 30,000 levels.
    depth = 50_000
    text = "kind: progress\nyear: 2012\nentries: " + "[" * depth + "]" * depth + "\n"
    found = diagnose({**plan_2012, P: text})
    assert keys(found) == [(P, 3, 1, "yaml-too-deep")]
    assert str(MAX_DEPTH) in found[0].message


def test_block_nesting_deeper_than_the_bound_is_refused(diagnose, plan_2012):
    assert keys(diagnose({**plan_2012, P: "- " * 50_000 + "x\n"})) == [(P, 1, 1, "yaml-too-deep")]


def test_nesting_within_the_bound_is_composed():
    text = "kind: progress\nyear: 2012\nentries: " + "[" * 900 + "]" * 900 + "\n"
    source = read(P, text.encode())
    assert source.diagnostics == [] and source.node is not None


def test_long_lines_alone_are_not_too_deep(diagnose, plan_2012):
    text = LEDGER.replace("组织", "组织" + "巾帼志愿服务" * 2000)
    assert diagnose({**plan_2012, P: text}) == []


def test_read_keeps_the_text_of_an_unparsable_file():
    source = read(P, b"kind: [\n")
    assert source.text == "kind: [\n" and source.node is None
    assert keys(source.diagnostics) == [(P, 2, 1, "yaml-syntax")]


def test_the_nesting_bound_sees_through_many_shallow_brackets_and_long_lines():
    # A ledger of thousands of one-line {…} entries and notes longer than the bound nests
    # two levels deep: it is composed at once, without the event-by-event depth scan first
    # (which took most of the time of log on a 100,000-entry ledger).
    from fedplan.source import _could_nest_deeper_than

    ledger = "kind: progress\nyear: 2012\nentries:\n" + "".join(
        f"  - {{date: 2012-03-08, target: t-{n}, value: 1, note: {'说明' * 600}}}\n" for n in range(2000)
    )
    assert not _could_nest_deeper_than(ledger, MAX_DEPTH)
    # Unbalanced brackets (inside quotes, say) count whole; indentation counts per column.
    assert _could_nest_deeper_than("note: '" + "[" * 1200 + "'\n" + "-\n" * 1000, MAX_DEPTH)
    deep = "".join(" " * n + "a:\n" for n in range(1100)) + " " * 1100 + "b\n"
    assert _could_nest_deeper_than(deep, MAX_DEPTH)


def test_block_nesting_by_indentation_deeper_than_the_bound_is_refused(diagnose, plan_2012):
    text = "".join(" " * n + "a:\n" for n in range(1200)) + " " * 1200 + "b\n"
    assert keys(diagnose({**plan_2012, P: text})) == [(P, 1000, 1, "yaml-too-deep")]


def test_the_composer_builds_what_plain_pyyaml_builds():
    """fedplan's loader memoises implicit tags and replaces the path-resolver hooks with
    no-ops; both are only right while no path resolver is registered. Same tree, same tags,
    same marks as PyYAML's own safe loader, on a document with every scalar style."""
    import yaml

    from fedplan.source import _Loader

    assert _Loader.yaml_path_resolvers == {}
    text = LEDGER + "    value: 12\n    done: true\n    by: '发展部'\n    tags: [1.5, ~, 2012-01-01, \"x\"]\n    more: {a: [b, {c: d}]}\n"

    def shape(node):
        inner = node.value
        if isinstance(inner, list):
            inner = [shape(n) if not isinstance(n, tuple) else (shape(n[0]), shape(n[1])) for n in inner]
        return (node.tag, inner, node.start_mark.index, node.end_mark.index)

    assert shape(yaml.compose(text, Loader=_Loader)) == shape(yaml.compose(text, Loader=yaml.SafeLoader))
