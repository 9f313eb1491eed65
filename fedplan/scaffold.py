"""What fedplan writes from nothing (``init``) or from last year (``new``). Pure: text in, text out.

``carry_plan`` edits the earlier plan's own text rather than re-emitting YAML: the comments
people wrote in it (why a due date was chosen, where a figure came from) are the plan's
memory, and a re-emitted file would lose them and requote every line, so next year's diff
against last year would show everything changed. Only these spans change: ``year``, the
year inside ``title``, and each target's ``start``/``due`` (moved to the new year, or the
line dropped when it only restated the default of Jan 1 / Dec 31).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fedplan import __version__
from fedplan.dates import parse_date, year_end, year_start
from fedplan.diagnostics import FedplanError
from fedplan.ledger import scalar
from fedplan.render.chinese import cn_year
from fedplan.source import compose, decode

SCHEMA_DIR = ".fedplan/schema"
SCHEMA_KINDS = ("plan", "progress", "report", "proposal", "settings")
PLACEHOLDER_ORG = "本单位"


# --- fedplan new: next year's plan from an earlier one ----------------------------------------


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def carry_plan(data: bytes, *, from_year: int, to_year: int, path: str, header: str = "") -> bytes:
    """The plan in ``data`` (for ``from_year``) turned into ``to_year``'s, comments kept.

    ``header`` lines are added as ``# `` comments at the top (after a leading
    ``yaml-language-server`` line, which must stay first for editors).
    """
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    text, problems = decode(path, data)
    if text is None:
        raise FedplanError(f"{path}: {problems[0].message}", code="plan-encoding", hint=problems[0].hint)
    newline = "\r\n" if "\r\n" in text else "\n"
    root, problems = compose(path, text)
    if problems:
        raise FedplanError(f"{problems[0].pos}: {problems[0].message}", code="plan-syntax", hint="先运行 fedplan validate 并改正")
    if not isinstance(root, MappingNode):
        raise FedplanError(f"{path} 不是工作要点", code="not-a-plan", hint="用 --from 指定有计划的年度")
    edits: list[_Edit] = []
    year = _value(root, "year")
    if isinstance(year, ScalarNode):
        edits.append(_replace_year(text, year, from_year, to_year))
    title = _value(root, "title")
    if isinstance(title, ScalarNode):
        edits.append(_replace_year(text, title, from_year, to_year))
    for target in _targets(root):
        for key, value in target.value:
            if not (isinstance(key, ScalarNode) and key.value in ("start", "due")):
                continue
            if not isinstance(value, ScalarNode):
                continue
            day = parse_date(str(value.value))
            if day is None:
                continue
            default = year_start(from_year) if key.value == "start" else year_end(from_year)
            dropped = _line_span(text, key, value) if day == default and not target.flow_style else None
            if dropped is not None:
                edits.append(_Edit(*dropped, ""))
            else:
                edits.append(_Edit(value.start_mark.index, value.end_mark.index, _moved(text, value, day, to_year - from_year)))
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    if header:
        text = _with_header(text, header, newline)
    return (bom + text).encode("utf-8")


def _value(mapping: MappingNode, name: str) -> Node | None:
    return next((v for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == name), None)


def _targets(root: MappingNode) -> list[MappingNode]:
    found = []
    for section in _items_of(_value(root, "sections")):
        for item in _items_of(_value(section, "items")):
            found += _items_of(_value(item, "targets"))
    return found


def _items_of(node: Node | None) -> list[MappingNode]:
    if not isinstance(node, SequenceNode):
        return []
    return [child for child in node.value if isinstance(child, MappingNode)]


def _replace_year(text: str, node: ScalarNode, from_year: int, to_year: int) -> _Edit:
    """The node's source text with the year written as digits or as 二〇一二 replaced."""
    written = text[node.start_mark.index : node.end_mark.index]
    written = re.sub(rf"(?<!\d){from_year}(?!\d)", str(to_year), written)
    for old, new in ((cn_year(from_year), cn_year(to_year)),
                     (cn_year(from_year).replace("〇", "零"), cn_year(to_year).replace("〇", "零"))):
        written = written.replace(old, new)
    return _Edit(node.start_mark.index, node.end_mark.index, written)


