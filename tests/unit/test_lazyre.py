"""lazy_re: a pattern compiled when first used (start-up, issue 15), then a plain pattern."""

from __future__ import annotations

import re

from fedplan import headings
from fedplan.lazyre import lazy_re


def test_a_lazy_pattern_compiles_on_first_use_and_then_answers_as_re_does() -> None:
    lazy = lazy_re(r"(\d{4})\s*年", re.S)
    assert "match" not in vars(lazy)  # nothing compiled at import
    assert lazy.search("二〇一二 2012 年").group(1) == "2012"  # type: ignore[union-attr]
    assert "match" in vars(lazy)  # now bound: later calls go straight to the pattern
    compiled = re.compile(r"(\d{4})\s*年", re.S)
    for text in ("2012年", "x 1999 年 2000年", "无"):
        assert lazy.findall(text) == compiled.findall(text)
        assert lazy.sub("Y", text) == compiled.sub("Y", text)
    assert (lazy.pattern, lazy.flags, lazy.groups) == (compiled.pattern, compiled.flags, compiled.groups)


def test_the_heading_patterns_still_read_headings() -> None:
    assert headings.numbering_level("（三）加强组织建设") == 2
    assert headings.numbering_level("1.2 总体要求") == 3
