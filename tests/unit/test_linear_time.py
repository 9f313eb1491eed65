"""Untrusted text is read in linear time: each pattern or loop that was quadratic on crafted
input gives the same results as before on ordinary text (compared with the old pattern on
many short random strings) and the right result on the crafted input.

No timing assertions: the crafted input (200,000 characters) is run in a child process
with a generous time limit, which it only reaches when the code is quadratic again (it
then takes minutes; linear, well under a second).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import textwrap

import pytest

from fedplan import intake, logbook
from fedplan.schema import fields

N = 200_000
LIMIT = 60  # seconds: linear code takes a fraction of one


def runs_in_bounded_time(code: str) -> None:
    """Run ``code`` in a fresh interpreter; fail if it does not finish within LIMIT."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=LIMIT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {LIMIT} s on a {N:,}-character input: quadratic again?")
    assert done.returncode == 0, done.stderr


def random_texts(alphabet: str, count: int = 3000, longest: int = 12, seed: int = 9704) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


# --- intake: bracketed notes in header cells ---------------------------------------------------

_OLD_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def test_bracket_stripping_is_the_old_pattern() -> None:
    for text in random_texts("（(【[）)】]a数 "):
        assert intake._strip_bracketed(text) == _OLD_BRACKETED.sub("", text), text


@pytest.mark.parametrize(
    ("cell", "word"),
    [("数值（人次）", "数值"), ("备注(说明)【x】", "备注"), ("((名称", "((名称"), ("名称)(", "名称)(")],
)
def test_header_words(cell: str, word: str) -> None:
    assert intake._header_word(cell) == word


def test_a_cell_of_opening_brackets() -> None:
    assert intake._header_word("(" * 1000) == "(" * 1000
    runs_in_bounded_time(f"""
        from fedplan.intake import _header_word
        assert _header_word("(" * {N}) == "(" * {N}
        assert _header_word("(" * {N} + ")") == ""
    """)


# --- numbers with a unit: intake cells, logbook values, schema fields ---------------------------

_NUMBER = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)"
_OLD_NUMBER_WITH_UNIT = re.compile(rf"({_NUMBER})\s*(\S.*)")
_OLD_UNIT_IN_NUMBER = re.compile(r"^\s*[-+]?[\d.,，]+\s*(\S+)\s*$")


@pytest.mark.parametrize("pattern", [intake._NUMBER_WITH_UNIT, logbook._NUMBER_WITH_SUFFIX])
def test_number_with_unit_is_the_old_pattern(pattern: re.Pattern[str]) -> None:
    number = re.compile(_NUMBER)
    for text in random_texts("12.+- \n人x", longest=8):
        text = text.strip()
        if number.fullmatch(text):
            continue  # the callers take a plain number first
        old, new = _OLD_NUMBER_WITH_UNIT.fullmatch(text), pattern.fullmatch(text)
        assert (old and old.groups()) == (new and new.groups()), repr(text)


def test_unit_in_number_is_the_old_pattern_where_it_counts() -> None:
    # The caller only uses a unit that is not all digits (and the text holds a digit).
    figure = re.compile(r"[\d.,，]+")
    for text in random_texts("1,.，人 a", longest=8):
        old, new = _OLD_UNIT_IN_NUMBER.match(text), fields._UNIT_IN_NUMBER.match(text)
        old_unit = old.group(1) if old and not figure.fullmatch(old.group(1)) else None
        new_unit = new.group(1) if new and not figure.fullmatch(new.group(1)) else None
        assert old_unit == new_unit, repr(text)


def test_long_numbers_with_a_unit() -> None:
    runs_in_bounded_time(f"""
        from fedplan import intake, logbook
        from fedplan.schema import fields
        text = "1" * {N} + "\\n人次\\n说明"
        assert intake._NUMBER_WITH_UNIT.fullmatch(text) is None
        assert logbook._NUMBER_WITH_SUFFIX.fullmatch(text) is None
        assert intake._read_number(text, "人次") == "“" + text + "”不是数字"
        assert fields._UNIT_IN_NUMBER.match("1" * {N} + " 人 次") is None
        assert fields._UNIT_IN_NUMBER.match("1" * {N} + " 人次").group(1) == "人次"
    """)
