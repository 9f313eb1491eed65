"""Rendering: template lookup, the Markdown subset, text layout, HTML, the report sandbox and
the report/render commands (golden files are in test_render_golden.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from jinja2.sandbox import SecurityError

from fedplan.bodies.sandbox import UnknownTarget, check_body, render_body
from fedplan.diagnostics import FedplanError
from fedplan.render.blocks import Block, RenderedDocument
from fedplan.render.chinese import percent, quantity
from fedplan.render.docx import WORD_JOINER
from fedplan.render.env import (
    builtin_template_dir,
    check_template_name,
    make_environment,
    template_dirs,
)
from fedplan.render.markdown import md_escape, parse_markdown
from fedplan.render.output import choose_format
from fedplan.render.text import place_signature, to_text, wrap
from tests.conftest import MakeRepo, RunLine

DATA = Path(__file__).parents[1] / "data" / "render"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of tests/data/render, free to change."""
    root = tmp_path / "repo"
    shutil.copytree(DATA, root)
    return root


# --- template environment -------------------------------------------------------------


def test_builtins_come_from_the_installed_package() -> None:
    builtin = builtin_template_dir()
    assert (builtin / "plan.md.j2").is_file()
    assert (builtin / "__init__.py").is_file()  # a package, so a wheel ships it


def test_repository_templates_come_first(repo: Path) -> None:
    (repo / "templates").mkdir()
    assert template_dirs(repo) == [repo / "templates", builtin_template_dir()]
    assert template_dirs(repo / "nowhere") == [builtin_template_dir()]


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_override_by_file_name_changes_every_format(repo: Path, run_line: RunLine, fmt: str) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "plan.md.j2").write_text(
        "# {{ title | md }}（本单位格式）\n\n{% for s in sections %}## {{ s.number | section_number }}"
        "{{ s.section.title | md }}\n\n{% endfor %}",
        encoding="utf-8",
    )
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "测试区妇联2012年工作要点（本单位格式）" in result.output
    assert "联合区农牧局" not in result.output  # the built-in's item text is gone


@pytest.mark.parametrize("name", ["../x.j2", "/etc/passwd", "a/../../b", "..\\x", ""])
def test_template_names_stay_in_the_template_folders(name: str) -> None:
    with pytest.raises(FedplanError) as caught:
        check_template_name(name)
    assert caught.value.code == "bad-template-name"


def test_unknown_template_lists_the_available(repo: Path, run_line: RunLine) -> None:
    result = run_line(["-C", str(repo), "report", "2012", "--template", "nope.md.j2"])
    assert result.exit_code == 1
    assert "[template-not-found]" in result.output
    assert "summary.md.j2" in result.output


def test_html_templates_autoescape() -> None:
    env = make_environment(None)
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"
    page = env.get_template("page.html.j2")
    html = page.render(
        doc=RenderedDocument("t", ()), blocks=(Block("title", "<b>"),), charts={}, indents={},
        line_chars=28,
    )
    assert "<h1>&lt;b&gt;</h1>" in html


# --- Markdown subset ------------------------------------------------------------------

MARKDOWN = """\
# 金川区妇联2012年工作要点

<div align="center">（截至2012年9月30日）</div>

<div align="left">区委、区政府：</div>

2012年，是党的十八大召开之年，
是关键一年。

## 一、以服务群众为主题

### （一）引领妇女

#### 1.组织状况

**5.着力推进“双学双比”竞赛活动。**立足实际。

<!-- chart: farm-training -->

| 目标 | 完成 |
|---|---|
| 培训 \\| 妇女 | 300人次 |

<div align="right">金川区妇联</div>
<div align="right">二〇一二年二月十五日</div>
"""


def test_parse_markdown() -> None:
    assert parse_markdown(MARKDOWN) == (
        Block("title", "金川区妇联2012年工作要点"),
        Block("subtitle", "（截至2012年9月30日）"),
        Block("addressee", "区委、区政府："),
        Block("paragraph", "2012年，是党的十八大召开之年，是关键一年。"),
        Block("heading", "一、以服务群众为主题", level=1),
        Block("heading", "（一）引领妇女", level=2),
        Block("heading", "1.组织状况", level=3),
        Block("paragraph", "立足实际。", lead="5.着力推进“双学双比”竞赛活动。", level=3),
        Block("chart", target_id="farm-training"),
        Block("table", rows=(("目标", "完成"), ("培训 | 妇女", "300人次"))),
        Block("signature", "金川区妇联"),
        Block("date", "二〇一二年二月十五日"),
    )


