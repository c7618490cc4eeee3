"""The batch's file formats, each described once: its suffixes, how rows are read from it, how
results are written to it and read back (by ``stats`` and by a resumed run).

Every surface asks this table (``open_source``, the writers, ``stats``, the CLI help), so a
format added here is known everywhere; CONTRIBUTING's recipe "Add a batch file format" lists
the steps and ``tests/test_completeness.py`` checks them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from smesdk.batch.columns import ENTERPRISE_ID
from smesdk.batch.readers import (
    ANSWER_SUFFIXES,
    AnswerFolderSource,
    CsvSource,
    JsonLinesSource,
    ParquetSource,
    Source,
)
from smesdk.errors import Problem, SmesdkError
from smesdk.files import require_regular

#: Rows per batch when a results file is read back.
RESULTS_BATCH = 65_536


@attrs.frozen
class FileFormat:
    """One file format. ``source`` reads answer rows (inputs); ``writer`` opens a results
    writer and ``results`` streams written results back, the columns named by a type
    (outputs: a resumed run, ``stats`` and the run's own checks read them). A format may be
    input only."""

    name: str
    #: How docs and messages name it (docs/batch.md has a bullet ``- **<title>**``).
    title: str
    suffixes: tuple[str, ...]
    source: Callable[[Path], Source] | None = None
    writer: Callable[[Any, pa.Schema, bool], Any] | None = None
    results: Callable[[Path, Callable[[str], pa.DataType | None]],
                      tuple[pa.Schema, Iterator[pa.RecordBatch]]] | None = None
    #: Text cells a spreadsheet would run as formulas are quoted (files people open in Excel).
    quotes_formulas: bool = False
    #: Pieces written without a header join by plain concatenation (else by row groups).
    concatenates: bool = False

    @property
    def output(self) -> bool:
        return self.writer is not None


# -- Parquet -------------------------------------------------------------------------------------

#: Columns holding a different value in every row. Arrow would try a dictionary for each and
#: give it up page after page: a fifth of a results file's encoding time, and a fifth more bytes.
PER_ROW_COLUMNS = frozenset({"row", ENTERPRISE_ID})


def _parquet_writer(sink: Any, schema: pa.Schema, header: bool) -> Any:
    return pq.ParquetWriter(
        sink, schema,
        use_dictionary=[n for n in schema.names if n not in PER_ROW_COLUMNS],
        # Min/max are kept for numbers (row, scores, ranks), which a reader filters on. Those
        # of text (ids, level names, provenance) never let it skip a row group of rows in
        # input order, and took a sixth of the encoding time.
        write_statistics=[f.name for f in schema
                          if not (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))],
        # decimal(18, 4) as Parquet's INT64 decimal, not 16-byte fixed-length arrays: the same
        # logical type for every reader, a sixth less encoding time.
        store_decimal_as_integer=True,
    )


def _parquet_results(path: Path, typed: Callable[[str], pa.DataType | None]
                     ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    # The written types are kept: stats checks them (a hand-edited file may hold text totals).
    file = pq.ParquetFile(path, pre_buffer=False)  # see ParquetSource.open
    columns = [n for n in file.schema_arrow.names if typed(n) is not None]
    schema = pa.schema([file.schema_arrow.field(n) for n in columns])
    return schema, file.iter_batches(RESULTS_BATCH, columns=columns)


# -- CSV -----------------------------------------------------------------------------------------

def _csv_writer(sink: Any, schema: pa.Schema, header: bool) -> Any:
    return pacsv.CSVWriter(sink, schema, write_options=pacsv.WriteOptions(include_header=header))


def _csv_names(path: Path) -> list[str]:
    return list(pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)
                               ).schema.names)


def _csv_results(path: Path, typed: Callable[[str], pa.DataType | None]
                 ) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    types = {n: t for n in _csv_names(path) if (t := typed(n)) is not None}
    reader = pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(
        column_types=types, include_columns=list(types)))
    return reader.schema, iter(reader)


# -- Arrow IPC (the work folder's parts; never a user's file) -------------------------------------

def _arrow_writer(sink: Any, schema: pa.Schema, header: bool) -> Any:
    return pa.ipc.new_file(sink, schema)


FORMATS: dict[str, FileFormat] = {f.name: f for f in (
    FileFormat("parquet", "Parquet", (".parquet", ".pq"),
               source=ParquetSource, writer=_parquet_writer, results=_parquet_results),
    FileFormat("csv", "CSV", (".csv",),
               source=CsvSource, writer=_csv_writer, results=_csv_results,
               quotes_formulas=True, concatenates=True),
    FileFormat("jsonl", "JSON Lines", (".jsonl", ".ndjson"),
               source=JsonLinesSource),
)}
#: Formats a run writes for itself (not offered for inputs or outputs).
WORK_FORMATS: dict[str, FileFormat] = {
    "arrow": FileFormat("arrow", "Arrow IPC", (".arrow",), writer=_arrow_writer)}


def _suffixes(output: bool) -> str:
    return ", ".join(s for f in FORMATS.values() if f.output or not output for s in f.suffixes)


def _fail(path: Path, message: str) -> SmesdkError:
    return SmesdkError([Problem("", message, str(path))])


def by_suffix(path: Path) -> FileFormat | None:
    suffix = path.suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), None)


def output_format(path: Path) -> FileFormat:
    """The format a results file is written in, by its suffix."""
    fmt = by_suffix(path)
    if fmt is None or not fmt.output:
        raise _fail(path, f"unsupported output type {path.suffix.lower()!r} "
                          f"(use {_suffixes(output=True)})")
    return fmt


def named(name: str) -> FileFormat:
    """A format by name, the run's own work formats included."""
    return FORMATS.get(name) or WORK_FORMATS[name]


def open_source(path: str | os.PathLike[str]) -> Source:
    """The reader for ``path``: by suffix, or for a folder by what it holds."""
    p = Path(path)
    if not p.exists():
        raise _fail(p, "no such file or folder")
    if p.is_dir():
        if any(f.suffix == ".parquet" for f in p.iterdir()):
            return ParquetSource(p)
        if any(f.suffix.lower() in ANSWER_SUFFIXES for f in p.iterdir()):
            return AnswerFolderSource(p)
        raise _fail(p, "folder holds neither .parquet files nor answer files")
    require_regular(p)  # a pipe would hang the run, a device never end it
    fmt = by_suffix(p)
    if fmt is None or fmt.source is None:
        raise _fail(p, f"unsupported input type {p.suffix.lower()!r} "
                       f"(use {_suffixes(output=False)} or a folder)")
    return fmt.source(p)


def output_help() -> str:
    """The output suffixes, for the CLI's help texts."""
    return _suffixes(output=True)
