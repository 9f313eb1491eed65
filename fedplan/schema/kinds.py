"""The declaration of every document kind (SPEC §3, §6) and of fedplan.yaml: one Spec per
mapping, one Field per key, each with its type (fedplan.schema.fields). The same declaration
drives the walk, the Chinese messages and ``fedplan schema``."""

from __future__ import annotations

from fedplan.hanzi import SCRIPTS
from fedplan.kinds import DOCUMENTS
from fedplan.schema.fields import (
    Bool,
    Choice,
    Date,
    Field,
    Id,
    Ids,
    Integer,
    ListOf,
    Nested,
    Number,
    Parsed,
    Spec,
    Str,
    Strs,
    Text,
)


def _kind(kind: str) -> Field:
    return Field("kind", Choice((kind,)), "文档类型", required=True)


SIGNATURE = Spec(
    "落款",
    (
        Field("org", Str(), "发文机关署名"),
        Field("date", Date(), "成文日期，如 2012-12-28 或 2012年12月28日"),
    ),
)

TARGET = Spec(
    "目标",
    (
        Field("id", Id(), "目标编号（字母、数字、汉字、_ 或 -），台账和报告用它引用此目标", required=True),
        Field("name", Str(), "目标名称", required=True),
        Field("target", Number(exclusive_minimum=0), "目标数值（不含单位）；不写则为节点任务"),
        Field("unit", Str(), "计量单位，如 人次、个、名、%、万元；写了 target 就必须写"),
        Field("measure", Choice(("sum", "latest")), "sum：各次记录累加（默认）；latest：取最新一次（如比率）"),
        Field("direction", Choice(("up", "down")), "up：至少达到（默认）；down：控制在以下（如发生率）"),
        Field("baseline", Number(), "基数（默认 0）"),
        Field("start", Date(), "开始日期（默认当年 1 月 1 日）"),
        Field("due", Date(), "完成时限（默认当年 12 月 31 日）"),
        Field("points", Number(minimum=0), "考核分值"),
        Field("pace", Parsed({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "number"}}, {"type": "object"}]}), "进度要求：linear 均匀、hold 全年保持、[一至四季度末累计比例]、12 个月末比例、{日期: 比例} 或 fedplan.yaml 中的进度方案名"),
    ),
)

ITEM = Spec(
    "工作事项",
    (
        Field("id", Id(), "事项编号，台账和建议用它引用此事项", required=True),
        Field("title", Str(), "事项标题（不含序号）", required=True),
        Field("text", Text(), "事项正文，照计划原文"),
        Field("owner", Str(), "牵头部门"),
        Field("partners", Strs(), "配合单位"),
        Field("targets", ListOf(TARGET), "量化目标和节点任务"),
    ),
)

SECTION = Spec(
    "部分",
    (
        Field("title", Str(), "部分标题（不含“一、”等序号）", required=True),
        Field("items", ListOf(ITEM), "本部分的工作事项（序号全文连续编排）", required=True),
    ),
)

PLAN = Spec(
    "工作要点",
    (
        _kind("plan"),
        Field("org", Str(), "单位名称；不写则取 fedplan.yaml 的 org"),
        Field("year", Integer(minimum=1949, maximum=2200), "年度", required=True),
        Field("title", Str(), "标题；默认“{单位}{年度}年工作要点”"),
        Field("total_points", Number(exclusive_minimum=0), "考核总分；写了则各目标 points 之和必须等于它"),
        Field("preamble", Text(), "总体思路，每行一段"),
        Field("sections", ListOf(SECTION), "各部分（一、二、……）", required=True),
    ),
    "年度工作要点（计划）",
)

ENTRY = Spec(
    "进展记录",
    (
        Field("date", Date(), "日期，如 2012-03-15 或 2012年3月15日", required=True),
        Field("target", Id(), "所属目标的 id（与 item 二选一）"),
        Field("item", Id(), "所属事项的 id（与 target 二选一，只记文字进展）"),
        Field("value", Number(), "数值目标的本次完成数（sum）或最新水平（latest）"),
        Field("done", Bool(), "节点任务已完成时写 true"),
        Field("note", Text(), "说明"),
        Field("by", Str(), "填报部门或人"),
        Field("indicator", Id(), "考核指标的 id（按件计分或评等级的指标）"),
        Field("bonus", Id(), "加分项的 id（每条记录算一次）"),
        Field("veto", Id(), "一票否决项的 id"),
        Field("grade", Str(), "评定等级（评等级的指标），如 好、较好"),
        Field("evidence", Strs(), "佐证材料：仓库内的文件路径或网址"),
    ),
)

PROGRESS = Spec(
    "进展台账",
    (
        _kind("progress"),
        Field("year", Integer(minimum=1949, maximum=2200), "年度", required=True),
        Field("entries", ListOf(ENTRY), "进展记录", required=True),
    ),
    "进展台账",
)

REPORT_SECTION = Spec(
    "报告部分",
    (
        Field("title", Str(), "部分标题（不含序号）", required=True),
        Field("body", Text(), "正文；可用 {{ t('目标id').actual }} 等表达式引用统计结果"),
    ),
)

