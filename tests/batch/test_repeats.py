"""Repeated enterprise ids (smesdk.batch.repeats), against counting them in a dict."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from smesdk.batch import repeats
from smesdk.batch.repeats import repeated_ids

_ID = st.one_of(st.none(), st.just(""), st.sampled_from(["e1", "e2", "91310000MA1FL4", "企业甲"]),
                st.text(max_size=80))


def _expected(chunks: list[list[str | None]]) -> list[tuple[str, int]]:
    counts = Counter(i for chunk in chunks for i in chunk if i)  # nulls and "" are no ids
    order = list(dict.fromkeys(i for chunk in chunks for i in chunk if i))
    return [(i, counts[i]) for i in order if counts[i] > 1]


@given(st.lists(st.lists(_ID, max_size=40), max_size=5), st.integers(0, 3))
def test_finds_exactly_the_repeated_ids_in_order(chunks: list[list[str | None]],
                                                  cut: int) -> None:
    # Sliced arrays (a batch read back may start inside its buffers) as well as whole ones.
    arrays = [pa.array(["x"] * cut + c, pa.string()).slice(cut) for c in chunks]
    assert repeated_ids(lambda: iter(arrays)) == _expected(chunks)


def test_a_hash_collision_is_checked_and_never_reported(monkeypatch) -> None:
    # With a mixing multiplier of 0 every id hashes to 0: all collide on purpose, become
    # candidates, are counted exactly, and only real repeats are reported.
    monkeypatch.setattr(repeats, "_MIX", np.uint64(0))
    chunks = [["ab", "ba", "cd"], ["dc", "ab"]]
    arrays = [pa.array(c) for c in chunks]
    assert repeated_ids(lambda: iter(arrays)) == [("ab", 2)]


@given(st.lists(st.text(max_size=40), min_size=2, max_size=60, unique=True))
def test_distinct_ids_of_any_length_hash_apart(ids: list[str]) -> None:
    # Every word of an id is mixed in (an id that differs only in its 17th byte, or only by
    # trailing bytes, is not lost), and the string and large-string forms hash alike.
    ids = [i for i in ids if i]
    ids += [i + "x" * 9 for i in ids] + ["p" * 16 + i for i in ids]
    hashes = repeats._hashes(pa.array(ids, pa.string()))
    assert len(set(hashes.tolist())) == len(set(ids))
    assert (hashes == repeats._hashes(pa.array(ids, pa.large_string()))).all()


def test_ten_thousand_distinct_ids_and_one_repeat() -> None:
    ids = [f"E{n:07d}" for n in range(10_000)]
    arrays = [pa.array(ids[:6000]), pa.array([*ids[6000:], "E0004321"])]
    assert repeated_ids(lambda: iter(arrays)) == [("E0004321", 2)]
