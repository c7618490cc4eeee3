"""Input files as a stream of fixed-size chunks of rows, each row numbered across the whole input.

Every reader yields :class:`Chunk` objects: chunk ``k`` holds input rows ``k*size .. (k+1)*size-1``
(the last one fewer), so a chunk id means the same rows on every run — what resuming relies on.
A row that cannot even be parsed (a CSV line with the wrong number of fields, a JSON Lines line
that is not an object, an answer file that does not load) is kept as a :class:`RowError` in its
chunk; it never stops the batch. A file that cannot be read at all is one ``SmesdkError``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from smesdk.batch.columns import ENTERPRISE_ID, ROW
from smesdk.batchsizes import DEFAULT_CHUNK_SIZE
from smesdk.convert import parse_text
from smesdk.errors import Problem, SmesdkError, short_error

if TYPE_CHECKING:
    from smesdk.framework import Framework

#: Longest CSV record (a quoted value may span lines; an unclosed quote must not eat the file).
MAX_RECORD_BYTES = 1 << 20
ANSWER_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".xlsx")


@attrs.frozen
class RowError:
    """An input row that was not scored, with its global 0-based row number."""

    row: int
    enterprise_id: str | None
    message: str


@attrs.frozen
class Chunk:
    """Rows ``start .. start+rows-1`` of the input: parsed rows (with ``__row__``) plus parse errors."""

    index: int
    start: int
    batch: pa.RecordBatch
    errors: tuple[RowError, ...] = ()

    @property
    def rows(self) -> int:
        return int(self.batch.num_rows) + len(self.errors)


def _fail(path: Path, message: str) -> SmesdkError:
    return SmesdkError([Problem("", message, str(path))])


def _with_row(batch: pa.RecordBatch, rows: Iterable[int] | pa.Array) -> pa.RecordBatch:
    if ROW in batch.schema.names:
        batch = batch.drop_columns([ROW])
    array = rows if isinstance(rows, pa.Array) else pa.array(list(rows), pa.int64())
    return batch.append_column(ROW, array)


class Source:
    """One input (a file or a folder). Subclasses implement :meth:`_pieces`."""

    format = ""

    def __init__(self, path: Path) -> None:
        self.path = path

    def files(self) -> list[Path]:
        return [self.path]

    def fingerprint(self) -> list[dict[str, Any]]:
        """Path, size and mtime of every file read: a resumed run must see the same input."""
        out = []
        for f in self.files():
            st = f.stat()
            out.append({"path": str(f.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns})
        return out

    def column_names(self) -> list[str] | None:
        """The input's columns when the format declares them up front (else None)."""
        return None

    def chunks(self, size: int = DEFAULT_CHUNK_SIZE, skip: frozenset[int] = frozenset()
               ) -> Iterator[Chunk]:
        """Fixed-size chunks in input order; chunk ids in ``skip`` are counted but not built."""
        raise NotImplementedError


# -- Parquet ------------------------------------------------------------------------------------


