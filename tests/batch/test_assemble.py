"""Final files joined from fragments encoded apart are byte for byte the file one writer streams
(the Dask engine's output relies on it), and the Thrift footer codec round-trips."""

from __future__ import annotations

import itertools
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")
pq = pytest.importorskip("pyarrow.parquet")

from smesdk.batch import thrift_compact as tc  # noqa: E402
from smesdk.batch.assemble import (  # noqa: E402
    FRAGMENT_ROWS,
    JoinedFile,
    encode_fragment,
    fragment_slices,
)
from smesdk.batch.output import DECIMAL  # noqa: E402
from smesdk.batch.writers import ROW_GROUP, AtomicWriter, FinalFile  # noqa: E402

N = 3 * ROW_GROUP + 1234  # four row groups, the last one short


def _table() -> pa.Table:
    rng = np.random.default_rng(5)
    i = np.arange(N)
    return pa.table({
        "row": pa.array(i, pa.int64()),
        # text with the characters CSV must quote, and nulls; a small vocabulary (dictionary)
        "enterprise_id": pa.array([None if k % 7 == 0 else f"e{k % 977}, \"q\"" for k in i]),
        "total": pa.array(rng.integers(0, 1_000_000, N).astype(np.int32)).cast(DECIMAL),
        "level_rank": pa.array(rng.integers(0, 4, N).astype(np.int32)),
    })


def _parts(tmp_path, table, sizes):
    """The table cut into Arrow part files of ``sizes`` rows (an empty one among them)."""
    parts, at = [], 0
    for k, size in enumerate(sizes):
        path = tmp_path / f"part-{k}.arrow"
        with AtomicWriter(path, table.schema, "arrow") as w:
            for batch in table.slice(at, size).to_batches(max_chunksize=10_000):
                w.write(batch)
        parts.append((path, size))
        at += size
    assert at == table.num_rows
    return parts


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
@pytest.mark.parametrize("per_fragment", [1, 2, 4])  # row groups per fragment
def test_joined_fragments_are_the_streamed_file(tmp_path, suffix, per_fragment):
    table = _table()
    whole = tmp_path / f"whole{suffix}"
    final = FinalFile(whole, table.schema)
    for batch in table.to_batches(max_chunksize=30_000):
        final.push(batch)
    assert final.finish() == N
    final.commit()

    parts = _parts(tmp_path, table, [100_000, 0, 50_000, N - 150_000])
    step = per_fragment * ROW_GROUP
    fragments = []
    for k, first in enumerate(range(0, N, step)):
        path = tmp_path / f"fragment-{k}"
        rows = encode_fragment(fragment_slices(parts, first, min(first + step, N)), table.schema,
                               suffix[1:], str(path))
        fragments.append((path, rows))
    assert [n for _, n in fragments][:-1] == [step] * (len(fragments) - 1)

    joined_path = tmp_path / f"joined{suffix}"
    joined = JoinedFile(joined_path, table.schema, tmp_path)
    for path, rows in fragments:
        joined.add(path, rows)
    assert joined.finish() == N
    assert not joined_path.exists()  # invisible until committed
    joined.commit()
    assert joined_path.read_bytes() == whole.read_bytes()
    if suffix == ".parquet":
        assert pq.ParquetFile(joined_path).metadata.num_row_groups == 4


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_no_rows_join_to_the_empty_file(tmp_path, suffix):
    schema = _table().schema
    with AtomicWriter(tmp_path / f"empty{suffix}", schema):
        pass
    joined = JoinedFile(tmp_path / f"joined{suffix}", schema, tmp_path)
    assert joined.finish() == 0
    joined.commit()
    assert (tmp_path / f"joined{suffix}").read_bytes() == (tmp_path / f"empty{suffix}").read_bytes()


def test_fragment_slices_pick_rows_across_parts():
    parts = [("a", 5), ("b", 0), ("c", 3), ("d", 4)]  # rows 0-4, none, 5-7, 8-11
    cut = fragment_slices(parts, 4, 9)
    assert [(s.path, s.start, s.stop) for s in cut] == [("a", 4, 5), ("c", 0, 3), ("d", 0, 1)]


def test_thrift_compact_round_trips_a_parquet_footer(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(_table(), path, row_group_size=ROW_GROUP)
    data = path.read_bytes()
    size = struct.unpack("<I", data[-8:-4])[0]
    raw = data[-8 - size:-8]
    footer = tc.decode(raw)
    assert tc.encode(footer) == raw
    num_rows = footer.get(3)
    assert num_rows is not None and num_rows.value == N  # FileMetaData.num_rows


def test_thrift_compact_encodes_by_the_protocol():
    # Worked from the compact protocol spec: field 1 i64 -1 -> header 0x16, zigzag 1; field 20
    # (delta 19 > 15) bool true -> long form 0x01 then zigzag(20) = 40; field 21 binary "ab" ->
    # 0x18, length 2; field 22 list of 16 i32 zeros -> 0x19, 0xF5, 16, sixteen 0x00; stop 0x00.
    value = tc.Struct([
        tc.Field(1, tc.I64, -1),
        tc.Field(20, tc.TRUE, True),
        tc.Field(21, tc.BINARY, b"ab"),
        tc.Field(22, tc.LIST, tc.ListValue(tc.I32, [0] * 16)),
    ])
    expected = bytes([0x16, 0x01, 0x01, 40, 0x18, 2]) + b"ab" + bytes([0x19, 0xF5, 16]) \
        + bytes(16) + b"\x00"
    assert tc.encode(value) == expected
    assert tc.decode(expected) == value
    with pytest.raises(tc.DecodeError):
        tc.decode(expected[:-1])


@pytest.mark.parametrize("raw", [
    b"\x18\x05ab",  # a 5-byte binary with 2 bytes left
    b"\x16\xff\xff",  # a varint cut short
    b"\x1c" * 5000 + b"\x00" * 5001,  # structs nested 5,000 deep
    b"\x15\x02\x00\x00",  # bytes after the struct
    b"\x1d\x00",  # wire type 13 does not exist
])
def test_thrift_compact_refuses_bad_data_with_its_own_error(raw):
    with pytest.raises(tc.DecodeError):
        tc.decode(raw)


@given(st.integers(0, 40), st.integers(0, 3 * FRAGMENT_ROWS), st.booleans(),
       st.integers(1, 8))
def test_fragment_cuts_are_whole_row_groups_shared_out_at_the_end(start_group, rows, final,
                                                                   threads):
    from smesdk.batch.engines import fragment_cuts

    first = start_group * ROW_GROUP
    have = first + rows
    cuts = fragment_cuts(first, have, final, threads)
    bounds = [a for a, _ in cuts] + [b for _, b in cuts[-1:]]
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(cuts))  # contiguous
    assert all(b % ROW_GROUP == 0 for b in bounds[:-1])  # cut at row-group boundaries
    assert all(0 < b - a <= FRAGMENT_ROWS for a, b in cuts)
    if not final:  # only whole fragments while units are still running
        assert all(b - a == FRAGMENT_ROWS for a, b in cuts)
        assert have - (cuts[-1][1] if cuts else first) < FRAGMENT_ROWS
    elif rows:  # everything, no worker given more than an even share of the row groups
        assert (cuts[0][0], cuts[-1][1]) == (first, have)
        groups = -(-rows // ROW_GROUP)
        share = -(-groups // min(groups, threads))
        assert max(b - a for a, b in cuts) <= share * ROW_GROUP
    else:
        assert cuts == []
