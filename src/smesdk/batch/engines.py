"""Engines: who calls ``score_batch`` on which rows, through :func:`score_chunk` (which splits
the output into result rows and error rows). The local engine hands each scored chunk back to
:mod:`smesdk.batch.runner`, which saves it as parts and streams the final files; each Dask task
writes the parts of its Parquet file itself, and the runner merges them in row order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.batch.columns import ENTERPRISE_ID, column_problems
from smesdk.batch.pipeline import prefetch
from smesdk.batch.readers import Chunk, ParquetSource, Source, rechunk
from smesdk.batch.score import score_batch
from smesdk.batch.writers import ERROR_SCHEMA, AtomicWriter
from smesdk.errors import Problem, SmesdkError

if TYPE_CHECKING:
    from distributed import Client

    from smesdk.batch.plan import Plan

#: Input columns copied into every result row, so peer statistics can group by them.
PASSTHROUGH = ("industry", "size", "region", "type")

#: (unit id, rows, scored, errors) reported when a unit's parts are on disk.
Done = Callable[[int, int, int, int], None]


def result_schema(plan: Plan) -> pa.Schema:
    """Columns of the results file: score_batch's output without ok/error, plus PASSTHROUGH."""
    out = plan.output_schema
    fields = [out.field(n) for n in out.names if n not in ("ok", "error")]
    at = 2  # after row and enterprise_id
    extra = [pa.field(n, pa.string()) for n in PASSTHROUGH]
    return pa.schema(fields[:at] + extra + fields[at:])


def _unknown_keys(plan: Plan, batch: pa.RecordBatch) -> tuple[pa.RecordBatch, dict[int, str]]:
    """For formats without a fixed header (JSON Lines, answer folders) an unknown key is a
    problem of the rows that use it, as in an answer file, not of the whole input: drop the
    column and return each affected row's messages by position."""
    if ENTERPRISE_ID not in batch.schema.names:
        batch = batch.append_column(ENTERPRISE_ID, pa.nulls(batch.num_rows, pa.string()))
    bad = [p for p in column_problems(plan.framework, batch.schema.names)
           if p.path != ENTERPRISE_ID and p.path in batch.schema.names]
    messages: dict[int, list[str]] = {}
    for problem in bad:
        valid = batch.column(problem.path).is_valid().to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(valid):
            messages.setdefault(int(i), []).append(f"{problem.path}: {problem.message}")
    if bad:
        batch = batch.drop_columns(list(dict.fromkeys(p.path for p in bad)))
    return batch, {i: "; ".join(m) for i, m in messages.items()}


def _fail_rows(scored: pa.RecordBatch, messages: dict[int, str]) -> pa.RecordBatch:
    """Mark rows as errors, their own messages first, then what scoring found."""
    ok = scored.column("ok").to_pylist()
    error = scored.column("error").to_pylist()
    for i, message in messages.items():
        error[i] = message if ok[i] else f"{message}; {error[i]}"
        ok[i] = False
    names = scored.schema.names
    columns = list(scored.columns)
    columns[names.index("ok")] = pa.array(ok, pa.bool_())
    columns[names.index("error")] = pa.array(error, pa.string())
    return pa.RecordBatch.from_arrays(columns, schema=scored.schema)


def score_chunk(plan: Plan, chunk: Chunk, *, lenient: bool = False
                ) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """(result rows, error rows) of one chunk, both in row order."""
    batch, messages = _unknown_keys(plan, chunk.batch) if lenient else (chunk.batch, {})
    scored = score_batch(plan, batch)
    if messages:
        scored = _fail_rows(scored, messages)
    ok = scored.column("ok")
    n_ok = pc.sum(ok).as_py() or 0
    schema = result_schema(plan)
    good = scored.filter(ok) if n_ok != scored.num_rows else scored
    names = batch.schema.names
    passthrough = {
        n: (batch.column(n).cast(pa.string()).filter(ok) if n in names
            else pa.nulls(n_ok, pa.string()))
        for n in PASSTHROUGH
    }
    results = pa.RecordBatch.from_arrays(
        [passthrough[n] if n in passthrough else good.column(n) for n in schema.names],
        schema=schema)
    failed = scored.filter(pc.invert(ok)).select(["row", "enterprise_id", "error"])
    if chunk.errors:
        parsed = pa.RecordBatch.from_pylist(
            [{"row": e.row, "enterprise_id": e.enterprise_id, "error": e.message}
             for e in chunk.errors], schema=ERROR_SCHEMA)
        table = pa.Table.from_batches([failed.cast(ERROR_SCHEMA), parsed])
        table = table.take(pc.sort_indices(table, [("row", "ascending")]))
        failed = table.combine_chunks().to_batches()[0]
    return results, failed.cast(ERROR_SCHEMA)


