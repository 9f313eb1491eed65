"""fedplan.suggest (the one “是不是……？” matcher) and fedplan.hanzi (Han ranges, OpenCC cache)."""

from __future__ import annotations

import re

from fedplan.hanzi import HAN, HAN_IDEOGRAPHS, converter
from fedplan.suggest import closest, did_you_mean


def test_did_you_mean_names_the_nearest_choice() -> None:
    assert did_you_mean("farm-trainng", ["farm-training", "launch"]) == "是不是“farm-training”？"
    assert did_you_mean("qqq", ["farm-training"], "目标见 plan.yaml") == "目标见 plan.yaml"
    assert did_you_mean("qqq", ["farm-training"]) == ""


def test_closest_is_ordered_and_bounded() -> None:
    assert closest("volunter", ["volunteer", "volume", "launch"], n=2) == ["volunteer", "volume"]
    assert closest("ab", ["xyz"], n=3) == []


def test_han_ranges() -> None:
    han = re.compile(f"[{HAN}]")
    ideograph = re.compile(f"[{HAN_IDEOGRAPHS}]")
    assert all(han.match(c) for c in "妇联㐀〇○")
    assert not any(han.match(c) for c in "a1，。（")
    assert ideograph.match("妇") and not ideograph.match("○")


def test_one_converter_per_configuration() -> None:
    assert converter("s2tw") is converter("s2tw")
    assert converter("s2tw")("妇联干部考核") == "婦聯幹部考核"
    assert converter("tw2s")("婦聯") == "妇联"