PLAIN_CLOSING = """# 瓯海区人大代表关于加强垃圾处理的建议

区人民政府及有关部门：

现将有关情况报告如下：

瓯海区人大代表
"""


def test_a_documents_addressee_and_undated_signature_are_plain_markdown() -> None:
    blocks = parse_markdown(PLAIN_CLOSING, addressed=True, signer="瓯海区人大代表")
    assert [(b.kind, b.text) for b in blocks] == [
        ("title", "瓯海区人大代表关于加强垃圾处理的建议"),
        ("addressee", "区人民政府及有关部门："),
        ("paragraph", "现将有关情况报告如下："),
        ("signature", "瓯海区人大代表"),
    ]
    # Unless the caller says so, a line under the title ending in "：" is body text (a
    # 总结 opens "现将上半年工作总结如下："), and a closing line is not a signature.
    plain = parse_markdown(PLAIN_CLOSING)
    assert [b.kind for b in plain] == ["title", "paragraph", "paragraph", "paragraph"]
    assert parse_markdown("# 标题\n\n正文。\n\n2012年7月5日\n")[-1] == Block("date", "2012年7月5日")


def _bundled_documents() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    found = sorted((root / "plans").glob("*/proposals/*.yaml")) + sorted((root / "plans").glob("*/reports/*.yaml"))
    return [*found, DATA / "plans/2006/proposal.yaml"]


@pytest.mark.parametrize("path", _bundled_documents(), ids=lambda p: p.stem)
def test_bundled_documents_render_as_markdown_without_html(path: Path, run_line: RunLine) -> None:
    root = path.parents[3] if path.parent.name in ("proposals", "reports") else DATA
    markdown = run_line(["-C", str(root), "--no-cache", "render", str(path), "--format", "md"]).output  # leaves no cache in the checkout
    assert not re.search(r"<[A-Za-z!/]", markdown), markdown