def write_unit(plan: Plan, chunks: Iterator[Chunk], part: Path, errors: Path, *,
               lenient: bool = False) -> tuple[int, int, int]:
    """Score ``chunks`` into the part files ``part`` and ``errors``; (rows, scored, errors)."""
    with AtomicWriter(part, result_schema(plan), "arrow") as good_out, \
            AtomicWriter(errors, ERROR_SCHEMA, "arrow") as bad_out:
        for chunk in chunks:
            good, bad = score_chunk(plan, chunk, lenient=lenient)
            good_out.write(good)
            bad_out.write(bad)
    return good_out.rows + bad_out.rows, good_out.rows, bad_out.rows


# -- local --------------------------------------------------------------------------------------


#: (unit id, result rows, error rows) of a scored chunk, in chunk order.
Emit = Callable[[int, pa.RecordBatch, pa.RecordBatch], None]


def run_local(plan: Plan, source: Source, chunk_size: int, done_units: frozenset[int],
              emit: Emit) -> None:
    """One process, streaming: the next chunk is read while this one is scored."""
    lenient = source.column_names() is None
    for chunk in prefetch(source.chunks(chunk_size, skip=done_units), depth=1):
        good, bad = score_chunk(plan, chunk, lenient=lenient)
        if good.num_rows + bad.num_rows != chunk.rows:
            raise SmesdkError([f"chunk {chunk.index}: {chunk.rows} rows read but "
                               f"{good.num_rows + bad.num_rows} scored"])
        emit(chunk.index, good, bad)


# -- Dask ---------------------------------------------------------------------------------------


def score_file(plan: Plan, file: str, schema: pa.Schema, first_row: int, chunk_size: int,
               part: str, errors: str) -> tuple[int, int, int]:
    """One Dask task: a whole Parquet file, in chunks, into its two part files. ``schema`` is
    the whole input's, so every file is read with the same column types as locally."""
    source = ParquetSource(Path(file))
    chunks = rechunk(source.batches(chunk_size, schema), chunk_size, first_row=first_row)
    return write_unit(plan, chunks, Path(part), Path(errors))


def run_dask(plan: Plan, source: Source, parts: Callable[[int], tuple[Path, Path]],
             chunk_size: int, done_units: frozenset[int], on_done: Done, *,
             client: Client | None = None, scheduler: str | None = None) -> None:
    """One task per Parquet file; the plan is sent to every worker once."""
    if not isinstance(source, ParquetSource):
        raise SmesdkError([Problem("", "--engine dask reads Parquet input (a file or a folder of "
                                       ".parquet files); use --engine local for this input",
                                   str(source.path))])
    try:
        import distributed
    except ImportError:
        raise SmesdkError(["--engine dask needs dask.distributed: pip install 'smesdk[dask]'"]
                          ) from None
    dd: Any = distributed  # untyped library
    own = client is None
    if client is None:
        # No address: Client() reads DASK_SCHEDULER_ADDRESS, else starts a local cluster.
        client = dd.Client(scheduler) if scheduler else dd.Client()
    assert client is not None
    try:
        files = source.files()
        counts = source.row_counts()
        firsts = [0, *itertools.accumulate(counts)][:-1]
        schema = source.schema()
        plan_future = client.scatter(plan, broadcast=True)
        futures: dict[Any, tuple[int, int]] = {}
        for unit, (file, first, n) in enumerate(zip(files, firsts, counts, strict=True)):
            if unit in done_units:
                continue
            part, errors = parts(unit)
            future = client.submit(score_file, plan_future, str(file.resolve()), schema, first,
                                   chunk_size, str(part), str(errors), pure=False)
            futures[future] = (unit, n)
        for future in dd.as_completed(list(futures)):
            unit, n = futures[future]
            rows, scored, failed = future.result()
            if rows != n:
                raise SmesdkError([f"{files[unit]}: {n} rows in the file but {rows} written"])
            on_done(unit, rows, scored, failed)
    finally:
        if own:
            client.close()
