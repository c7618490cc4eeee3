"""A schema-less reader and writer of Thrift's compact protocol, for Parquet footers.

A Parquet footer (``FileMetaData``) is a Thrift struct in the compact protocol. To join row groups
encoded by different workers into one file, their metadata must be re-based (byte offsets) and
concatenated; pyarrow can read a footer but not re-base one. This module decodes any compact
struct into :class:`Struct` (fields in order, each with its wire type) and writes it back the
way Apache Thrift's C++ writer (which Arrow uses) does, so an untouched struct round-trips to
the same bytes; :func:`smesdk.batch.assemble` checks that before relying on it.
"""

from __future__ import annotations

import gc
import struct
from typing import Union

import attrs

# Compact-protocol wire types.
TRUE, FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(1, 13)


@attrs.define
class ListValue:
    """A list or set: its element wire type and elements."""

    kind: int
    items: list[Value]
    wire: int = LIST


@attrs.define
class MapValue:
    key_kind: int
    value_kind: int
    items: list[tuple[Value, Value]]


@attrs.define
class Field:
    id: int
    kind: int  # TRUE/FALSE for a bool field: the value is in the type
    value: Value


@attrs.define
class Struct:
    fields: list[Field]

    def get(self, field_id: int) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def set(self, field_id: int, kind: int, value: Value) -> None:
        """Replace a field's value, or add the field in id order."""
        for f in self.fields:
            if f.id == field_id:
                f.kind, f.value = kind, value
                return
        self.fields.append(Field(field_id, kind, value))
        self.fields.sort(key=lambda f: f.id)


Value = Union[bool, int, float, bytes, ListValue, MapValue, Struct]  # noqa: UP007 (recursive alias)


class DecodeError(ValueError):
    pass


def _varint_at(data: bytes, at: int) -> tuple[int, int]:
    """The unsigned varint at ``at``, and where the next value starts."""
    b = data[at]
    if b < 0x80:  # most are one byte (field deltas, small counts, lengths)
        return b, at + 1
    result, shift = b & 0x7F, 7
    while True:
        at += 1
        b = data[at]
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, at + 1
        shift += 7
        if shift > 70:
            raise DecodeError("varint too long")


def _zigzag_at(data: bytes, at: int) -> tuple[int, int]:
    n, at = _varint_at(data, at)
    return (n >> 1) ^ -(n & 1), at


def _value_at(kind: int, data: bytes, at: int) -> tuple[Value, int]:
    """The value of wire type ``kind`` at ``at``, and where the next one starts. (Functions of
    the bytes and a position, not methods of a reader: a footer holds some 100,000 values.)"""
    if kind in (I64, I32, I16):
        return _zigzag_at(data, at)
    if kind == BINARY:
        n, at = _varint_at(data, at)
        if at + n > len(data):
            raise DecodeError("unexpected end of Thrift data")
        return data[at:at + n], at + n
    if kind == STRUCT:
        return _struct_at(data, at)
    if kind in (LIST, SET):
        head = data[at]
        at += 1
        size = head >> 4
        if size == 15:
            size, at = _varint_at(data, at)
        elem = head & 0x0F
        items: list[Value] = []
        for _ in range(size):
            item, at = _value_at(elem, data, at)
            items.append(item)
        return ListValue(elem, items, kind), at
    if kind in (TRUE, FALSE):  # a bool inside a list: one byte
        return data[at] == TRUE, at + 1
    if kind == BYTE:
        b = data[at]
        return (b - 256 if b > 127 else b), at + 1
    if kind == DOUBLE:
        if at + 8 > len(data):
            raise DecodeError("unexpected end of Thrift data")
        return float(struct.unpack_from("<d", data, at)[0]), at + 8
    if kind == MAP:
        size, at = _varint_at(data, at)
        if size == 0:
            return MapValue(0, 0, []), at
        types = data[at]
        at += 1
        k, v = types >> 4, types & 0x0F
        pairs: list[tuple[Value, Value]] = []
        for _ in range(size):
            key, at = _value_at(k, data, at)
            val, at = _value_at(v, data, at)
            pairs.append((key, val))
        return MapValue(k, v, pairs), at
    raise DecodeError(f"unknown Thrift compact type {kind}")


