"""Parsing one indicator's column for a whole batch, exactly as the answer kind would.

Cells are mapped to per-row arrays: whether an answer is there, whether it is valid, its
points (integers over a common denominator ``pden``) and its truth (for prerequisites).
Finite-domain kinds (choice, yes/no, scale, text and plugin kinds) parse each *distinct*
cell value once with the kind's own ``parse`` — exact by construction — and keep per-row
*codes* into small per-value tables (dictionary-typed columns, as Parquet stores text, come
with their codes); dates are day numbers; numbers are compared with band edges in float64,
which is exact under the conditions :func:`exact_edge` checks; multi-selects become option
bitmasks. A cell none of this handles is marked invalid, and its row is rescored per record
(which finds the message).

Masks are applied by products (``points * valid``), not ``np.where``: it branches per row and
mispredicts on scattered nulls, several times slower on 65k rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.batch.grouping import group_rows
from smesdk.batch.ranks import RankedTests, rank_codes
from smesdk.columnar import NotVectorisable
from smesdk.gates import compare as _compare
from smesdk.kinds import AnswerKind, ColumnRule
from smesdk.numbers import frac
from smesdk.spec import Indicator

EPOCH = dt.date(1970, 1, 1)
#: Decimal text with at most 15 digits and a small exponent: float64 keeps its order exactly.
_NUMBER_TEXT = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,2})?\s*$"
#: Distinct cell values remembered per indicator (text answers may all differ: stop there).
CACHE_SIZE = 4096


class Unsupported(NotVectorisable):
    """Something the compiled scorer does not handle; the rows go per record."""


@functools.lru_cache(maxsize=4096)
def exact_edge(value: Fraction | Decimal | int) -> float:
    """float(value), if comparing float64 answers with it is exact (≤ 15 significant digits).

    For a double v and a decimal e of at most 15 significant digits, the decimal the per-record
    parser sees for v (its shortest repr, or the integer itself) is < e exactly when
    v < float(e): 15-digit decimals survive the round trip through float64.
    """
    f = frac(value) if not isinstance(value, Fraction) else value
    d = Decimal(f.numerator) / Decimal(f.denominator)
    if frac(d) != f or len(d.normalize().as_tuple().digits) > 15:
        raise Unsupported(f"number {value} has more than 15 significant digits")
    return float(d)


def is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def is_text_like(t: pa.DataType) -> bool:
    """Text, or dictionary-encoded text (how Parquet readers may hand text columns over)."""
    return is_text(t) or (pa.types.is_dictionary(t) and is_text(t.value_type))


def by_code(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``table[codes]`` (code -1: the last slot). ``np.take`` runs 1.3-1.9x faster than
    fancy indexing on 32- and 64-bit codes. Narrower codes are widened first: over 65,536
    int8 codes, widening and taking is 35 us, fancy indexing 73 us, and ``np.take`` on the
    int8 codes themselves 360 us."""
    if codes.dtype.itemsize < 4:
        codes = codes.astype(np.intp)
    return np.take(table, codes)


_NO_TABLE = np.zeros(1, dtype=bool)
_NO_POINTS = np.zeros(1, dtype=np.int64)


class _Looked:
    """A per-row array of :class:`Parsed`: set directly, or looked up from a per-value table
    through the row codes on first read (zeros when there are no codes)."""

    def __init__(self, slot: str, table: str, dtype: Any) -> None:
        self.slot, self.table, self.dtype = slot, table, dtype

    def __get__(self, obj: Parsed, owner: type | None = None) -> np.ndarray:
        value: np.ndarray | None = getattr(obj, self.slot)
        if value is None:
            value = (obj._lookup(getattr(obj, self.table)) if obj.codes is not None
                     else np.zeros(obj.n, self.dtype))
            setattr(obj, self.slot, value)
        return value

    def __set__(self, obj: Parsed, value: np.ndarray) -> None:
        setattr(obj, self.slot, value)


