"""What every check shares: the context it reads, its declaration, the did-you-mean hint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from fedplan import suggest
from fedplan.diagnostics import Diagnostic, codes
from fedplan.model import Repository, Settings
from fedplan.records import field, record

if TYPE_CHECKING:
    from fedplan.parsecache import ParseCache


@record
class CheckContext:
    repo: Repository
    today: dt.date
    # The decoded text of every file (relative path → text), for checks that need to look
    # at how something was written; checks never read the disk themselves (but ``where``).
    sources: Mapping[str, str] = field(default_factory=dict)
    # The parse cache of the run (None without one): a check whose work is costly to start
    # (the report bodies' Jinja2) keeps its result there, for a run where nothing changed.
    cache: ParseCache | None = None
    # What ``where`` found for each path asked about: the disk state the checks' result
    # depends on beyond the files (a run that reuses the result asks again, see
    # fedplan.repo.check_repository).
    probes: dict[str, str] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.repo.settings

    def where(self, rel: str) -> str:
        """What ``rel`` names under the repository's root (fedplan.files.where_under), kept in ``probes``."""
        from fedplan.files import where_under

        found = self.probes[rel] = where_under(self.repo.root, rel)
        return found


@record
class Check:
    """One check across documents: a function of the context, and the codes it may emit
    (each registered in fedplan.diagnostics.REGISTRY; tests hold the function to them)."""

    run: Callable[[CheckContext], Iterator[Diagnostic]]
    codes: frozenset[str]

    @property
    def name(self) -> str:
        return self.run.__name__

    def __call__(self, ctx: CheckContext) -> Iterator[Diagnostic]:
        return self.run(ctx)


def emits(*ids: str) -> Callable[[Callable[[CheckContext], Iterator[Diagnostic]]], Check]:
    """Declare a check and the codes it emits: ``@emits("duplicate-plan")``."""
    declared = codes(*ids)

    def declare(run: Callable[[CheckContext], Iterator[Diagnostic]]) -> Check:
        return Check(run, declared)

    return declare


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A “是不是……？” hint for a near miss, or an empty string."""
    return suggest.did_you_mean(word, choices, cutoff=0.5)
