"""The one rounding rule, at the output and in every displayed figure: halves away from zero."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from smesdk.numbers import fmt, round_out


@pytest.mark.parametrize(("value", "expected"), [
    (Fraction(1, 8), "0.1250"),
    (Fraction(1, 3), "0.3333"),
    (Fraction(2, 3), "0.6667"),
    (Fraction(1, 20000), "0.0001"),   # exactly half of the last place: away from zero
    (Fraction(-1, 20000), "-0.0001"),
    (Fraction(3, 80000), "0.0000"),   # 0.0000375 is under half
])
def test_round_out_to_four_places(value: Fraction, expected: str) -> None:
    assert round_out(value) == Decimal(expected)


@pytest.mark.parametrize(("value", "places", "expected"), [
    ("0.125", 2, "0.13"),    # Python's own format would give 0.12 (halves to even)
    ("-0.125", 2, "-0.13"),
    ("78.6250", 2, "78.63"),
    ("0.0050", 2, "0.01"),
    ("-0.0040", 2, "0.00"),  # no "-0.00"
    ("3", 1, "3.0"),
])
def test_fmt_with_places_rounds_half_away_from_zero(value: str, places: int, expected: str) -> None:
    assert fmt(Decimal(value), places) == expected


def test_fmt_without_places_drops_trailing_zeros() -> None:
    assert fmt(Decimal("72.5000")) == "72.5"
    assert fmt(Decimal("-0.0000")) == "0"
    assert fmt(None) == "-"