REPORT = Spec(
    "报告",
    (
        _kind("report"),
        Field("year", Integer(minimum=1949, maximum=2200), "年度", required=True),
        Field("id", Id(), "报告编号；默认取文件名"),
        Field("title", Str(), "标题", required=True),
        Field("as_of", Date(), "统计截止日期；默认当年 12 月 31 日"),
        Field("preamble", Text(), "开头一段（导语），每行一段；照原文输出"),
        Field("sections", ListOf(REPORT_SECTION), "各部分", required=True),
        Field("signature", Nested(SIGNATURE), "落款"),
    ),
    "工作总结 / 工作情况汇报",
)

RECOMMENDATION = Spec(
    "建议条目",
    (
        Field("title", Str(), "建议标题（不含序号）", required=True),
        Field("body", Text(), "建议正文"),
        Field("items", Ids(), "关联的同年度计划事项 id"),
    ),
)

PROPOSAL = Spec(
    "建议",
    (
        _kind("proposal"),
        Field("year", Integer(minimum=1949, maximum=2200), "年度；默认取 date 的年份；关联计划事项时必需"),
        Field("title", Str(), "标题", required=True),
        Field("from", Str(), "提出单位"),
        Field("to", Str(), "主送机关"),
        Field("date", Date(), "日期"),
        Field("background", Text(), "背景"),
        Field("problems", Strs(), "存在的问题（排为“主要体现在：一是……；二是……”）"),
        Field("recommendations", ListOf(RECOMMENDATION), "建议条目", required=True),
        Field("signature", Nested(SIGNATURE), "落款"),
    ),
    "建议",
)

SETTINGS = Spec(
    "仓库设置",
    (
        Field("org", Str(), "默认单位名称"),
        Field("script", Choice(SCRIPTS), "输出文字：hans 简体、hant 繁体"),
        Field("at_risk_below", Number(maximum=1, exclusive_minimum=0), "低于序时进度的此比例为严重滞后（默认 0.7）"),
        Field("warn_days", Integer(minimum=0), "节点任务到期前多少天提示滞后（默认 14）"),
        Field("stale_days", Integer(minimum=1), "数值目标多少天没有记录即提示（默认 60）"),
        Field("date_style", Choice(("auto", "2012", "1999")), "成文日期写法：auto、2012（阿拉伯数字）、1999（汉字）"),
        Field("pace_profiles", Parsed({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "number"}}}), "命名的进度方案：{名称: [一至四季度末累计比例]}（或 12 个月末），目标用 pace: 名称 引用"),
        Field("ignore", Ids(), "fedplan validate 不报告的代码或类别，如 [stale-target]；见 docs/checks.md"),
    ),
    "fedplan.yaml 仓库设置",
)

_EVIDENCE = Field("evidence", Choice(("required",)), "写 required 则每条记录都应附佐证材料")
_RULE_SHAPE = {"anyOf": [{"enum": ["proportional"]}, {"type": "object"}]}

INDICATOR = Spec(
    "考核指标",
    (
        Field("id", Id(), "指标编号，台账用它记按件计分或评等级的指标", required=True),
        Field("name", Str(), "考核内容", required=True),
        Field("points", Number(minimum=0), "分值", required=True),
        Field("target", Id(), "计分所依据的同年度计划目标 id"),
        Field("rule", Parsed(_RULE_SHAPE), "评分办法：proportional（默认）、shortfall、steps、per_unit、on_time/late 或 grades"),
        _EVIDENCE,
    ),
)

BONUS_ITEM = Spec(
    "加分项",
    (
        Field("id", Id(), "加分项编号", required=True),
        Field("name", Str(), "加分内容", required=True),
        Field("points", Number(exclusive_minimum=0), "每次加分", required=True),
        Field("max", Number(exclusive_minimum=0), "本项最多加分"),
        _EVIDENCE,
    ),
)

BONUS = Spec(
    "加分项",
    (
        Field("max", Number(exclusive_minimum=0), "加分合计上限"),
        Field("items", ListOf(BONUS_ITEM), "加分项", required=True),
    ),
)

VETO = Spec(
    "一票否决项",
    (
        Field("id", Id(), "否决项编号", required=True),
        Field("name", Str(), "否决情形", required=True),
    ),
)

ASSESSMENT = Spec(
    "考核细则",
    (
        _kind("assessment"),
        Field("year", Integer(minimum=1949, maximum=2200), "年度", required=True),
        Field("title", Str(), "标题，如 2012年度区县妇联工作目标管理考核细则", required=True),
        Field("issuer", Str(), "制定单位，如 市妇联"),
        Field("total_points", Number(exclusive_minimum=0), "总分；写了则各指标 points 之和必须等于它"),
        Field("indicators", ListOf(INDICATOR), "考核指标", required=True),
        Field("bonus", Nested(BONUS), "加分项"),
        Field("veto", ListOf(VETO), "一票否决项"),
    ),
    "考核细则（上级的评分办法）",
)

# One Spec per name of fedplan.kinds.DOCUMENTS, in its order.
KINDS: dict[str, Spec] = dict(zip(DOCUMENTS, (PLAN, PROGRESS, REPORT, PROPOSAL, ASSESSMENT), strict=True))
