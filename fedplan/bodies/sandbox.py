"""Report bodies: Jinja expressions over the computed status, run in Jinja's sandbox.

A report body is written by whoever opens a pull request, and CI renders it: it may read
the figures (``t('farm-training').actual``) and format them with the Chinese filters, and
nothing else — no attributes starting with ``_``, no mutation, no huge strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from fedplan.bodies.bounds import BoundedMixin, TooCostly, bounded_render
from fedplan.records import fields, record
from fedplan.render.chinese import FILTERS
from fedplan.status import PlanStatus, TargetStatus
from fedplan.suggest import did_you_mean


class UnknownTarget(Exception):
    """``t('…')`` named a target the year's plan does not have."""

    def __init__(self, target_id: str) -> None:
        super().__init__(target_id)
        self.target_id = target_id


class _BodyEnvironment(BoundedMixin, ImmutableSandboxedEnvironment):
    """The sandbox with every value, loop and the wall time bounded (fedplan.bodies.bounds)."""


BODY_SECONDS = 2.0  # wall time one body may take
BODY_MAX_OUTPUT = 200_000  # characters one body may write


def body_environment() -> jinja2.Environment:
    env = _BodyEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.bound()
    return env


def _lookup(status: PlanStatus | None) -> Callable[[str], TargetStatus]:
    def t(target_id: str) -> TargetStatus:
        found = status.target(str(target_id)) if status is not None else None
        if found is None:
            raise UnknownTarget(str(target_id))
        return found

    return t


def render_body(body: str, status: PlanStatus | None, *, env: jinja2.Environment | None = None) -> str:
    """The body with its expressions evaluated; raises UnknownTarget, SecurityError,
    TooCostly (a SecurityError: the body asked for too much work), TemplateSyntaxError or
    another TemplateError (see ``check_body`` for the friendly form)."""
    if "{" not in body:  # an imported report's plain prose: nothing to evaluate
        return body
    env = env or body_environment()
    return bounded_render(
        env.from_string(body), seconds=BODY_SECONDS, max_output=BODY_MAX_OUTPUT, t=_lookup(status)
    )


@record
class BodyProblem:
    """What is wrong in a body: ``line`` is 1-based inside the body, ``column`` 1-based or 0."""

    code: str  # report-syntax | unknown-target | unsafe-template | report-error | body-too-costly
    message: str
    line: int
    column: int = 0
    hint: str = ""


def _target_calls(tree: nodes.Template) -> Iterator[tuple[str, int]]:
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "t" and call.args:
            arg = call.args[0]
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                yield arg.value, call.lineno


def _private_attributes(tree: nodes.Template) -> Iterator[tuple[str, int]]:
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name: object = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        if isinstance(name, str) and name.startswith("_"):
            yield name, node.lineno


def _target_fields(tree: nodes.Template) -> Iterator[tuple[str, int]]:
    """``t('x').field`` written in a body: the field names read from a target's status."""
    for node in tree.find_all(nodes.Getattr):
        call = node.node
        if isinstance(call, nodes.Call) and isinstance(call.node, nodes.Name) and call.node.name == "t":
            yield node.attr, node.lineno


# What a body may read from t('id'): the status fields and the Chinese status word.
TARGET_FIELDS = tuple(
    name for name in (*(f.name for f in fields(TargetStatus)), "label", "is_milestone")
    if name not in ("entries",)
)

_SYNTAX_HINT = "检查 {{ 与 }}、{% 与 %} 是否成对，括号和引号是否闭合；例如 {{ t('farm-training').actual }}"


def check_body(body: str, status: PlanStatus | None, known_ids: list[str]) -> list[BodyProblem]:
    """Every problem in ``body``: read statically where possible (so a branch not taken is
    checked too, with its line), then rendered in the sandbox for what only running shows."""
    if "{" not in body:
        return []
    env = body_environment()
    try:
        tree = env.parse(body)
    except jinja2.TemplateSyntaxError as exc:
        return [
            BodyProblem(
                "report-syntax", f"报告正文的模板语法错误：{exc.message}", exc.lineno or 1, hint=_SYNTAX_HINT
            )
        ]

    problems: list[BodyProblem] = []
    lines = body.splitlines()
    for target_id, lineno in _target_calls(tree):
        if target_id not in known_ids:
            problems.append(_unknown(target_id, known_ids, lineno, lines, bool(status)))
    for field, lineno in _target_fields(tree):
        if field not in TARGET_FIELDS and not field.startswith("_"):
            problems.append(
                BodyProblem(
                    "report-error",
                    f"t(…) 没有“{field}”这个字段",
                    lineno,
                    max(lines[lineno - 1].find(field) + 1, 1) if 0 < lineno <= len(lines) else 1,
                    hint=did_you_mean(field, TARGET_FIELDS)
                    + "可用：actual 完成数、percent 完成率、target 目标、expected 序时进度、label 状态",
                )
            )
    flagged_lines: set[int] = set()
    for name, lineno in _private_attributes(tree):
        if lineno in flagged_lines:  # ''.__class__.__mro__ is one mistake, not two
            continue
        flagged_lines.add(lineno)
        problems.append(
            BodyProblem(
                "unsafe-template",
                f"报告正文中的表达式访问了受保护的属性“{name}”，已拒绝执行",
                lineno,
                hint="正文只能读取 t('目标id') 的字段，如 t('x').actual、t('x').percent",
            )
        )
    if problems:
        return problems
    try:
        render_body(body, status, env=env)
    except UnknownTarget as exc:  # an id built at run time
        problems.append(_unknown(exc.target_id, known_ids, 1, lines, bool(status)))
    except TooCostly as exc:
        problems.append(too_costly(exc))
    except SecurityError as exc:
        problems.append(
            BodyProblem("unsafe-template", f"报告正文中的表达式不安全，已拒绝执行：{exc}", 1)
        )
    except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError) as exc:
        problems.append(
            BodyProblem(
                "report-error",
                f"报告正文无法生成：{exc}",
                1,
                hint="正文只做取值和格式化，不做运算；数字请用 t('目标id') 的字段",
            )
        )
    return problems


TOO_COSTLY_HINT = "正文只做取值和格式化；不要生成极长的文字、巨大的数字、大量循环或递归的宏"


def too_costly(exc: TooCostly) -> BodyProblem:
    """The diagnostic for a body that asked for more than its bounds, at the body's line."""
    return BodyProblem(
        "body-too-costly", f"报告正文的表达式计算量过大，已停止执行：{exc.reason}", exc.line, hint=TOO_COSTLY_HINT
    )


def _unknown(target_id: str, known: list[str], lineno: int, lines: list[str], has_plan: bool) -> BodyProblem:
    line_text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    column = line_text.find(target_id) + 1
    if not has_plan:
        return BodyProblem(
            "unknown-target",
            f"报告正文引用了目标“{target_id}”，但该年度没有工作要点",
            lineno,
            column,
            hint="没有计划的年度，正文只能写数字本身",
        )
    return BodyProblem(
        "unknown-target",
        f"报告正文引用了不存在的目标“{target_id}”",
        lineno,
        column,
        hint=did_you_mean(target_id, known, "目标 id 见该年度 plan.yaml 的 targets"),
    )