def test_the_undated_proposal_keeps_its_addressee_and_signature_in_word(run_line: RunLine, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "p.docx"
    run_line(["-C", str(root), "render", str(root / "plans/undated/proposals/ouhai-laji.yaml"), "-o", str(out)])
    paragraphs = [p for p in docx.Document(str(out)).paragraphs if p.text]
    addressee = next(p for p in paragraphs if p.text == "区人民政府及有关部门：")
    assert addressee.paragraph_format.first_line_indent is None  # 顶格, not a body paragraph
    assert paragraphs[-1].text == "瓯海区人大代表"
    assert paragraphs[-1].alignment == 2  # right (WD_ALIGN_PARAGRAPH.RIGHT)
    md = run_line(["-C", str(root), "render", str(root / "plans/undated/proposals/ouhai-laji.yaml")]).output
    assert "\n区人民政府及有关部门：\n" in md and md.rstrip().endswith("\n瓯海区人大代表")


@pytest.mark.parametrize("text", ["<b>加粗</b>", "**不是标题**", "# 不是标题", "a | b", "反斜杠\\", "> 引用"])
def test_escaped_user_text_round_trips_as_text(text: str) -> None:
    assert parse_markdown(md_escape(text)) == (Block("paragraph", text),)


@given(st.text(alphabet=st.sampled_from(list(" #*<>|\\`-:!ab一、（）1.\u3000\t\n")), min_size=1))
def test_any_escaped_text_stays_one_paragraph(text: str) -> None:
    assume(text.strip())
    expected = " ".join(text.split("\n")).strip()
    assert parse_markdown(md_escape(text)) == (Block("paragraph", expected),)


# --- plain text -----------------------------------------------------------------------


def test_wrap_keeps_closing_marks_off_line_starts() -> None:
    lines = wrap("一二三四五六七八九十，一二", columns=20)
    assert lines == ["一二三四五六七八九十，", "一二"]  # hung in the margin
    lines = wrap("一二三四五六七八九十，一二", columns=20, hang=False)
    assert lines == ["一二三四五六七八九", "十，一二"]  # a table cell: nothing sticks out


def test_a_token_of_many_lines_is_cut_measuring_each_character_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The txt of a 100 KB word took 14 s: every line cut off it measured (and copied) the
    whole rest again. The characters measured now stay a small multiple of the text's."""
    from fedplan.render import text

    measured: list[int] = []
    real = text.display_width

    def counting(chars: str, *, ambiguous_wide: bool) -> int:
        measured.append(len(chars))
        return real(chars, ambiguous_wide=ambiguous_wide)

    monkeypatch.setattr(text, "display_width", counting)
    token = "a" * 20_000 + "中文" + "b" * 99
    lines = wrap("开头，" + token + "。", columns=56, first_indent=text.INDENT)
    assert "".join(lines) == text.INDENT + "开头，" + token + "。"
    assert all(real(line, ambiguous_wide=True) <= 56 for line in lines[:-1])
    assert lines[0] == text.INDENT + "开头，" and set(lines[1:357]) == {"a" * 56}
    assert sum(measured) <= 3 * len(token)


def test_wrap_keeps_numbers_whole_and_openers_at_line_starts() -> None:
    lines = wrap("一二三四五六七八九123", columns=20)
    assert lines == ["一二三四五六七八九", "123"]
    lines = wrap("一二三四五六七八九“十”", columns=20)
    assert lines == ["一二三四五六七八九", "“十”"]


def test_a_table_cell_never_breaks_inside_a_quoted_or_book_title_name() -> None:
    assert wrap("指导创建“巾帼文明岗”", columns=14, hang=False, keep_names=True) == ["指导创建", "“巾帼文明岗”"]
    assert wrap("宣讲《反家庭暴力条例》", columns=20, hang=False, keep_names=True) == ["宣讲", "《反家庭暴力条例》"]
    # without keep_names (running text), a line is filled as before
    assert wrap("指导创建“巾帼文明岗”", columns=14, hang=False) == ["指导创建“巾帼", "文明岗”"]
    # a name wider than the column alone still breaks, Chinese-style
    assert wrap("“全国法制宣传日普法宣传活动”", columns=12, hang=False, keep_names=True) == [
        "“全国法制宣", "传日普法宣传", "活动”",
    ]
    # a closing mark after the name takes the whole name down with it
    assert wrap("创建了“巾帼岗”。", columns=14, hang=False, keep_names=True) == ["创建了", "“巾帼岗”。"]


def test_the_txt_summary_table_keeps_quoted_names_whole() -> None:
    rows = (("项目", "目标", "完成", "完成率", "状态", "得分"),
            ("指导创建“巾帼文明岗”", "8个", "7个", "87.5%", "未完成", "26.3"),
            ("召开全区“两规划”启动大会", "6月30日前", "7月12日", "—", "推迟完成", "20"),
            ("“6.26”国际禁毒日普法宣传活动", "6月26日前", "6月26日", "—", "已完成", "10"))
    text = to_text(RenderedDocument(title="表", blocks=(Block("table", rows=rows),)))
    lines = text.splitlines()
    assert not [line for line in lines if line.count("“") != line.count("”")], text
    assert any(line.startswith("“巾帼文明岗”") for line in lines)


def test_signature_placement_follows_gbt9704() -> None:
    # name two characters from the right; the date starts two characters right of the name
    place = place_signature("金川区人民政府办公室", "2012年7月5日", columns=56)
    assert place.name_start == 56 - 4 - 20
    assert place.date_start == place.name_start + 4
    # a date longer than that: two characters from the right, the name moves left
    place = place_signature("区妇联", "二〇〇六年二月十五日", columns=56)
    assert place.date_start == 56 - 4 - 20
    assert place.name_start == place.date_start - 4


def test_text_layout() -> None:
    doc = RenderedDocument(
        "标题",
        (
            Block("title", "标题"),
            Block("paragraph", "正文内容很长很长。", lead="1.小标题。", level=3),
            Block("signature", "区妇联"),
            Block("date", "2012年7月5日"),
        ),
    )
    # 14 characters: centred title, two-character indent, wrapped flush left; the date is
    # longer than the name, so it sits two characters from the right and the name moves left.
    assert to_text(doc, chars=14).splitlines() == [
        "            标题",
        "",
        "\u3000\u30001.小标题。正文内容很长很",
        "长。",
        "",
        "        区妇联",
        "            2012年7月5日",
    ]


# --- report bodies in the sandbox -----------------------------------------------------

INJECTIONS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ ''['__cla' ~ 'ss__'] }}",
]