class ParquetSource(Source):
    """A Parquet file, or a folder of them read in name order as one input."""

    format = "parquet"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._schema: pa.Schema | None = None
        self._counts: list[int] | None = None

    def files(self) -> list[Path]:
        if self.path.is_dir():
            found = sorted(p for p in self.path.iterdir() if p.suffix == ".parquet")
            if not found:
                raise _fail(self.path, "no .parquet files in this folder")
            return found
        return [self.path]

    def open(self, file: Path, nested: bool = True) -> pq.ParquetFile:
        """The file, its text read as dictionary codes (list elements too, unless not
        ``nested``)."""
        try:
            # Pre-buffering keeps what it read alive through the whole file (measured: +32 MiB
            # per million digital rows) and is no faster on a local disk.
            plain = pq.ParquetFile(file, pre_buffer=False)
            coded = _dictionary_columns(plain, nested)
            if not coded:
                return plain
            # Text as Parquet stores it: dictionary codes, which the scorer looks up directly
            # (no string is materialised, nothing is hashed again).
            return pq.ParquetFile(file, pre_buffer=False, read_dictionary=coded)
        except (pa.ArrowException, OSError) as exc:
            raise _fail(file, f"not a readable Parquet file: {exc}") from None

    def row_counts(self) -> list[int]:
        if self._counts is None:  # footers are read once per run (a folder may hold many files)
            self._counts = [self.open(f).metadata.num_rows for f in self.files()]
        return self._counts

    def column_names(self) -> list[str] | None:
        return list(self.schema().names)

    def schema(self) -> pa.Schema:
        """The files' common schema: same columns in each; types unified (a column that is all
        null in one file and text in another is text)."""
        if self._schema is None:
            self._schema = self._common_schema()
        return self._schema

    def _common_schema(self) -> pa.Schema:
        files = self.files()
        schemas = [self.open(f).schema_arrow for f in files]
        first = {n for n in schemas[0].names if n != ROW}
        for f, schema in zip(files[1:], schemas[1:], strict=True):
            other = {n for n in schema.names if n != ROW}
            if other != first:
                raise _fail(f, f"columns differ from {files[0].name}: {sorted(other ^ first)}")
        try:
            unified = pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise _fail(self.path, f"the files' column types do not agree: {exc}") from None
        return pa.schema([unified.field(n) for n in schemas[0].names if n != ROW])

    def batches(self, size: int, schema: pa.Schema | None = None) -> Iterator[pa.RecordBatch]:
        """Batches of every file, cast to ``schema`` (default: the files' common schema)."""
        schema = schema if schema is not None else self.schema()
        for f in self.files():
            yield from self.file_batches(f, size, schema)

    def file_batches(self, file: Path, size: int, schema: pa.Schema,
                     row_groups: list[int] | None = None) -> Iterator[pa.RecordBatch]:
        """Batches of one file (of its ``row_groups``, default all), cast to ``schema``."""
        pf = self.open(file)
        groups = row_groups if row_groups is not None else range(pf.num_row_groups)
        for group in groups:
            # One row group at a time: pyarrow reads list elements as dictionary codes only
            # into batches that stay inside a row group.
            done = 0
            try:
                for batch in pf.iter_batches(batch_size=size, row_groups=[group],
                                             columns=schema.names):
                    done += batch.num_rows
                    yield batch if batch.schema == schema else batch.cast(schema)
            except pa.ArrowNotImplementedError:
                # A row group pyarrow cannot hand over that way: its text as text, cast to
                # the same schema, from where the coded reading stopped.
                yield from self._plain_rows(file, group, done, size, schema)
            except (pa.ArrowException, OSError) as exc:
                raise _fail(file, f"Parquet read failed: {exc}") from None

    def _plain_rows(self, file: Path, group: int, skip: int, size: int, schema: pa.Schema
                    ) -> Iterator[pa.RecordBatch]:
        try:
            for batch in self.open(file, nested=False).iter_batches(
                    batch_size=size, row_groups=[group], columns=schema.names):
                if skip >= batch.num_rows:
                    skip -= batch.num_rows
                    continue
                batch, skip = batch.slice(skip), 0
                yield batch if batch.schema == schema else batch.cast(schema)
        except (pa.ArrowException, OSError) as exc:
            raise _fail(file, f"Parquet read failed: {exc}") from None

    def chunks(self, size: int = DEFAULT_CHUNK_SIZE, skip: frozenset[int] = frozenset()
               ) -> Iterator[Chunk]:
        yield from rechunk(self.batches(size), size, skip)


