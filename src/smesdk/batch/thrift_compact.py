"""A schema-less reader and writer of Thrift's compact protocol, for Parquet footers.

A Parquet footer (``FileMetaData``) is a Thrift struct in the compact protocol. To join row groups
encoded by different workers into one file, their metadata must be re-based (byte offsets) and
concatenated; pyarrow can read a footer but not re-base one. This module decodes any compact
struct into :class:`Struct` (fields in order, each with its wire type) and writes it back the
way Apache Thrift's C++ writer (which Arrow uses) does, so an untouched struct round-trips to
the same bytes; :func:`smesdk.batch.assemble` checks that before relying on it.
"""

from __future__ import annotations

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


class _Reader:
    def __init__(self, data: bytes | memoryview) -> None:
        self.data = memoryview(data)
        self.at = 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise DecodeError("unexpected end of Thrift data")
        b = self.data[self.at]
        self.at += 1
        return int(b)

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise DecodeError("varint too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise DecodeError("unexpected end of Thrift data")
        out = bytes(self.data[self.at:self.at + n])
        self.at += n
        return out

    def value(self, kind: int) -> Value:
        if kind in (TRUE, FALSE):  # a bool inside a list: one byte
            return self.byte() == TRUE
        if kind == BYTE:
            b = self.byte()
            return b - 256 if b > 127 else b
        if kind in (I16, I32, I64):
            return self.zigzag()
        if kind == DOUBLE:
            return float(struct.unpack("<d", self.take(8))[0])
        if kind == BINARY:
            return self.take(self.varint())
        if kind in (LIST, SET):
            head = self.byte()
            size = head >> 4
            if size == 15:
                size = self.varint()
            elem = head & 0x0F
            return ListValue(elem, [self.value(elem) for _ in range(size)], kind)
        if kind == MAP:
            size = self.varint()
            if size == 0:
                return MapValue(0, 0, [])
            types = self.byte()
            k, v = types >> 4, types & 0x0F
            return MapValue(k, v, [(self.value(k), self.value(v)) for _ in range(size)])
        if kind == STRUCT:
            return self.struct()
        raise DecodeError(f"unknown Thrift compact type {kind}")

    def struct(self) -> Struct:
        fields: list[Field] = []
        last = 0
        while True:
            head = self.byte()
            if head == 0:
                return Struct(fields)
            kind, delta = head & 0x0F, head >> 4
            fid = last + delta if delta else self.zigzag()
            value: Value = kind == TRUE if kind in (TRUE, FALSE) else self.value(kind)
            fields.append(Field(fid, kind, value))
            last = fid


def decode(data: bytes | memoryview) -> Struct:
    """The struct that ``data`` holds, which must be exactly one struct."""
    reader = _Reader(data)
    out = reader.struct()
    if reader.at != len(reader.data):
        raise DecodeError(f"{len(reader.data) - reader.at} bytes after the Thrift struct")
    return out


def _varint(n: int, out: bytearray) -> None:
    while True:
        if n < 0x80:
            out.append(n)
            return
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def _zigzag(n: int, out: bytearray) -> None:
    _varint((n << 1) ^ (n >> 63), out)  # 64-bit zigzag; Python's >> keeps the sign


def _write(kind: int, value: Value, out: bytearray) -> None:
    if kind in (TRUE, FALSE):
        out.append(TRUE if value else FALSE)
    elif kind == BYTE:
        assert isinstance(value, int)
        out.append(value & 0xFF)
    elif kind in (I16, I32, I64):
        assert isinstance(value, int)
        _zigzag(value, out)
    elif kind == DOUBLE:
        assert isinstance(value, float)
        out += struct.pack("<d", value)
    elif kind == BINARY:
        assert isinstance(value, bytes)
        _varint(len(value), out)
        out += value
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
    elif kind == MAP:
        assert isinstance(value, MapValue)
        _varint(len(value.items), out)
        if value.items:
            out.append(value.key_kind << 4 | value.value_kind)
            for k, v in value.items:
                _write(value.key_kind, k, out)
                _write(value.value_kind, v, out)
    elif kind == STRUCT:
        assert isinstance(value, Struct)
        _write_struct(value, out)
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
