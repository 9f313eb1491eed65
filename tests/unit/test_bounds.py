"""Bounded work in the sandbox: report bodies and repository templates come with pull requests,
and CI renders them, so a huge value, a long loop, runaway recursion or a slow body is stopped
with [body-too-costly] (validate) or a clear refusal (report/render), never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fedplan.bodies import sandbox
from fedplan.bodies.bounds import TooCostly
from fedplan.bodies.sandbox import check_body, render_body
from tests.conftest import MakeRepo, RunLine

PAYLOADS = [
    "{{ 'a'|center(10**9) }}",
    "{{ 'a'.ljust(10**9) }}",
    "{{ 'a'.rjust(10**9) }}",
    "{{ '7'.zfill(10**9) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d'|format(10**9, 1) }}",
    "{{ (10**100)**100 }}",
    "{{ 10 ** (10 ** 10) }}",
    "{{ 'x' * 100000000 }}",
    "{{ [0] * 10**9 }}",
    "{{ 'a'|indent(10**9) }}",
    "{{ [1]|batch(10**9, 0)|list }}",
    "{{ ('a' * 100000)|replace('', 'b' * 1000) }}",
    "{{ ('a' * 1000)|list|join('b' * 1000) }}",
    "{{ range(10**9)|list }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% set x = 'a' * 100000 %}{% for i in range(1000) %}{{ x }}{% endfor %}",
    "{{ ('\t' * 100000).expandtabs(100000) }}",
    "{{ ('\n' * 100000)|indent(100000) }}",
    "{{ ('{:>99999}' * 1000).format(*range(1000)) }}",
    "{{ ('%99999d' * 1000) % (1,) }}",
    "{{ range(10000)|map('center', 99999)|list|length }}",
]


@pytest.mark.parametrize("body", PAYLOADS)
def test_costly_bodies_end_quickly_with_the_code(body: str) -> None:
    started = time.monotonic()
    problems = check_body(body, None, [])
    assert [p.code for p in problems] == ["body-too-costly"]
    assert "计算量过大" in problems[0].message and problems[0].hint
    with pytest.raises(TooCostly):
        render_body(body, None)
    assert time.monotonic() - started < 1.5  # refused up front, not after the wall-time limit


def test_lipsum_is_not_offered() -> None:
    assert "lipsum" not in sandbox.body_environment().globals
    assert [p.code for p in check_body("{{ lipsum(10**6) }}", None, [])] == ["report-error"]


def test_a_loop_nothing_can_intercept_is_ended_by_the_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "BODY_SECONDS", 0.2)
    body = "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    problems = check_body(body, None, [])
    assert [p.code for p in problems] == ["body-too-costly"]
    assert "0.2 秒" in problems[0].message
    assert time.monotonic() - started < 5


def test_the_problem_is_at_the_line_that_asked() -> None:
    problems = check_body("第一行\n第二行\n{{ 'a'|center(10**9) }}", None, [])
    assert [(p.code, p.line) for p in problems] == [("body-too-costly", 3)]


def test_ordinary_bodies_are_unaffected() -> None:
    body = (
        "{{ 2 * 3 }}|{{ 'ab' ~ 'c' }}|{{ '{:>5}'.format(1) }}|{{ '%05d' % 42 }}|{{ 2 ** 10 }}|"
        "{% for i in range(3) %}{{ i }}{% endfor %}|{{ 'x' * 3 + 'y' }}|{{ ['a', 'b']|join('、') }}|"
        "{{ '培训200000人次{}'.format('，') }}|{{ '%s年%d人' % (2012, 300000) }}"
    )
    assert render_body(body, None) == "6|abc|    1|00042|1024|012|xxxy|a、b|培训200000人次，|2012年300000人"
    assert check_body(body, None, []) == []


REPORT = """\
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


@pytest.mark.parametrize("body", ["{{ 'a'|center(10**9) }}", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"])
def test_validate_reports_and_report_refuses(
    make_repo: MakeRepo, plan_2012: dict[str, str], run_line: RunLine, body: str
) -> None:
    root = make_repo({**plan_2012, "plans/2012/annual.yaml": REPORT.format(body=body)})
    result = run_line(["-C", str(root), "validate"])
    assert result.exit_code == 1
    assert "plans/2012/annual.yaml:9:7: 错误: 报告正文的表达式计算量过大" in result.output
    assert "[body-too-costly]" in result.output
    refused = run_line(["-C", str(root), "report", "2012", "--as-of", "2012-12-31"])
    assert refused.exit_code == 1
    assert "Traceback" not in refused.output
    assert "计算量过大" in refused.output or "fedplan validate" in refused.output


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'a'|center(10**9) }}",
        "{{ (10**100)**100 }}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    ],
)
def test_repository_templates_are_bounded(
    make_repo: MakeRepo, plan_2012: dict[str, str], run_line: RunLine, template: str
) -> None:
    root = make_repo(plan_2012)
    (Path(root) / "templates").mkdir()
    (Path(root) / "templates" / "plan.md.j2").write_text(template, encoding="utf-8")
    result = run_line(["-C", str(root), "render", str(Path(root) / "plans/2012/plan.yaml")])
    assert result.exit_code == 1
    assert "[template-too-costly]" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "body",
    [
        "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
        "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s if b == 'y' %}{% endfor %}{% endfor %}",
        "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% if loop.length < 0 %}x{% endif %}{% endfor %}{% endfor %}",
    ],
)
def test_a_render_on_another_thread_meets_the_wall_time(monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """SIGALRM reaches the main thread only; a server renders on others. Every item of a
    ``for`` is a counted step, so the deadline holds there too (without it this loop runs
    10^10 empty steps)."""
    import threading

    monkeypatch.setattr(sandbox, "BODY_SECONDS", 0.2)
    found: list[list[sandbox.BodyProblem]] = []
    worker = threading.Thread(target=lambda: found.append(check_body(body, None, [])), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the render on a thread ran past its wall time"
    assert [p.code for p in found[0]] == ["body-too-costly"]
    assert "0.2 秒" in found[0][0].message
    assert time.monotonic() - started < 10


def test_a_template_render_on_another_thread_meets_the_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from fedplan.bodies.bounds import bounded_render
    from fedplan.render import env as render_env

    environment = render_env._TemplateEnvironment()
    template = environment.from_string("{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}")
    errors: list[TooCostly] = []

    def run() -> None:
        try:
            bounded_render(template, seconds=0.2, max_output=1000, s="x" * 100_000)
        except TooCostly as exc:
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert [e.reason for e in errors] == ["运行超过 0.2 秒"]
