"""fedplan/importer/targets.py and naming.py: which numbers are commitments, and their ids."""

from __future__ import annotations

import pytest

from fedplan.importer.naming import ascii_id, file_slug, target_id
from fedplan.importer.targets import find_targets


def found(text: str) -> list[tuple[str, float, str, str, str]]:
    return [(t.name, t.target, t.unit, t.measure, t.direction) for t in find_targets(text)]


def test_the_five_seed_commitments() -> None:
    assert found("举办农业实用技术妇女骨干培训班（年内争取培训妇女300人次），让一批女能人成为带头人。") == [
        ("农业实用技术妇女骨干培训", 300, "人次", "sum", "up")  # named by what the parenthesis annotates
    ]
    assert found("年内争取培训妇女300人次。") == [("培训妇女", 300, "人次", "sum", "up")]
    assert found("今年，区妇联计划指导创建8个“巾帼文明岗”，培树36名“巾帼建功”标兵。") == [
        ("指导创建“巾帼文明岗”", 8, "个", "sum", "up"),
        ("培树“巾帼建功”标兵", 36, "名", "sum", "up"),
    ]
    assert found("最大限度地防范、规避风险，确保还贷率达到100%。") == [("还贷率", 100, "%", "latest", "up")]
    assert found("力争全年放贷额度达到2000万元。") == [("放贷额度", 2000, "万元", "sum", "up")]



def test_a_zero_is_no_target() -> None:
    # a target must be above 0; the rest of the sentence's figures are still taken
    assert found("全年新增妇女组织0个，培训妇女300人次。") == [("培训妇女", 300, "人次", "sum", "up")]
    assert found("增长率0.0%，还贷率达到100%。") == [("还贷率", 100, "%", "latest", "up")]
    assert found("培训0.5万人次。") == [("培训", 0.5, "万人次", "sum", "up")]

def test_the_source_sentence_is_kept() -> None:
    (target,) = find_targets("立足实际。年内争取培训妇女300人次，成效明显。")
    assert target.sentence == "年内争取培训妇女300人次，成效明显"


@pytest.mark.parametrize(
    "text",
    [
        "2012年，是党的十八大召开之年，是实施“十二五”规划承上启下的重要一年。",
        "认真贯彻落实党的十七届六中全会精神。",
        "组织开展“两学一做”学习教育，“三八”期间开展活动。",
        "利用“三八”维权周、“12·4”、“6.26”等宣传日开展普法宣传。",
        "充分发挥12338妇女维权服务热线的作用。",
        "省委《关于进一步加快和改善党对妇联和妇女工作领导的意见》（苏发〔2000〕23号文件）。",
        "积极推动出台《2011—2020年金川区妇女儿童发展规划》。",
        "1月9日，区委召开八届六次全体（扩大）会议。",
        "全区有39个帮教小组。",
        "去年培训妇女869人次。",
        "目前已建成20个示范基地。",
        "创建三个示范点，建设两支队伍。",
        "每期培训300到500人。",
    ],
)
def test_numbers_that_are_not_targets(text: str) -> None:
    assert find_targets(text) == []


def test_down_targets_and_decimals() -> None:
    assert found("将孕产妇死亡率控制在0.5%以下。") == [("孕产妇死亡率", 0.5, "%", "latest", "down")]


def test_more_than_and_approximate_figures() -> None:
    assert found("资助贫困儿童100余名，发布信息不少于500条。") == [
        ("资助贫困儿童", 100, "名", "sum", "up"),
        ("发布信息", 500, "条", "sum", "up"),
    ]


def test_traditional_script_targets() -> None:
    assert found("力爭全年放貸額度達到2000萬元。") == [("放貸額度", 2000, "萬元", "sum", "up")]


def test_ids_are_ascii_unique_and_prefer_what_is_counted() -> None:
    used: set[str] = set()
    assert ascii_id("继续深化“巾帼建功”活动", used, "item-6") == "jinguo-jiangong"
    assert target_id("培树“巾帼建功”标兵", used, "x") == "pacesetters"
    assert target_id("创建“巾帼文明岗”", used, "x") == "model-posts"
    assert target_id("还贷率", used, "x") == "repay-rate"
    assert target_id("放贷额度", used, "x") == "loan-amount"
    assert target_id("农业实用技术妇女骨干培训", used, "x") == "farm-training"
    assert target_id("培训妇女", used, "x") == "training"
    assert target_id("举办培训班", used, "x") == "training-2"
    assert ascii_id("颁布实施", used, "item-8") == "item-8"
    assert all(i.isascii() for i in used)


def test_file_slug() -> None:
    used: set[str] = set()
    assert file_slug("关于进一步加强我区妇联工作的建议", used, "p1") == "加强妇联工作"
    assert file_slug("人大代表关于进一步加强我区城市生活垃圾处理的建议", used, "p3") == "加强城市生活垃圾处理"
    assert file_slug("关于进一步加强我区行政执行力建设的几点建议", used, "p4") == "加强行政执行力建设"
    assert file_slug("关于进一步加强我区妇联工作的建议", used, "p5") == "加强妇联工作-2"
    assert file_slug("“”", used, "p6") == "p6"


def test_a_long_paragraph_is_not_copied_into_each_target() -> None:
    # 3,000 figures in one unpunctuated paragraph: each target keeps a bounded excerpt of
    # its sentence, so the text kept grows with the paragraph, not with its square.
    text = "".join(f"培训妇女{n}人次并且" for n in range(1, 3001))
    found = find_targets(text)
    assert len(found) == 3000
    assert max(len(f.sentence) for f in found) <= 200
    assert max(len(f.name) for f in found) <= 200
    assert found[1499].target == 1500
    assert "1500人次" in found[1499].sentence
    assert found[1499].sentence.startswith("…") and found[1499].sentence.endswith("…")
