"""Checks across documents: each is a plain function from a CheckContext to Diagnostics.

They run in the order of CHECKS, after every file has been read and typed (fedplan.schema
already reported what one document alone can tell). One failing check never hides the next.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from fedplan.diagnostics import Diagnostic
from fedplan.model import Repository, Settings


@dataclass(frozen=True)
class CheckContext:
    repo: Repository
    today: dt.date
    # The decoded text of every file (relative path → text), for checks that need to look
    # at how something was written; checks never read the disk themselves.
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.repo.settings


Check = Callable[[CheckContext], Iterator[Diagnostic]]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A “是不是……？” hint for a near miss, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"是不是“{close[0]}”？" if close else ""


def _checks() -> tuple[Check, ...]:
    from fedplan.checks import assessment, ids, plans, progress, proposals, report_expr, stale

    return (
        plans.check_one_plan_per_year,
        ids.check_unique_ids,
        plans.check_target_dates,
        plans.check_points,
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
    repo: Repository, *, today: dt.date, sources: Mapping[str, str] | None = None
) -> list[Diagnostic]:
    ctx = CheckContext(repo, today, sources or {})
    found: list[Diagnostic] = []
    for check in _checks():
        found.extend(check(ctx))
    return found
