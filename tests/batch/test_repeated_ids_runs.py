"""The repeated enterprise ids a run reports come from the hashes its parts keep: the same on
a fresh, a resumed and a Dask run, and a part whose hashes are lost or damaged is scored again."""

from __future__ import annotations

from collections import Counter

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from smesdk.batch.runner import run_batch, work_dir  # noqa: E402

from .conftest import example_rows  # noqa: E402

N = 60


def _rows() -> list[dict]:
    rows = example_rows(N)
    # Rows i % 3 == 2 fail. "r1" is on result rows 0 and 30; "mixed" first on error row 2,
    # then on result row 40; "gone" on error rows 5 and 50; an empty id and a missing one
    # twice each are no ids at all.
    for i, name in ((0, "r1"), (30, "r1"), (2, "mixed"), (40, "mixed"), (5, "gone"),
                    (50, "gone"), (7, ""), (8, ""), (9, None), (10, None)):
        rows[i]["enterprise_id"] = name
    return rows


def _expected(rows: list[dict]) -> tuple[tuple[str, int], ...]:
    # Results file first, then the error rows, each in row order (what the note has always
    # read): "r1" and "mixed" from the results, "gone" only from the errors.
    ordered = [r["enterprise_id"] for i, r in enumerate(rows) if i % 3 != 2] + \
              [r["enterprise_id"] for i, r in enumerate(rows) if i % 3 == 2]
    counts = Counter(i for i in ordered if i)
    return tuple((i, counts[i]) for i in dict.fromkeys(i for i in ordered if i) if counts[i] > 1)


@pytest.fixture
def src(tmp_path, write_input):
    return write_input(_rows(), tmp_path / "in.parquet")


def test_a_run_reports_its_repeated_ids_in_order(tmp_path, example_fw, src):
    expected = _expected(_rows())
    assert expected == (("r1", 2), ("mixed", 2), ("gone", 2))
    notes = []
    summary = run_batch(example_fw, src, tmp_path / "out.parquet", chunk_size=7,
                        note=lambda t: notes.append(t.en))
    assert summary.repeated_ids == expected
    assert notes == ["note: enterprise ids that occur more than once (3): r1 (2x), mixed (2x), "
                     "gone (2x)"]


@pytest.mark.parametrize("damage", ["missing", "short", "changed"])
def test_a_part_without_its_id_hashes_is_scored_again(tmp_path, fail_at_chunk, example_fw, src,
                                                      damage):
    out = tmp_path / "out.parquet"
    fail_at_chunk(4)
    with pytest.raises(MemoryError):
        run_batch(example_fw, src, out, chunk_size=7)
    hashes = work_dir(out) / "part-000000000.arrow.ids"
    if damage == "missing":
        hashes.unlink()
    elif damage == "short":
        hashes.write_bytes(hashes.read_bytes()[:-8])
    else:
        data = bytearray(hashes.read_bytes())
        data[0] ^= 1
        hashes.write_bytes(bytes(data))
    fail_at_chunk(0)
    notes = []
    summary = run_batch(example_fw, src, out, chunk_size=7, note=lambda t: notes.append(t.en))
    assert "1 units have damaged part files and are scored again" in notes
    assert summary.resumed_units == 2
    assert summary.repeated_ids == _expected(_rows())


def test_the_dask_engine_reports_the_same_repeats(tmp_path, example_fw, src):
    distributed = pytest.importorskip("distributed")
    import dask

    from smesdk.batch.engines import WORKER_ENVIRON

    with dask.config.set(WORKER_ENVIRON), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = run_batch(example_fw, src, tmp_path / "out.parquet", chunk_size=7,
                            engine="dask", client=client)
    assert summary.repeated_ids == _expected(_rows())