def _struct_at(data: bytes, at: int) -> tuple[Struct, int]:
    fields: list[Field] = []
    last = 0
    while True:
        head = data[at]
        at += 1
        if head == 0:
            return Struct(fields), at
        kind, delta = head & 0x0F, head >> 4
        if delta:
            fid = last + delta
        else:
            fid, at = _zigzag_at(data, at)
        if kind in (TRUE, FALSE):
            value: Value = kind == TRUE
        else:
            value, at = _value_at(kind, data, at)
        fields.append(Field(fid, kind, value))
        last = fid


def decode(data: bytes | memoryview) -> Struct:
    """The struct that ``data`` holds, which must be exactly one struct."""
    raw = bytes(data)
    # A footer decodes into some 100,000 small acyclic objects: the cyclic garbage collector,
    # woken by their allocation, would only walk every live object of the process again and
    # again (more than half the time in a Dask driver), and can find nothing here to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        out, at = _struct_at(raw, 0)
    except IndexError:  # a read past the end
        raise DecodeError("unexpected end of Thrift data") from None
    except RecursionError:
        raise DecodeError("Thrift data nested too deep") from None
    finally:
        if collecting:
            gc.enable()
    if at != len(raw):
        raise DecodeError(f"{len(raw) - at} bytes after the Thrift struct")
    return out


def _varint(n: int, out: bytearray) -> None:
    while True:
        if n < 0x80:
            out.append(n)
            return
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(n: int, out: bytearray) -> None:
    z = (n << 1) ^ (n >> 63)  # 64-bit zigzag; Python's >> keeps the sign
    if z < 0x80:  # most are one byte
        out.append(z)
    else:
        _varint(z, out)


def _write(kind: int, value: Value, out: bytearray) -> None:
    # The kinds in the order a footer holds most of them: integers, text, structs, lists.
    if kind in (I64, I32, I16):
        assert isinstance(value, int)
        _zigzag(value, out)
    elif kind == BINARY:
        assert isinstance(value, bytes)
        _varint(len(value), out)
        out += value
    elif kind == STRUCT:
        assert isinstance(value, Struct)
        _write_struct(value, out)
    elif kind in (LIST, SET):
        assert isinstance(value, ListValue)
        size = len(value.items)
        if size < 15:
            out.append(size << 4 | value.kind)
        else:
            out.append(0xF0 | value.kind)
            _varint(size, out)
        for item in value.items:
            _write(value.kind, item, out)
    elif kind in (TRUE, FALSE):
        out.append(TRUE if value else FALSE)
    elif kind == BYTE:
        assert isinstance(value, int)
        out.append(value & 0xFF)
    elif kind == DOUBLE:
        assert isinstance(value, float)
        out += struct.pack("<d", value)
    elif kind == MAP:
        assert isinstance(value, MapValue)
        _varint(len(value.items), out)
        if value.items:
            out.append(value.key_kind << 4 | value.value_kind)
            for k, v in value.items:
                _write(value.key_kind, k, out)
                _write(value.value_kind, v, out)
    else:
        raise ValueError(f"unknown Thrift compact type {kind}")


def _write_struct(value: Struct, out: bytearray) -> None:
    last = 0
    for f in value.fields:
        kind = (TRUE if f.value else FALSE) if f.kind in (TRUE, FALSE) else f.kind
        delta = f.id - last
        if 0 < delta <= 15:
            out.append(delta << 4 | kind)
        else:
            out.append(kind)
            _zigzag(f.id, out)
        if f.kind not in (TRUE, FALSE):
            _write(f.kind, f.value, out)
        last = f.id
    out.append(0)


def encode(value: Struct) -> bytes:
    out = bytearray()
    _write_struct(value, out)
    return bytes(out)
