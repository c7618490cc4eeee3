"""Final files assembled from pieces that workers encode in parallel, byte for byte what one
process streaming every row through :class:`~smesdk.batch.writers.FinalFile` writes.

A final file is cut into row groups of ``ROW_GROUP`` rows, and each row group is encoded on its
own (Parquet dictionaries, statistics and pages do not span row groups; CSV rows do not depend
on their neighbours). So a file's rows can be cut into *fragments* of whole row groups, each
encoded by a worker from the work folder's Arrow parts (:func:`encode_fragment`), and joined by
copying bytes (:class:`JoinedFile`): CSV fragments follow the header; Parquet fragments' data
follow the magic bytes, and their footers' row groups, re-based to their new byte offsets, make
the one footer. Whoever joins never decodes a row.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import attrs
import pyarrow as pa

from smesdk.batch import thrift_compact as tc
from smesdk.batch.formats import named, output_format
from smesdk.batch.writers import (
    ROW_GROUP,
    AtomicWriter,
    open_writer,
    read_parts,
    regroup,
)
from smesdk.errors import SmesdkError

#: Rows per fragment: whole row groups, so that fragments join at row-group boundaries.
FRAGMENT_ROWS = 16 * ROW_GROUP
_MAGIC = b"PAR1"

# Parquet's Thrift field ids (parquet.thrift) of what a re-based footer changes.
_FILE_NUM_ROWS, _FILE_ROW_GROUPS = 3, 4
_GROUP_COLUMNS, _GROUP_FILE_OFFSET, _GROUP_ORDINAL = 1, 5, 7
_CHUNK_FILE_OFFSET, _CHUNK_META = 2, 3
#: ColumnChunk offset_index_offset, column_index_offset.
_CHUNK_OFFSETS = (4, 6)
#: ColumnMetaData data_page_offset, index_page_offset, dictionary_page_offset, bloom_filter_offset.
_META_OFFSETS = (9, 10, 11, 14)


@attrs.frozen
class Slice:
    """Rows ``start .. stop-1`` of one Arrow part file."""

    path: str
    start: int
    stop: int


def fragment_slices(parts: Sequence[tuple[Path, int]], first: int, stop: int) -> list[Slice]:
    """The slices of ``parts`` (part file, rows, in row order) that hold rows ``first..stop-1``
    of their concatenation."""
    out = []
    offset = 0
    for path, rows in parts:
        lo, hi = max(first, offset), min(stop, offset + rows)
        if lo < hi:
            out.append(Slice(str(path), lo - offset, hi - offset))
        offset += rows
    return out


def _read(slices: Sequence[Slice]) -> Iterator[pa.RecordBatch]:
    for piece in slices:
        at = 0
        for batch in read_parts([Path(piece.path)]):
            lo, hi = max(piece.start, at), min(piece.stop, at + batch.num_rows)
            if lo < hi:
                yield batch.slice(lo - at, hi - lo)
            at += batch.num_rows
            if at >= piece.stop:
                break


def encode_fragment(slices: Sequence[Slice], schema: pa.Schema, fmt: str, path: str) -> int:
    """Encode the rows of ``slices`` as whole row groups of a ``fmt`` file into ``path`` (a Dask
    task); the rows written."""
    with AtomicWriter(Path(path), schema, fmt, header=not named(fmt).concatenates) as writer:
        for batch in regroup(_read(slices), schema):
            writer.write(batch)
    return writer.rows


def _footer(path: Path) -> tuple[int, tc.Struct]:
    """(where the footer starts, the decoded footer) of a Parquet file."""
    with path.open("rb") as handle:
        handle.seek(-8, os.SEEK_END)
        tail = handle.read(8)
        size = struct.unpack("<I", tail[:4])[0]
        if tail[4:] != _MAGIC:
            raise SmesdkError([f"{path}: not a Parquet file"])
        start = handle.seek(-8 - size, os.SEEK_END)
        raw = handle.read(size)
    footer = tc.decode(raw)
    if tc.encode(footer) != raw:  # the joined footer is written by this encoder
        raise SmesdkError([f"{path}: its Parquet footer does not re-encode to the same bytes"])
    return start, footer


def _int(s: tc.Struct, field_id: int) -> int:
    f = s.get(field_id)
    if f is None or not isinstance(f.value, int):
        raise SmesdkError([f"Parquet footer: field {field_id} missing"])
    return f.value


def _shift(s: tc.Struct, field_ids: Sequence[int], delta: int, keep_zero: bool = False) -> None:
    for fid in field_ids:
        f = s.get(fid)
        if f is not None and isinstance(f.value, int) and not (keep_zero and f.value == 0):
            f.value += delta


def _list(s: tc.Struct, field_id: int) -> tc.ListValue:
    f = s.get(field_id)
    if f is None or not isinstance(f.value, tc.ListValue):
        raise SmesdkError([f"Parquet footer: list field {field_id} missing"])
    return f.value


def _rebase(group: tc.Struct, delta: int, ordinal: int) -> None:
    """Move a row group's metadata ``delta`` bytes further into the file."""
    _shift(group, [_GROUP_FILE_OFFSET], delta)
    if group.get(_GROUP_ORDINAL) is not None:
        group.set(_GROUP_ORDINAL, tc.I16, (ordinal + 2**15) % 2**16 - 2**15)  # as C++ casts
    for chunk in _list(group, _GROUP_COLUMNS).items:
        assert isinstance(chunk, tc.Struct)
        _shift(chunk, [_CHUNK_FILE_OFFSET], delta, keep_zero=True)  # 0: not set (deprecated)
        _shift(chunk, _CHUNK_OFFSETS, delta)
        meta = chunk.get(_CHUNK_META)
        if meta is not None and isinstance(meta.value, tc.Struct):
            _shift(meta.value, _META_OFFSETS, delta)


