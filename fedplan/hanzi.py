"""Chinese characters: the one statement of which code points are Han, and the one cached
OpenCC converter (Simplified ↔ Traditional) every module that converts asks for."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

# CJK Unified Ideographs Extension A, the URO, the Compatibility Ideographs, and 〇/○ as
# written for zero in Chinese numbers (二〇一二年) — for use inside a regex [...] class.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇○"
# Without 〇/○: for identifiers (a YAML id may be 双学双比, not ○).
HAN_IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# The two scripts a document may be written in: fedplan.yaml's ``script`` and ``--script``
# (fedplan.model.Script spells the same two for the type checker).
SCRIPTS = ("hans", "hant")  # 简体, 繁体


@lru_cache(maxsize=4)
def converter(config: str) -> Callable[[str], str]:
    """OpenCC's ``convert`` for ``config`` (s2tw, tw2s, t2s…), built once per process:
    loading a configuration reads its dictionaries, and opencc is slow to import, so
    only a command that converts pays for it."""
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC(config).convert
    return convert