@pytest.mark.parametrize("body", INJECTIONS)
def test_injected_code_runs_nothing_and_is_reported(body: str) -> None:
    with pytest.raises(SecurityError):
        render_body(body, None)
    assert [p.code for p in check_body(body, None, [])] == ["unsafe-template"]


def test_unknown_target_in_body() -> None:
    with pytest.raises(UnknownTarget) as caught:
        render_body("{{ t('farm-trainig').actual }}", None)
    assert caught.value.target_id == "farm-trainig"
    problems = check_body("第一行\n培训{{ t('farm-trainig').actual }}人次", None, ["farm-training"])
    assert [(p.code, p.line, p.column) for p in problems] == [("unknown-target", 2, 9)]


def test_body_without_expressions_is_literal() -> None:
    assert render_body("全年培训869人次。", None) == "全年培训869人次。"


REPORT_WITH = """\
kind: report
year: 2012
id: annual
title: 总结
sections:
  - title: 主要工作
    body: |
      培训妇女{{{{ t('farm-training').actual }}}}人次。
      {body}
"""


@pytest.mark.parametrize(
    ("body", "code", "col"),
    [
        ("{{ ''.__class__.__mro__ }}", "unsafe-template", 7),
        ("{{ cycler.__init__.__globals__ }}", "unsafe-template", 7),
        ("{{ t('farm-trainig').percent }}", "unknown-target", 13),
        ("{{ t('farm-training' }}", "report-syntax", 7),
    ],
)
def test_validate_reports_bad_bodies_at_their_line(
    make_repo: MakeRepo, plan_2012: dict[str, str], run_line: RunLine, body: str, code: str, col: int
) -> None:
    root = make_repo({**plan_2012, "plans/2012/annual.yaml": REPORT_WITH.format(body=body)})
    result = run_line(["-C", str(root), "validate"])
    assert result.exit_code == 1
    assert f"plans/2012/annual.yaml:9:{col}: 错误:" in result.output
    assert f"[{code}]" in result.output
    refused = run_line(["-C", str(root), "report", "2012"])
    assert refused.exit_code == 1
    assert "fedplan validate" in refused.output


# --- the commands ---------------------------------------------------------------------


def _table(markdown: str) -> dict[str, tuple[str, ...]]:
    table = next(b for b in parse_markdown(markdown) if b.kind == "table")
    return {row[0]: row for row in table.rows[1:]}


@pytest.mark.parametrize("as_of", ["2012-03-31", "2012-09-30", "2012-12-31"])
def test_summary_figures_equal_status_json(repo: Path, run_line: RunLine, as_of: str) -> None:
    status = json.loads(run_line(["-C", str(repo), "status", "2012", "--as-of", as_of, "--format", "json"]).output)
    summary = run_line(["-C", str(repo), "report", "2012", "--as-of", as_of]).output
    rows = _table(summary)
    assert len(rows) == len(status["targets"])
    for target in status["targets"]:
        row = rows[target["name"]]
        if target["percent"] is None:
            assert bool(re.fullmatch(r"\d+月\d+日", row[2])) == target["actual"]
        else:
            assert row[2] == quantity(target["actual"], target["unit"])
            assert row[3] == percent(target["percent"])
        assert row[5] == ("—" if target["score"] is None else f"{target['score']:g}")
    assert f"考核得分{status['score']:g}分" in summary


def test_report_without_id_is_annual_else_summary(repo: Path, run_line: RunLine) -> None:
    summary = run_line(["-C", str(repo), "report", "2012", "--as-of", "2012-09-30"]).output
    assert summary.startswith("# 测试区妇联2012年工作进展情况")  # half-year is not the annual
    half = run_line(["-C", str(repo), "report", "2012", "--id", "half-year"]).output
    assert half.startswith("# 测试区妇联2012年上半年工作总结")
    annual = (repo / "plans/2012/reports/half-year.yaml").read_text(encoding="utf-8")
    annual = annual.replace("title: 测试区妇联2012年上半年工作总结", "id: annual\ntitle: 年度总结")
    (repo / "plans/2012/reports/annual.yaml").write_text(annual, encoding="utf-8")
    assert run_line(["-C", str(repo), "report", "2012"]).output.startswith("# 年度总结")