class Parsed:
    """One indicator's answers over a batch (meaningful where ``given``).

    Either per-row arrays, or per-row ``codes`` into per-value tables whose last slot stands
    for a missing cell (code -1): the arrays are then looked up only when asked for.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self._given: np.ndarray | None = None
        self._valid: np.ndarray | None = None
        self._pts: np.ndarray | None = None
        self._truthy: np.ndarray | None = None
        self.pden = 1
        self.codes: np.ndarray | None = None
        #: No code is -1 (no cell is missing): known from the column, without a pass over it.
        self.complete = False
        self.ok_tab: np.ndarray = _NO_TABLE
        self.pts_tab: np.ndarray = _NO_POINTS
        self.truthy_tab: np.ndarray = _NO_TABLE
        #: Raw value of each code.
        self.values: list[Any] = []
        #: Per row, an integer telling apart different answers (codes, numbers' bits, option
        #: masks, days), for grouping rows by what a plugin level rule may read; None: unknown.
        self.ident: np.ndarray | None = None
        # measure -> per-row comparable values, or a function giving per-row test results
        self._test: Callable[[Any, str], np.ndarray] | None = None

    def _lookup(self, table: np.ndarray) -> np.ndarray:
        assert self.codes is not None
        return by_code(table, self.codes)

    @property
    def given(self) -> np.ndarray:
        if self._given is None:
            self._given = (self.codes >= 0) if self.codes is not None else np.zeros(self.n, bool)
        return self._given

    @given.setter
    def given(self, value: np.ndarray) -> None:
        self._given = value

    valid = _Looked("_valid", "ok_tab", bool)
    pts = _Looked("_pts", "pts_tab", np.int64)
    truthy = _Looked("_truthy", "truthy_tab", bool)

    def test(self, test: Any, measure: str) -> np.ndarray:
        """Per row: the answer's level/answer passes ``test`` (False where there is none)."""
        if self._test is None:
            if not self.given.any():  # nothing answered: nothing to test
                return self.given.copy()
            raise Unsupported(f"gates on the {measure} of this kind")
        held = self._test(test, measure)
        # Tables by code already fail invalid and missing cells.
        return held if self.codes is not None else held & self.valid

    def merged(self, other: Parsed, take_other: np.ndarray) -> Parsed:
        """Rows from ``other`` where ``take_other`` (the fact standing in for the answer)."""
        out = Parsed(len(take_other))
        pden = math.lcm(self.pden, other.pden)
        out.pden = pden
        out.given = np.where(take_other, other.given, self.given)
        out.valid = np.where(take_other, other.valid, self.valid)
        out.pts = np.where(take_other, other.pts * (pden // other.pden), self.pts * (pden // self.pden))
        out.truthy = np.where(take_other, other.truthy, self.truthy)
        out._test = lambda t, m: np.where(take_other, other.test(t, m), self.test(t, m))
        return out


def parse_column(kind: AnswerKind, ind: Indicator, col: pa.Array, on_days: np.ndarray,
                 on_values: Callable[[], list[dt.date | None]],
                 cache: dict[Any, Any] | None = None) -> Parsed:
    """Parse ``col`` for indicator ``ind``; ``on_days`` is each row's assessment date.

    ``cache`` keeps parsed distinct values of built-in kinds from batch to batch.
    """
    n = len(col)
    if pa.types.is_null(col.type):
        return Parsed(n)
    rule = kind.column_rule
    if rule is ColumnRule.BANDS:
        return _numbers(kind, ind, col)
    dictionary = pa.types.is_dictionary(col.type)  # few distinct values: the table is cheaper
    if rule is ColumnRule.SUBSET and (not dictionary or is_text(col.type.value_type)):
        return _multi(ind, col)
    if rule is ColumnRule.RECENT and not dictionary:
        return _dates(kind, ind, col, on_days)
    return _table(kind, ind, col, on_days, on_values, fixed=not kind.depends_on_date(ind),
                  cache=cache if kind.cacheable else None)


def validity(col: pa.Array) -> np.ndarray:
    """Per row: the cell is not null (read from the validity bitmap, no Arrow kernel)."""
    n = len(col)
    if not col.null_count:
        return np.ones(n, dtype=bool)
    bitmap = col.buffers()[0]
    if bitmap is None:  # nulls without a bitmap (a null-typed or union array)
        return np.asarray(col.is_valid().to_numpy(zero_copy_only=False))
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), count=col.offset + n,
                         bitorder="little")
    return bits[col.offset:].view(bool)


