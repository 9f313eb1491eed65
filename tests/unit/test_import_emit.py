"""fedplan/importer/emit.py: hand-written YAML that loads back as exactly what was meant."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from fedplan.importer import Options, import_text
from fedplan.importer.emit import block


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1), min_size=1))
def test_any_paragraphs_round_trip_as_a_block(paragraphs: list[str]) -> None:
    text = "\n".join(paragraphs)
    loaded = yaml.safe_load(f"k: {block(text, 2)}\nnext: 1\n")
    assert loaded["next"] == 1
    assert loaded["k"].rstrip("\n") == text.strip("\n") or loaded["k"] == text


def test_block_is_a_literal_block_with_one_paragraph_per_line() -> None:
    assert block("第一段。\n第二段。", 4) == "|\n    第一段。\n    第二段。"


def test_guesses_are_marked_for_checking() -> None:
    result = import_text("区妇联工作情况汇报\n一、2000年工作简况\n二、2001年工作思路\n2001年要加快发展。\n",
                         source="x.txt", options=Options())
    (output,) = result.outputs
    assert "year: 2001  # 推测：" in output.text and "请核对" in output.text
    assert yaml.safe_load(output.text)["year"] == 2001


def test_target_comment_quotes_the_source_sentence() -> None:
    text = "某区妇联2012年工作要点\n一、发展\n1.培训。年内争取培训妇女300人次。\n"
    (output,) = import_text(text, source="x.txt", options=Options()).outputs
    assert "# 原文：“年内争取培训妇女300人次”\n          - id: training" in output.text


def test_header_names_the_source_file_not_its_folder() -> None:
    (output,) = import_text("某区妇联2012年工作要点\n一、发展\n", source="/home/someone/旧文件/plan.txt",
                            options=Options()).outputs
    assert output.text.startswith("# 由 fedplan import 从 plan.txt 第1篇")
