"""Reading a scored result: answers, scores and dates by full id, tolerant of profiles."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from smesdk import Result, as_date

_ANSWERED = {"scored", "unscored"}


def answer(result: Result, iid: str) -> Any:
    """The parsed answer of *iid*, or None when it is absent, unanswered, N/A or void."""
    try:
        item = result.indicator(iid)
    except KeyError:
        return None
    if item.status not in _ANSWERED:
        return None
    return item.answer


def date(result: Result, iid: str) -> dt.date | None:
    value = answer(result, iid)
    return _date_of_text(value)[0] if type(value) is str else as_date(value)


def iso_date(result: Result, iid: str) -> str | None:
    """:func:`date` as ISO text (YYYY-MM-DD), as the result sections write it."""
    value = answer(result, iid)
    if type(value) is str:
        return _date_of_text(value)[1]
    day = as_date(value)
    return day.isoformat() if day else None


@functools.lru_cache(maxsize=8192)
def _date_of_text(text: str) -> tuple[dt.date | None, str | None]:
    # A result holds dates as ISO text; the same dates recur across steps and firms, so each
    # text is read (and written back) once.
    day = as_date(text)
    return day, day.isoformat() if day else None


def number(result: Result, iid: str) -> Decimal | None:
    value = answer(result, iid)
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def score(result: Result, iid: str) -> Decimal | None:
    """An indicator's score as a fraction in [0, 1], or None when it was not scored."""
    try:
        item = result.indicator(iid)
    except KeyError:
        return None
    if item.status != "scored" or item.score is None:
        return None
    return _unit(item.score)


def dim_score(result: Result, did: str) -> Decimal | None:
    """A dimension's score on the 0–100 scale, or None when it was left out."""
    try:
        item = result.dimension(did)
    except KeyError:
        return None
    return item.score


#: score (0–100) -> the same as a fraction of 1; scores take a few values, read ~50 times per
#: assessment, and a Decimal division costs more than the look-up. Only ever compared and
#: averaged, so equal scores written with other exponents may share an entry.
_UNITS: dict[Decimal, Decimal] = {}


def _unit(value: Decimal) -> Decimal:
    # IndicatorResult.score is shown on the 0–100 scale, like dimension scores.
    unit = _UNITS.get(value)
    if unit is None:
        if len(_UNITS) > 4096:
            _UNITS.clear()
        unit = _UNITS[value] = value / 100
    return unit
