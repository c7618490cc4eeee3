"""The Dask engine on a real two-worker LocalCluster writes what the local engine writes."""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
distributed = pytest.importorskip("distributed")

from smesdk.batch.runner import run_batch  # noqa: E402
from smesdk.errors import SmesdkError  # noqa: E402

from .conftest import example_rows  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    import dask

    from smesdk.batch.engines import WORKER_ENVIRON

    with dask.config.set(WORKER_ENVIRON), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
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


def _pieces_scored(cluster) -> int:
    prefixes = cluster.scheduler.task_prefixes
    return prefixes["score_piece"].state_counts["memory"] if "score_piece" in prefixes else 0


@pytest.mark.parametrize(("chunk_size", "tasks"), [
    (64, 10),  # every 100-row row group is a task of its own
    (250, 4),  # row groups gathered to at least 250 rows: 300, 300, 300 and the last 100
])
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_one_file_of_many_row_groups_is_split_across_tasks(tmp_path, cluster, client, example_fw,
                                                          rows_factory, chunk_size, tasks,
                                                          suffix):
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows_factory(1000)), src, row_group_size=100)
    assert pq.ParquetFile(src).metadata.num_row_groups == 10
    local = run_batch(example_fw, src, tmp_path / f"local{suffix}", chunk_size=chunk_size)
    before = _pieces_scored(cluster)
    dask = run_batch(example_fw, src, tmp_path / f"dask{suffix}", chunk_size=chunk_size,
                     engine="dask", client=client)
    assert _pieces_scored(cluster) == before + tasks
    # rows i % 3 == 2 are the BAD pattern: 333 of 1000
    assert (dask.rows, dask.scored, dask.errors) == (local.rows, local.scored, local.errors) \
        == (1000, 667, 333)
    for name in ("{}", "{}.errors"):
        a, b = (tmp_path / (name.format(k) + suffix) for k in ("dask", "local"))
        assert a.read_bytes() == b.read_bytes(), a.name


def test_an_interrupted_dask_run_resumes_by_row_groups(tmp_path, client, example_fw,
                                                       rows_factory):
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows_factory(1000)), src, row_group_size=100)
    run_batch(example_fw, src, tmp_path / "local.parquet", chunk_size=64)

    class Stop(Exception):
        pass

    def stop_after_three(rows: int) -> None:
        if rows >= 300:
            raise Stop

    out = tmp_path / "dask.parquet"
    with pytest.raises(Stop):
        run_batch(example_fw, src, out, chunk_size=64, engine="dask", client=client,
                  progress=stop_after_three)
    assert not out.exists()
    notes = []
    summary = run_batch(example_fw, src, out, chunk_size=64, engine="dask", client=client,
                        note=lambda text: notes.append(text.en))
    assert summary.resumed_units >= 3 and "resuming" in notes[0]
    assert summary.rows == 1000
    assert out.read_bytes() == (tmp_path / "local.parquet").read_bytes()


@pytest.fixture(scope="module")
def three_fragments(tmp_path_factory):
    """An input whose results fill three fragments of one row group each: 200,000 rows, of
    which 133,334 are results (rows i % 3 == 2 fail)."""
    from smesdk.batch.writers import ROW_GROUP

    rows = 200_000
    assert 2 * ROW_GROUP < rows - rows // 3 < 3 * ROW_GROUP
    src = tmp_path_factory.mktemp("fragments") / "in.parquet"
    pq.write_table(pa.Table.from_pylist(example_rows(rows)), src, row_group_size=20_000)
    return src


@pytest.mark.parametrize("stop_at", [None, 100_000])
def test_fragments_are_joined_in_row_order_as_they_arrive(tmp_path, monkeypatch, client,
                                                          example_fw, three_fragments, stop_at):
    # One row group per fragment, so that ten tasks' results make three fragments that may be
    # encoded out of order and must be joined in order; an interrupted run has joined (and
    # removed) some of them, and its resumed run encodes them afresh.
    from smesdk.batch import engines
    from smesdk.batch.writers import ROW_GROUP

    monkeypatch.setattr(engines, "FRAGMENT_ROWS", ROW_GROUP)
    local = tmp_path / "local.parquet"
    run_batch(example_fw, three_fragments, local, chunk_size=20_000)
    out = tmp_path / "dask.parquet"
    if stop_at is not None:
        class Stop(Exception):
            pass

        def stop(rows: int) -> None:
            if rows >= stop_at:
                raise Stop

        with pytest.raises(Stop):
            run_batch(example_fw, three_fragments, out, chunk_size=20_000, engine="dask",
                      client=client, progress=stop)
        assert not out.exists()
    summary = run_batch(example_fw, three_fragments, out, chunk_size=20_000, engine="dask",
                        client=client)
    assert (summary.rows, summary.scored) == (200_000, 133_334)
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    assert out.read_bytes() == local.read_bytes()
    assert (tmp_path / "dask.errors.parquet").read_bytes() \
        == (tmp_path / "local.errors.parquet").read_bytes()


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
    def tasks_run() -> int:
        return _pieces_scored(cluster)

    before = tasks_run()
    res = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "a.parquet"),
                                   "--scheduler", cluster.scheduler_address])
    assert res.exit_code == 0, res.output
    assert "rows 12 · scored 8 · errors 4" in res.output
    assert tasks_run() == before + 1  # one small input file: one task, run on this cluster
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
