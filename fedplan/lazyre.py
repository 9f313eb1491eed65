"""Regular expressions compiled on first use, not at import.

Compiling the module-level patterns of the modules a command imports took some 20 ms of
fedplan's start-up (the headings, dates, punctuation and click-message tables), most of
them never used by that command. ``lazy_re(pattern, flags)`` stands in for
``re.compile``: the first attribute asked for compiles it and binds the pattern's methods
on the object, so every later call costs what a compiled pattern's does. Imports nothing
from fedplan (fedplan/headings.py, which must not, uses it).
"""

from __future__ import annotations

import re
from typing import Any, cast

_BOUND = ("match", "search", "fullmatch", "sub", "subn", "findall", "finditer", "split",
          "pattern", "flags", "groups", "groupindex")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attr in _BOUND:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_re({self._source[0]!r})"


def lazy_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
