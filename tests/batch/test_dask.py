"""The Dask engine on a real two-worker LocalCluster writes what the local engine writes."""

from __future__ import annotations

import pytest

pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")

from smesdk.batch.runner import run_batch  # noqa: E402
from smesdk.errors import SmesdkError  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_dask_output_is_byte_equal_to_the_local_run(tmp_path, client, example_fw, rows_factory,
                                                    write_input):
    folder = tmp_path / "in"
    folder.mkdir()
    rows = rows_factory(900)
    sizes = [250, 1, 349, 300]  # uneven files, one of a single row
    start = 0
    for k, size in enumerate(sizes):
        write_input(rows[start:start + size], folder / f"part-{k}.parquet")
        start += size
    local = run_batch(example_fw, folder, tmp_path / "local.parquet", chunk_size=64)
    dask = run_batch(example_fw, folder, tmp_path / "dask.parquet", chunk_size=64,
                     engine="dask", client=client)
    assert (dask.rows, dask.scored, dask.errors) == (local.rows, local.scored, local.errors) \
        == (900, 600, 300)
    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    assert ((tmp_path / "dask.errors.parquet").read_bytes()
            == (tmp_path / "local.errors.parquet").read_bytes())
    assert pq.read_table(tmp_path / "dask.parquet").column("row").to_pylist() \
        == [i for i in range(900) if i % 3 != 2]


def test_dask_engine_needs_parquet_input(tmp_path, client, example_fw, rows_factory, write_input):
    src = write_input(rows_factory(3), tmp_path / "in.csv")
    with pytest.raises(SmesdkError, match="reads Parquet input"):
        run_batch(example_fw, src, tmp_path / "out.parquet", engine="dask", client=client)
