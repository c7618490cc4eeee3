"""Exact arithmetic and the one rounding rule applied at the output.

Scores are computed with :class:`fractions.Fraction`, so no summation order can change a
digit. Every number that leaves the library (result JSON, tables, batch files) is rounded
once, by :func:`round_out`: to ``PLACES`` decimal places, halves away from zero (the
四舍五入 rule readers of Chinese scoring sheets expect).
"""

from __future__ import annotations

import functools
from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Protocol

PLACES = 4
_SCALE: int = 10**PLACES


def frac(value: Decimal | int | Fraction | str) -> Fraction:
    """An exact Fraction from a Decimal, int or decimal string."""
    if isinstance(value, Fraction):
        return value
    return _frac(value)


@functools.lru_cache(maxsize=8192)
def _frac(value: Decimal | int | str) -> Fraction:
    # Specs hold a few hundred distinct constants; converting each once matters when scoring.
    return Fraction(value)


def round_out(value: Fraction) -> Decimal:
    """Round an exact value to PLACES decimals, halves away from zero."""
    return _scaled(_rounded(value))


def round_ratio(numerator: int, denominator: int) -> Decimal:
    """:func:`round_out` of ``numerator / denominator`` (``denominator > 0``, the two not
    necessarily reduced), without making the Fraction: the engine has many of its figures
    as integer ratios."""
    return _scaled(_units(numerator, denominator))


class Exact(Protocol):
    """An exact rational: a Fraction, an int, or any (numerator, denominator > 0) pair with
    those attributes, reduced or not."""

    @property
    def numerator(self) -> int: ...

    @property
    def denominator(self) -> int: ...


def json_number(value: Exact) -> int | float:
    """``decimal_to_json(round_out(value))``, the same number, without making the Decimal
    (nor, for a plain ratio, the Fraction): plugins write many rounded figures per
    assessment."""
    return json_ratio(value.numerator, value.denominator)


def json_ratio(numerator: int, denominator: int) -> int | float:
    """:func:`json_number` of ``numerator / denominator`` (``denominator > 0``, the two not
    necessarily reduced), for a figure computed as an integer ratio: no object is made for
    it, which was much of the cost of the plugins' many rounded figures."""
    units = _units(numerator, denominator)
    whole, part = divmod(units, _SCALE)
    # int / int is correctly rounded, as float(Decimal) is: the same float for the same decimal.
    return units / _SCALE if part else whole


def _rounded(value: Exact) -> int:
    """``value`` in units of the last place, rounded."""
    return _units(value.numerator, value.denominator)


def _units(num: int, den: int) -> int:
    """``num / den`` (den > 0) in units of the last place, rounded: the one rounding rule."""
    q, r = divmod(abs(num) * _SCALE, den)
    if 2 * r >= den:
        q += 1
    return q if num >= 0 else -q


#: Shifting the decimal point must not round: the default context keeps 28 digits, so a value
#: of 10**24 or more lost its last digits in round_out (but not in json_number).
_EXACT = Context(prec=MAX_PREC)


@functools.lru_cache(maxsize=65536)
def _scaled(n: int) -> Decimal:
    return Decimal(n).scaleb(-PLACES, _EXACT)


def fmt(value: Decimal | None, places: int | None = None) -> str:
    """Human form of a rounded number: fixed places, or trailing zeros dropped."""
    if value is None:
        return "-"
    if places is not None:  # the same rule as round_out: halves away from zero
        text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.") else text
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fmt_near(value: Decimal, places: int) -> str:
    """``value`` rounded to ``places`` as :func:`fmt` rounds, trailing zeros dropped: "9.5"
    for 9.4999 (a sum of rounded figures), "70" for 70.0000."""
    return fmt(Decimal(fmt(value, places)))


def decimal_to_json(value: Decimal) -> int | float:
    """A JSON number for an already-rounded Decimal, losslessly.

    Values have at most PLACES decimals and far fewer than 15 significant digits, so the
    shortest float repr is exactly the decimal; integers stay integers.
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def json_to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a number, not a boolean")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int | str | Decimal):
        return Decimal(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")