def _dictionary_columns(pf: pq.ParquetFile, nested: bool) -> list[str]:
    """Text columns worth reading as dictionary codes: all but the enterprise id (unique);
    with ``nested``, also the text elements of list columns (multi-selects), named by their
    Parquet column path (``<name>.list.element``, however the writer named the two levels)."""
    out = []
    # Leaves inside one list level (a top-level column has no repetition level).
    leaves = [c.path for c in map(pf.schema.column, range(len(pf.schema)))
              if c.max_repetition_level == 1]
    for field in pf.schema_arrow:
        if field.name in (ENTERPRISE_ID, ROW):
            continue
        t = field.type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            out.append(field.name)
        elif nested and (pa.types.is_list(t) or pa.types.is_large_list(t)) and (
                pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)):
            prefix = field.name + "."
            out += [p for p in leaves if p.startswith(prefix) and p[len(prefix):].count(".") == 1]
    return out


def rechunk(batches: Iterable[pa.RecordBatch], size: int, skip: frozenset[int] = frozenset(),
            first_row: int = 0) -> Iterator[Chunk]:
    """Exactly ``size`` rows per chunk (the last fewer); rows numbered from ``first_row``."""
    pending: list[pa.RecordBatch] = []
    have = 0
    index = 0
    start = first_row

    def emit(take: int) -> Chunk | None:
        nonlocal pending, have, index, start
        table = pa.Table.from_batches(pending)
        head, tail = table.slice(0, take), table.slice(take)
        pending = [b for b in tail.to_batches() if b.num_rows]  # no zero-row slices kept
        have -= take
        chunk = None
        if index not in skip:
            if len(pending) == 0 and head.num_rows == take and len(head.to_batches()) == 1:
                batch = head.to_batches()[0]
            else:
                batch = head.combine_chunks().to_batches()[0] if take else head.to_batches()[0]
            rows = pa.array(np.arange(start, start + take, dtype=np.int64))  # not Python ints
            chunk = Chunk(index, start, _with_row(batch, rows))
        index += 1
        start += take
        return chunk

    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        have += batch.num_rows
        while have >= size:
            chunk = emit(size)
            if chunk is not None:
                yield chunk
    if have:
        chunk = emit(have)
        if chunk is not None:
            yield chunk


# -- CSV ----------------------------------------------------------------------------------------


