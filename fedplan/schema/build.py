"""From walked values to model objects: the builders, with the checks one document alone can
answer (a target's unit, an entry's reference, a report's id), and the two entry points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from itertools import repeat
from pathlib import PurePosixPath
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from fedplan import entries, model, rules
from fedplan.diagnostics import Diagnostic, Pos, error, unknown_code_hint
from fedplan.schema.fields import ID_PATTERN
from fedplan.schema.kinds import KINDS, PLAN, SETTINGS
from fedplan.schema.walk import EntryColumns, Spans, Walk
from fedplan.suggest import did_you_mean

Values = tuple[dict[str, Any], Spans | model.LineSpans, Pos]


_Model = TypeVar("_Model")
_set = object.__setattr__  # a frozen record refuses its own __setattr__


def _assemble(cls: type[_Model], values: dict[str, Any], **more: Any) -> _Model:
    """A frozen model object from values the walk has already checked, made without the
    record's __init__ (which checks what the walk already has). Fields not given keep their
    defaults (class attributes)."""
    made = object.__new__(cls)
    # Set one by one, the attributes stay in the object itself, under keys its class shares
    # by all its objects (CPython's key-sharing instance dicts): 168 bytes for an entry,
    # where a dict of its own (``made.__dict__.update``) took 336 and a million entries
    # are kept. Defaults stay class attributes.
    for name, value in values.items():
        _set(made, name, value)
    for name, value in more.items():
        if name == "pos" and more.get("spans").__class__ in model.WITH_ORIGIN and more["spans"].starts_at(value):
            continue  # its spans hold it (model.Located.pos)
        _set(made, name, value)
    return made


def _build_many(rows: list[Values] | None, build: Callable[[Values], Any]) -> tuple[Any, ...]:
    out = []
    for row in rows or ():
        built = build(row)
        if built is not None:
            out.append(built)
    return tuple(out)


class _Builder:
    """Turns walked values into model objects, adding the checks one document can answer."""

    def __init__(self, walk: Walk, settings: model.Settings) -> None:
        self.walk = walk
        self.path = walk.path
        self.settings = settings

    def add(self, pos: Pos, code: str, message: str, hint: str = "") -> None:
        self.walk.diagnostics.append(error(pos, code, message, hint))

    def rejected(self, pos: Pos, *keys: str) -> bool:
        """Whether any of ``keys`` was written at the mapping at ``pos`` but refused."""
        rejected = self.walk.rejected
        return bool(rejected) and any((pos, key) in rejected for key in keys)

    def target(self, row: Values) -> model.Target | None:
        values, spans, pos = row
        if "id" not in values or "name" not in values:
            return None
        if "target" in values:
            if "unit" not in values:
                self.add(pos, "missing-unit", f"目标“{values['id']}”写了 target，缺少计量单位 unit", "添加 unit: 人次（或 个、名、%、万元 等）")
        elif not self.rejected(pos, "target"):  # `target: 300人次` is reported, not a milestone
            for key in ("unit", "measure", "direction", "baseline", "pace"):
                if key in values:
                    self.add(
                        spans[key],
                        "milestone-field",
                        f"目标“{values['id']}”没有 target 数值，是节点任务，不能写 {key}",
                        "数值目标请补上 target；节点任务只需 name 和 due",
                    )
        start, due = values.get("start"), values.get("due")
        if start and due and due < start:
            self.add(spans["due"], "date-order", f"目标“{values['id']}”的完成时限 {due} 早于开始日期 {start}", "检查 start 和 due")
        if "pace" in values:
            values["pace"] = rules.read_pace(self.walk, values["pace"], self.settings) if "target" in values else None
        return _assemble(model.Target, values, pos=pos, spans=spans)

    def item(self, row: Values) -> model.Item | None:
        values, spans, pos = row
        if "id" not in values or "title" not in values:
            return None
        values["targets"] = _build_many(values.get("targets"), self.target)
        return _assemble(model.Item, values, pos=pos, spans=spans)

    def section(self, row: Values) -> model.Section | None:
        values, spans, pos = row
        if "title" not in values:
            return None
        values["items"] = _build_many(values.get("items"), self.item)
        return _assemble(model.Section, values, pos=pos, spans=spans)

    def plan(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Plan | None:
        values.pop("kind", None)
        org = values.get("org") or self.settings.org
        if not org:
            self.add(pos, "missing-key", "计划缺少单位名称 org", "在计划中写 org: 某某区妇联，或在 fedplan.yaml 中设置 org")
            return None
        if "year" not in values:
            return None
        values["org"] = org
        values.setdefault("title", f"{org}{values['year']}年工作要点")
        values["sections"] = _build_many(values.get("sections"), self.section)
        return _assemble(model.Plan, values, path=self.path, pos=pos, spans=spans)

    def entry(self, row: Values) -> model.Entry | None:
        values, spans, pos = row
        if "date" not in values or self.rejected(pos, "target", "item", "value", "done"):
            return None  # its error is reported; checking the rest would only add noise
        if len(_REFS_SET.intersection(values)) != 1:
            refs = [k for k in _ENTRY_REFS if k in values]
            self.add(
                pos,
                "entry-ref",
                "进展记录要写 target 或 item 之一" if not refs else f"进展记录不能同时写 {' 和 '.join(refs)}",
                "数值或节点任务写 target: 目标id；只记文字进展写 item: 事项id",
            )
            return None
        if _usual_entry(values):
            return _assemble(model.Entry, values, path=self.path, pos=pos, spans=spans)
        refs = [k for k in _ENTRY_REFS if k in values]
        if "item" in values:  # a target's rules need the plan: fedplan.checks.progress
            for broken in entries.breaks(entries.ITEM, values):
                if broken.field is not None:
                    self.add(spans[broken.field], "entry-field", f"事项进展（item）不能写 {broken.field}", "数值写在对应的目标（target）下")
                elif not self.rejected(pos, "note"):
                    self.add(pos, "missing-note", "事项进展（item）要写 note 说明做了什么", "添加 note: …")
        allowed = _ENTRY_REFS[refs[0]]
        for key in ("grade",) if refs[0] == "item" else ("value", "done", "grade"):
            if key in values and key not in allowed:
                what = "事项进展（item）" if refs[0] == "item" else f"{refs[0]} 记录"
                self.add(spans[key], "entry-field", f"{what}不能写 {key}", _ENTRY_FIELD_HINT[refs[0]])
        return _assemble(model.Entry, values, path=self.path, pos=pos, spans=spans)

    def entries(self, rows: Iterable[Any] | None) -> tuple[model.Entry, ...]:
        """The entries of a ledger from the rows its ListOf read, and the runs of them the
        fast reader read by columns (EntryColumns)."""
        out: list[model.Entry] = []
        for row in rows or ():
            if row.__class__ is EntryColumns:
                out += self._entry_columns(row)
            else:
                built = self.entry(row)
                if built is not None:
                    out.append(built)
        return tuple(out)

    def _entry_columns(self, run: EntryColumns) -> list[model.Entry]:
        """The entries of ``run``, in order: those read by columns made a column at a time
        (each object, then each attribute of all of them, one call of ``map`` a step), but
        one in a form with a rule that depends on more than which keys it holds
        (``_usual_entry``), which ``entry`` makes, as it makes the rows between them."""
        spans = list(map(model.LineSpans, zip(run.forms, run.lines, strict=True)))
        # The order _assemble sets them in: the values, then path and spans.
        columns: list[tuple[str, Any, list[bool] | None]] = [(attr, got, wrote) for attr, (got, wrote) in run.columns.items()]
        columns += [("path", repeat(self.path), None), ("spans", spans, None)]
        made: list[Any] = model.made_by_columns(model.Entry, len(run), columns)
        plain = {form: _plain_form(form.names) for form in set(run.forms)}
        dropped = False  # (entry returned None for one: its error is reported)
        if any(need != "" for need in plain.values()):
            by_entry = [plain[form] for form in run.forms]
            needed = {name: run.columns[name][0] for name in set(plain.values()) if name}
            for k in [k for k, need in enumerate(by_entry) if need is None or (need and entries.not_given(needed[need][k]))]:
                made[k] = self.entry((run.values(k), spans[k], spans[k].mapping_pos()))
                dropped = dropped or made[k] is None
        if run.inserts:
            merged: list[Any] = []
            done = 0
            for before, row in run.inserts:
                merged += made[done:before]
                done = before
                built = self.entry(row)
                if built is not None:
                    merged.append(built)
            merged += made[done:]
            made = merged
        # (not ``None in made``: that compares every entry with None through its __eq__)
        return [m for m in made if m is not None] if dropped else made

    def progress(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Progress | None:
        values.pop("kind", None)
        if "year" not in values:
            return None
        values["entries"] = self.entries(values.get("entries"))
        return _assemble(model.Progress, values, path=self.path, pos=pos, spans=spans)

    def report(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Report | None:
        values.pop("kind", None)
        if "year" not in values or "title" not in values:
            return None
        values.setdefault("id", PurePosixPath(self.path).stem)
        if not ID_PATTERN.match(values["id"]):
            self.add(pos, "bad-id", f"报告编号“{values['id']}”（取自文件名）不合规", "给报告写 id: 字母数字编号，或改文件名")
        values.setdefault("as_of", dt.date(values["year"], 12, 31))
        values["sections"] = _build_many(
            values.get("sections"),
            lambda row: _assemble(model.ReportSection, row[0], spans=row[1], pos=row[2]) if "title" in row[0] else None,
        )
        values["signature"] = self._signature(values, spans)
        return _assemble(model.Report, values, path=self.path, pos=pos, spans=spans)

    def _signature(self, values: dict[str, Any], spans: Spans) -> model.Signature | None:
        got = values.get("signature")
        if got is None:
            return None
        sig_values, sig_spans = got
        return _assemble(model.Signature, sig_values, pos=spans["signature"], spans=sig_spans)

    def proposal(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Proposal | None:
        values.pop("kind", None)
        if "title" not in values:
            return None
        if "year" not in values and values.get("date"):
            values["year"] = values["date"].year
        values["recommendations"] = _build_many(
            values.get("recommendations"),
            lambda row: _assemble(model.Recommendation, row[0], spans=row[1], pos=row[2]) if "title" in row[0] else None,
        )
        values["signature"] = self._signature(values, spans)
        return _assemble(model.Proposal, values, path=self.path, pos=pos, spans=spans)


    def assessment(self, values: dict[str, Any], spans: Spans, pos: Pos) -> model.Assessment | None:
        values.pop("kind", None)
        if "year" not in values or "title" not in values:
            return None
        values["indicators"] = _build_many(values.get("indicators"), self.indicator)
        bonus = values.pop("bonus", None)
        if bonus is not None:
            bonus_values = bonus[0]
            values["bonus_max"] = bonus_values.get("max")
            values["bonus"] = _build_many(bonus_values.get("items"), self.bonus_item)
        values["veto"] = _build_many(
            values.get("veto"),
            lambda row: _assemble(model.VetoItem, row[0], pos=row[2], spans=row[1]) if {"id", "name"} <= row[0].keys() else None,
        )
        return _assemble(model.Assessment, values, path=self.path, pos=pos, spans=spans)

    def indicator(self, row: Values) -> model.Indicator | None:
        values, spans, pos = row
        if not {"id", "name", "points"} <= values.keys():
            return None
        node = values.pop("rule", None)
        rule = rules.read_rule(self.walk, node, values["points"]) if node is not None else model.Rule(pos=pos)
        if rule is None:
            return None
        values["rule"] = rule
        values["evidence_required"] = values.pop("evidence", None) == "required"
        return _assemble(model.Indicator, values, pos=pos, spans=spans)

    def bonus_item(self, row: Values) -> model.BonusItem | None:
        values, spans, pos = row
        if not {"id", "name", "points"} <= values.keys():
            return None
        values["evidence_required"] = values.pop("evidence", None) == "required"
        return _assemble(model.BonusItem, values, pos=pos, spans=spans)


# Which figure each form of entry takes (SPEC §3.2, §3.5); the rest are reported.
_ENTRY_REFS: dict[str, tuple[str, ...]] = {
    "target": ("value", "done"),
    "item": (),
    "indicator": ("value", "grade"),
    "bonus": (),
    "veto": (),
}
_REFS_SET = frozenset(_ENTRY_REFS)


def _usual_entry(keys: Collection[str]) -> bool:
    """Whether an entry written with ``keys`` is made as written with nothing to report,
    whatever their values (the first branch of ``_Builder.entry``): a dated entry of one
    target, without what a target refuses. (A walk that refused a key reports it; such an
    entry is not read by columns.)"""
    return "date" in keys and "target" in keys and len(_REFS_SET.intersection(keys)) == 1 and _REFUSED_BY_TARGET.isdisjoint(keys)


def _plain_form(keys: Collection[str]) -> str | None:
    """How ``_Builder.entry`` makes an entry written with ``keys`` (values read without an
    error): "" — as written, nothing to report, whatever the values (``_usual_entry``);
    a field's name — so too unless that field's value is empty (an item's progress without
    what an item refuses: entries.RULES, _ENTRY_REFS); None — it may report."""
    if _usual_entry(keys):
        return ""
    if "date" not in keys or "item" not in keys or len(_REFS_SET.intersection(keys)) != 1:
        return None
    rule = entries.RULES[entries.ITEM]
    if rule.needs not in keys or any(k in keys for k in rule.refuses):
        return None
    if "grade" in keys and "grade" not in _ENTRY_REFS["item"]:
        return None
    return rule.needs
# What a target entry may not carry besides the other subjects (below): only grade.
_REFUSED_BY_TARGET = frozenset(k for k in ("value", "done", "grade") if k not in _ENTRY_REFS["target"])
_ENTRY_FIELD_HINT = {
    "target": "grade 只用于评等级的考核指标（indicator:）",
    "item": "数值写在对应的目标（target）下",
    "indicator": "按件计分的指标写 value，评等级的指标写 grade",
    "bonus": "加分项每条记录算一次，不写数值",
    "veto": "一票否决项只记发生的日期和说明",
}


def read_document(
    path: str, node: Node, settings: model.Settings
) -> tuple[model.Document | None, list[Diagnostic]]:
    """The typed document a file's root node describes, and every problem found in it alone."""
    walk = Walk(path)
    kind = _kind_of(walk, node)
    if kind is None:
        return None, walk.diagnostics
    got = walk.mapping(node, KINDS[kind])
    if got is None:
        return None, walk.diagnostics
    values, spans = got
    builder = _Builder(walk, settings)
    build: Mapping[str, Callable[[dict[str, Any], Spans, Pos], Any]] = {
        "plan": builder.plan,
        "progress": builder.progress,
        "report": builder.report,
        "proposal": builder.proposal,
        "assessment": builder.assessment,
    }
    document = build[kind](values, spans, walk.pos(node))
    return document, walk.diagnostics


