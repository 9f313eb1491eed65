"""Reading the two free-form values of the schema: an indicator's ``rule`` and a target's
``pace`` (SPEC §3.1, §3.5, §6). Each has several spellings (a word, a list, a mapping), so
the schema hands over the YAML node and this module reads it, reporting what is wrong at
the place it was written. Part of the schema layer: no I/O.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any, Protocol

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fedplan import model
from fedplan.dates import parse_date
from fedplan.diagnostics import Pos, codes
from fedplan.suggest import did_you_mean

# The codes reading a scoring rule or a pace may report (fedplan.diagnostics.REGISTRY).
CODES = codes("bad-rule", "rule-order", "bad-pace", "unknown-pace")

RULE_FORMS = ("proportional", "shortfall", "steps", "per_unit", "on_time", "grades")
# The keys a rule mapping may hold besides its form.
_RULE_EXTRA = {"steps": ("of",), "on_time": ("late",)}
_RULE_EXAMPLES = {
    "proportional": "rule: proportional",
    "shortfall": "rule: {shortfall: [[10, 5], [20, 10], [null, 30]]}",
    "steps": "rule: {steps: [[100, 40], [98, 30], [95, 20]], of: actual}",
    "per_unit": "rule: {per_unit: 2}",
    "on_time": "rule: {on_time: 1, late: 0.5}",
    "grades": "rule: {grades: {好: 1, 较好: 0.8, 一般: 0.6, 差: 0}}",
}
PACE_WORDS = ("linear", "hold")
_CONSTRUCT = SafeConstructor()


class Walk(Protocol):
    """What this module needs of fedplan.schema's walk: errors with positions."""

    def pos(self, node: Node) -> Pos: ...

    def error(self, node: Node, code: str, message: str, hint: str = "") -> None: ...

    def safe_tag(self, node: Node) -> bool: ...


class _Bad(Exception):
    """A value refused; its error is already reported."""


class _Complaint:
    """Reports a malformed rule at its node, with an example of the form meant."""

    def __init__(self, walk: Walk, node: Node) -> None:
        self.walk, self.node = walk, node

    def __call__(self, message: str, form: str | None = None) -> None:
        self.walk.error(self.node, "bad-rule", message, self.hint(form))

    def order(self, message: str, form: str) -> None:
        self.walk.error(self.node, "rule-order", message, self.hint(form))

    @staticmethod
    def hint(form: str | None) -> str:
        return f"写成 {_RULE_EXAMPLES[form]}" if form else "可用的评分办法：" + "、".join(RULE_FORMS)


def _plain(walk: Walk, node: Node) -> Any:
    """The node as plain Python (str, int, float, bool, None, date, list, dict)."""
    if not walk.safe_tag(node):
        raise _Bad
    if isinstance(node, SequenceNode):
        return [_plain(walk, child) for child in node.value]
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(walk, key_node)
            if isinstance(key, (list, dict)) or key in out:
                walk.error(key_node, "bad-value", "这里的键重复或不是简单的值", "每个键只写一次")
                raise _Bad
            out[key] = _plain(walk, value_node)
        return out
    assert isinstance(node, ScalarNode)
    tag = node.tag.rsplit(":", 1)[-1]
    try:
        if tag == "null":
            return None
        if tag == "bool":
            return _CONSTRUCT.construct_yaml_bool(node)
        if tag == "int":
            return _CONSTRUCT.construct_yaml_int(node)
        if tag == "float":
            value = _CONSTRUCT.construct_yaml_float(node)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError
            return int(value) if value.is_integer() and "." not in node.value else value
        if tag == "timestamp":
            got = _CONSTRUCT.construct_yaml_timestamp(node)
            return got.date() if isinstance(got, dt.datetime) else got
    except (ConstructorError, ValueError):
        walk.error(node, "bad-value", f"“{node.value}”不是有效的值")
        raise _Bad from None
    return str(node.value).strip()


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- rule ------------------------------------------------------------------------------------