def _copy(source: Path, start: int, length: int, out: BinaryIO) -> None:
    """Bytes ``start .. start+length-1`` of ``source`` appended to ``out`` (unbuffered): by the
    kernel where it can, else 1 MiB at a time; never the whole file in this process."""
    done = 0
    with source.open("rb") as handle:
        kernel_copy = getattr(os, "copy_file_range", None)
        with contextlib.suppress(OSError):  # e.g. another file system on an old kernel
            while kernel_copy is not None and done < length:
                sent = kernel_copy(handle.fileno(), out.fileno(), length - done, start + done)
                if not sent:
                    break
                done += sent
        handle.seek(start + done)
        while done < length:
            data = handle.read(min(length - done, 1 << 20))
            if not data:
                raise SmesdkError([f"{source}: shorter than its Parquet footer says"])
            out.write(data)
            done += len(data)


class JoinedFile:
    """A final file joined from fragments as they come (:meth:`add`, in row order), with
    FinalFile's finish/commit/abort: invisible until :meth:`commit`. Joining as fragments arrive
    lets the copying overlap the scoring of later rows; only the footer is left for the end."""

    def __init__(self, path: Path, schema: pa.Schema, tmp_dir: Path) -> None:
        self.path = path
        self.schema = schema
        self.format = output_format(path)
        self.rows = 0
        self._tmp_dir = tmp_dir
        self._tmp = tmp_dir / f"{path.name}.tmp"
        self._out: BinaryIO | None = None
        self._at = 0  # bytes written to the temporary file
        self._groups: list[tc.Value] = []  # Parquet: the joined footer's row groups so far
        self._base: tc.Struct | None = None  # Parquet: the first fragment's footer
        self._empty: AtomicWriter | None = None

    def add(self, fragment: Path, rows: int) -> None:
        """Append ``fragment`` (``rows`` rows, the next in row order) to the temporary file."""
        if not rows:
            return
        out = self._open()
        if self.format.concatenates:
            _copy(fragment, 0, fragment.stat().st_size, out)
        else:
            start, footer = _footer(fragment)
            if _int(footer, _FILE_NUM_ROWS) != rows:
                raise SmesdkError([f"{fragment}: {_int(footer, _FILE_NUM_ROWS)} rows, "
                                   f"expected {rows}"])
            self._base = self._base or footer
            for group in _list(footer, _FILE_ROW_GROUPS).items:
                assert isinstance(group, tc.Struct)
                _rebase(group, self._at - len(_MAGIC), len(self._groups))
                self._groups.append(group)
            _copy(fragment, len(_MAGIC), start - len(_MAGIC), out)
            self._at += start - len(_MAGIC)
        self.rows += rows

    def _open(self) -> BinaryIO:
        if self._out is None:
            self._out = self._tmp.open("wb", buffering=0)
            if self.format.concatenates:
                sink = pa.BufferOutputStream()
                open_writer(sink, self.schema, self.format.name).close()  # the header line alone
                self._out.write(sink.getvalue().to_pybytes())
            else:
                self._out.write(_MAGIC)
                self._at = len(_MAGIC)
        return self._out

    def finish(self) -> int:
        """Close the temporary file (Parquet: write the joined footer); the rows it holds."""
        if self._out is None:  # no rows: what the writer makes of none
            self._empty = AtomicWriter(self.path, self.schema, tmp_dir=self._tmp_dir)
            return 0
        with self._out:
            if self._base is not None:
                self._base.set(_FILE_NUM_ROWS, tc.I64, self.rows)
                _list(self._base, _FILE_ROW_GROUPS).items = self._groups
                footer_bytes = tc.encode(self._base)
                self._out.write(footer_bytes + struct.pack("<I", len(footer_bytes)) + _MAGIC)
        return self.rows

    def commit(self) -> None:
        if self._empty is not None:
            self._empty.commit()
        else:
            os.replace(self._tmp, self.path)

    def abort(self) -> None:
        if self._empty is not None:
            self._empty.abort()
        if self._out is not None:
            self._out.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()
