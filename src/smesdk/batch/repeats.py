"""Enterprise ids that occur more than once in a run's output, in memory of 8 bytes per row.

Counting the ids themselves (a hash table of every distinct id) took 1.5 GB over 10 M rows
and was the largest memory of a whole run. Instead the ids are streamed twice: the first pass
keeps a 64-bit hash per id and finds the hashes seen more than once; the second keeps only
the ids with such a hash and counts those exactly. A hash collision can only add a candidate
(counted once, so not reported), never hide a repeat: the answer is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Per byte position (modulo its length): odd 64-bit multipliers, fixed so runs agree.
_WEIGHTS = (np.random.default_rng(20261129).integers(0, 2**63, size=64, dtype=np.uint64)
            * np.uint64(2) + np.uint64(1))
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)

Stream = Callable[[], Iterable[pa.Array]]


def repeated_ids(stream: Stream) -> list[tuple[str, int]]:
    """(id, count) of each non-empty id that ``stream()`` yields more than once, in order of
    first appearance. ``stream`` is called twice and must yield the same ids both times."""
    hashes = [_hashes(ids) for ids in _known(stream())]
    if not hashes:
        return []
    seen = np.concatenate(hashes)
    del hashes
    seen.sort()  # in place: one copy of the hashes alive at a time, not three
    twice = seen[1:][seen[1:] == seen[:-1]]
    if not len(twice):
        return []
    candidates = np.unique(twice)
    kept = [ids.filter(pa.array(np.isin(_hashes(ids), candidates)))
            for ids in _known(stream())]
    counts = pc.value_counts(pa.chunked_array(kept, pa.large_string()))
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))
    return [(str(v["values"]), int(v["counts"])) for v in repeated.to_pylist()]


def _known(arrays: Iterable[pa.Array]) -> Iterator[pa.Array]:
    """Each array's ids as large strings, nulls and empty ids left out."""
    for ids in arrays:
        ids = ids.cast(pa.large_string()).drop_null()
        ids = ids.filter(pc.not_equal(ids, ""))
        if len(ids):
            yield ids


def _hashes(ids: pa.Array) -> np.ndarray:
    """A 64-bit hash of each (non-empty) string: sum of its bytes times position weights,
    then mixed with its length. Vectorised over the array's byte buffer."""
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int64, count=len(ids) + 1,
                            offset=ids.offset * 8)
    start = int(offsets[0])
    begins = offsets[:-1] - start
    lengths = np.diff(offsets)
    data = np.frombuffer(ids.buffers()[2], dtype=np.uint8)[start:int(offsets[-1])]
    position = np.arange(len(data), dtype=np.int64) - np.repeat(begins, lengths)
    terms = (data.astype(np.uint64) + np.uint64(1)) * _WEIGHTS[position % len(_WEIGHTS)]
    sums = np.add.reduceat(terms, begins)  # every string has at least one byte
    mixed = (sums ^ (lengths.astype(np.uint64) * _GOLDEN)) * _GOLDEN
    return np.asarray(mixed ^ (mixed >> np.uint64(29)))