def read_rule(walk: Walk, node: Node, points: model.Number) -> model.Rule | None:
    """An indicator's scoring rule, or None (reported) if it is not one of the forms."""
    pos = walk.pos(node)
    try:
        value = _plain(walk, node)
    except _Bad:
        return None

    bad = _Complaint(walk, node)

    if isinstance(value, str):
        if value == "proportional":
            return model.Rule(pos=pos)
        if value in _RULE_EXAMPLES:
            bad(f"评分办法 {value} 要写明参数", value)
        else:
            walk.error(node, "bad-rule", f"不认识的评分办法“{value}”", did_you_mean(value, RULE_FORMS, "可用的评分办法：" + "、".join(RULE_FORMS)))
        return None
    if not isinstance(value, dict):
        bad("评分办法应为 proportional 或一个映射，如 {steps: …}")
        return None
    forms = [k for k in value if k in RULE_FORMS]
    if len(forms) != 1:
        bad("评分办法要写且只写一种：" + "、".join(RULE_FORMS) if not forms else f"评分办法不能同时写 {'、'.join(forms)}")
        return None
    form = forms[0]
    for key in value:
        if key != form and key not in _RULE_EXTRA.get(form, ()):
            allowed = _RULE_EXTRA.get(form, ())
            hint = f"{form} 只能另写 {'、'.join(allowed)}" if allowed else f"{form} 不带其他键"
            walk.error(node, "bad-rule", f"评分办法 {form} 中没有“{key}”这个键", hint)
            return None
    arg = value[form]
    try:
        return _RULE_READERS[form](arg, value, points, pos, bad)
    except _Bad:
        return None


def _pairs(arg: Any, form: str, bad: _Complaint) -> list[tuple[Any, Any]]:
    if not isinstance(arg, list) or not arg or not all(isinstance(p, list) and len(p) == 2 for p in arg):
        bad(f"{form} 应为若干 [界限, 分数] 对组成的列表", form)
        raise _Bad
    return [(p[0], p[1]) for p in arg]


def _shortfall(arg: Any, _all: dict[str, Any], points: model.Number, pos: Pos, bad: _Complaint) -> model.Rule:
    pairs = _pairs(arg, "shortfall", bad)
    for n, (limit, deduct) in enumerate(pairs):
        if not (_number(limit) and limit > 0) and not (limit is None and n == len(pairs) - 1):
            bad("shortfall 的界限应为大于 0 的百分点数；只有最后一档可写 null（表示“以上”）", "shortfall")
            raise _Bad
        if not (_number(deduct) and deduct >= 0):
            bad(f"shortfall 的扣分应为不小于 0 的数，不能是“{deduct}”", "shortfall")
            raise _Bad
    for (limit_a, deduct_a), (limit_b, deduct_b) in itertools.pairwise(pairs):
        if limit_b is not None and limit_b <= limit_a:
            bad.order("shortfall 的界限应从小到大排列（少得越多扣得越多）", "shortfall")
            raise _Bad
        if deduct_b < deduct_a:
            bad.order("shortfall 的扣分应随差距增大而不减", "shortfall")
            raise _Bad
    return model.Rule(form="shortfall", bands=tuple(pairs), pos=pos)


def _steps(arg: Any, all_: dict[str, Any], points: model.Number, pos: Pos, bad: _Complaint) -> model.Rule:
    pairs = _pairs(arg, "steps", bad)
    of = all_.get("of", "percent")
    if of not in ("actual", "percent"):
        bad(f"steps 的 of 只能是 actual（按完成数）或 percent（按完成率），不能是“{of}”", "steps")
        raise _Bad
    for threshold, got in pairs:
        if not _number(threshold):
            bad(f"steps 的门槛应为数字，不能是“{threshold}”", "steps")
            raise _Bad
        if not (_number(got) and 0 <= got <= points):
            bad(f"steps 的得分应在 0 到分值 {points:g} 之间，不能是“{got}”", "steps")
            raise _Bad
    for (threshold_a, got_a), (threshold_b, got_b) in itertools.pairwise(pairs):
        if threshold_b >= threshold_a or got_b > got_a:
            bad.order("steps 的门槛应从高到低排列，得分随之不增（先写最高一档）", "steps")
            raise _Bad
    return model.Rule(form="steps", bands=tuple(pairs), of=of, pos=pos)


def _per_unit(arg: Any, _all: dict[str, Any], points: model.Number, pos: Pos, bad: _Complaint) -> model.Rule:
    if not _number(arg) or arg == 0:
        bad("per_unit 应为每件的得分（负数为每件扣分），不能为 0", "per_unit")
        raise _Bad
    return model.Rule(form="per_unit", per_unit=arg, pos=pos)


def _share(value: Any) -> bool:
    return _number(value) and 0 <= value <= 1


def _on_time(arg: Any, all_: dict[str, Any], points: model.Number, pos: Pos, bad: _Complaint) -> model.Rule:
    late = all_.get("late", 0)
    if not _share(arg) or not _share(late) or late > arg:
        bad("on_time 和 late 是分值的比例（0 到 1），逾期完成的比例不大于按时完成的", "on_time")
        raise _Bad
    return model.Rule(form="on_time", on_time=arg, late=late, pos=pos)


