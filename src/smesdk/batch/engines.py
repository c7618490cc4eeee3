"""Engines: who calls ``score_batch`` on which rows, through :func:`score_chunk` (which splits
the output into result rows and error rows). The local engine hands each scored chunk back to
:mod:`smesdk.batch.runner`, which saves it as parts and streams the final files. On Dask, each
task reads a range of Parquet row groups and writes its parts itself, and further tasks encode
the final files' fragments from the parts (:mod:`smesdk.batch.assemble`), joined in row order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.batch.assemble import FRAGMENT_ROWS, JoinedFile, encode_fragment, fragment_slices
from smesdk.batch.columns import ENTERPRISE_ID, FIELD_PREFIX, column_problems
from smesdk.batch.formats import output_format
from smesdk.batch.output import provenance
from smesdk.batch.pipeline import prefetch
from smesdk.batch.readers import Chunk, ParquetSource, Source, rechunk
from smesdk.batch.score import score_batch
from smesdk.batch.writers import ERROR_SCHEMA, ROW_GROUP, PartWriter
from smesdk.enterprise import model
from smesdk.errors import Problem, SmesdkError

if TYPE_CHECKING:
    from distributed import Client

    from smesdk.batch.plan import Plan

#: Input columns copied into every result row, so peer statistics can group by them.
PASSTHROUGH = ("industry", "size", "region", "type")

#: (unit id, rows, scored, errors) reported when a unit's parts are on disk.
Done = Callable[[int, int, int, int], None]


def copied_columns(plan: Plan) -> list[str]:
    """Input columns copied into the results: PASSTHROUGH and the framework's extra enterprise
    fields (``enterprise.<field>``), so peer statistics can group by them."""
    return [*PASSTHROUGH, *(FIELD_PREFIX + name for name in model(plan.framework.spec).fields)]


def result_schema(plan: Plan) -> pa.Schema:
    """Columns of the results file: score_batch's output without ok/error, plus the copied
    input columns (copied_columns)."""
    out = plan.output_schema
    fields = [out.field(n) for n in out.names if n not in ("ok", "error")]
    at = 2  # after row and enterprise_id
    extra = [pa.field(n, pa.string()) for n in copied_columns(plan)]
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
        for n in copied_columns(plan)
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
    with PartWriter(part, result_schema(plan), provenance(plan)) as good_out, \
            PartWriter(errors, ERROR_SCHEMA, {}) as bad_out:
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


#: Dask starts worker processes with MALLOC_TRIM_THRESHOLD_=65536, so that freed memory goes
#: back to the system at once. That also turns off glibc's adaptive mmap threshold, and every
#: NumPy array of the scorer is then mapped and unmapped afresh: measured 3-4x slower scoring.
#: Clusters this engine starts leave the variable unset; docs/batch.md says how to do the same
#: for a cluster of your own.
WORKER_ENVIRON = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


@attrs.frozen
class Piece:
    """A Dask scoring task's rows: consecutive row groups of one Parquet file."""

    file: str
    row_groups: tuple[int, ...]
    first_row: int
    rows: int


def pieces(source: ParquetSource, min_rows: int) -> list[Piece]:
    """The input's row groups in order, gathered per file into pieces of at least ``min_rows``
    rows (a file's last piece may hold fewer): a large file is split across tasks, and tiny row
    groups do not each cost a task. Only the files' footers are read."""
    out = []
    first = 0
    for file in source.files():
        meta = source.open(file).metadata
        groups: list[int] = []
        rows = 0
        for g in range(meta.num_row_groups):
            groups.append(g)
            rows += meta.row_group(g).num_rows
            if rows >= min_rows or g == meta.num_row_groups - 1:
                out.append(Piece(str(file.resolve()), tuple(groups), first, rows))
                first += rows
                groups, rows = [], 0
    return out


def score_piece(plan: Plan, piece: Piece, schema: pa.Schema, chunk_size: int, part: str,
                errors: str) -> tuple[int, int, int]:
    """One Dask task: the piece's row groups, read here and scored in chunks, into its two part
    files. ``schema`` is the whole input's, so every piece is read with the same column types as
    locally."""
    source = ParquetSource(Path(piece.file))
    batches = source.file_batches(Path(piece.file), chunk_size, schema, list(piece.row_groups))
    chunks = rechunk(batches, chunk_size, first_row=piece.first_row)
    return write_unit(plan, chunks, Path(part), Path(errors))