def _kind_of(walk: Walk, node: Node) -> str | None:
    if not isinstance(node, MappingNode):
        walk.mapping(node, PLAN)  # reports "should be a mapping" with the right hint
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "kind":
            if not walk.safe_tag(value_node):
                return None
            kind = str(value_node.value).strip() if isinstance(value_node, ScalarNode) else ""
            if kind in KINDS:
                return kind
            walk.error(
                value_node,
                "unknown-kind",
                f"不认识的文档类型“{kind}”",
                did_you_mean(kind, KINDS, f"kind 可以是 {'、'.join(KINDS)}"),
            )
            return None
    walk.error(
        node,
        "missing-kind",
        "文档缺少 kind，无法判断是计划、台账、报告还是建议",
        "在第一行写 kind: plan（或 progress、report、proposal）",
    )
    return None


def _known_codes(walk: Walk, names: tuple[str, ...], spans: Spans) -> list[str]:
    """fedplan.yaml's ``ignore`` without, and reporting, names that are no code or family."""
    known = []
    for n, name in enumerate(names):
        hint = unknown_code_hint(name)
        if hint is None:
            known.append(name)
        else:
            walk.diagnostics.append(
                error(spans.get(f"ignore.{n}") or spans["ignore"], "unknown-code", f"ignore 中的“{name}”不是 fedplan 的检查代码", hint)
            )
    return known


def read_settings(path: str, node: Node) -> tuple[model.Settings, list[Diagnostic]]:
    """Repository settings from fedplan.yaml's root node; defaults for whatever is invalid."""
    walk = Walk(path)
    got = walk.mapping(node, SETTINGS)
    if got is None:
        return model.Settings(), walk.diagnostics
    values, spans = got
    if "date_style" in values:
        values["date_style"] = str(values["date_style"])
    # a default_factory field has no class default for _assemble to fall back on
    values["pace_profiles"] = rules.read_profiles(walk, values["pace_profiles"]) if "pace_profiles" in values else {}
    if "ignore" in values:
        values["ignore"] = tuple(_known_codes(walk, values["ignore"], spans))
    return _assemble(model.Settings, values, pos=walk.pos(node), spans=spans), walk.diagnostics
