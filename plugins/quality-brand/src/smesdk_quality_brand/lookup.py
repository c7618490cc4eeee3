"""The result's indicators and dimensions as the hooks read them.

Asking the result for an indicator by id makes it index every indicator and dimension; the
hooks read about a dozen of each assessment's indicators and three dimensions, so they share
one index of the indicators alone (built once, kept in the assessment's scratch) and
read the dimensions' scores off their list."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from smesdk import assessment_scratch

if TYPE_CHECKING:
    from smesdk import IndicatorResult, Result

_KEY = "quality-brand.indicators"


def indicators(result: Result) -> dict[str, IndicatorResult]:
    """The result's indicators by id. Each hook gets the result grown by the hooks before
    it, with the same list of indicators: that list is what the index is kept against."""
    scratch = assessment_scratch()
    found: tuple[list[IndicatorResult], dict[str, IndicatorResult]] | None = scratch.get(_KEY)
    if found is None or found[0] is not result.indicators:
        listed = result.indicators
        # A comprehension: twice as fast here as dict(zip(...)), which makes a pair per item.
        found = scratch[_KEY] = (listed, {i.id: i for i in listed})
    return found[1]


def dimension_scores(result: Result) -> dict[str, Decimal | None]:
    """Each dimension's score by id (one pass: a few are read, of a handful)."""
    return {item.id: item.score for item in result.dimensions}
