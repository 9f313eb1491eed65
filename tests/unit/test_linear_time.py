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

from fedplan import intake

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