def test_report_as_of_wins_unless_given(repo: Path, run_line: RunLine) -> None:
    half = run_line(["-C", str(repo), "report", "2012", "--id", "half-year"]).output
    assert "上半年培训妇女120人次" in half  # as of 2012-06-30, the report's own
    later = run_line(["-C", str(repo), "report", "2012", "--id", "half-year", "--as-of", "2012-12-31"]).output
    assert "上半年培训妇女320人次" in later


def test_report_for_a_year_without_plan_is_literal(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo(
        {
            "plans/2001/huibao.yaml": "kind: report\nyear: 2001\ntitle: 区妇联工作情况汇报\n"
            "sections:\n  - title: 工作简况\n    body: 全年共培训869人次，争取经费6.6万元。\n"
        }
    )
    result = run_line(["-C", str(root), "report", "2001", "--id", "huibao", "--format", "txt"])
    assert result.exit_code == 0, result.output
    assert "全年共培训869人次，争取经费6.6万元。" in result.output
    only = run_line(["-C", str(root), "report", "2001", "--format", "txt"])
    assert only.output == result.output  # no plan to draft from: the year's only report
    missing = run_line(["-C", str(root), "report", "2002"])
    assert missing.exit_code == 1
    assert "[unknown-year]" in missing.output


def test_unknown_report_id(repo: Path, run_line: RunLine) -> None:
    result = run_line(["-C", str(repo), "report", "2012", "--id", "nope"])
    assert result.exit_code == 1
    assert "[unknown-report]" in result.output
    assert "half-year" in result.output


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escaped(repo: Path, run_line: RunLine) -> None:
    plan = repo / "plans/2012/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("org: 测试区妇联", "org: 测试<b>区</b>妇联"), encoding="utf-8")
    out = repo / "out" / "summary.html"
    result = run_line(["-C", str(repo), "report", "2012", "--as-of", "2012-09-30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert "script" not in page.tags
    assert "b" not in page.tags
    assert "测试<b>区</b>妇联2012年工作进展情况" in "".join(page.text)
    assert "&lt;b&gt;" in html
    assert not any(v and ("http:" in v or "https:" in v or v.startswith("//")) for _, v in page.attrs)
    assert "url(" not in html and "@import" not in html
    assert page.tags.count("svg") == 3  # farm-training, loan, wenming-gang; not the milestone
    assert '<html lang="zh-CN">' in html


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html", ".htm", ".docx"])
def test_output_format_from_extension(repo: Path, run_line: RunLine, suffix: str) -> None:
    out = repo / f"plan{suffix}"
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    data = out.read_bytes()
    if suffix == ".docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs).replace(WORD_JOINER, "")
    else:
        text = data.decode("utf-8")
    assert "测试区妇联2012年工作要点" in text
    assert "农业实用技术妇女骨干培训300人次" in text
    assert not [p for p in repo.iterdir() if p.name.endswith(".tmp")]


def test_docx_of_each_kind_reads_back(repo: Path, run_line: RunLine) -> None:
    out = repo / "summary.docx"
    run_line(["-C", str(repo), "report", "2012", "--as-of", "2012-09-30", "-o", str(out)])
    document = docx.Document(str(out))
    # the Word file keeps each figure with its unit by zero-width word joiners (docx.py)
    texts = [p.text.replace(WORD_JOINER, "") for p in document.paragraphs]
    assert texts[0] == "测试区妇联2012年工作进展情况"
    assert "一、主要工作及成效" in texts
    assert texts[-1] == "2012年9月30日"
    cells = [c.text.replace(WORD_JOINER, "") for c in document.tables[0].rows[1].cells]
    assert cells[:4] == ["农业实用技术妇女骨干培训", "300人次", "320人次", "106.7%"]


def test_docx_needs_a_file(repo: Path, run_line: RunLine) -> None:
    result = run_line(["-C", str(repo), "report", "2012", "--format", "docx"])
    assert result.exit_code == 2
    assert "[docx-needs-output]" in result.output


def test_format_choice() -> None:
    assert choose_format(None, None) == "md"
    assert choose_format(Path("a.HTM"), None) == "html"
    assert choose_format(Path("a.txt"), "md") == "md"
    with pytest.raises(FedplanError):
        choose_format(Path("a.pdf"), None)


def test_traditional_script(repo: Path, run_line: RunLine) -> None:
    out = repo / "plan.html"
    run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml"), "--script", "hant", "-o", str(out)])
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-TW">' in html
    assert "測試區婦聯2012年工作要點" in html
    summary = repo / "summary.html"
    run_line(["-C", str(repo), "report", "2012", "--script", "hant", "-o", str(summary)])
    assert "農業實用技術婦女骨幹培訓" in summary.read_text(encoding="utf-8").split("<svg", 1)[1]
    (repo / "fedplan.yaml").write_text("script: hant\n", encoding="utf-8")
    md = run_line(["-C", str(repo), "render", str(repo / "plans/2006/proposal.yaml")]).output
    assert md.startswith("# 關於進一步加強我區婦聯工作的建議")
    assert "幹部" in md


def test_proposal_date_style_by_its_own_date(repo: Path, run_line: RunLine) -> None:
    md = run_line(["-C", str(repo), "render", str(repo / "plans/2006/proposal.yaml")]).output
    assert md.endswith("\\\n二〇〇六年二月十五日\n")
    (repo / "fedplan.yaml").write_text("date_style: '2012'\n", encoding="utf-8")
    md = run_line(["-C", str(repo), "render", str(repo / "plans/2006/proposal.yaml")]).output
    assert md.endswith("\\\n2006年2月15日\n")


def test_progress_files_are_not_rendered(repo: Path, run_line: RunLine) -> None:
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/progress/fazhanbu.yaml")])
    assert result.exit_code == 1
    assert "[not-renderable]" in result.output


def test_as_of_outside_the_year(repo: Path, run_line: RunLine) -> None:
    result = run_line(["-C", str(repo), "report", "2012", "--as-of", "2013-01-01"])
    assert result.exit_code == 1
    assert "[as-of-outside-year]" in result.output


def test_default_as_of_is_today_clipped_into_the_year(repo: Path, run_line: RunLine) -> None:
    md = run_line(["-C", str(repo), "report", "2012"]).output
    expected = min(dt.date.today(), dt.date(2012, 12, 31))
    assert md.startswith("# 测试区妇联2012年工作总结") == (expected == dt.date(2012, 12, 31))


def test_summary_of_a_plan_without_targets(make_repo: MakeRepo, run_line: RunLine) -> None:
    root = make_repo(
        {
            "plans/2013/plan.yaml": "kind: plan\norg: 空区妇联\nyear: 2013\nsections:\n"
            "  - title: 一节\n    items:\n      - id: a\n        title: 一项\n"
        }
    )
    md = run_line(["-C", str(root), "report", "2013", "--as-of", "2013-05-01"]).output
    assert "**1.一项。** 暂无进展记录。" in md
    assert "|" not in md  # no empty table
    assert "## 二、存在的问题" in md


def test_bad_body_on_the_key_line(make_repo: MakeRepo, plan_2012: dict[str, str], run_line: RunLine) -> None:
    report = (
        "kind: report\nyear: 2012\ntitle: 总结\nsections:\n"
        "  - title: 一\n    body: \"培训{{ t('farm-trainig').actual }}人次\"\n"
    )
    root = make_repo({**plan_2012, "plans/2012/r.yaml": report})
    result = run_line(["-C", str(root), "validate"])
    assert "plans/2012/r.yaml:6:20: 错误:" in result.output  # the id itself, after the quote
    assert "是不是“farm-training”？" in result.output


def test_progress_chart_escapes_and_draws_the_pace() -> None:
    from fedplan.model import Entry
    from fedplan.render.chart import progress_chart
    from fedplan.status import TargetStatus

    entries = (
        Entry(path="p.yaml", date=dt.date(2012, 3, 1), target="x", value=100),
        Entry(path="p.yaml", date=dt.date(2012, 6, 1), target="x", value=50),
    )
    ts = TargetStatus(
        id="x", name="培训<script>", section="一", section_index=0, item="a", item_title="甲",
        item_number=1, target=300, unit="人次", actual=150, percent=50, expected=149.2,
        status="on-track", start=dt.date(2012, 1, 1), due=dt.date(2012, 12, 31), points=None,
        score=None, entries=entries, last_entry=dt.date(2012, 6, 1), stale=False,
    )
    svg = str(progress_chart(ts, as_of=dt.date(2012, 6, 30), year=2012))
    assert "<script>" not in svg and "培训&lt;script&gt;" in svg
    assert svg.count("<polyline") == 2  # the actual course and the expected pace
    assert "150人次（50%）" in svg and "截至6月30日" in svg


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{{ cycler.__init__.__globals__ }}", "unsafe-template"),
        ("{{ title.__class__.__mro__ }}", "unsafe-template"),
        ("{{ no_such_value }}", "template-error"),
        ("{{ 1 + title }}", "template-error"),
        ("{% for %}", "template-syntax"),
    ],
)
def test_repository_templates_are_sandboxed(repo: Path, run_line: RunLine, template: str, code: str) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "plan.md.j2").write_text(template, encoding="utf-8")
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml")])
    assert result.exit_code == 1
    assert f"[{code}]" in result.output


