"""Outputs appear whole or not at all; a failed run keeps the previous output and its work."""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from smesdk.batch.runner import run_batch, work_dir  # noqa: E402
from smesdk.batch.writers import ERROR_SCHEMA, AtomicWriter, regroup  # noqa: E402


def _hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_writer_is_invisible_until_commit_and_abort_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.parquet"
    target.write_bytes(b"previous")
    batch = pa.RecordBatch.from_pylist([{"row": 1, "enterprise_id": "a", "error": "x"}],
                                       schema=ERROR_SCHEMA)
    writer = AtomicWriter(target, ERROR_SCHEMA)
    writer.write(batch)
    assert target.read_bytes() == b"previous"
    writer.abort()
    assert target.read_bytes() == b"previous" and _hidden(tmp_path) == []
    with pytest.raises(RuntimeError), AtomicWriter(target, ERROR_SCHEMA) as w:
        w.write(batch)
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"previous" and _hidden(tmp_path) == []
    with AtomicWriter(target, ERROR_SCHEMA) as w:
        w.write(batch)
    assert pq.read_table(target).to_pylist() == [{"row": 1, "enterprise_id": "a", "error": "x"}]


def test_a_failing_run_keeps_the_old_output_then_resumes(tmp_path, fail_at_chunk, example_fw,
                                                         rows_factory, write_input):
    src = write_input(rows_factory(20), tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    out.write_bytes(b"last month's results")
    fail_at_chunk(3)
    with pytest.raises(MemoryError):
        run_batch(example_fw, src, out, chunk_size=5)
    assert out.read_bytes() == b"last month's results"
    assert sorted(p.name for p in work_dir(out).iterdir()) == [
        "errors-000000000.arrow", "errors-000000000.arrow.ids", "errors-000000001.arrow",
        "errors-000000001.arrow.ids", "manifest.json", "part-000000000.arrow",
        "part-000000000.arrow.ids", "part-000000001.arrow", "part-000000001.arrow.ids"]
    fail_at_chunk(0)
    notes = []
    summary = run_batch(example_fw, src, out, chunk_size=5, note=lambda t: notes.append(t.en))
    assert summary.resumed_units == 2 and "2 units already done" in notes[0]
    assert (summary.rows, summary.scored, summary.errors) == (20, 14, 6)
    assert pq.read_table(out).column("row").to_pylist() == [i for i in range(20) if i % 3 != 2]
    assert _hidden(tmp_path) == []


def test_regroup_cuts_fixed_size_batches_whatever_came_in():
    schema = pa.schema([("x", pa.int64())])
    pieces = [pa.RecordBatch.from_pydict({"x": list(range(a, b))}, schema=schema)
              for a, b in ((0, 3), (3, 3), (3, 11), (11, 12))]
    out = list(regroup(pieces, schema, size=5))
    assert [b.num_rows for b in out] == [5, 5, 2]
    assert [v for b in out for v in b.column(0).to_pylist()] == list(range(12))
