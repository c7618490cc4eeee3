"""The Dask engine on a real two-worker LocalCluster writes what the local engine writes."""

from __future__ import annotations

import pytest

pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")

from smesdk.batch.runner import run_batch  # noqa: E402
from smesdk.errors import SmesdkError  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


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


def test_cli_reaches_a_running_cluster_by_address_or_environment(tmp_path, cluster, monkeypatch,
                                                                   rows_factory, write_input):
    import dask
    from click.testing import CliRunner

    from smesdk.cli import cli

    src = write_input(rows_factory(12), tmp_path / "in.parquet")
    args = ["batch", "example", str(src), "--engine", "dask", "--lang", "en"]
    prefixes = cluster.scheduler.task_prefixes

    def tasks_run() -> int:
        return prefixes["score_file"].state_counts["memory"] if "score_file" in prefixes else 0

    before = tasks_run()
    res = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "a.parquet"),
                                   "--scheduler", cluster.scheduler_address])
    assert res.exit_code == 0, res.output
    assert "rows 12 · scored 8 · errors 4" in res.output
    assert tasks_run() == before + 1  # one input file: one task, run on this cluster
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    dask.config.refresh()
    try:
        res = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "b.parquet")])
    finally:
        monkeypatch.delenv("DASK_SCHEDULER_ADDRESS")
        dask.config.refresh()
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert tasks_run() == before + 2  # the second run came to this cluster too
