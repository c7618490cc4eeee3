"""Reading a scored result: answers, scores and dates by full id, tolerant of profiles."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from smesdk import IndicatorResult, Result, as_date, assessment_scratch

#: The states in which a trace holds an answer.
ANSWERED = _ANSWERED = frozenset(("scored", "unscored"))


def _find(result: Result, iid: str) -> IndicatorResult | None:
    try:
        return result.indicator(iid)
    except KeyError:
        return None


def answer(result: Result, iid: str) -> Any:
    """The parsed answer of *iid*, or None when it is absent, unanswered, N/A or void."""
    return _answer_of(_find(result, iid))


def date(result: Result, iid: str) -> dt.date | None:
    return _day_of(answer(result, iid))[0]


def iso_date(result: Result, iid: str) -> str | None:
    """:func:`date` as ISO text (YYYY-MM-DD), as the result sections write it."""
    return _day_of(answer(result, iid))[1]


def number(result: Result, iid: str) -> Decimal | None:
    return _number_of(answer(result, iid))


def score(result: Result, iid: str) -> Decimal | None:
    """An indicator's score as a fraction in [0, 1], or None when it was not scored."""
    return _unit_score_of(_find(result, iid))


def dim_score(result: Result, did: str) -> Decimal | None:
    """A dimension's score on the 0–100 scale, or None when it was left out."""
    try:
        item = result.dimension(did)
    except KeyError:
        return None
    return item.score


class Reader:
    """One result's indicators, for the hooks of one assessment: the hooks read ~100 per
    assessment, through the result's own index (``Result.indicators_by_id``), and the
    problems' and roles' scores are worked out once."""

    __slots__ = ("_by_id", "_dimensions", "_units", "indicators", "item")

    def __init__(self, result: Result) -> None:
        self.indicators = result.indicators
        self._dimensions = result.dimensions
        self._by_id = result.indicators_by_id()
        #: An indicator's trace by id, or None when the profile leaves it out.
        self.item = self._by_id.get
        self._units: dict[tuple[str, ...], dict[str, Decimal | None]] = {}

    def has(self, iid: str) -> bool:
        """Whether the framework (its profile) keeps *iid*."""
        return iid in self._by_id

    def answer(self, iid: str) -> Any:
        return _answer_of(self._by_id.get(iid))

    def day(self, iid: str) -> tuple[dt.date | None, str | None]:
        """The answer of *iid* as a date and as its ISO text (both None when not a date)."""
        item = self._by_id.get(iid)
        if item is None or item.status not in _ANSWERED or item.answer is None:
            return _NO_DAY  # the steps' dates are mostly unanswered: the short way first
        return _day_of(item.answer)

    def number(self, iid: str) -> Decimal | None:
        return _number_of(_answer_of(self._by_id.get(iid)))

    def dim_score(self, did: str) -> Decimal | None:
        """As :func:`dim_score` (one is read: a scan of the few)."""
        for item in self._dimensions:
            if item.id == did:
                return item.score
        return None

    def scores(self, ids: tuple[str, ...]) -> dict[str, Decimal | None]:
        """:func:`score` of each of ``ids``, worked out once per reader: the problems, the
        roles and the advice all read the same indicators' scores."""
        found = self._units.get(ids)
        if found is None:
            found = self._units[ids] = {}
            get, unit_of = self._by_id.get, _UNITS.get
            for i in ids:  # _unit_score_of, inline: ~30 per assessment
                item = get(i)
                if item is None or item.status != "scored" or (value := item.score) is None:
                    found[i] = None
                else:
                    found[i] = unit_of(value) or _unit(value)  # a fraction of 0 is falsy too
        return found


_NO_DAY: tuple[None, None] = (None, None)
_KEY = "iso9001.reader"


def reader(result: Result) -> Reader:
    """This assessment's :class:`Reader`: the hooks' results share their indicators (each
    hook's result is the last one grown), so one reader serves them all. Outside the hooks the
    scratch is new on each call and so is the reader."""
    scratch = assessment_scratch()
    found: Reader | None = scratch.get(_KEY)
    if found is None or found.indicators is not result.indicators:
        found = scratch[_KEY] = Reader(result)
    return found


def _answer_of(item: IndicatorResult | None) -> Any:
    if item is None or item.status not in _ANSWERED:
        return None
    return item.answer


def day_text_of(item: IndicatorResult | None) -> str | None:
    """The ISO text of the date an indicator's trace answers (None when it answers none)."""
    if item is None or item.status not in _ANSWERED or (value := item.answer) is None:
        return None
    if type(value) is str:
        return _date_of_text(value)[1]
    return _day_of(value)[1]


def _day_of(value: Any) -> tuple[dt.date | None, str | None]:
    if type(value) is str:
        return _date_of_text(value)
    day = as_date(value)
    return day, day.isoformat() if day else None


@functools.lru_cache(maxsize=8192)
def _date_of_text(text: str) -> tuple[dt.date | None, str | None]:
    # A result holds dates as ISO text; the same dates recur across steps and firms, so each
    # text is read (and written back) once.
    day = as_date(text)
    return day, day.isoformat() if day else None


def _number_of(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    kind = type(value)
    if kind is int or kind is float:
        return _decimal_of(value)
    return _decimal_of_text(str(value))


@functools.lru_cache(maxsize=4096, typed=True)  # typed: 1 and 1.0 are written apart
def _decimal_of(value: float) -> Decimal | None:
    # Counts and rates recur across firms; each is converted once (Decimals are immutable).
    return _decimal_of_text(str(value))


def _decimal_of_text(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _unit_score_of(item: IndicatorResult | None) -> Decimal | None:
    if item is None or item.status != "scored" or item.score is None:
        return None
    return _unit(item.score)


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
