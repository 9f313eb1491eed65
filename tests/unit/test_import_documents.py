"""fedplan/importer/documents.py: fields read from the text (partners, addressee, lead-in)."""

from __future__ import annotations

import pytest

from fedplan.importer import Options, import_text
from fedplan.importer.documents import addressee, partners


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("联合区农工办、区农牧局、区农业综合开发办举办农业实用技术妇女骨干培训班。", ["区农工办", "区农牧局", "区农业综合开发办"]),
        ("加强与银行、财政部门的联系，定期了解。", ["银行", "财政部门"]),
        ("积极协调卫生、民政部门，将患病妇女纳入救助范围。", ["卫生部门", "民政部门"]),
        # Constituencies and "every department" are not partner units.
        ("加强与妇联团体会员、各界妇女代表的联系。", []),
        ("积极与各部门联系，主动协调各成员单位和社会力量。", []),
    ],
)
def test_partners(text: str, names: list[str]) -> None:
    assert partners(text) == names


def test_addressee() -> None:
    assert addressee("特此，向区人民政府及有关部门建议如下：") == "区人民政府及有关部门"
    assert addressee("现就两个层面提出如下几点建议。") is None


PROPOSAL = """关于加强妇联工作的建议
近几年来，成绩显著。然而，仍存在许多问题，主要体现在：一是风气不够浓；二是手段缺乏。
针对上述存在问题，特提出如下建议：
一、开展学习活动
各级妇联干部必须树立终身学习的观念。
区妇联
2001年3月1日
"""


def test_proposal_problems_lead_in_and_signature() -> None:
    (output,) = import_text(PROPOSAL, source="p.txt", options=Options()).outputs
    doc = output.document
    assert doc.background == "近几年来，成绩显著。然而，仍存在许多问题，"  # the template goes on "主要体现在："
    assert doc.problems == ["风气不够浓", "手段缺乏"]
    assert any("针对上述存在问题，特提出如下建议：" in note for note in doc.notes)
    assert "# 原文在问题清单之后还有一句“针对上述存在问题" in output.text
    assert "date:" not in output.text.split("signature:")[0]  # the signature carries it
    assert "signature:\n  org: 区妇联\n  date: 2001-03-01\n" in output.text
    assert str(output.path) == "2001/proposals/加强妇联工作.yaml"