def fragment_cuts(first: int, have: int, final: bool, threads: int) -> list[tuple[int, int]]:
    """The fragments (first row, stop) to encode now from rows ``first..have-1`` of a final
    file (``first`` at a row-group boundary): whole fragments of FRAGMENT_ROWS while units are
    still running; once all are done, what is left, in whole row groups shared out over the
    cluster's ``threads`` (none above FRAGMENT_ROWS), so that the last encoding does not leave
    all workers but one idle."""
    if not final:
        count = (have - first) // FRAGMENT_ROWS
        return [(first + i * FRAGMENT_ROWS, first + (i + 1) * FRAGMENT_ROWS)
                for i in range(count)]
    groups = -(-(have - first) // ROW_GROUP)
    if groups <= 0:
        return []
    pieces = max(-(-groups // (FRAGMENT_ROWS // ROW_GROUP)), min(groups, threads))
    step = -(-groups // pieces) * ROW_GROUP
    return [(at, min(at + step, have)) for at in range(first, have, step)]


class _Fragments:
    """The final files' fragments, submitted as soon as the units before them are done (so
    encoding overlaps scoring), and joined in order as they arrive (so copying does too)."""

    def __init__(self, client: Any, parts: Callable[[int], tuple[Path, Path]], units: int,
                 outputs: tuple[Path, Path], schemas: tuple[pa.Schema, pa.Schema],
                 tmp_dir: Path) -> None:
        self.client, self.parts, self.units = client, parts, units
        self.outputs, self.schemas, self.tmp_dir = outputs, schemas, tmp_dir
        self.counts: dict[int, tuple[int, int]] = {}  # unit -> (result rows, error rows)
        self.ready = 0  # units 0..ready-1 are all done
        self.submitted = [0, 0]  # fragments submitted, per file
        self.next_row = [0, 0]  # the first row of the next fragment, per file
        self.threads = max(1, sum(client.nthreads().values()))
        self.futures: dict[Any, tuple[int, int]] = {}  # future -> (file, fragment)
        self.rows: dict[tuple[int, int], int] = {}  # encoded, not yet joined
        self.joined = [0, 0]  # fragments joined, per file
        self.finals = (JoinedFile(outputs[0], schemas[0], tmp_dir),
                       JoinedFile(outputs[1], schemas[1], tmp_dir))

    def unit_done(self, unit: int, scored: int, errors: int) -> list[Any]:
        """Record a unit; the fragment tasks that it made ready."""
        self.counts[unit] = (scored, errors)
        while self.ready in self.counts:
            self.ready += 1
        return self._submit(final=self.ready == self.units)

    def _path(self, k: int, fragment: int) -> Path:
        return self.tmp_dir / f"fragment-{k}-{fragment:06d}"

    def _submit(self, final: bool) -> list[Any]:
        new = []
        for k in (0, 1):
            parts = [(self.parts(u)[k], self.counts[u][k]) for u in range(self.ready)]
            have = sum(n for _, n in parts)
            for first, stop in fragment_cuts(self.next_row[k], have, final, self.threads):
                future = self.client.submit(
                    encode_fragment, fragment_slices(parts, first, stop), self.schemas[k],
                    output_format(self.outputs[k]).name, str(self._path(k, self.submitted[k])),
                    pure=False, priority=1)
                self.futures[future] = (k, self.submitted[k])
                self.submitted[k] += 1
                self.next_row[k] = stop
                new.append(future)
        return new

    def encoded(self, future: Any, rows: int) -> None:
        """Record an encoded fragment; join it and every encoded one after it, in order. A
        joined fragment is removed at once: a resumed run encodes its fragments afresh."""
        self.rows[self.futures.pop(future)] = rows
        for k in (0, 1):
            while (k, self.joined[k]) in self.rows:
                path = self._path(k, self.joined[k])
                self.finals[k].add(path, self.rows.pop((k, self.joined[k])))
                path.unlink()
                self.joined[k] += 1

    def result(self) -> tuple[JoinedFile, JoinedFile]:
        """The final files, every fragment joined (not yet finished)."""
        if self.joined != self.submitted or self.ready != self.units:
            raise SmesdkError([f"Dask run ended with {self.ready} of {self.units} units and "
                               f"{self.joined} of {self.submitted} fragments joined"])
        return self.finals

    def abort(self) -> None:
        for final in self.finals:
            final.abort()


def run_dask(plan: Plan, source: Source, parts: Callable[[int], tuple[Path, Path]],
             chunk_size: int, done: Mapping[int, tuple[int, int, int]], on_done: Done,
             outputs: tuple[Path, Path], tmp_dir: Path, *, client: Client | None = None,
             scheduler: str | None = None) -> tuple[JoinedFile, JoinedFile]:
    """Score on a Dask cluster; the final (results, errors) files, joined but not committed.

    One task per :class:`Piece`; the plan is sent to every worker once. Workers read their row
    groups themselves and write the parts, then encode the final files' fragments from them;
    this process only submits tasks, records finished units and joins fragments by copying
    bytes, so its memory does not grow with the input. ``done`` holds the units of an
    interrupted run (their parts are on disk).
    """
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
        # No address: Client() reads DASK_SCHEDULER_ADDRESS, else starts a local cluster, whose
        # workers get WORKER_ENVIRON.
        import dask

        with dask.config.set(WORKER_ENVIRON):
            client = dd.Client(scheduler) if scheduler else dd.Client()
    assert client is not None
    futures: dict[Any, tuple[int, int]] = {}
    fragments: _Fragments | None = None
    try:
        units = pieces(source, chunk_size)
        schema = source.schema()
        fragments = _Fragments(client, parts, len(units), outputs,
                               (result_schema(plan), ERROR_SCHEMA), tmp_dir)
        pending = []
        for unit in sorted(done):
            pending += fragments.unit_done(unit, done[unit][1], done[unit][2])
        # A key of its own (hash=False): the same plan scattered by an earlier run on this client
        # may still be being released, which would cancel this run's tasks.
        plan_future = client.scatter(plan, broadcast=True, hash=False)
        for unit, piece in enumerate(units):
            if unit in done:
                continue
            part, errors = parts(unit)
            future = client.submit(score_piece, plan_future, piece, schema, chunk_size,
                                   str(part), str(errors), pure=False)
            futures[future] = (unit, piece.rows)
        running = dd.as_completed([*futures, *pending])
        for future in running:
            if future in fragments.futures:
                fragments.encoded(future, future.result())
                continue
            unit, n = futures.pop(future)
            rows, scored, failed = future.result()
            if rows != n:
                raise SmesdkError([f"{units[unit].file}: {n} rows in row groups "
                                   f"{list(units[unit].row_groups)} but {rows} written"])
            on_done(unit, rows, scored, failed)
            for new in fragments.unit_done(unit, scored, failed):
                running.add(new)
        return fragments.result()
    except BaseException:
        if fragments is not None:
            fragments.abort()
        raise
    finally:
        if own:
            client.close()
        else:
            client.cancel([*futures, *(fragments.futures if fragments is not None else ())])