class CsvSource(Source):
    """A UTF-8 CSV file with a header line. Every column is read as text (a bad cell must be a
    row error, never a file error); empty cells are nulls; blank lines are not rows. A quoted
    value may hold line breaks (RFC 4180): its record spans lines and is numbered by its
    first line. A record whose quote never closes (within :data:`MAX_RECORD_BYTES`) is an
    error row, as is any record the CSV parser refuses."""

    format = "csv"

    def column_names(self) -> list[str] | None:
        try:
            with self.path.open("rb") as handle:
                header = handle.readline().removeprefix(b"\xef\xbb\xbf")
        except OSError as exc:
            raise _fail(self.path, f"cannot read: {exc.strerror}") from None
        return self._names(header)

    def _names(self, header: bytes) -> list[str]:
        if not header.strip():
            raise _fail(self.path, "empty CSV file (no header line)")
        try:
            return list(pacsv.read_csv(io.BytesIO(header)).schema.names)
        except pa.ArrowInvalid as exc:
            raise _fail(self.path, f"unreadable CSV header: {exc}") from None

    def _records(self, handle: Any) -> Iterator[tuple[int, bytes, str | None]]:
        """(first line number, record, error) for every non-blank record after the header."""
        line_no = 1
        pending, first = b"", 0
        for raw in handle:
            line_no += 1
            if not pending and not raw.strip():
                continue
            if not pending:
                first = line_no
            pending += raw
            if pending.count(b'"') % 2 == 0:  # every quote closed: the record is whole
                yield first, pending if pending.endswith(b"\n") else pending + b"\n", None
                pending = b""
            elif len(pending) > MAX_RECORD_BYTES:
                yield first, b"", (f"line {first}: a quoted value runs on past "
                                   f"{MAX_RECORD_BYTES} bytes (an unclosed quote?)")
                pending = b""
        if pending:
            yield first, b"", f"line {first}: a quoted value is never closed"

    def chunks(self, size: int = DEFAULT_CHUNK_SIZE, skip: frozenset[int] = frozenset()
               ) -> Iterator[Chunk]:
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise _fail(self.path, f"cannot read: {exc.strerror}") from None
        with handle:
            header = handle.readline().removeprefix(b"\xef\xbb\xbf")
            names = self._names(header)
            types = {n: pa.string() for n in names}
            id_at = names.index(ENTERPRISE_ID) if ENTERPRISE_ID in names else None
            records = self._records(handle)
            index, start = 0, 0
            while True:
                lines: list[bytes] = []
                numbers: list[int] = []
                broken: dict[int, str] = {}
                for number, record, error in records:
                    if error is not None:
                        broken[len(lines)] = error
                    lines.append(record)
                    numbers.append(number)
                    if len(lines) == size:
                        break
                if not lines:
                    return
                if index not in skip:
                    yield self._parse(header, lines, numbers, broken, types, index, start, id_at)
                index += 1
                start += len(lines)

    def _table(self, header: bytes, lines: list[bytes], types: dict[str, pa.DataType],
               invalid: Any) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(header.rstrip(b"\r\n") + b"\n" + b"".join(lines)),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 26),
            parse_options=pacsv.ParseOptions(newlines_in_values=True,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=True),
        )

    def _parse(self, header: bytes, lines: list[bytes], numbers: list[int],
               broken: dict[int, str], types: dict[str, pa.DataType], index: int, start: int,
               id_at: int | None) -> Chunk:
        bad = dict(broken)
        kept = [i for i in range(len(lines)) if i not in bad]

        def miscounted(i: int, row: Any) -> str:
            bad[i] = (f"line {numbers[i]}: expected {row.expected_columns} fields, found "
                      f"{row.actual_columns}")
            return "skip"

        confused: list[int] = []

        def invalid(row: Any) -> str:
            # ``row.number`` counts the header as record 1 of the text parsed here.
            at = row.number - 2
            if 0 <= at < len(kept):
                return miscounted(kept[at], row)
            confused.append(at)  # records the parser split otherwise (a bare CR)
            return "skip"

        try:
            table = self._table(header, [lines[i] for i in kept], types, invalid)
            if confused or table.num_rows + len(bad) != len(lines):
                raise pa.ArrowInvalid("records split differently")
        except pa.ArrowInvalid:
            # Something in this chunk the parser refuses outright (e.g. bytes that are not
            # UTF-8, a bare CR): parse record by record, so only the bad records are errors.
            bad = dict(broken)
            tables = []
            for i in kept:
                try:
                    one = self._table(header, [lines[i]], types,
                                      lambda row, i=i: miscounted(i, row))
                except pa.ArrowInvalid as exc:
                    bad[i] = f"line {numbers[i]}: not readable CSV ({short_error(exc)})"
                    continue
                if one.num_rows == 1 and i not in bad:
                    tables.append(one)
                elif i not in bad:
                    bad[i] = f"line {numbers[i]}: not one CSV record"
            table = pa.concat_tables(tables) if tables else \
                pa.table({n: pa.array([], pa.string()) for n in types})
        good = [i for i in range(len(lines)) if i not in bad]
        batch = table.combine_chunks().to_batches()
        record = batch[0] if batch else pa.RecordBatch.from_pylist([], schema=table.schema)
        errors = tuple(RowError(start + i, _field(lines[i], id_at), msg)
                       for i, msg in sorted(bad.items()))
        return Chunk(index, start, _with_row(record, (start + i for i in good)), errors)


def _field(line: bytes, at: int | None) -> str | None:
    """Field ``at`` of a malformed line, when it has one (to name the row's enterprise)."""
    if at is None:
        return None
    try:
        fields = next(csv.reader(io.StringIO(line.decode("utf-8", "replace"), newline="")), [])
    except csv.Error:
        return None
    return (fields[at].strip() or None) if at < len(fields) else None


# -- JSON Lines and folders of answer files -----------------------------------------------------