def buffer_values(col: pa.Array, dtype: Any) -> np.ndarray:
    """A fixed-width column's values as stored (anything under a null)."""
    return np.frombuffer(col.buffers()[1], dtype=dtype, count=col.offset + len(col))[col.offset:]


def missing_as_minus_one(codes: np.ndarray, given: np.ndarray) -> np.ndarray:
    """``codes``, -1 where the cell is missing, in their own type: arithmetic, with no branch
    per row (np.where mispredicts on scattered nulls; what is under a null may wrap)."""
    if codes.dtype.kind == "u":  # unsigned dictionary indices have no -1
        codes = codes.astype(np.int64)
    one = codes.dtype.type(1)
    return np.asarray((codes + one) * given - one)


def distinct(col: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """Per-row codes into the list of distinct values (-1 for null)."""
    t = col.type
    if pa.types.is_dictionary(t) and pa.types.is_integer(t.index_type):
        codes = buffer_values(col.indices, t.index_type.to_pandas_dtype())
        if col.null_count:
            codes = missing_as_minus_one(codes, validity(col))
        values = col.dictionary.to_pylist()
        if col.dictionary.null_count:  # a null value in the dictionary is a missing cell
            remap = np.array([-1 if v is None else k for k, v in enumerate(values)] + [-1])
            codes = remap[codes]
        return codes, values
    narrow_int = pa.types.is_integer(t) and (pa.types.is_signed_integer(t) or t.bit_width < 64)
    if pa.types.is_boolean(t) or (narrow_int and len(col)):
        fast = _small_domain(col, pa.types.is_boolean(t))
        if fast is not None:
            return fast
    try:
        enc = col.dictionary_encode()
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise Unsupported(f"cells of type {col.type}") from None
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, enc.dictionary.to_pylist()


def _small_domain(col: pa.Array, boolean: bool) -> tuple[np.ndarray, list[Any]] | None:
    """Booleans and narrow integer ranges (scale levels) coded arithmetically, no hashing."""
    n = len(col)
    if col.null_count == n:
        return np.full(n, -1, dtype=np.int64), []
    if boolean:  # 0/1 for false/true, straight from the bits
        bits = np.unpackbits(np.frombuffer(col.buffers()[1], dtype=np.uint8),
                             count=col.offset + n, bitorder="little")[col.offset:]
        codes = bits.view(np.int8)
        if col.null_count:
            codes = missing_as_minus_one(codes, validity(col))
        return codes, [False, True]
    v = buffer_values(col, col.type.to_pandas_dtype())
    valid = validity(col) if col.null_count else None
    seen = v[valid] if valid is not None else v
    if not len(seen):
        return np.full(n, -1, dtype=np.int64), []
    lo, hi = int(seen.min()), int(seen.max())
    if hi - lo > 255:
        return None
    # int8 codes where they fit (scale levels): an eighth of the memory traffic, and what
    # a parent packs its children's codes from (see compiled._Run._packed_sum).
    # (Both sides wrap to the narrow type alike, so their difference is exact.)
    narrow = np.int8 if hi - lo < 127 else np.int16
    shifted: np.ndarray = np.subtract(v, v.dtype.type(lo), dtype=narrow, casting="unsafe")
    if valid is not None:
        shifted = missing_as_minus_one(shifted, valid)
    return shifted, list(range(lo, hi + 1))


def _table(kind: AnswerKind, ind: Indicator, col: pa.Array, on_days: np.ndarray,
           on_values: Callable[[], list[dt.date | None]], *, fixed: bool,
           cache: dict[Any, Any] | None) -> Parsed:
    """Parse distinct values with the kind itself; points per (value, date) unless ``fixed``."""
    n = len(col)
    out = Parsed(n)
    codes, values = distinct(col)
    out.codes = codes
    out.complete = not col.null_count and not (
        pa.types.is_dictionary(col.type) and col.dictionary.null_count)
    out.ident = codes
    out.values = values
    # The tables of a set of distinct values are built once (batches repeat the same few).
    # The column's type is part of the key: True == 1 in Python, but a yes/no kind may take
    # one and refuse the other.
    key = ("tables", col.type, tuple(_hashable(v) for v in values), fixed) \
        if cache is not None and len(values) <= 64 else None
    tables = cache.get(key) if key is not None and cache is not None else None
    if tables is None:
        tables = _tables(kind, ind, values, fixed, cache)
        if key is not None and cache is not None and len(cache) < CACHE_SIZE:
            cache[key] = tables
    out.ok_tab, out.truthy_tab, out.pts_tab, out.pden, parsed, scored = tables
    ok = out.ok_tab
    if scored and not fixed:
        out.pts, out.pden = _points_by_date(kind, ind, parsed, ok, codes, on_days, on_values)

    def measured(measure: str) -> list[Any]:
        """Each code's value under ``measure`` (None where the cell is not valid)."""
        if measure == "level":
            return [kind.level(ind, v) if ok[k] else None for k, v in enumerate(parsed)]
        return [kind.to_json(v) if ok[k] else None for k, v in enumerate(parsed)]

    def ranks(measure: str) -> np.ndarray | None:
        rkey = ("ranks", measure, key) if key is not None else None
        done = cache.get(rkey) if rkey is not None and cache is not None else None
        if done is None:
            done = (rank_codes(measured(measure)),)
            if rkey is not None and cache is not None and len(cache) < CACHE_SIZE:
                cache[rkey] = done
        return done[0]

    rows = RankedTests(functools.partial(by_code, codes=codes), ranks,
                       cache if cache is not None else {}, CACHE_SIZE)

    def test(t: Any, measure: str) -> np.ndarray:
        # The pass/fail of each distinct value is worked out once per (test, values).
        tkey = ("test", id(t), measure, key) if key is not None else None
        table = cache.get(tkey) if tkey is not None and cache is not None else None
        if table is None:
            table = np.array([v is not None and _compare(t, v) for v in measured(measure)]
                             + [False])
            if tkey is not None and cache is not None and len(cache) < CACHE_SIZE:
                cache[tkey] = (table, t)  # the test is kept alive: its id stays its own
        else:
            table = table[0]
        return rows.rows(table, measure)

    out._test = test
    return out


def _tables(kind: AnswerKind, ind: Indicator, values: list[Any], fixed: bool,
            cache: dict[Any, Any] | None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, list[Any], bool]:
    """(valid, truthy, points, points scale, parsed value) per distinct value, plus a last slot
    for a missing cell; and whether the indicator is scored."""
    parsed: list[Any] = []
    keys: list[Any] = []
    ok = np.zeros(len(values) + 1, dtype=bool)  # the extra slot serves null rows (code -1)
    for k, raw in enumerate(values):
        key = (type(raw), _hashable(raw))
        keys.append(key)
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = _parse_one(kind, ind, raw)
            if cache is not None and len(cache) < CACHE_SIZE:
                cache[key] = hit
        ok[k], value = hit
        parsed.append(value)
    truthy = np.array([ok[k] and bool(v) for k, v in enumerate(parsed)] + [False])
    pden = 1
    pts = np.zeros(len(values) + 1, dtype=np.int64)
    scored = kind.is_scored(ind)
    if scored and fixed:
        points = [_fixed_points(kind, ind, v, keys[k], cache) if ok[k] else Fraction(0)
                  for k, v in enumerate(parsed)]
        pden = math.lcm(1, *(p.denominator for p in points))
        pts = np.array([p.numerator * (pden // p.denominator) for p in points] + [0],
                       dtype=np.int64)
    return ok, truthy, pts, pden, parsed, scored


def _fixed_points(kind: AnswerKind, ind: Indicator, value: Any, key: Any,
                  cache: dict[Any, Any] | None) -> Fraction:
    """The points of a parsed value of a date-free kind, remembered with its parse: batches
    of many distinct values (grids) meet the same values again in the next chunk."""
    pkey = ("points", key)
    points: Fraction | None = cache.get(pkey) if cache is not None else None
    if points is None:
        points = frac(kind.points(ind, value, EPOCH))
        if cache is not None and len(cache) < CACHE_SIZE:
            cache[pkey] = points
    return points


def _hashable(raw: Any) -> Any:
    """A memo key for a raw cell; nested values keep their types (True == 1 in Python)."""
    if isinstance(raw, dict):  # a grid's answer: its cells in order, with their types
        return tuple((k, type(v), _hashable(v)) for k, v in raw.items())
    if isinstance(raw, list):
        return tuple((type(v), _hashable(v)) for v in raw)
    return raw


def _parse_one(kind: AnswerKind, ind: Indicator, raw: Any) -> tuple[bool, Any]:
    try:
        return True, kind.parse(ind, raw)
    except ValueError:
        return False, None
    except Exception:  # a plugin kind's own failure: leave the rows to the per-record path
        raise Unsupported(f"kind {kind.name!r} failed to parse {raw!r}") from None


def _points_by_date(kind: AnswerKind, ind: Indicator, parsed: list[Any], ok: np.ndarray,
                    codes: np.ndarray, on_days: np.ndarray,
                    on_values: Callable[[], list[dt.date | None]]) -> tuple[np.ndarray, int]:
    # A plugin kind may score by the assessment date: one call per distinct (value, date).
    first, inverse = group_rows([on_days, codes])
    dates = on_values()
    points = []
    for row in first:
        k = codes[row]
        on = dates[row]
        good = k >= 0 and ok[k] and on is not None
        points.append(frac(kind.points(ind, parsed[k], on)) if good and on else Fraction(0))
    pden = math.lcm(1, *(p.denominator for p in points))
    table = np.array([p.numerator * (pden // p.denominator) for p in points], dtype=np.int64)
    return table[inverse.reshape(-1)], pden


def _dates(kind: AnswerKind, ind: Indicator, col: pa.Array, on_days: np.ndarray) -> Parsed:
    n = len(col)
    out = Parsed(n)
    if pa.types.is_date32(col.type):  # every date32 cell is a date: no parsing to do
        given = validity(col)
        out.given = given
        out.valid = given
        day_of = buffer_values(col, np.int32) * given if col.null_count else buffer_values(col, np.int32)
        out.ident = day_of
    else:
        codes, values = distinct(col)
        out.given = codes >= 0
        days = np.zeros(len(values) + 1, dtype=np.int64)
        ok = np.zeros(len(values) + 1, dtype=bool)
        for k, raw in enumerate(values):
            try:
                days[k] = (kind.parse(ind, raw) - EPOCH).days
                ok[k] = True
            except ValueError:
                pass
        out.valid = ok[codes]
        day_of = days[codes]
        out.ident = codes
    out.truthy = out.valid  # a date is always true
    if ind.within_days is not None:
        full = kind.max_points(ind)
        out.pden = full.denominator
        age = on_days - day_of
        recent = out.valid & (age >= 0) & (age <= ind.within_days)
        out.pts = np.multiply(recent, full.numerator, dtype=np.int64)
    return out


def _number_values(col: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(given, usable, float value) for a number column; unusable cells go per record."""
    n = len(col)
    t = col.type
    if pa.types.is_dictionary(t):
        col, t = col.dictionary_decode(), t.value_type
    given = validity(col)
    if pa.types.is_floating(t):
        if pa.types.is_float64(t):  # straight from the buffer (fill_null makes a copy)
            v = buffer_values(col, np.float64)
            if col.null_count:
                v = (v.view(np.int64) * given).view(np.float64)  # +0.0 where missing
        else:
            v = pc.fill_null(col.cast(pa.float64()), 0.0).to_numpy(zero_copy_only=False)
        finite = np.isfinite(v)
        if finite.all():
            return given, given, v
        return given, given & finite, np.where(finite, v, 0.0)
    if pa.types.is_integer(t):
        v = pc.fill_null(col.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
        return given, given & (np.abs(v) < 10**15), v.astype(np.float64)
    if pa.types.is_decimal(t):
        col, t = col.cast(pa.string()), pa.string()
    if is_text(t):
        fits = pc.fill_null(pc.match_substring_regex(col, _NUMBER_TEXT), False)
        digits = pc.utf8_length(pc.replace_substring_regex(
            pc.replace_substring_regex(col, r"[eE].*$", ""), r"[^0-9]", ""))
        fits = pc.and_(fits, pc.fill_null(pc.less_equal(digits, 15), False))
        clean = pc.if_else(fits, pc.utf8_trim_whitespace(col), "0")
        try:
            v = pc.fill_null(clean.cast(pa.float64()), 0.0).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            raise Unsupported("number text Arrow cannot read") from None
        return given, fits.to_numpy(zero_copy_only=False) & given, v
    if pa.types.is_boolean(t):  # a bool is never a number: invalid, per record says why
        return given, np.zeros(n, dtype=bool), np.zeros(n)
    raise Unsupported(f"number cells of type {t}")


def _numbers(kind: AnswerKind, ind: Indicator, col: pa.Array) -> Parsed:
    n = len(col)
    out = Parsed(n)
    given, usable, v = _number_values(col)
    out.given = given
    edges, ok_region, pts_region, out.pden = _number_regions(kind, ind)
    # Which edge each value lies at or between: 2j+1 exactly at edge j, 2j just below it
    # (counted in int8: small-integer compares and adds are what NumPy vectorises best).
    region = np.zeros(n, dtype=np.int8)
    for edge in edges.tolist():
        region += (v >= edge).view(np.int8)
        region += (v > edge).view(np.int8)
    at = region.astype(np.intp)  # widened once for both look-ups
    ok = usable & np.take(ok_region, at)
    out.valid = ok
    pts = np.take(pts_region, at)
    pts *= usable  # a region's points are 0 where invalid; in place, no second array
    out.pts = pts
    out.truthy = ok & (v != 0)
    out.values = [v]  # the per-row numbers themselves (see Parsed.values)
    t = col.type.value_type if pa.types.is_dictionary(col.type) else col.type
    if pa.types.is_floating(t) or pa.types.is_integer(t):  # text "1.0" and "1" differ
        out.ident = v.view(np.int64)

    def test(t: Any, measure: str) -> np.ndarray:
        if measure != "level" or getattr(t, "eq", None) is not None:
            raise Unsupported(f"gates on the {measure} of a number")
        res = np.ones(n, dtype=bool)
        for op, fn in COMPARISONS.items():
            bound = getattr(t, op)
            if bound is not None:
                res &= fn(v, exact_edge(bound))
        return res

    out._test = test
    return out


#: A bound's operator as the NumPy comparison it makes, per row.
COMPARISONS: dict[str, Any] = {"ge": np.greater_equal, "gt": np.greater, "le": np.less_equal,
                               "lt": np.less}


def _number_regions(kind: AnswerKind, ind: Indicator
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The band edges and range ends as sorted floats; per region (below, at, between and
    above them) whether a number there is valid and its points over the points scale.

    Every number within one region meets every edge the same way, so one representative
    decides the region (with the same float comparisons as per value: see exact_edge)."""
    key = (id(ind), id(kind))
    done = _REGIONS.get(key)
    if done is not None and done[0] is ind:
        return done[1]  # type: ignore[no-any-return]
    lo, hi = kind.number_range(ind)
    cuts = [exact_edge(x) for x in (lo, hi) if x is not None]
    cuts += [exact_edge(getattr(b, op)) for b in ind.bands for op in COMPARISONS
             if getattr(b, op) is not None]
    edges = np.array(sorted(set(cuts)), dtype=np.float64)
    if len(edges) > 60:
        raise Unsupported("a number with more than 60 band edges")
    points = [frac(b.points) for b in ind.bands]
    pden = math.lcm(1, *(p.denominator for p in points))
    ok_region = np.zeros(2 * len(edges) + 1, dtype=bool)
    pts_region = np.zeros(2 * len(edges) + 1, dtype=np.int64)
    for r in range(2 * len(edges) + 1):
        j = r // 2
        if r % 2:
            rep = edges[j]
        elif not len(edges):
            rep = 0.0
        elif j == 0:
            rep = edges[0] - 1.0
        elif j == len(edges):
            rep = edges[-1] + 1.0
        else:
            rep = (edges[j - 1] + edges[j]) / 2
        inside = (lo is None or rep >= exact_edge(lo)) and (hi is None or rep <= exact_edge(hi))
        for b, band in enumerate(ind.bands):
            if inside and all(fn(rep, exact_edge(getattr(band, op))) for op, fn in COMPARISONS.items()
                              if getattr(band, op) is not None):
                ok_region[r] = True
                pts_region[r] = points[b].numerator * (pden // points[b].denominator)
                break
    result: tuple[np.ndarray, np.ndarray, np.ndarray, int] = (edges, ok_region, pts_region, pden)
    if len(_REGIONS) > 4096:
        _REGIONS.clear()
    _REGIONS[key] = (ind, result)
    return result


_REGIONS: dict[tuple[int, int], tuple[Indicator, Any]] = {}


def _multi(ind: Indicator, col: pa.Array) -> Parsed:
    if pa.types.is_dictionary(col.type):
        return _multi_text_by_value(ind, col)
    n = len(col)
    out = Parsed(n)
    if not (pa.types.is_list(col.type) or pa.types.is_large_list(col.type)):
        raise Unsupported(f"multi-select cells of type {col.type}")
    options = ind.options
    if len(options) > 62:
        raise Unsupported("a multi-select with more than 62 options")
    # Every row's elements are read straight from the child array between its offsets; a
    # missing cell's garbage (if any) is never used: it is not given, so not valid.
    out.given = validity(col)
    # The offsets straight from their buffer (``col.offsets`` builds a new array).
    width = np.int64 if pa.types.is_large_list(col.type) else np.int32
    offsets = np.frombuffer(col.buffers()[1], dtype=width, count=col.offset + n + 1
                            )[col.offset:].astype(np.int64)
    # A slice's offsets point into its parent's child array: read only the slice's part.
    flat = col.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
    offsets -= offsets[0]
    if pa.types.is_null(flat.type):
        flat = flat.cast(pa.string())
    # Each element's bit: its option's, or the first bit no option has (``unknown``) for
    # anything else; in the narrowest unsigned type holding them (less memory to go through).
    names = [o.value for o in options]
    unknown = len(options)
    width = _mask_type(unknown)
    bits = np.left_shift(width(1), np.arange(unknown + 1, dtype=width))
    if pa.types.is_dictionary(flat.type) and is_text(flat.type.value_type):
        per_value = [names.index(v) if v in names else unknown
                     for v in flat.dictionary.to_pylist()]
        bits_of = bits[[*per_value, unknown]]
        bit = by_code(bits_of, distinct(flat)[0]) if len(flat) else np.zeros(0, dtype=width)
    elif is_text(flat.type):
        idx = pc.index_in(flat, value_set=pa.array(names, flat.type))
        option = pc.fill_null(idx, unknown).to_numpy(zero_copy_only=False)
        bit = bits[option]  # a look-up: five times cheaper than shifting each element
    else:
        raise Unsupported(f"multi-select options of type {flat.type}")
    # XOR of a row's bits: its option mask when every element is a known option, none twice
    # (then it has as many bits as elements; a repeat cancels bits, an unknown sets a bit of
    # its own).
    acc = np.empty(len(bit) + 1, dtype=width)
    acc[0] = 0
    np.bitwise_xor.accumulate(bit, out=acc[1:])
    at = np.take(acc, offsets)
    narrow_mask = at[1:] ^ at[:-1]
    lengths = np.diff(offsets)
    ok = ((np.bitwise_count(narrow_mask) == lengths) & ((narrow_mask >> width(unknown)) == 0)
          & out.given)
    mask = narrow_mask.astype(np.int64)
    exclusive = sum(1 << i for i, o in enumerate(options) if o.exclusive)
    if exclusive:
        ok &= ~(((narrow_mask & width(exclusive)) != 0) & (lengths > 1))
    out.valid = ok
    out.truthy = ok & (lengths > 0)
    if ind.mode == "fraction":
        inclusive = sum(1 << i for i, o in enumerate(options) if not o.exclusive)
        full = frac(ind.points or 0)
        if inclusive:
            count = np.bitwise_count(narrow_mask & width(inclusive)) * ok  # still narrow
            out.pden = inclusive.bit_count() * full.denominator
            out.pts = np.multiply(count, full.numerator, dtype=np.int64)
    else:
        points = [frac(o.points) for o in options]
        cap = frac(ind.cap) if ind.cap is not None else None
        out.pden = math.lcm(1, *(p.denominator for p in points),
                            cap.denominator if cap is not None else 1)
        scaled = [p.numerator * (out.pden // p.denominator) for p in points]
        top = cap.numerator * (out.pden // cap.denominator) if cap is not None else None
        if len(options) <= 12:  # points of every subset, looked up by mask
            table = _subset_points(tuple(scaled), top)
            out.pts = by_code(table, narrow_mask & width(len(table) - 1)) * ok
        else:
            pts = np.zeros(n, dtype=np.int64)
            for i, p in enumerate(scaled):
                if p:
                    pts += ((mask >> i) & 1) * p
            if top is not None:
                pts = np.minimum(pts, top)
            out.pts = pts * ok
    out.values = [mask]
    out.ident = mask  # options in declared order: the mask is the answer
    return out


def _multi_text_by_value(ind: Indicator, col: pa.Array) -> Parsed:
    """Dictionary-encoded text cells (``a|b``, as Parquet hands text over): each distinct
    text is split and read once, as lists are; rows take their value's result by code."""
    from smesdk.batch.columns import split_multi_text

    codes, _ = distinct(col)  # -1: a missing cell (null, or a null in the dictionary)
    per = _multi(ind, split_multi_text(col.dictionary))

    def by_row(values: np.ndarray, missing: Any) -> np.ndarray:
        return by_code(np.append(values, np.array([missing], dtype=values.dtype)), codes)

    out = Parsed(len(col))
    out.given = codes >= 0
    out.valid = by_row(per.valid, False)
    out.truthy = by_row(per.truthy, False)
    out.pden = per.pden
    out.pts = by_row(per.pts, 0)
    mask = by_row(per.values[0], 0)
    out.values = [mask]
    out.ident = mask
    return out


def _mask_type(top: int) -> Any:
    """The narrowest unsigned integer type with bits 0 .. ``top``."""
    return next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64)
                if top < np.iinfo(t).bits)


@functools.lru_cache(maxsize=256)
def _subset_points(points: tuple[int, ...], cap: int | None) -> np.ndarray:
    masks = np.arange(1 << len(points), dtype=np.int64)
    total = np.zeros(len(masks), dtype=np.int64)
    for i, p in enumerate(points):
        total += ((masks >> i) & 1) * p
    return np.minimum(total, cap) if cap is not None else total