# --- the summary's notes index ----------------------------------------------------------


@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, "a", "b", "c"]),  # item
            st.sampled_from([None, "a-1", "a-2", "b-1", "x"]),  # target
            st.sampled_from(["", "做了"]),  # note
        ),
        max_size=30,
    )
)
def test_note_index_finds_what_a_scan_of_the_ledger_finds(rows: list[tuple[str | None, str | None, str]]) -> None:
    from fedplan.model import Entry, Item, Target
    from fedplan.render.views import NoteIndex

    entries = tuple(
        Entry(path="p.yaml", date=dt.date(2012, 1, 1 + n % 28), item=i, target=t, note=note)
        for n, (i, t, note) in enumerate(rows)
    )
    index = NoteIndex(entries)
    for item_id in "abc":
        ids = {f"{item_id}-1", f"{item_id}-2"}
        item = Item(id=item_id, title="事项", targets=tuple(Target(id=t, name=t) for t in sorted(ids)))
        scanned = tuple(e for e in entries if e.note and (e.item == item_id or e.target in ids))
        assert index.notes(item) == scanned
        assert all(a is b for a, b in zip(index.notes(item), scanned, strict=True))


@pytest.mark.parametrize("how", ["file", "include", "folder"])
def test_a_template_linked_outside_the_repository_is_not_read(
    repo: Path, run_line: RunLine, tmp_path: Path, how: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "plan.md.j2").write_text("SECRET-7c1e {{ title }}", encoding="utf-8")
    if how == "folder":
        (repo / "templates").symlink_to(outside)
    else:
        (repo / "templates").mkdir()
        (repo / "templates" / ("plan.md.j2" if how == "file" else "x.md.j2")).symlink_to(outside / "plan.md.j2")
        if how == "include":
            (repo / "templates" / "plan.md.j2").write_text("{% include 'x.md.j2' %}", encoding="utf-8")
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml")])
    assert result.exit_code == 1
    assert "SECRET-7c1e" not in result.output
    assert "[template-outside-repository]" in result.output


