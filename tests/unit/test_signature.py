"""GB/T 9704-2012 7.3.5.2 in one place (fedplan.render.signature), in characters."""

from __future__ import annotations

from fedplan.render.signature import signature_starts


def test_short_date_starts_two_characters_right_of_the_name() -> None:
    # 金川区妇女联合会 (8) over 2012年12月31日 (5.5 with half-width digits)
    assert signature_starts(8, 5.5, two=2) == (10, 8)


def test_long_date_keeps_two_characters_and_the_name_moves_left() -> None:
    # 区妇联 (3) over a 5.5-character date: the date would end 0.5 from the margin
    assert signature_starts(3, 5.5, two=2) == (9.5, 7.5)


def test_without_a_name_the_date_keeps_two_characters() -> None:
    assert signature_starts(0, 5.5, two=2) == (2, 7.5)
