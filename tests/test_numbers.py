"""The one rounding rule, at the output and in every displayed figure: halves away from zero."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smesdk.numbers import decimal_to_json, fmt, json_number, json_ratio, round_out, round_ratio


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


def test_round_out_keeps_every_digit_of_a_large_value() -> None:
    # 29 digits before the point: more than the default decimal context's 28.
    assert round_out(Fraction(10**28 + 1)) == Decimal("10000000000000000000000000001")
    assert round_out(Fraction(-(10**28) - 1, 3)) == Decimal("-3333333333333333333333333333.6667")


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


@pytest.mark.parametrize("value", [
    Fraction(1, 8), Fraction(2, 3), Fraction(-2, 3), Fraction(1, 20000), Fraction(-1, 20000),
    Fraction(3, 80000), Fraction(-3, 80000), Fraction(50), Fraction(-7), Fraction(0),
    Fraction(199999, 2), Fraction(10**20 + 1, 3), Fraction(123456789, 10**4),
])
def test_json_number_is_decimal_to_json_of_round_out(value: Fraction) -> None:
    # The one-step form must give the very number (and JSON type) of the two-step one.
    expected = decimal_to_json(round_out(value))
    got = json_number(value)
    assert (got, type(got)) == (expected, type(expected))


@given(st.fractions(max_denominator=10**9) | st.integers(-10**12, 10**12).map(Fraction))
def test_json_number_agrees_on_any_fraction(value: Fraction) -> None:
    expected = decimal_to_json(round_out(value))
    got = json_number(value)
    assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    (2, 6, 0.3333),      # 1/3, not reduced
    (4, 6, 0.6667),
    (3, 60000, 0.0001),  # 1/20000: exactly half of the last place, away from zero
    (-3, 60000, -0.0001),
    (9, 240000, 0),      # 0.0000375 is under half: a whole zero
    (10, 5, 2),          # a whole number stays an int
    (-250, 1000, -0.25),
])
def test_json_ratio_rounds_an_unreduced_ratio(numerator: int, denominator: int,
                                              expected: float) -> None:
    got = json_ratio(numerator, denominator)
    assert (got, type(got)) == (expected, type(expected))


@given(st.integers(-10**12, 10**12), st.integers(1, 10**9), st.integers(1, 10**6))
def test_json_ratio_is_json_number_of_the_fraction(num: int, den: int, k: int) -> None:
    # Scaled by k, so the ratio is not reduced: the rule must not depend on the form.
    expected = json_number(Fraction(num, den))
    got = json_ratio(num * k, den * k)
    assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    (2, 6, "0.3333"),      # 1/3, not reduced
    (3, 60000, "0.0001"),  # 1/20000: exactly half of the last place, away from zero
    (-3, 60000, "-0.0001"),
    (10, 5, "2.0000"),
])
def test_round_ratio_rounds_an_unreduced_ratio(numerator: int, denominator: int,
                                               expected: str) -> None:
    assert str(round_ratio(numerator, denominator)) == expected


@given(st.integers(-10**12, 10**12), st.integers(1, 10**9), st.integers(1, 10**6))
def test_round_ratio_is_round_out_of_the_fraction(num: int, den: int, k: int) -> None:
    # Scaled by k, so the ratio is not reduced: the rule must not depend on the form.
    assert str(round_ratio(num * k, den * k)) == str(round_out(Fraction(num, den)))
