"""Gates evaluated over columns: one boolean per row, through a small column view.

:func:`holds_columns` is the column-wise twin of :func:`smesdk.gates.holds`; it reads a batch
only through :class:`ColumnView` (total, dimension score/points, indicator score/points/level/
answer, fact, count), so the gate tests can move into the semantic gate objects unchanged. A
gate shape it does not know raises :class:`NotVectorisable`: the batch's rows then go per
record, which knows every shape. It never guesses.
"""

from __future__ import annotations

from typing import Protocol

import attrs
import numpy as np

from smesdk.batch.cells import Unsupported
from smesdk.gates import count_ids
from smesdk.spec import CountTest, DimensionTest, FactTest, Gate, IndicatorTest, TotalTest

#: Gate fields that are not a test (the author's wording).
_NOT_TESTS = {"label"}


class NotVectorisable(Unsupported):
    """A gate (or rule) the column-wise evaluation does not know: score the rows per record."""


class ColumnView(Protocol):
    """What column-wise gate tests read of a scored batch (one value per row)."""

    n: int
    sets: dict[str, list[str]]

    def total(self, test: TotalTest) -> np.ndarray: ...

    def dimension(self, test: DimensionTest) -> np.ndarray: ...

    def indicator(self, iid: str, test: IndicatorTest | CountTest) -> np.ndarray: ...

    def fact(self, test: FactTest) -> np.ndarray: ...


def test_field(gate: Gate) -> str:
    """The one field a gate sets; NotVectorisable for any other shape."""
    names = [f.name for f in attrs.fields(type(gate)) if f.name not in _NOT_TESTS
             and getattr(gate, f.name)]
    if len(names) != 1:
        raise NotVectorisable(f"a gate setting {', '.join(names) or 'nothing'}")
    return str(names[0])


def holds_columns(gate: Gate, view: ColumnView, memo: dict[int, np.ndarray] | None = None
                  ) -> np.ndarray:
    """Per row: whether ``gate`` holds (as :func:`smesdk.gates.holds` would say)."""
    memo = {} if memo is None else memo
    key = id(gate)
    done = memo.get(key)
    if done is None:
        done = memo[key] = _holds(gate, view, memo)
    return done


def _holds(gate: Gate, view: ColumnView, memo: dict[int, np.ndarray]) -> np.ndarray:
    field = test_field(gate)
    if field == "all":
        return np.asarray(np.logical_and.reduce([holds_columns(g, view, memo) for g in gate.all]))
    if field == "any":
        return np.asarray(np.logical_or.reduce([holds_columns(g, view, memo) for g in gate.any]))
    if field == "not_":
        assert gate.not_ is not None
        return ~holds_columns(gate.not_, view, memo)
    if field == "total":
        assert gate.total is not None
        return view.total(gate.total)
    if field == "dimension":
        assert gate.dimension is not None
        return view.dimension(gate.dimension)
    if field == "indicator":
        assert gate.indicator is not None
        return view.indicator(gate.indicator.id, gate.indicator)
    if field == "fact":
        assert gate.fact is not None
        return view.fact(gate.fact)
    if field == "count":
        ct = gate.count
        assert ct is not None
        ids = count_ids(ct, view.sets)
        # Counted in the narrowest integers that hold the count (mixed-type adds are slow).
        passing: np.ndarray = np.zeros(view.n, dtype=np.int8 if len(ids) < 128 else np.int32)
        for iid in ids:
            passing += view.indicator(iid, ct).astype(passing.dtype, copy=False)
        return np.asarray(passing >= ct.at_least)
    raise NotVectorisable(f"gates on {field!r}")


def failures_columns(gate: Gate, view: ColumnView, memo: dict[int, np.ndarray]) -> np.ndarray:
    """Per row: how many blockers :func:`smesdk.gates.failures` lists for the gate."""
    held = holds_columns(gate, view, memo)
    if gate.all and gate.label is None:
        inner = np.zeros(view.n, dtype=np.int64)
        for g in gate.all:
            inner += failures_columns(g, view, memo)
        return np.where(held, 0, inner)
    return np.where(held, 0, 1)
