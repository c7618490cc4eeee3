"""The contract between the semantic objects and the batch scorer's column arrays.

A gate test, aggregation or level rule evaluates over a whole batch through these
interfaces. Whatever it cannot evaluate column-wise raises :class:`NotVectorisable`; the batch
scorer then sends the affected rows to the per-record path. Nothing here imports NumPy:
plain ``import smesdk`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

    from smesdk.spec import CountTest, DimensionTest, FactTest, IndicatorTest, TotalTest


class NotVectorisable(Exception):
    """Raised by a column-wise evaluation that cannot be done on arrays: the rows (or the
    node) go per record. Never answer a default instead."""


class ColumnView(Protocol):
    """What gate tests can see of a scored batch: one boolean per row for each comparison.

    A view may also have ``gate_rows``, an empty dict per batch, in which
    :func:`smesdk.gates.holds_columns` keeps each gate's rows once worked out."""

    @property
    def rows(self) -> int: ...

    @property
    def sets(self) -> dict[str, list[str]]:
        """The framework's named indicator sets (for count tests)."""

    def total_test(self, test: TotalTest) -> np.ndarray:
        """Per row: the total (0–100) passes the comparison."""

    def dimension_test(self, test: DimensionTest) -> np.ndarray:
        """Per row: the dimension's score (0–100) or points pass (False where left out)."""

    def indicator_test(self, iid: str, test: IndicatorTest | CountTest) -> np.ndarray:
        """Per row: the indicator's measure (``test.measure``) passes (False where absent)."""

    def fact_test(self, test: FactTest) -> np.ndarray:
        """Per row: the fact (or the answer standing for it) passes (False where missing)."""
