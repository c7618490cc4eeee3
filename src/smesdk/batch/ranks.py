"""Gate tests over one indicator's coded column, as byte comparisons.

A gate test on an indicator's answer or level is decided once per distinct value (a small
table: does value k pass?) and then gathered through the row codes. Level rules test the same
indicator against several bounds: digital's count gates test each scene at levels 1-4, in
several sets, so a batch gathers about a hundred such tables per chunk, at 25-35 us each per
65,536 rows.

Here the codes of a column are ranked by their measured value once, into one byte per row.
A test whose passing values form one run of ranks (bounds on numbers always do) is then one
or two byte comparisons, about 2 us each. A table that is not one run is gathered as before.
Either way each row gets exactly its own code's entry of the table: the ranks only choose how
that entry is read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from operator import itemgetter
from typing import Any

import numpy as np

_BY_VALUE = itemgetter(0)
#: Ranks fit one byte: 0 stands for no value (invalid and missing cells), 1-255 for values.
_MAX_RANKED = 255


def rank_codes(values: list[Any]) -> np.ndarray | None:
    """Each code's rank by its measured value (``values[k]``, None for none), 1 for the
    smallest; 0 for codes without a value and for the last slot (a missing cell). None when
    there are too many values for a byte."""
    present = [(v, k) for k, v in enumerate(values) if v is not None]
    if len(present) > _MAX_RANKED:
        return None
    # Values without a common order (text beside numbers) stay as they are: any order of
    # distinct codes still reads each row's own entry; only fewer tables form one run.
    with contextlib.suppress(TypeError):
        present.sort(key=_BY_VALUE)
    ranks = np.zeros(len(values) + 1, dtype=np.uint8)
    for rank, (_, code) in enumerate(present, start=1):
        ranks[code] = rank
    return ranks


class RankedTests:
    """Per-row results of tests on one coded column, read through per-code tables.

    ``gather(table)`` is ``table[codes]`` (code -1: the table's last slot); ``ranks(measure)``
    gives :func:`rank_codes` of the codes' values under that measure. The first test of a
    measure gathers (one test alone would not repay ranking); later ones compare ranks.
    """

    __slots__ = ("_gather", "_limit", "_ranks", "_rows", "_runs", "_seen")

    def __init__(self, gather: Callable[[np.ndarray], np.ndarray],
                 ranks: Callable[[str], np.ndarray | None], runs: dict[Any, Any],
                 limit: int) -> None:
        self._gather = gather
        self._ranks = ranks
        #: ("run", id(table), id(code ranks)) -> (their run, table, code ranks), in the
        #: indicator's cache: tables and ranks are remembered from chunk to chunk, and so is
        #: their run (both kept, so their ids stay theirs; the tag keeps these keys apart from
        #: the cached cells)
        self._runs = runs
        self._limit = limit
        self._seen: set[str] = set()
        #: measure -> (each code's rank, each row's rank), or None when not ranked
        self._rows: dict[str, tuple[np.ndarray, np.ndarray] | None] = {}

    def rows(self, table: np.ndarray, measure: str) -> np.ndarray:
        """Per row: its code's entry of ``table`` (a bool per code, plus the missing slot)."""
        if measure not in self._seen:
            self._seen.add(measure)
            return self._gather(table)
        ranked = self._rows.get(measure, _UNSET)
        if ranked is _UNSET:
            code_ranks = self._ranks(measure)
            ranked = self._rows[measure] = None if code_ranks is None else \
                (code_ranks, self._gather(code_ranks))
        if ranked is None:
            return self._gather(table)
        code_ranks = ranked[0]
        hit = self._runs.get(("run", id(table), id(code_ranks)))
        if hit is not None and hit[1] is table and hit[2] is code_ranks:
            run = hit[0]
        else:
            run = _one_run(table, code_ranks)
            if len(self._runs) < self._limit:
                self._runs["run", id(table), id(code_ranks)] = (run, table, code_ranks)
        if run is None:
            return self._gather(table)
        lo, hi, top = run
        rows = ranked[1]
        if lo > hi:  # nothing passes
            return np.zeros(len(rows), dtype=bool)
        if hi == top:
            return np.asarray(rows >= np.uint8(lo))
        # lo <= rank <= hi in one comparison: below lo wraps round to above hi - lo
        return np.asarray(np.subtract(rows, np.uint8(lo)) <= np.uint8(hi - lo))


_UNSET: Any = object()


def _one_run(table: np.ndarray, code_ranks: np.ndarray) -> tuple[int, int, int] | None:
    """(lo, hi, highest rank) when the codes passing ``table`` are exactly those of ranks
    lo..hi (lo > hi: none pass); None when they are not one run, or rank 0 passes (codes
    without a value share it, so it cannot stand for one of them)."""
    passing = code_ranks[table]
    top = int(code_ranks.max(initial=0))
    if not len(passing):
        return 1, 0, top
    lo, hi = int(passing.min()), int(passing.max())
    if lo == 0 or hi - lo + 1 != len(passing):
        return None
    return lo, hi, top