def _grades(arg: Any, _all: dict[str, Any], points: model.Number, pos: Pos, bad: _Complaint) -> model.Rule:
    if not isinstance(arg, dict) or not arg:
        bad("grades 应为 {等级: 得分比例} 的映射", "grades")
        raise _Bad
    for grade, share in arg.items():
        if not isinstance(grade, str) or not grade or not _share(share):
            bad(f"等级“{grade}”的得分比例应在 0 到 1 之间", "grades")
            raise _Bad
    return model.Rule(form="grades", grades=tuple(arg.items()), pos=pos)


_RULE_READERS = {
    "shortfall": _shortfall,
    "steps": _steps,
    "per_unit": _per_unit,
    "on_time": _on_time,
    "grades": _grades,
}


# --- pace ------------------------------------------------------------------------------------

_PACE_HINT = "写 linear、hold、4 个季度末累计比例如 [0.3, 0.5, 0.6, 1.0]、12 个月末比例，或 {2012-06-30: 0.5, 2012-09-30: 0.8}"


def _shares(walk: Walk, node: Node, value: Any) -> tuple[model.Number, ...] | None:
    if len(value) not in (4, 12) or not all(_share(v) for v in value):
        walk.error(node, "bad-pace", f"进度比例要写 4 个（季度末）或 12 个（月末）0 到 1 之间的数，这里写了 {len(value)} 个", _PACE_HINT)
        return None
    if any(b < a for a, b in itertools.pairwise(value)) or value[-1] != 1:
        walk.error(node, "bad-pace", "进度比例是累计数：应逐期不减，最后一期为 1", "如 [0.3, 0.5, 0.6, 1.0]")
        return None
    return tuple(value)


def read_pace(walk: Walk, node: Node, settings: model.Settings) -> model.Pace | None:
    """A target's pace, or None (reported)."""
    pos = walk.pos(node)
    try:
        value = _plain(walk, node)
    except _Bad:
        return None
    if isinstance(value, str):
        if value in PACE_WORDS:
            return model.Pace(form=value, pos=pos)  # type: ignore[arg-type]
        profile = settings.pace_profiles.get(value)
        if profile is not None:
            return model.Pace(form="shares", shares=profile, name=value, pos=pos)
        names = [*PACE_WORDS, *settings.pace_profiles]
        walk.error(
            node,
            "unknown-pace",
            f"没有名为“{value}”的进度方案",
            did_you_mean(value, names, "可用：" + "、".join(names) + "；新的方案写在 fedplan.yaml 的 pace_profiles 中"),
        )
        return None
    if isinstance(value, list):
        shares = _shares(walk, node, value)
        return None if shares is None else model.Pace(form="shares", shares=shares, pos=pos)
    if isinstance(value, dict) and value:
        points: list[tuple[dt.date, model.Number]] = []
        for day, share in value.items():
            date = day if isinstance(day, dt.date) else parse_date(str(day))
            if date is None or not _share(share):
                walk.error(node, "bad-pace", f"进度节点“{day}: {share}”应为 日期: 0 到 1 之间的累计比例", _PACE_HINT)
                return None
            points.append((date, share))
        points.sort()
        if any(b[1] < a[1] for a, b in itertools.pairwise(points)):
            walk.error(node, "bad-pace", "进度节点的累计比例应随日期不减", _PACE_HINT)
            return None
        return model.Pace(form="dates", dates=tuple(points), pos=pos)
    walk.error(node, "bad-pace", "不认识的进度写法", _PACE_HINT)
    return None


def read_profiles(walk: Walk, node: Node) -> Mapping[str, tuple[model.Number, ...]]:
    """fedplan.yaml's ``pace_profiles``: name → shares (the invalid ones reported, left out)."""
    if not isinstance(node, MappingNode):
        walk.error(node, "bad-pace", "pace_profiles 应为 {名称: [比例, …]} 的映射", "如 pace_profiles: {农时: [0.3, 0.5, 0.6, 1.0]}")
        return {}
    out: dict[str, tuple[model.Number, ...]] = {}
    for key_node, value_node in node.value:
        try:
            name, value = _plain(walk, key_node), _plain(walk, value_node)
        except _Bad:
            continue
        if not isinstance(name, str) or name in PACE_WORDS or not isinstance(value, list):
            walk.error(key_node, "bad-pace", f"进度方案“{name}”应写成 名称: [比例, …]（名称不能是 linear 或 hold）", _PACE_HINT)
            continue
        shares = _shares(walk, value_node, value)
        if shares is not None:
            out[name] = shares
    return out
