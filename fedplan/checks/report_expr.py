"""Report bodies: their Jinja expressions compile, name real targets, and stay in the sandbox."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from fedplan.checks.base import CheckContext, emits
from fedplan.diagnostics import Diagnostic, Pos, error
from fedplan.model import Report, ReportSection, Repository


@emits("report-syntax", "unknown-target", "unsafe-template", "report-error", "body-too-costly")
def check_report_expressions(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Each report body renders in the sandbox against its year's status.

    Passes::

        body: 培训妇女{{ t('farm-training').actual }}人次

    Fails (unknown-target, with 是不是“farm-training”？)::

        body: 培训妇女{{ t('farm-trainig').actual }}人次

    Also report-syntax (``{{ t('x' }}``), unsafe-template (``{{ ''.__class__ }}``) and
    body-too-costly (``{{ 'a'|center(10**9) }}``: the render's work is bounded).
    """
    repo = ctx.repo
    for report in repo.reports:
        if not any("{" in s.body for s in report.sections):
            continue
        name = f"check:report-bodies:{report.path}"
        found = ctx.cache.recall(name) if ctx.cache is not None else None
        if found is None:
            found = _body_problems(repo, report)
            if ctx.cache is not None:
                ctx.cache.remember(name, found)
        for index, code, message, line, column, hint in found:
            pos = body_position(ctx.sources, report.sections[index], line, column)
            yield error(pos, code, message, hint)


# A body's problem, as plain values (the parse cache keeps them without the sandbox):
# the section's index, code, message, line and column in the body, hint.
BodyFinding = tuple[int, str, str, int, int, str]


def _body_problems(repo: Repository, report: Report) -> list[BodyFinding]:
    """Every problem of the report's bodies, run against its year's status. Jinja2 (and
    the status arithmetic) only here: validate on plain prose, or with the result kept in
    the parse cache, does not pay for importing them (issue 15)."""
    from fedplan.bodies.sandbox import check_body
    from fedplan.status import compute_status

    plan = repo.plan_for(report.year)
    status = None
    known: list[str] = []
    if plan is not None:
        status = compute_status(plan, repo.entries_for(report.year), as_of=report.as_of, settings=repo.settings)
        known = [t.id for t in status.targets]
    return [
        (index, p.code, p.message, p.line, p.column, p.hint)
        for index, section in enumerate(report.sections)
        for p in check_body(section.body, status, known)
    ]


def body_position(sources: Mapping[str, str], section: ReportSection, line: int, column: int) -> Pos:
    """Where line ``line`` (1-based, inside the body) is in the file.

    A block scalar (``body: |``) starts on the line after its indicator; the file's text
    tells which kind was written, else a body ending in a newline is taken to be a block.
    """
    start = section.at("body")
    if not start.line:
        return start
    source_line = _source_line(sources, start)
    indicator = source_line[start.col - 1 : start.col] if source_line is not None else ""
    block = indicator in ("|", ">") if source_line is not None else section.body.endswith("\n")
    if not block:
        first = start.col + (1 if indicator in ("'", '"') else 0)  # past an opening quote
        return Pos(start.path, start.line + line - 1, first + max(column - 1, 0) if line == 1 else 1)
    indent = _block_indent(sources, start)
    return Pos(start.path, start.line + line, indent + max(column, 1))


def _read_lines(sources: Mapping[str, str], pos: Pos) -> list[str] | None:
    text = sources.get(pos.path)
    return None if text is None else text.splitlines()


def _source_line(sources: Mapping[str, str], pos: Pos) -> str | None:
    lines = _read_lines(sources, pos)
    if lines is None or pos.line > len(lines):
        return None
    return lines[pos.line - 1]


def _block_indent(sources: Mapping[str, str], pos: Pos) -> int:
    lines = _read_lines(sources, pos)
    if lines is None or pos.line >= len(lines):
        return 0
    following = lines[pos.line]
    return len(following) - len(following.lstrip(" "))
