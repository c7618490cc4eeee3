"""The result's indicators and dimensions as the hooks read them.

Asking the result for an indicator by id makes it index every indicator and dimension; the
hooks read about a dozen of each assessment's indicators and three dimensions, so they share
one index of the indicators alone (built in one pass, kept in the assessment's scratch) and
find the dimensions by a scan."""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from smesdk import assessment_scratch

if TYPE_CHECKING:
    from smesdk import IndicatorResult, Result

_KEY = "quality-brand.indicators"
_ID = attrgetter("id")


def indicators(result: Result) -> dict[str, IndicatorResult]:
    """The result's indicators by id. Each hook gets the result grown by the hooks before
    it, with the same list of indicators: that list is what the index is kept against."""
    scratch = assessment_scratch()
    found: tuple[list[IndicatorResult], dict[str, IndicatorResult]] | None = scratch.get(_KEY)
    if found is None or found[0] is not result.indicators:
        listed = result.indicators
        found = scratch[_KEY] = (listed, dict(zip(map(_ID, listed), listed, strict=True)))
    return found[1]


def dimension_score(result: Result, did: str) -> Decimal | None:
    """A dimension's score, or None when the framework (its profile) has no such dimension."""
    for item in result.dimensions:
        if item.id == did:
            return item.score
    return None
