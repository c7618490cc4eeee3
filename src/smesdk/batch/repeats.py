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

#: The multiplier that mixes each 8-byte word into a hash (odd, so multiplying is one-to-one).
_MIX = np.uint64(0x9E3779B97F4A7C15)
#: _LOW[k]: a mask of a word's first k bytes (little-endian), k = 0..8.
_LOW = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)

Stream = Callable[[], Iterable[pa.Array]]


def repeated_ids(stream: Stream, hashes_made: Callable[[], Iterable[np.ndarray]] | None = None
                 ) -> list[tuple[str, int]]:
    """(id, count) of each non-empty id that ``stream()`` yields more than once, in order of
    first appearance. ``stream`` is called twice and must yield the same ids both times.
    ``hashes_made``, if given, yields the :func:`known_id_hashes` of those ids, already made
    (in any order): then the ids are read only if some hash occurs twice."""
    made = hashes_made() if hashes_made is not None else map(known_id_hashes, stream())
    hashes = [h for h in made if len(h)]
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


def known_id_hashes(ids: pa.Array) -> np.ndarray:
    """The hashes of ``ids``' non-null, non-empty strings (uint64), without copying them."""
    if not pa.types.is_string(ids.type) and not pa.types.is_large_string(ids.type):
        ids = ids.cast(pa.large_string())
    hashes, lengths = _hashes_lengths(ids)
    known = lengths > 0
    if ids.null_count:
        known &= np.asarray(ids.is_valid())
    return hashes if known.all() else hashes[known]


def _hashes(ids: pa.Array) -> np.ndarray:
    return _hashes_lengths(ids)[0]


def _hashes_lengths(ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit hash of each string of a string or large-string array, and its length in bytes.

    The bytes are taken 8 at a time, as little-endian words (the last one masked to the bytes
    the string has), each xor-ed into the hash and mixed by a multiply and a shift: one pass over
    the rows per 8 bytes of the longest id, not one per byte. Strings of no bytes (also nulls)
    hash by their length alone; callers leave them out.
    """
    width = 8 if pa.types.is_large_string(ids.type) else 4
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int64 if width == 8 else np.int32,
                            count=len(ids) + 1, offset=ids.offset * width).astype(np.int64)
    start, stop = int(offsets[0]), int(offsets[-1])
    begins = offsets[:-1] - start
    lengths = np.diff(offsets)
    data = ids.buffers()[2]
    padded = np.zeros(stop - start + 8, dtype=np.uint8)  # a word may be read past the last id
    if data is not None:
        padded[:stop - start] = np.frombuffer(data, dtype=np.uint8)[start:stop]
    words = np.lib.stride_tricks.sliding_window_view(padded, 8)  # words[i]: bytes i..i+7
    hashes = lengths.astype(np.uint64) * _MIX
    rows: np.ndarray | None = None  # the rows with bytes left to mix; None: all of them
    at = 0
    while True:
        starts, left = (begins, lengths) if rows is None else (begins[rows], lengths[rows])
        word = words[np.minimum(starts + at, stop - start)].view(np.uint64)[:, 0]
        word &= _LOW[np.minimum(left - at, 8)]
        mixed = (hashes if rows is None else hashes[rows]) ^ word
        mixed *= _MIX
        mixed ^= mixed >> np.uint64(29)
        if rows is None:
            hashes = mixed
        else:
            hashes[rows] = mixed
        at += 8
        more = left > at
        if not more.any():
            break
        rows = np.flatnonzero(more) if rows is None else rows[more]
    return hashes, lengths
