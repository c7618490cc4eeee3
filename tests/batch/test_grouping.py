"""Rows grouped by equal integer tuples (smesdk.batch.grouping), against a plain dict."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from smesdk.batch.grouping import group_rows

_INT64 = st.integers(min_value=-(2**62), max_value=2**62)


def _by_dict(rows: list[tuple[int, ...]]) -> tuple[list[int], list[int]]:
    """What group_rows must give: groups numbered in order of first appearance."""
    seen: dict[tuple[int, ...], int] = {}
    first, inverse = [], []
    for r, row in enumerate(rows):
        if row not in seen:
            seen[row] = len(seen)
            first.append(r)
        inverse.append(seen[row])
    return first, inverse


@given(st.integers(1, 6).flatmap(lambda width: st.lists(
    st.tuples(*[st.one_of(st.integers(-3, 3), _INT64)] * width), min_size=1, max_size=60)))
def test_groups_equal_rows_exactly(rows: list[tuple[int, ...]]) -> None:
    cols = [np.array(col, dtype=np.int64) for col in zip(*rows, strict=True)]
    first, inverse = group_rows(cols)
    assert (first.tolist(), inverse.tolist()) == _by_dict(rows)


def test_many_wide_columns_are_renumbered_before_they_overflow() -> None:
    # 40 columns of 1,000 distinct values each: the mixed-radix key would need 400 bits.
    rng = np.random.default_rng(5)
    cols = [rng.integers(0, 1000, size=2000) * 7919 for _ in range(40)]
    cols[3][10] = cols[3][11]  # rows stay distinct unless every column agrees
    first, inverse = group_rows(cols)
    rows = list(zip(*(c.tolist() for c in cols), strict=True))
    assert (first.tolist(), inverse.tolist()) == _by_dict(rows)
    duplicate = [c.copy() for c in cols]
    for c in duplicate:
        c[1] = c[0]
    first, inverse = group_rows(duplicate)
    rows = list(zip(*(c.tolist() for c in duplicate), strict=True))
    assert inverse[0] == inverse[1]
    assert (first.tolist(), inverse.tolist()) == _by_dict(rows)


def test_no_rows() -> None:
    first, inverse = group_rows([np.zeros(0, dtype=np.int64)])
    assert first.size == 0 and inverse.size == 0
