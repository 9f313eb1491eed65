"""Title line breaks (GB/T 9704-2012 7.3.1): whole words, a trapezoid or diamond — on every
bundled title and on long titles written for the test."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from fedplan.render.docx import TITLE_CHARS, _width_in_chars
from fedplan.render.titles import break_costs, title_lines

ROOT = Path(__file__).resolve().parents[2]


def bundled_titles() -> list[str]:
    titles = set()
    for path in [*ROOT.glob("plans/**/*.yaml"), *ROOT.glob("tests/data/**/*.yaml")]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            titles.add(data["title"])
    return sorted(titles)


def lines(title: str) -> list[str]:
    return title_lines(title, width=TITLE_CHARS, measure=_width_in_chars)


def shaped(widths: list[float]) -> bool:
    pairs = list(itertools.pairwise(widths))
    if all(b > a for a, b in pairs) or all(b < a for a, b in pairs):
        return True
    peak = widths.index(max(widths))
    return all(b > a for a, b in pairs[:peak]) and all(b < a for a, b in pairs[peak:])


def test_there_are_bundled_titles() -> None:
    assert len(bundled_titles()) >= 5


@pytest.mark.parametrize("title", bundled_titles())
def test_every_bundled_title_fits_and_is_shaped(title: str) -> None:
    result = lines(title)
    assert "".join(result) == title
    widths = [_width_in_chars(line) for line in result]
    assert max(widths) <= TITLE_CHARS
    assert shaped(widths)
    costs = break_costs(title)
    position = 0
    for line in result[:-1]:  # every break at a joint of the title, never mid-word
        position += len(line)
        assert position in costs


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("人大代表关于进一步加强我区城市生活垃圾处理的建议", ["人大代表关于进一步加强", "我区城市生活垃圾处理的建议"]),
        ("关于进一步加强我区行政执行力建设的几点建议", ["关于进一步加强我区", "行政执行力建设的几点建议"]),
        ("关于进一步加强我区妇联工作的建议", ["关于进一步加强我区妇联工作的建议"]),
        ("金川区总工会关于开展2012年度职工职业技能竞赛活动的通知", ["金川区总工会关于开展2012年度", "职工职业技能竞赛活动的通知"]),
        (
            "金川区妇联关于表彰2012年度“五好文明家庭”和“双学双比”女能手的决定",
            ["金川区妇联关于表彰", "2012年度“五好文明家庭”", "和“双学双比”女能手的决定"],
        ),
    ],
)
def test_titles_break_at_their_joints(title: str, expected: list[str]) -> None:
    assert lines(title) == expected


def test_numbers_are_never_split_even_when_forced() -> None:
    title = "甲" * 19 + "2012年" + "乙" * 19
    result = lines(title)
    assert all("201" not in line or "2012" in line for line in result)
    assert max(_width_in_chars(line) for line in result) <= TITLE_CHARS


_LONG = """
import sys
from fedplan.render.docx import TITLE_CHARS, _width_in_chars
from fedplan.render.titles import title_lines
title = sys.argv[1] * int(sys.argv[2])
lines = title_lines(title, width=TITLE_CHARS, measure=_width_in_chars)
print(len(lines), "".join(lines) == title, max(map(_width_in_chars, lines)) <= TITLE_CHARS)
"""


@pytest.mark.parametrize("unit", ["关于，", "关于进一步加强我区城市生活垃圾处理工作的建议、"])
def test_a_title_too_long_for_a_search_of_its_joints_is_filled_line_by_line(unit: str) -> None:
    # Every way of cutting the title at its joints was measured: C(joints, breaks) of them.
    # A title of 240 characters of "关于，" took 7 s, one of a few hundred stalled the Word
    # file (a plan's title comes from a pull request). Past 20,000 ways it is filled line by
    # line; 2,000 repeats here end in about a second, the bound only stops a search of them
    # from holding the test run for an hour.
    import subprocess
    import sys

    try:
        done = subprocess.run([sys.executable, "-c", _LONG, unit, "2000"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("a long title was not broken into lines within 120 s")
    assert done.returncode == 0, done.stderr
    count, whole, fits = done.stdout.split()
    assert (whole, fits) == ("True", "True") and int(count) >= 2000 * len(unit) // TITLE_CHARS


def test_titles_of_a_few_lines_are_still_searched_whole() -> None:
    # Three lines and twenty joints are 1,140 ways: under the bound, the best of them.
    title = "关于进一步加强我区城市生活垃圾处理和农村环境综合整治工作、推动妇女儿童发展规划落实的建议"
    result = lines(title)
    assert len(result) >= 3 and shaped([_width_in_chars(line) for line in result])
    costs = break_costs(title)
    position = 0
    for line in result[:-1]:
        position += len(line)
        assert position in costs
