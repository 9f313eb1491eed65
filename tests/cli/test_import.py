"""fedplan import end to end: the seed file, our own trap files, and the command's contract."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fedplan.repo import load_repository
from tests.conftest import MakeRepo, RunLine, cli

DATA = Path(__file__).parents[1] / "data" / "import"
REAL = DATA / "real"  # texts as public pages publish them (docs/import.md)
SEED = DATA / "seed_000.txt"  # a copy of ../shared/seeds/000_76e783d26f2beb79.txt
SIMPLIFIED = DATA / "simplified_plan.txt"

SEED_FILES = [
    "plans/undated/proposals/加强妇联工作.yaml",
    "plans/2001/reports/区妇联工作情况汇报.yaml",
    "plans/undated/proposals/加强城市生活垃圾处理.yaml",
    "plans/2006/proposals/加强行政执行力建设.yaml",
    "plans/2012/plan.yaml",
]


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def seeded(make_repo: MakeRepo, run_line: RunLine) -> tuple[Path, Any]:
    root = make_repo({})
    result = run_line(["import", str(SEED)], cwd=root)
    assert result.exit_code == 0, result.output
    return root, result


def test_seed_yields_five_documents_of_the_right_kinds(seeded: tuple[Path, Any]) -> None:
    root, _ = seeded
    written = sorted(p.relative_to(root).as_posix() for p in (root / "plans").rglob("*.yaml"))
    assert written == sorted(SEED_FILES)
    kinds = [load(root / rel)["kind"] for rel in SEED_FILES]
    assert kinds == ["proposal", "report", "proposal", "proposal", "plan"]


def test_seed_plan_has_four_sections_fifteen_items_and_the_five_targets(seeded: tuple[Path, Any]) -> None:
    root, _ = seeded
    plan = load(root / "plans/2012/plan.yaml")
    assert (plan["org"], plan["year"], plan["title"]) == ("金川区妇联", 2012, "金川区妇联2012年工作要点")
    assert plan["preamble"].startswith("2012年，是党的十八大召开之年")
    assert [len(s["items"]) for s in plan["sections"]] == [4, 3, 4, 4]
    items = [i for s in plan["sections"] for i in s["items"]]
    assert items[4]["title"] == "着力推进“双学双比”竞赛活动"
    assert items[4]["text"].startswith("立足实际，把技能培训作为全面提高农村妇女素质的基础。")
    targets = [(t["target"], t["unit"], t.get("measure", "sum")) for i in items for t in i.get("targets", [])]
    assert targets == [(300, "人次", "sum"), (8, "个", "sum"), (36, "名", "sum"), (100, "%", "latest"), (2000, "万元", "sum")]
    ids = [i["id"] for i in items] + [t["id"] for i in items for t in i.get("targets", [])]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_seed_plan_marks_each_target_with_its_source_sentence(seeded: tuple[Path, Any]) -> None:
    root, _ = seeded
    text = (root / "plans/2012/plan.yaml").read_text(encoding="utf-8")
    assert text.count("# 原文：“") == 5
    assert "# 原文：“联合区农工办、区农牧局、区农业综合开发办举办农业实用技术妇女骨干培训班（年内争取培训妇女300人次），让一批" in text


def test_seed_proposals_and_report(seeded: tuple[Path, Any]) -> None:
    root, _ = seeded
    first = load(root / SEED_FILES[0])
    assert "year" not in first and first["title"] == "关于进一步加强我区妇联工作的建议"
    assert len(first["problems"]) == 5 and first["problems"][3] == "下岗女职工再就业难问题比较突出"
    assert len(first["recommendations"]) == 7
    assert first["recommendations"][1]["title"] == "加大培养和选拔妇女干部的力度"
    third = load(root / SEED_FILES[2])
    assert [r["title"] for r in third["recommendations"]] == [
        "加快垃圾消纳设施建设",
        "稳步推进生活垃圾分类处理",
        "积极推行餐厨垃圾集中处理",
        "重视扶持发展废旧物资回收业",
    ]
    assert third["recommendations"][0]["body"].startswith("合理规划选址")
    fourth = load(root / SEED_FILES[3])
    assert fourth["signature"] == {"org": "区委加强执行力建设领导小组办公室", "date": dt.date(2006, 2, 15)}
    assert [r["title"] for r in fourth["recommendations"]] == [
        "对区政府领导班子成员这个层面来讲",
        "对区政府各职能部门这个层面来讲",
    ]
    report = load(root / SEED_FILES[1])
    assert report["year"] == 2001
    assert [s["title"] for s in report["sections"]] == ["区妇联组织状况", "2000年妇联工作简况", "2001年妇联工作思路"]
    assert "（1）建邺区妇女儿童工作委员会。" in report["sections"][0]["body"]


def test_seed_output_has_no_debris(seeded: tuple[Path, Any]) -> None:
    root, _ = seeded
    for rel in SEED_FILES:
        text = (root / rel).read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert not re.search("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", body), rel
        assert not re.search(r"[—\-]\s*\d+\s*[—\-]\s*$", body, re.M), rel
        assert "来源于" not in body and "范本网" not in body, rel
        assert "?" not in body and "\ufffd" not in body, rel
        assert not re.search("[關於進婦聯區]", body), rel  # all Simplified
    plan = load(root / "plans/2012/plan.yaml")
    items = [i for s in plan["sections"] for i in s["items"]]
    assert "广泛开展群众性文化活动" in items[1]["text"]  # the footer "—1—" split 广|泛
    assert "引导广大妇女做文明风尚的引领者" in items[3]["text"]


def test_seed_every_mojibake_spot_is_reported_with_its_line(seeded: tuple[Path, Any]) -> None:
    _, result = seeded
    reported = re.findall(r"^.*seed_000\.txt:(\d+):(\d+): 警告: .*\[(mojibake[a-z-]*)\]$", result.stderr, re.M)
    assert [(int(line), code) for line, _, code in reported] == [
        (12, "mojibake-repaired"),
        (24, "mojibake-repaired"),
        (32, "mojibake-repaired"),
        (34, "mojibake-repaired"),
        (74, "mojibake"),
        (83, "mojibake-repaired"),
        (87, "mojibake-repaired"),
    ]


def test_seed_unrepaired_mojibake_is_marked_in_text_and_header(seeded: tuple[Path, Any]) -> None:
    root, _ = seeded
    text = (root / "plans/2012/plan.yaml").read_text(encoding="utf-8")
    assert "# 第74行有乱码" in text
    assert "# 第83行乱码“?jì)D”按上下文修复为“妇”，请核对" in text
    assert "分析担〓行状况" in text


def test_seed_import_passes_validate(seeded: tuple[Path, Any], run_line: RunLine) -> None:
    root, _ = seeded
    loaded = load_repository(root)
    assert loaded.diagnostics == []
    result = run_line(["validate", "--strict"], cwd=root)
    assert result.exit_code == 0, result.output


# --- our own trap file: Simplified script, mixed numbering, numbers that are not targets ---


def test_simplified_plan_with_mixed_numbering(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({})
    result = run_line(["import", str(SIMPLIFIED)], cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # numbering restarting per section is not a gap
    plan = load(root / "plans/2015/plan.yaml")
    assert (plan["org"], plan["year"]) == ("某县团委", 2015)
    # 1. 2. under 一, （一）（二） under 二, 1、 2、 restarting under 三 with (1)(2) inside an item
    assert [[i["title"] for i in s["items"]] for s in plan["sections"]] == [
        ["深化“中国梦”主题教育", "加强网络宣传"],
        ["实施青年就业创业行动", "关爱留守儿童"],
        ["推进基层团组织建设", "加强团干部队伍建设"],
    ]
    assert plan["sections"][2]["items"][1]["text"] == "（1）举办团干部培训班2期。\n（2）开展“三八”、“五四”表彰。\n"
    targets = [(t["name"], t["target"], t["unit"]) for s in plan["sections"] for i in s["items"] for t in i.get("targets", [])]
    # Not targets: 2015年, 十二五, 十八大, 2011—2020, 两学一做, 六一, 12·4, 12355, 〔2014〕15号, 三八, 五四.
    assert targets == [
        ("举办青年讲座", 20, "场"),
        ("发布信息", 500, "条"),
        ("帮助青年实现就业", 300, "名"),
        ("发放创业贷款", 1500, "万元"),
        ("新建团支部", 10, "个"),
        ("团员发展合格率", 95, "%"),
        ("举办团干部培训班", 2, "期"),
    ]
    assert run_line(["validate", "--strict"], cwd=root).exit_code == 0


def test_traditional_source_into_a_hant_repository(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    root = make_repo({"fedplan.yaml": "org: 测试妇联\nscript: hant\n"})
    source = tmp_path / "plan.txt"
    source.write_text("2013年工作要點\n一、發展\n1.培訓。年內爭取培訓婦女300人次。\n", encoding="utf-8")
    assert run_line(["import", str(source)], cwd=root).exit_code == 0
    plan = load(root / "plans/2013/plan.yaml")
    assert plan["org"] == "测试妇联"  # no unit in the title: the repository's setting
    assert plan["sections"][0]["items"][0]["text"] == "年內爭取培訓婦女300人次。\n"


def test_gbk_file_is_decoded_with_a_warning(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    root = make_repo({})
    source = tmp_path / "gbk.txt"
    source.write_bytes("某区妇联2012年工作要点\n一、发展\n1.培训。年内培训妇女300人次。\n".encode("gbk"))
    result = run_line(["import", str(source)], cwd=root)
    assert result.exit_code == 0, result.output
    assert "[import-encoding]" in result.stderr
    assert load(root / "plans/2012/plan.yaml")["org"] == "某区妇联"



def test_big5_file_is_decoded_as_big5_with_a_warning(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    root = make_repo({"fedplan.yaml": "org: 臺灣省婦女會\nscript: hant\n"})
    source = tmp_path / "big5.txt"
    text = "臺灣省婦女會一百一十年度工作計畫\n一、組織發展\n1.舉辦婦女幹部訓練班。年內訓練婦女幹部三百人次。\n"
    source.write_bytes(text.encode("big5"))
    result = run_line(["import", "--year", "2021", str(source)], cwd=root)
    assert result.exit_code == 0, result.output
    assert "[import-encoding]" in result.stderr and "Big5" in result.stderr
    plan = load(root / "plans/2021/plan.yaml")
    assert plan["sections"][0]["title"] == "組織發展"  # the Big5 reading, not GB18030 gibberish
    assert "訓練婦女幹部三百人次" in plan["sections"][0]["items"][0]["text"]

# --- the command's contract ---------------------------------------------------------------


def test_never_overwrites_without_force(seeded: tuple[Path, Any], run_line: RunLine) -> None:
    root, _ = seeded
    plan = root / "plans/2012/plan.yaml"
    plan.write_text("# edited by hand\n" + plan.read_text(encoding="utf-8"), encoding="utf-8")
    before = {p: p.read_bytes() for p in (root / "plans").rglob("*.yaml")}
    result = run_line(["import", str(SEED)], cwd=root)
    assert result.exit_code == 1
    assert "[import-exists]" in result.stderr and "--force" in result.stderr
    assert {p: p.read_bytes() for p in (root / "plans").rglob("*.yaml")} == before
    forced = run_line(["import", "--force", str(SEED)], cwd=root)
    assert forced.exit_code == 0, forced.output
    assert not plan.read_text(encoding="utf-8").startswith("# edited by hand")


def test_nothing_is_written_if_one_file_exists(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({"plans/2006/proposals/加强行政执行力建设.yaml": "kind: proposal\ntitle: 手写\n"})
    result = run_line(["import", str(SEED)], cwd=root)
    assert result.exit_code == 1
    assert not (root / "plans/2012").exists()


def test_dry_run_prints_and_writes_nothing(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({})
    result = run_line(["import", "--dry-run", str(SEED)], cwd=root)
    assert result.exit_code == 0, result.output
    assert list((root / "plans").rglob("*")) == []
    assert "将写入 plans/2012/plan.yaml" in result.stdout
    assert "kind: plan" in result.stdout and "kind: report" in result.stdout


def test_output_dir_outside_any_repository(tmp_path: Path, run_line: RunLine) -> None:
    out = tmp_path / "out"
    work = tmp_path / "work"
    work.mkdir()
    result = run_line(["import", "-o", str(out), str(SIMPLIFIED)], cwd=work)
    assert result.exit_code == 0, result.output
    assert load(out / "2015/plan.yaml")["kind"] == "plan"


def test_no_repository_and_no_output_dir_is_an_error(tmp_path: Path, run_line: RunLine) -> None:
    result = run_line(["import", str(SIMPLIFIED)], cwd=tmp_path)
    assert result.exit_code == 1
    assert "[no-repository]" in result.stderr


def test_year_option_fills_a_missing_year(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    root = make_repo({})
    source = tmp_path / "summary.txt"
    source.write_text("区妇联工作总结\n一、主要成绩\n全年培训妇女。\n", encoding="utf-8")
    result = run_line(["import", str(source)], cwd=root)
    assert result.exit_code == 2
    assert "[import-no-year]" in result.stderr
    assert run_line(["import", "--year", "2013", str(source)], cwd=root).exit_code == 0
    report = load(root / "plans/2013/reports/区妇联工作总结.yaml")
    assert (report["year"], report["id"]) == (2013, "区妇联工作总结")


def test_an_impossible_year_option_is_refused_before_any_file(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    """--year 99999 used to be blamed on the files it would have written (out-of-range at
    out/99999/plan.yaml:4:7)."""
    root = make_repo({})
    result = run_line(["-C", str(root), "import", "--year", "99999", str(SIMPLIFIED)])
    assert result.exit_code == 2
    assert "年度 99999 不在计划可用的 1949—2200 年之间 [year-out-of-range]" in result.stderr
    assert "plan.yaml" not in result.stderr and not (root / "plans/99999").exists()


def test_missing_input_file(make_repo: MakeRepo, run_line: RunLine) -> None:
    result = run_line(["import", "nothing-here.txt"], cwd=make_repo({}))
    assert result.exit_code == 2  # click checks that the file exists
    assert "nothing-here.txt" in result.stderr


def test_two_documents_for_one_path_write_nothing(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    source = tmp_path / "two.txt"
    source.write_text("某区妇联2012年工作要点\n一、发展\n某区妇联2012年工作计划\n一、维权\n", encoding="utf-8")
    root = make_repo({})
    result = run_line(["import", str(source)], cwd=root)
    assert result.exit_code == 1
    assert "[import-same-path]" in result.stderr
    assert list((root / "plans").rglob("*.yaml")) == []


def test_output_that_would_not_validate_is_not_written(
    make_repo: MakeRepo, run_line: RunLine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fedplan.importer

    monkeypatch.setattr(fedplan.importer, "to_yaml", lambda doc, source: "kind: plan\nbogus: 1\n")
    root = make_repo({})
    result = run_line(["import", str(SIMPLIFIED)], cwd=root)
    assert result.exit_code == 1
    assert "[import-invalid]" in result.stderr
    assert list((root / "plans").rglob("*.yaml")) == []


def test_short_org_in_the_title_takes_the_repository_name(
    make_repo: MakeRepo, run_line: RunLine, tmp_path: Path
) -> None:
    root = make_repo({"fedplan.yaml": "org: 金川区妇联\n"})
    source = tmp_path / "plan.txt"
    source.write_text("区妇联2013年工作要点\n一、发展\n1.培训。年内培训妇女300人次。\n", encoding="utf-8")
    assert run_line(["import", str(source)], cwd=root).exit_code == 0
    assert load(root / "plans/2013/plan.yaml")["org"] == "金川区妇联"
    assert run_line(["import", "--force", "--org", "金川区妇女联合会", str(source)], cwd=root).exit_code == 0
    assert load(root / "plans/2013/plan.yaml")["org"] == "金川区妇女联合会"


def test_empty_file_is_an_error(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    source = tmp_path / "empty.txt"
    source.write_text("\n\n", encoding="utf-8")
    result = run_line(["import", str(source)], cwd=make_repo({}))
    assert result.exit_code == 1
    assert "[import-empty]" in result.stderr


def test_untitled_text_gets_a_marked_placeholder_title(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    source = tmp_path / "notitle.txt"
    source.write_bytes("\ufeff一些文字。\r\n没有标题。\r\n".encode())
    root = make_repo({})
    result = run_line(["import", "--year", "2014", str(source)], cwd=root)
    assert result.exit_code == 0, result.output
    (path,) = (root / "plans/2014/reports").glob("*.yaml")
    text = path.read_text(encoding="utf-8")
    assert "title: （原文无标题）  # 推测：原文没有标题，请核对" in text
    # The opening text of a report is its preamble, not a section called 概述 (issue 12).
    assert yaml.safe_load(text)["preamble"] == "一些文字。\n没有标题。\n"
    assert yaml.safe_load(text)["sections"] == []
    assert run_line(["validate", "--strict"], cwd=root).exit_code == 0


def test_a_document_already_imported_under_another_name(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({"plans/2006/proposals/zhixingli.yaml": "kind: proposal\ntitle: 关于进一步加强我区行政执行力建设的几点建议\n"})
    result = run_line(["import", str(SEED)], cwd=root)
    assert result.exit_code == 1
    assert "[import-duplicate]" in result.stderr and "plans/2006/proposals/zhixingli.yaml" in result.stderr
    assert not (root / "plans/2012").exists()


def test_replacing_a_plan_the_ledger_depends_on_is_refused(
    make_repo: MakeRepo, run_line: RunLine, plan_2012: dict[str, str]
) -> None:
    ledger = "kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-15\n    target: launch\n    done: true\n"
    root = make_repo({**plan_2012, "plans/2012/progress/fazhanbu.yaml": ledger})
    result = run_line(["import", "--force", str(SEED)], cwd=root)
    assert result.exit_code == 1
    assert "[import-invalid]" in result.stderr
    assert "plans/2012/progress/fazhanbu.yaml:5" in result.stderr and "[unknown-target]" in result.stderr
    assert "id: launch" in (root / "plans/2012/plan.yaml").read_text(encoding="utf-8")


def test_a_file_that_cannot_be_written_leaves_none_written(make_repo: MakeRepo, run_line: RunLine) -> None:
    # The 4th of the seed's 5 files cannot be written (its year folder is a file): the
    # three before it must not stay behind, and the user gets a sentence, not a traceback.
    root = make_repo({})
    (root / "plans").mkdir(exist_ok=True)
    (root / "plans/2006").write_text("not a folder", encoding="utf-8")
    result = run_line(["import", str(SEED)], cwd=root)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.output
    assert "写入 plans/2006/proposals/加强行政执行力建设.yaml 失败" in result.output
    left = sorted(p.relative_to(root).as_posix() for p in (root / "plans").rglob("*") if p.is_file())
    assert left == ["plans/2006"]


def test_a_due_date_in_the_text_becomes_the_targets_due(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({})
    assert run_line(["-C", str(root), "import", str(REAL / "midline_plan.txt")]).exit_code == 0
    plan = yaml.safe_load((root / "plans/2023/plan.yaml").read_text(encoding="utf-8"))
    (insurance,) = [t for s in plan["sections"] for i in s["items"] for t in i.get("targets", []) if t["unit"] == "份"]
    assert insurance["due"] == dt.date(2023, 11, 30)  # "11月底前完成"


def test_missing_year_names_the_document_and_its_line(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    source = tmp_path / "两篇.txt"
    source.write_text("区妇联2012年工作总结\n一、成绩\n培训妇女。\n镇团委工作总结\n一、主要工作\n开展活动。\n", encoding="utf-8")
    result = run_line(["-C", str(make_repo({})), "import", str(source)])
    assert result.exit_code == 2
    assert "[import-no-year]" in result.stderr
    assert f"{source}:4：第2篇“镇团委工作总结”" in result.stderr
    assert "第1篇" not in result.stderr


def test_dry_run_shows_the_outline_with_the_words_of_each_target(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo({})
    result = run_line(["-C", str(root), "import", "--dry-run", str(REAL / "midline_plan.txt")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "# 找到的大纲（请对照原文核对）：" in out
    assert "#   “2023年区妇联工作要点”，工作要点，2023年度，原文第1行起" in out
    assert "#     二、服务妇女发展（第9行）" in out
    assert "#       3. 技能培训（第9行）" in out
    assert "培训妇女 1500 人次（原文：“年内举办家政培训班，培训妇女1500人次以上”）" in out
    assert out.index("找到的大纲") < out.index("kind: plan")
    assert not (root / "plans/2023/plan.yaml").exists()


def test_jinja_in_a_legacy_report_prints_as_itself(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    source = tmp_path / "r.txt"
    source.write_text("区妇联2012年工作总结\n一、成绩\n模板写法{{ x }}与{% if %}照录。\n", encoding="utf-8")
    root = make_repo({})
    assert run_line(["import", str(source)], cwd=root).exit_code == 0
    assert run_line(["validate", "--strict"], cwd=root).exit_code == 0
    rendered = run_line(["render", "plans/2012/reports/区妇联2012年工作总结.yaml", "--format", "md"], cwd=root)
    assert "模板写法{{ x }}与{% if %}照录。" in rendered.stdout


def test_an_imported_reports_opening_is_its_preamble_and_prints_before_its_parts(
    make_repo: MakeRepo, run_line: RunLine, tmp_path: Path
) -> None:
    source = tmp_path / "huibao.txt"
    source.write_text(
        "区妇联2001年工作情况汇报\n一年来，我们做了大量工作，现汇报如下。\n一、工作简况\n全年共培训869人次。\n",
        encoding="utf-8",
    )
    root = make_repo({})
    assert run_line(["-C", str(root), "import", str(source)]).exit_code == 0
    (path,) = (root / "plans/2001/reports").glob("*.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["preamble"] == "一年来，我们做了大量工作，现汇报如下。\n"
    assert [s["title"] for s in data["sections"]] == ["工作简况"]
    out = run_line(["-C", str(root), "report", "2001", "--format", "txt"]).output
    assert out.index("一年来，我们做了大量工作") < out.index("一、工作简况") < out.index("全年共培训869人次")


def test_a_figure_of_zero_imports_as_text_not_as_a_target(make_repo: MakeRepo, run_line: RunLine, tmp_path: Path) -> None:
    # "新增0个" used to become `target: 0`, which the import's own check refused as a bug
    source = tmp_path / "要点.txt"
    source.write_text("2012年区妇联工作要点\n一、组织建设\n（一）新增妇女组织0个，培训妇女300人次。\n", encoding="utf-8")
    root = make_repo({})
    result = run_line(["-C", str(root), "import", str(source)])
    assert result.exit_code == 0, result.output
    plan = yaml.safe_load((root / "plans/2012/plan.yaml").read_text(encoding="utf-8"))
    (item,) = plan["sections"][0]["items"]
    assert [(t["target"], t["unit"]) for t in item["targets"]] == [(300, "人次")]
    assert "新增妇女组织0个" in item["title"] + item.get("text", "")


@pytest.mark.parametrize(
    ("body", "titles"),
    [
        ("（一）\n（二）培训妇女。\n", ["（原文无标题）", "培训妇女"]),  # a number alone, then the next
        ("（一）。，培训妇女。\n", ["培训妇女"]),  # a stray mark after the number
        ("（一）：加强建设\n", ["加强建设"]),
    ],
)
def test_a_heading_with_no_words_after_its_number_still_imports(
    make_repo: MakeRepo, run_line: RunLine, tmp_path: Path, body: str, titles: list[str]
) -> None:
    # an empty title used to fail the import's own check ("这是 fedplan import 的缺陷")
    source = tmp_path / "要点.txt"
    source.write_text("2012年区妇联工作要点\n一、组织建设\n" + body, encoding="utf-8")
    root = make_repo({})
    result = run_line(["-C", str(root), "import", str(source)])
    assert result.exit_code == 0, result.output
    plan = yaml.safe_load((root / "plans/2012/plan.yaml").read_text(encoding="utf-8"))
    assert [item["title"] for item in plan["sections"][0]["items"]] == titles


# What a plan's sentences are made of: figures (zero, full-width, with separators, ranges,
# signs), units, the verbs and limits around them, dates, parentheses and stray marks.
_FIGURES = ["0", "０", "1", "12", "100", "0.5", "1,000", "1，000", "３００", "2012", "99.9", "00", "1.",
            "300-500", "10万", "-5", "+3", "0.00"]
_UNITS = ["个", "人次", "%", "％", "万元", "名", "场", "期", "个百分点", "户", "次", "份", "元", "人"]
_WORDS = ["培训妇女", "新增", "达到", "不低于", "控制在", "以下", "以内", "年内", "全年", "举办培训班（", "）",
          "，", "。", "；", "分别", "和", "建成", "增长", "下降", "提高到", "12月底前", "6月", "第二季度", ""]
_PIECE = st.one_of(st.sampled_from(_WORDS), st.builds(str.__add__, st.sampled_from(_FIGURES), st.sampled_from(_UNITS)))
_SENTENCE = st.lists(_PIECE, min_size=0, max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(_SENTENCE, min_size=1, max_size=4))
def test_any_plan_of_figures_and_words_imports_into_yaml_that_passes_its_check(
    tmp_path: Path, items: list[str]
) -> None:
    # The import checks what it would write and refuses it as its own bug
    # ([import-invalid]): a zero figure and an item with no words after its number did.
    source = tmp_path / "要点.txt"
    numbers = "一二三四"
    body = "".join(f"（{numbers[n]}）{text}\n" for n, text in enumerate(items))
    source.write_text("2012年区妇联工作要点\n一、组织建设\n" + body, encoding="utf-8")
    result = cli("import", "--dry-run", "-o", str(tmp_path / "out"), str(source))
    assert result.exit_code == 0, result.output