def rows_to_batch(rows: list[dict[str, Any]]) -> pa.RecordBatch:
    """A batch from plain row dicts; a column whose values arrow cannot type as one is turned to
    text, value by value, so that the scorer reports the offending cells row by row."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    arrays = []
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            arrays.append(pa.array([None if v is None else _as_text(v) for v in values], pa.string()))
    if not names:  # rows that are all ``{}``: still rows (each lacks its enterprise id)
        return pa.RecordBatch.from_arrays([pa.nulls(len(rows), pa.string())],
                                          names=[ENTERPRISE_ID])
    return pa.RecordBatch.from_arrays(arrays, names=list(names))


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(_as_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return json.dumps(value, ensure_ascii=False, default=str)


class _RowSource(Source):
    """Sources parsed into Python row dicts one by one (JSON Lines, answer folders)."""

    def items(self) -> Iterator[tuple[str, dict[str, Any] | RowError]]:
        raise NotImplementedError

    def chunks(self, size: int = DEFAULT_CHUNK_SIZE, skip: frozenset[int] = frozenset()
               ) -> Iterator[Chunk]:
        index, start = 0, 0
        rows: list[dict[str, Any]] = []
        numbers: list[int] = []
        errors: list[RowError] = []
        count = 0
        for _, item in self.items():
            if isinstance(item, RowError):
                errors.append(attrs.evolve(item, row=start + count))
            else:
                rows.append(item)
                numbers.append(start + count)
            count += 1
            if count == size:
                if index not in skip:
                    yield Chunk(index, start, _with_row(rows_to_batch(rows), numbers), tuple(errors))
                index, start = index + 1, start + count
                rows, numbers, errors, count = [], [], [], 0
        if count and index not in skip:
            yield Chunk(index, start, _with_row(rows_to_batch(rows), numbers), tuple(errors))


class JsonLinesSource(_RowSource):
    """One JSON object per line (the row, with the same columns as Parquet). Blank lines are not
    rows; a line that is not a JSON object is an error row naming its line."""

    format = "jsonl"

    def items(self) -> Iterator[tuple[str, dict[str, Any] | RowError]]:
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise _fail(self.path, f"cannot read: {exc.strerror}") from None
        with handle:
            for line_no, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                where = f"line {line_no}"
                try:
                    # The document parser: duplicate keys, deep nesting and over-long numbers
                    # are this row's error, as they would be in an answer file.
                    data = parse_text(raw.decode("utf-8"), "json", file=where)
                except UnicodeDecodeError:
                    yield where, RowError(0, None, f"{where}: not UTF-8 text")
                    continue
                except SmesdkError as exc:
                    text = "; ".join(p.message.replace("invalid JSON: ", "not valid JSON: ")
                                     for p in exc.problems)
                    yield where, RowError(0, None, f"{where}: {text}")
                    continue
                if not isinstance(data, dict):
                    yield where, RowError(0, None, f"{where}: expected a JSON object")
                    continue
                yield where, data


class AnswerFolderSource(_RowSource):
    """A folder of answer files (YAML/JSON/TOML, and .xlsx questionnaires when smesdk's
    questionnaire reader is installed), read in name order; ``enterprise_id`` is the file stem."""

    format = "answers"
    #: The run's framework: a file made for another framework or profile is an error row.
    framework: Framework | None = None

    def files(self) -> list[Path]:
        # Not only regular files: a pipe or device named like an answer file is an error row.
        return sorted(p for p in self.path.iterdir()
                      if not p.is_dir() and p.suffix.lower() in ANSWER_SUFFIXES)

    def items(self) -> Iterator[tuple[str, dict[str, Any] | RowError]]:
        from smesdk.batch.answer_rows import answer_file_row

        for file in self.files():
            try:
                yield file.name, answer_file_row(file, self.framework)
            except SmesdkError as exc:
                text = "; ".join(str(p) for p in exc.problems)
                yield file.name, RowError(0, file.stem, f"{file.name}: {text}")
            except Exception as exc:
                yield file.name, RowError(0, file.stem, f"{file.name}: cannot be read: "
                                          f"{short_error(exc)}")
