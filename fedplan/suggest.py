"""The “是不是……？” matcher: one near-miss rule for every hint that suggests a name.

Every place that tells a user which id, key, kind or value they probably meant asks here,
so a typo gets the same answer wherever it is made.
"""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.6  # difflib's ratio; below it two words share too little to suggest one for the other


def closest(word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = CUTOFF) -> list[str]:
    """Up to ``n`` of ``choices`` nearest ``word``, nearest first; none below ``cutoff``."""
    import difflib  # only when a name is wrong: every command's start-up imports this module

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "", *, cutoff: float = CUTOFF) -> str:
    """“是不是“farm-training”？” for the nearest of ``choices``, else ``otherwise``."""
    close = closest(word, choices, cutoff=cutoff)
    return f"是不是“{close[0]}”？" if close else otherwise
