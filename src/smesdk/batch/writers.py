"""Writing result and error files atomically, in the format of their suffix (see formats.py).

A writer streams into a hidden temporary file in the target's own folder and renames it over
the target only on :meth:`AtomicWriter.commit` (``os.replace`` is atomic within one file
system), so a reader never sees half a file and a killed run leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.batch.columns import ENTERPRISE_ID
from smesdk.batch.formats import named, output_format
from smesdk.batch.repeats import known_id_hashes
from smesdk.errors import Problem, SmesdkError
from smesdk.formulas import DANGEROUS_PATTERN, QUOTE

#: Rows per Parquet row group in final outputs: fixed so that every engine writes equal bytes.
ROW_GROUP = 65_536

ERROR_SCHEMA = pa.schema([
    pa.field("row", pa.int64(), nullable=False),
    pa.field("enterprise_id", pa.string()),
    pa.field("error", pa.string()),
])


def default_errors_path(output: Path) -> Path:
    """``results.parquet`` -> ``results.errors.parquet`` (same format as the output)."""
    return output.with_name(f"{output.stem}.errors{output.suffix}")


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def open_writer(sink: Path | pa.NativeFile, schema: pa.Schema, fmt: str, *,
                header: bool = True) -> Any:
    """The one place a format's writer is opened: every engine's files must come out byte for
    byte the same. ``header=False`` writes a piece of a file that is joined by concatenation
    (see :mod:`smesdk.batch.assemble`); ``arrow`` is the work folder's parts (no encoding to pay
    for twice)."""
    writer = named(fmt).writer
    if writer is None:
        raise ValueError(f"{fmt!r} is not an output format")
    return writer(str(sink) if isinstance(sink, Path) else sink, schema, header)


class AtomicWriter:
    """Stream batches of one schema into ``path``; visible only after :meth:`commit`."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str | None = None,
                 tmp_dir: Path | None = None, *, header: bool = True) -> None:
        self.path = path
        self.schema = schema
        self.format = named(fmt) if fmt else output_format(path)
        self.rows = 0
        # A temporary file in a run's work folder goes with the folder if the run is killed.
        self._tmp = tmp_dir / f"{path.name}.tmp" if tmp_dir is not None else temp_path(path)
        self._writer: Any
        self._closed = False
        try:
            self._writer = open_writer(self._tmp, schema, self.format.name, header=header)
        except OSError as exc:
            raise SmesdkError([Problem("", f"cannot write: {exc}", str(path))]) from None

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows:
            batch = batch.cast(self.schema) if batch.schema != self.schema else batch
            self._writer.write_batch(neutralise(batch) if self.format.quotes_formulas else batch)
            self.rows += batch.num_rows

    def close(self) -> None:
        """Finish the temporary file (a Parquet footer, say); :meth:`commit` still renames it.
        Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self._writer.close()

    def commit(self) -> None:
        self.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def neutralise(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Text cells a spreadsheet would run as formulas, quoted (see :mod:`smesdk.formulas`)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.fill_null(pc.match_substring_regex(column, DANGEROUS_PATTERN), False)
            if pc.any(risky).as_py():
                quoted = pc.binary_join_element_wise(QUOTE, column, "")
                column = pc.if_else(risky, quoted, column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def write_json(path: Path, data: Any) -> None:
    """Atomically replace a small JSON file (the resume manifest)."""
    tmp = temp_path(path)
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


#: Where a part file's schema metadata keeps the columns left out of its rows.
_CONSTANTS = b"smesdk.constants"


def part_schema(schema: pa.Schema, constants: dict[str, str | None]) -> pa.Schema:
    """The schema of a work folder's part file of rows of ``schema``: the text columns in
    ``constants`` (one value for a whole run, e.g. the framework's content hash) are kept once
    in the metadata, with the full schema, not once per row (they were a third of a part's
    bytes)."""
    if not constants:
        return schema
    kept = [f for f in schema if f.name not in constants]
    meta = {"constants": constants, "schema": schema.serialize().to_pybytes().hex()}
    return pa.schema(kept, metadata={_CONSTANTS: json.dumps(meta).encode()})


def id_hashes_path(part: Path) -> Path:
    """Where a part's enterprise-id hashes are kept (see :class:`PartWriter`)."""
    return part.with_name(f"{part.name}.ids")


def read_id_hashes(part: Path) -> np.ndarray:
    return np.fromfile(id_hashes_path(part), dtype="<u8")


class PartWriter(AtomicWriter):
    """An Arrow IPC part file of rows of ``schema``, ``constants`` left out of its rows (each
    batch is checked to hold them: a part never loses a value).

    Beside it, the 64-bit hashes of its rows' known enterprise ids
    (:func:`~smesdk.batch.repeats.known_id_hashes`), made as each batch is written, on the
    worker that scored it: the run's repeated-id check then sorts these instead of reading
    every id back and hashing it at the end. They are in place before the part is.
    """

    def __init__(self, path: Path, schema: pa.Schema, constants: dict[str, str | None]
                 ) -> None:
        super().__init__(path, part_schema(schema, constants), "arrow")
        self.full = schema
        self.constants = constants
        self.hashes: list[np.ndarray] = []

    def commit(self) -> None:
        hashes = np.concatenate(self.hashes) if self.hashes else np.zeros(0, np.uint64)
        target = id_hashes_path(self.path)
        tmp = temp_path(target)  # per process, as the part's own: a task may run twice at once
        hashes.astype("<u8", copy=False).tofile(tmp)
        os.replace(tmp, target)
        super().commit()

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows:
            self.hashes.append(known_id_hashes(batch.column(ENTERPRISE_ID)))
        if self.constants and batch.num_rows:
            batch = batch.cast(self.full) if batch.schema != self.full else batch
            for name, value in self.constants.items():
                column = batch.column(name)
                held = (column.null_count == len(column) if value is None
                        else column.null_count == 0 and pc.all(pc.equal(column, value)).as_py())
                if not held:
                    raise ValueError(f"part {self.path.name}: column {name!r} is not "
                                     f"{value!r} in every row")
            batch = batch.drop_columns(list(self.constants))
        super().write(batch)


def part_column(paths: Iterable[Path], name: str) -> Iterator[pa.Array]:
    """One column (not a constant one) of Arrow IPC part files, batch by batch, memory-mapped."""
    for path in paths:
        with pa.memory_map(str(path)) as source:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield reader.get_batch(i).column(name)


def read_parts(paths: Iterable[Path]) -> Iterator[pa.RecordBatch]:
    """The batches of Arrow IPC part files, memory-mapped (no copy, no decoding), with the
    columns :func:`part_schema` kept once put back in every row."""
    for path in paths:
        with pa.memory_map(str(path)) as source:
            reader = pa.ipc.open_file(source)
            meta = (reader.schema.metadata or {}).get(_CONSTANTS)
            if meta is None:
                for i in range(reader.num_record_batches):
                    yield reader.get_batch(i)
                continue
            kept = json.loads(meta)
            full = pa.ipc.read_schema(pa.py_buffer(bytes.fromhex(kept["schema"])))
            constants = kept["constants"]
            for i in range(reader.num_record_batches):
                batch = reader.get_batch(i)
                yield pa.RecordBatch.from_arrays(
                    [pa.repeat(pa.scalar(constants[f.name], f.type), batch.num_rows)
                     if f.name in constants else batch.column(f.name) for f in full],
                    schema=full)


class Regroup:
    """Re-cut a stream of batches into ``size``-row batches (the last fewer), so the row groups
    of a final file do not depend on how the rows were produced (chunks, Dask partitions)."""

    def __init__(self, schema: pa.Schema, size: int = ROW_GROUP) -> None:
        self.schema = schema
        self.size = size
        self._pending: list[pa.RecordBatch] = []
        self._have = 0

    def push(self, batch: pa.RecordBatch) -> list[pa.RecordBatch]:
        if not batch.num_rows:
            return []
        self._pending.append(batch)
        self._have += batch.num_rows
        if self._have < self.size:
            return []
        if len(self._pending) == 1 and self._have == self.size:  # already the right cut
            self._have = 0
            return [self._pending.pop()]
        table = pa.Table.from_batches(self._pending, schema=self.schema)
        out = []
        offset = 0
        while self._have - offset >= self.size:
            out.append(_one(table.slice(offset, self.size)))
            offset += self.size
        # Zero-row slices would keep whole earlier batches alive, chunk after chunk.
        self._pending = [b for b in table.slice(offset).to_batches() if b.num_rows]
        self._have -= offset
        return out

    def flush(self) -> list[pa.RecordBatch]:
        if not self._have:
            return []
        out = [_one(pa.Table.from_batches(self._pending, schema=self.schema))]
        self._pending, self._have = [], 0
        return out


def regroup(batches: Iterable[pa.RecordBatch], schema: pa.Schema,
            size: int = ROW_GROUP) -> Iterator[pa.RecordBatch]:
    """:class:`Regroup` over an iterable."""
    cutter = Regroup(schema, size)
    for batch in batches:
        yield from cutter.push(batch)
    yield from cutter.flush()


def _one(table: pa.Table) -> pa.RecordBatch:
    batch: pa.RecordBatch = table.combine_chunks().to_batches()[0]
    return batch


class Final(Protocol):
    """A final output being written: invisible until committed."""

    def finish(self) -> int:
        """Write what is left; the rows written."""

    def commit(self) -> None: ...

    def abort(self) -> None: ...


class FinalFile:
    """A final output fed in row order through :class:`Regroup` into an :class:`AtomicWriter`."""

    def __init__(self, path: Path, schema: pa.Schema, tmp_dir: Path | None = None) -> None:
        self.writer = AtomicWriter(path, schema, tmp_dir=tmp_dir)
        self.cutter = Regroup(schema)

    def push(self, batch: pa.RecordBatch) -> None:
        for piece in self.cutter.push(batch):
            self.writer.write(piece)

    def finish(self) -> int:
        """Write what is left and close the file (not visible before commit); the rows
        written. Finishing twice is harmless."""
        for piece in self.cutter.flush():
            self.writer.write(piece)
        self.writer.close()
        return self.writer.rows

    def commit(self) -> None:
        self.writer.commit()

    def abort(self) -> None:
        self.writer.abort()
