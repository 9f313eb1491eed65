"""Round trip: import the seed, render each document as text, compare with the cleaned source.

The text must survive import → YAML → render. What differs, and why (measured on the seed):

- plan (≈0.98): the template adds a line after an item with targets or partners,
  "（目标：农业实用技术妇女骨干培训300人次；配合单位：区农工办、……）" — generated, not lost.
- proposal 1 (≈0.995): the source's own lead-in "针对上述存在问题，就今后如何进一步加强我区的
  妇联工作，特提出如下建议：" has no field (it is kept as a YAML comment); the template writes
  "针对上述问题，特提出如下建议：" in its place.
- proposal 3 (≈0.99): the 主送 read from "向区人民政府及有关部门建议如下" is printed as its own
  line "区人民政府及有关部门："; run-in titles "一、加快垃圾消纳设施建设。合理规划……" become
  headings, so the "。" after each title goes.
- proposal 4 (≈0.99): the "***" masking the district in the signature is dropped; the date
  "二○○六年" is printed with the proper numeral zero 〇 (U+3007) instead of ○ (U+25CB).
- report 2: identical.

Whitespace and line breaks are ignored: the txt layout wraps at 28 characters a line.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from fedplan.importer.clean import clean
from fedplan.importer.structure import split_documents
from tests.conftest import MakeRepo, RunLine

SEED = Path(__file__).parents[1] / "data" / "import" / "seed_000.txt"


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text)


@pytest.mark.parametrize(
    ("number", "path", "least"),
    [
        (1, "plans/undated/proposals/加强妇联工作.yaml", 0.99),
        (2, "plans/2001/reports/区妇联工作情况汇报.yaml", 0.999),
        (3, "plans/undated/proposals/加强城市生活垃圾处理.yaml", 0.985),
        (4, "plans/2006/proposals/加强行政执行力建设.yaml", 0.985),
        (5, "plans/2012/plan.yaml", 0.97),
    ],
)
def test_rendered_text_matches_the_cleaned_source(
    make_repo: MakeRepo, run_line: RunLine, number: int, path: str, least: float
) -> None:
    root = make_repo({})
    assert run_line(["import", str(SEED)], cwd=root).exit_code == 0
    rendered = run_line(["render", path, "--format", "txt"], cwd=root)
    assert rendered.exit_code == 0, rendered.output
    document = split_documents(clean(SEED.read_text(encoding="utf-8")).lines)[number - 1]
    source = squash(document.title + "".join(line.text for line in document.lines))
    similarity = difflib.SequenceMatcher(None, source, squash(rendered.stdout), autojunk=False).ratio()
    assert similarity >= least, f"{path}: {similarity:.4f}"
