"""Rows grouped by equal tuples of integer columns, so that per-row Python work (a plugin's
``combine``, a level rule, a dated kind's points) runs once per distinct tuple.

``numpy.unique(..., axis=0)`` sorts whole rows as opaque bytes and was the largest cost of a
batch over plugin rules. Here the columns are folded into one integer per row (mixed radix,
each column renumbered densely when its values are sparse, and the running key renumbered
before it could overflow), and that single column is hash-encoded by Arrow: linear time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

#: The running key stays below this (int64 with room for one more multiplication's carry).
_LIMIT = 1 << 62


def group_rows(cols: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(first, inverse)`` over equal-length integer columns: ``first[g]`` is the first row
    of group ``g`` (groups numbered in order of first appearance) and ``inverse[r]`` the group
    of row ``r``. Rows are in one group exactly when they are equal in every column."""
    n = len(cols[0]) if cols else 0
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    span = 1  # every key value is below this
    for col in cols:
        col = np.asarray(col, dtype=np.int64)
        lo, hi = int(col.min()), int(col.max())
        width = hi - lo + 1
        if width > n:  # sparse values (e.g. numerators): number them densely first
            col, lo = _dense(col), 0
            width = int(col.max()) + 1
        if span * width >= _LIMIT:
            key = _dense(key)
            span = int(key.max()) + 1
        key = key * width + (col - lo)
        span *= width
    inverse = _dense(key)
    # Codes are handed out in order of first appearance, so a group's first row is where the
    # running maximum of the codes steps up.
    top = np.maximum.accumulate(inverse)
    first = np.flatnonzero(np.concatenate(([True], top[1:] != top[:-1])))
    return first, inverse


def _dense(values: np.ndarray) -> np.ndarray:
    """Each value's number among the distinct values, in order of first appearance."""
    encoded = pa.array(values, type=pa.int64()).dictionary_encode()
    return np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
