"""Problems found in the data, as small sortable values (never raised, never printed here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, order=True)
class Pos:
    """A 1-based place in a file; ``path`` is relative to the repository root, with ``/``."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where, how bad, a stable English code, a Chinese message and a hint.

    Two diagnostics are equal only when everything about them is: two different problems
    at one place are two diagnostics. They sort by place, then code, then the rest, so a
    list of them reads top to bottom through each file.
    """

    pos: Pos
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def _order(self) -> tuple[Pos, str, str, str, str]:
        return (self.pos, self.code, self.message, self.hint, self.severity.value)

    def __lt__(self, other: Diagnostic) -> bool:
        return self._order() < other._order()

    def __le__(self, other: Diagnostic) -> bool:
        return self._order() <= other._order()

    def __gt__(self, other: Diagnostic) -> bool:
        return self._order() > other._order()

    def __ge__(self, other: Diagnostic) -> bool:
        return self._order() >= other._order()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def key(self) -> tuple[str, int, int, str]:
        """The short form tests compare against: (path, line, col, code)."""
        return (self.pos.path, self.pos.line, self.pos.col, self.code)

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity.label}: {self.message} [{self.code}]"


def error(pos: Pos, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, code, message, hint)


def warning(pos: Pos, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, Severity.WARNING, code, message, hint)


def has_errors(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> bool:
    return any(d.is_error for d in diagnostics)


class FedplanError(Exception):
    """A user-facing failure outside the data (bad option, unknown year, git trouble).

    Carries a Chinese message, a stable code and a hint; the CLI prints it in one line and
    exits 1 (or 2 for usage). Never used for problems in the data: those are Diagnostics.
    """

    def __init__(self, message: str, *, code: str, hint: str = "", exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.exit_code = exit_code