def _moved(text: str, node: ScalarNode, day: dt.date, years: int) -> str:
    """``day`` ``years`` later, written as it was (2012-06-30, 2012年6月30日, quoted or not)."""
    try:
        moved = day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        moved = day.replace(year=day.year + years, day=28)
    written = text[node.start_mark.index : node.end_mark.index]
    iso = re.search(r"\d{4}-\d{1,2}-\d{1,2}", written)
    if iso:
        return written.replace(iso.group(0), moved.isoformat(), 1)
    cn = re.search(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", written)
    if cn:
        return written.replace(cn.group(0), f"{moved.year}年{moved.month}月{moved.day}日", 1)
    return moved.isoformat()  # pragma: no cover - parse_date accepted it, so one form matched


def _line_span(text: str, key: Node, value: Node) -> tuple[int, int] | None:
    """The whole line(s) of ``key: value`` when nothing else shares them, else None."""
    line_start = text.rfind("\n", 0, key.start_mark.index) + 1
    if text[line_start : key.start_mark.index].strip():
        return None  # "- due: …": the line also starts the mapping
    found = text.find("\n", value.end_mark.index)
    line_end = len(text) if found < 0 else found + 1
    rest = text[value.end_mark.index : line_end].strip()
    if rest and not rest.startswith("#"):
        return None
    return line_start, line_end


def _with_header(text: str, header: str, newline: str) -> str:
    lines = "".join(f"# {line}".rstrip() + newline for line in header.splitlines())
    if text.startswith("# yaml-language-server:"):
        found = text.find("\n")
        first = len(text) if found < 0 else found + 1
        return text[:first] + lines + text[first:]
    return lines + text


# --- fedplan init: a new plan repository ------------------------------------------------------


def repository_files(*, org: str | None, year: int) -> dict[str, str]:
    """Relative path → text of every file ``fedplan init`` writes (except the JSON schemas)."""
    return {
        "fedplan.yaml": _settings(org),
        f"plans/{year}/plan.yaml": _plan(year),
        f"plans/{year}/progress/ledger.yaml": _ledger(year),
        ".gitignore": _GITIGNORE,
        ".github/workflows/fedplan.yml": _GITHUB_WORKFLOW.format(version=__version__),
        ".gitlab-ci.yml": _GITLAB_CI.format(version=__version__),
        ".pre-commit-config.yaml": _PRE_COMMIT,
        "README.md": _README.format(org=org or PLACEHOLDER_ORG, year=year),
    }


def schema_files() -> dict[str, str]:
    """``.fedplan/schema/<kind>.json`` for the ``yaml-language-server`` lines of the YAML files."""
    from fedplan.schema import json_schema

    return {
        f"{SCHEMA_DIR}/{kind}.json": json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"
        for kind in SCHEMA_KINDS
    }


def _settings(org: str | None) -> str:
    return f"""\
# yaml-language-server: $schema={SCHEMA_DIR}/settings.json
# fedplan 仓库设置。各项均可省略，省略时取下面写的默认值。

# 单位名称：计划、台账、报告不写 org 时都用它
org: {scalar(org or PLACEHOLDER_ORG)}
# 输出文字：hans（简体）或 hant（繁體）
script: hans
# 实际完成低于序时进度的这一比例为“严重滞后”，否则为“滞后”
at_risk_below: 0.7
# 节点任务到期前多少天内尚未完成，提示“滞后”
warn_days: 14
# 数值目标连续多少天没有进展记录，予以提示
stale_days: 60
# 成文日期写法：auto（2012年7月1日起用“2012年2月15日”，之前用“二〇一二年二月十五日”）、2012、1999
date_style: auto
"""


def _plan(year: int) -> str:
    return f"""\
# yaml-language-server: $schema=../../{SCHEMA_DIR}/plan.json
# {year}年工作要点。下面是示例内容，请改成本单位的实际计划；
# 改完运行 fedplan validate 检查，fedplan status 查看进度。
kind: plan                # 文档类型：工作要点固定写 plan
year: {year}                # 年度
# org: 金川区妇联         # 单位名称；不写则取 fedplan.yaml 中的 org
# title: 金川区妇联{year}年工作要点  # 标题；不写则为“单位 + 年度 + 年工作要点”
# total_points: 1000      # 考核总分；写了则各目标 points 之和必须等于它
preamble: |               # 总体思路，每行一段
  {year}年全区妇联工作的总体思路是：（请改写为本单位的总体思路）
sections:                 # 各部分，按顺序编为一、二、三……（不要把序号写进标题）
  - title: 以服务群众为主题，引领妇女参与经济社会发展
    items:                # 本部分的工作事项，全文连续编为 1. 2. 3. ……
      - id: shuangxue     # 事项编号：字母、数字、汉字、_ 或 -，同一年内不重复
        title: 深入开展“双学双比”竞赛活动   # 事项标题，不写序号
        text: |           # 事项正文，照计划原文
          举办农业实用技术妇女骨干培训班，年内培训妇女300人次；三月底前召开全区动员大会。
        owner: 发展部      # 牵头部门（可省略）；fedplan log 默认把记录写入该部门的台账
        partners: [区农牧局]   # 配合单位（可省略）
        targets:          # 量化目标和节点任务（可省略）
          - id: farm-training     # 目标编号：台账中写 target: farm-training 引用
            name: 农业实用技术妇女骨干培训
            target: 300           # 目标数值，不含单位
            unit: 人次             # 计量单位；写了 target 就必须写
            # measure: sum        # sum：各次记录累加（默认）；latest：取最新一次（如还贷率）
            # direction: up       # up：至少达到（默认）；down：控制在以下（如发生率）
            # baseline: 0         # 基数（默认 0）
            # start: {year}-01-01   # 开始日期（默认当年 1 月 1 日）
            # due: {year}-12-31     # 完成时限（默认当年 12 月 31 日）
            # points: 40          # 考核分值（可省略）
          - id: shuangxue-launch  # 不写 target 的是节点任务，完成后记 done: true
            name: 召开全区“双学双比”动员大会
            due: {year}-03-31
"""


def _ledger(year: int) -> str:
    return f"""\
# yaml-language-server: $schema=../../../{SCHEMA_DIR}/progress.json
# {year}年进展台账。用 fedplan log 追加记录（不会改动文件中原有的任何内容），也可以手工编辑。
# fedplan log 写到哪个文件：已有该目标记录的台账；否则牵头部门已有记录的台账；
# 否则 plans/{year}/progress/<牵头部门>.yaml（自动新建）；没有牵头部门的事项写入本文件。
# 记录的写法（删去行首的“# ”即可使用）：
#   - date: {year}-03-15          # 日期，须在本年度内
#     target: farm-training     # 目标编号
#     value: 120                # 本次完成数（measure: sum）或最新水平（latest）
#     note: 举办第一期培训班      # 说明（可省略）
#     by: 发展部                 # 填报部门或人（可省略）
#   - date: {year}-03-28
#     target: shuangxue-launch  # 节点任务完成时写 done: true
#     done: true
#   - date: {year}-04-10
#     item: shuangxue           # 只记文字进展时写事项编号和 note
#     note: 赴示范基地调研
kind: progress
year: {year}
entries: []
"""


_GITIGNORE = """\
# fedplan report -o 生成的文件放在 out/ 中，需要存档时再单独提交
/out/
# fedplan 的解析缓存（可随时删除，下次运行会重建）
/.fedplan/cache/
# Word / WPS 打开文档时的临时文件
~$*
.~lock.*#
.DS_Store
Thumbs.db
"""

_GITHUB_WORKFLOW = """\
# 每次推送和合并请求（pull request）都检查计划仓库；
# 发现的问题会以批注的形式显示在改动文件的对应行上。
name: fedplan
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # 安装 fedplan。若本单位从 git 仓库或 wheel 文件安装，把下一行换成相应的地址，
      # 如 pip install "git+https://…/fedplan.git" 或 pip install ./tools/fedplan-{version}-py3-none-any.whl
      - run: pip install "fedplan>={version}"
      - run: fedplan validate --format github
"""

_GITLAB_CI = """\
# 每次推送和合并请求（merge request）都检查计划仓库。
fedplan:
  image: python:3.12-slim
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
  script:
    # 安装 fedplan；若从 git 仓库或 wheel 文件安装，把下一行换成相应的地址。
    - pip install "fedplan>={version}"
    - fedplan validate
"""

_PRE_COMMIT = """\
# 提交前自动运行 fedplan validate（需先 pip install pre-commit fedplan，再 pre-commit install）。
repos:
  - repo: local
    hooks:
      - id: fedplan-validate
        name: fedplan validate
        entry: fedplan validate
        language: system
        pass_filenames: false
        files: ^(plans/.*\\.ya?ml|fedplan\\.yaml)$
"""

_README = """\
# {org}工作计划仓库

本仓库用 [fedplan](https://pypi.org/project/fedplan/) 管理{org}的工作要点、进展台账、工作总结和建议。

- `plans/{year}/plan.yaml`：{year}年工作要点（部分、事项、量化目标和节点任务）
- `plans/{year}/progress/*.yaml`：进展台账，一个部门一个文件
- `plans/{year}/reports/*.yaml`：工作总结、情况汇报（可选）

常用命令：

```
fedplan validate                          # 检查全部文件
fedplan log farm-training 120 --note 第一期  # 记一条进展
fedplan status                            # 各项目标的完成情况
fedplan report {year} -o out/总结.docx     # 生成年度工作总结
```
"""
