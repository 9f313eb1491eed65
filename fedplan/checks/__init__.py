"""Checks across documents: each is a plain function from a CheckContext to Diagnostics.

Each is declared with ``@emits(code, …)``, naming the registered codes it may report.
They run in the order of CHECKS, after every file has been read and typed (fedplan.schema
already reported what one document alone can tell). One failing check never hides the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from fedplan.checks import assessment, ids, plans, progress, proposals, report_expr, stale
from fedplan.checks.base import Check, CheckContext, did_you_mean, emits
from fedplan.diagnostics import Diagnostic
from fedplan.model import Repository

if TYPE_CHECKING:
    from fedplan.parsecache import ParseCache

__all__ = ["CHECKS", "Check", "CheckContext", "did_you_mean", "emits", "run_checks"]

# The checks, in the order they run (beancount's BASIC_VALIDATIONS): a caller wanting more
# or fewer passes its own tuple to run_checks(checks=…).
CHECKS: tuple[Check, ...] = (
    plans.check_one_plan_per_year,
    ids.check_unique_ids,
    plans.check_target_dates,
    plans.check_points,
    plans.check_numbered_titles,
    progress.check_progress_year,
    progress.check_entries,
    proposals.check_item_links,
    proposals.check_report_dates,
    stale.check_stale,
    report_expr.check_report_expressions,
    assessment.check_assessments,
    assessment.check_assessment_entries,
    assessment.check_paces,
)


def run_checks(
    repo: Repository,
    *,
    today: dt.date,
    sources: Mapping[str, str] | None = None,
    checks: Sequence[Check] = CHECKS,
    cache: ParseCache | None = None,
    probes: dict[str, str] | None = None,
) -> list[Diagnostic]:
    """Every diagnostic of ``checks`` (CHECKS unless told, in their order) on the repository
    (with ``cache``, the parse cache of the files just read, some results are kept there;
    ``probes`` gets what the checks looked up on the disk, ``CheckContext.where``)."""
    ctx = CheckContext(repo, today, sources or {}, cache, {} if probes is None else probes)
    found: list[Diagnostic] = []
    for check in checks:
        found.extend(check(ctx))
    return found