def test_a_template_linked_inside_the_repository_is_read(repo: Path, run_line: RunLine) -> None:
    (repo / "templates").mkdir()
    (repo / "shared.md.j2").write_text("# 共用 {{ title | md }}\n", encoding="utf-8")
    (repo / "templates" / "plan.md.j2").symlink_to(repo / "shared.md.j2")
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml")])
    assert result.exit_code == 0, result.output
    assert "共用" in result.output


# --- -o onto what is not a plain new file ----------------------------------------------


def test_render_refuses_to_overwrite_its_own_source(repo: Path, run_line: RunLine) -> None:
    plan = repo / "plans/2012/plan.yaml"
    before = plan.read_bytes()
    result = run_line(["-C", str(repo), "render", str(plan), "-o", str(plan), "--format", "md"])
    assert result.exit_code == 2
    assert "[output-is-source]" in result.output
    assert plan.read_bytes() == before


def test_output_through_a_link_keeps_the_link(repo: Path, run_line: RunLine, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    link = tmp_path / "plan.md"
    link.symlink_to(tmp_path / "shared" / "plan.md")
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml"), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "测试区妇联2012年工作要点" in (tmp_path / "shared" / "plan.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        ("parent-is-file", "不是文件夹"),
        ("fifo", "没有程序在读取"),
        ("read-only", "只读"),
    ],
)
def test_output_onto_what_cannot_be_replaced_is_a_clear_error(
    repo: Path, run_line: RunLine, tmp_path: Path, make: str, words: str
) -> None:
    import os

    target = tmp_path / "out.md"
    if make == "parent-is-file":
        (tmp_path / "blocker").write_text("", encoding="utf-8")
        target = tmp_path / "blocker" / "out.md"
    elif make == "fifo":
        os.mkfifo(target)
    else:
        target.write_text("旧", encoding="utf-8")
        target.chmod(0o444)
    result = run_line(["-C", str(repo), "render", str(repo / "plans/2012/plan.yaml"), "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert words in result.output and "Traceback" not in result.output
    if make == "fifo":
        assert target.is_fifo()
    if make == "read-only":
        assert target.read_text(encoding="utf-8") == "旧"


def test_plain_markdown_subtitle_and_signature() -> None:
    blocks = parse_markdown("# 题\n\n（截至2012年9月30日）\n\n正文。\n\n某区妇联\\\n2012年9月30日\n")
    assert [(b.kind, b.text) for b in blocks] == [
        ("title", "题"),
        ("subtitle", "（截至2012年9月30日）"),
        ("paragraph", "正文。"),
        ("signature", "某区妇联"),
        ("date", "2012年9月30日"),
    ]
    # not a signature: not the last chunk, or a sentence, or no date
    body = parse_markdown("# 题\n\n正文（一）\n\n甲。\\\n2012年9月30日\n")
    assert [b.kind for b in body] == ["title", "paragraph", "paragraph"]


def test_a_numbered_title_is_not_numbered_twice(make_repo: MakeRepo, plan_2012: dict[str, str], run_line: RunLine) -> None:
    plan = plan_2012["plans/2012/plan.yaml"].replace("  - title: 以服务群众为主题", "  - title: 二、以服务群众为主题")
    plan = plan.replace("title: 着力推进", "title: 3.着力推进")
    root = make_repo({**plan_2012, "plans/2012/plan.yaml": plan})
    rendered = run_line(["-C", str(root), "render", "plans/2012/plan.yaml"]).output
    assert "## 一、以服务群众为主题" in rendered and "一、二、" not in rendered
    assert "**1.着力推进" in rendered and "1.3." not in rendered
    summary = run_line(["-C", str(root), "report", "2012", "--as-of", "2012-12-31"]).output
    assert "### （一）以服务群众为主题" in summary and "**1.着力推进" in summary
    warned = run_line(["-C", str(root), "validate"]).output
    assert warned.count("[numbered-title]") == 2


def test_a_note_or_unit_cannot_add_markdown_structure(make_repo: MakeRepo, run_line: RunLine) -> None:
    # U+2028 in a note would start a line of its own ("# 伪造的标题" a heading); "|" in a
    # unit would add table columns. Both stay text of their paragraph or cell.
    from tests.conftest import PLAN_2012, PLAN_PATH

    root = make_repo({
        PLAN_PATH: PLAN_2012.replace("unit: 人次", 'unit: "人|次"'),
        "plans/2012/progress/a.yaml": (
            "kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-01\n    item: shuangxue\n"
            '    note: "开展活动\\u2028# 伪造的标题\\u2028| a | b |"\n'
            "  - date: 2012-03-02\n    target: farm-training\n    value: 3\n"
        ),
    })
    result = run_line(["-C", str(root), "report", "2012"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert not any(line.startswith("# 伪造") or line.startswith("| a") for line in lines)
    assert "\u2028" not in result.stdout
    rows = [line for line in lines if line.startswith("| 农业实用技术")]
    assert rows and all(row.count("|") - row.count("\\|") == 6 for row in rows)
