"""Parsing one indicator's column for a whole batch, exactly as the answer kind would.

Cells are mapped to per-row arrays: whether an answer is there, whether it is valid, its
points (integers over a common denominator ``pden``) and its truth (for prerequisites).
Finite-domain kinds (choice, yes/no, scale, text, date and plugin kinds) parse each *distinct*
cell value once with the kind's own ``parse`` — exact by construction — and look rows up;
numbers are compared with band edges in float64, which is exact under the conditions
:func:`exact_edge` checks; multi-selects become option bitmasks. A cell none of this
handles is marked invalid, and its row is rescored per record (which finds the message).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.gates import compare as _compare
from smesdk.kinds import (
    AnswerKind,
    ChoiceKind,
    DateKind,
    MultiKind,
    NumberKind,
    PercentKind,
    ScaleKind,
    TextKind,
    YesNoKind,
)
from smesdk.numbers import frac
from smesdk.spec import Indicator

EPOCH = dt.date(1970, 1, 1)
#: Decimal text with at most 15 digits and a small exponent: float64 keeps its order exactly.
_NUMBER_TEXT = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,2})?\s*$"
_TABLE_KINDS = (ChoiceKind, YesNoKind, ScaleKind, TextKind)
#: Distinct cell values remembered per indicator (text answers may all differ: stop there).
CACHE_SIZE = 4096


class Unsupported(Exception):
    """Something the compiled scorer does not handle; the rows go per record."""


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


class Parsed:
    """One indicator's answers over a batch (meaningful where ``given``)."""

    def __init__(self, n: int) -> None:
        self.given = np.zeros(n, dtype=bool)
        self.valid = np.zeros(n, dtype=bool)
        self.pts = np.zeros(n, dtype=np.int64)
        self.pden = 1
        self.truthy = np.zeros(n, dtype=bool)
        # measure -> per-row comparable values, or a function giving per-row test results
        self._test: Callable[[Any, str], np.ndarray] | None = None

    def test(self, test: Any, measure: str) -> np.ndarray:
        """Per row: the answer's level/answer passes ``test`` (False where there is none)."""
        if self._test is None:
            if not self.given.any():  # nothing answered: nothing to test
                return self.given.copy()
            raise Unsupported(f"gates on the {measure} of this kind")
        return self._test(test, measure) & self.valid

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
    cls = type(kind)
    if cls in (NumberKind, PercentKind):
        return _numbers(kind, ind, col)  # type: ignore[arg-type]
    if cls is MultiKind:
        return _multi(ind, col)
    if cls is DateKind:
        return _dates(kind, ind, col, on_days)
    return _table(kind, ind, col, on_days, on_values, fixed=cls in _TABLE_KINDS,
                  cache=cache if cls in _TABLE_KINDS else None)


def distinct(col: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """Per-row codes into the list of distinct values (-1 for null)."""
    t = col.type
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
    filled = pc.fill_null(col, False if boolean else 0) if col.null_count else col
    v = filled.to_numpy(zero_copy_only=False).astype(np.int64)
    lo, hi = (0, 1) if boolean else (int(v.min()), int(v.max()))
    if hi - lo > 255:
        return None
    codes = v - lo
    if col.null_count:
        codes = np.where(col.is_valid().to_numpy(zero_copy_only=False), codes, -1)
    values: list[Any] = [False, True] if boolean else list(range(lo, hi + 1))
    return codes, values


def _table(kind: AnswerKind, ind: Indicator, col: pa.Array, on_days: np.ndarray,
           on_values: Callable[[], list[dt.date | None]], *, fixed: bool,
           cache: dict[Any, Any] | None) -> Parsed:
    """Parse distinct values with the kind itself; points per (value, date) unless ``fixed``."""
    n = len(col)
    out = Parsed(n)
    codes, values = distinct(col)
    out.given = codes >= 0
    parsed: list[Any] = []
    ok = np.zeros(len(values) + 1, dtype=bool)  # the extra slot serves null rows (code -1)
    for k, raw in enumerate(values):
        key = (type(raw), raw)
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = _parse_one(kind, ind, raw)
            if cache is not None and len(cache) < CACHE_SIZE:
                cache[key] = hit
        ok[k], value = hit
        parsed.append(value)
    out.valid = ok[codes]
    truthy = np.array([ok[k] and bool(v) for k, v in enumerate(parsed)] + [False])
    out.truthy = truthy[codes]
    if kind.is_scored(ind):
        if fixed:
            points = [kind.points(ind, v, EPOCH) if ok[k] else Fraction(0)
                      for k, v in enumerate(parsed)]
            out.pden = math.lcm(1, *(p.denominator for p in points))
            table = np.array([p.numerator * (out.pden // p.denominator) for p in points] + [0],
                             dtype=np.int64)
            out.pts = table[codes]
        else:
            out.pts, out.pden = _points_by_date(kind, ind, parsed, ok, codes, on_days, on_values)

    def test(t: Any, measure: str) -> np.ndarray:
        if measure == "level":
            seen = [kind.level(ind, v) if ok[k] else None for k, v in enumerate(parsed)]
        else:
            seen = [kind.to_json(v) if ok[k] else None for k, v in enumerate(parsed)]
        table = np.array([v is not None and _compare(t, v) for v in seen] + [False])
        return np.asarray(table[codes])

    out._test = test
    return out


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
    pairs = np.stack([codes, on_days], axis=1)
    _, first, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
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
    out.truthy = out.valid.copy()  # a date is always true
    if ind.within_days is not None:
        full = kind.max_points(ind)
        out.pden = full.denominator
        age = on_days - days[codes]
        out.pts = np.where(out.valid & (age >= 0) & (age <= ind.within_days), full.numerator, 0)
    return out


def _number_values(col: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(given, usable, float value) for a number column; unusable cells go per record."""
    n = len(col)
    given = col.is_valid().to_numpy(zero_copy_only=False)
    t = col.type
    if pa.types.is_floating(t):
        v = pc.fill_null(col.cast(pa.float64()), 0.0).to_numpy(zero_copy_only=False)
        return given, given & np.isfinite(v), np.where(np.isfinite(v), v, 0.0)
    if pa.types.is_integer(t):
        v = pc.fill_null(col.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
        return given, given & (np.abs(v) < 10**15), v.astype(np.float64)
    if pa.types.is_decimal(t):
        col, t = col.cast(pa.string()), pa.string()
    if pa.types.is_string(t) or pa.types.is_large_string(t):
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


def _numbers(kind: NumberKind, ind: Indicator, col: pa.Array) -> Parsed:
    n = len(col)
    out = Parsed(n)
    given, usable, v = _number_values(col)
    out.given = given
    lo, hi = kind._range(ind)
    ok = usable.copy()
    if lo is not None:
        ok &= v >= exact_edge(lo)
    if hi is not None:
        ok &= v <= exact_edge(hi)
    band_of = np.full(n, -1, dtype=np.int64)
    for b in reversed(range(len(ind.bands))):  # the first band that contains the value wins
        band = ind.bands[b]
        inside = np.ones(n, dtype=bool)
        if band.ge is not None:
            inside &= v >= exact_edge(band.ge)
        if band.gt is not None:
            inside &= v > exact_edge(band.gt)
        if band.le is not None:
            inside &= v <= exact_edge(band.le)
        if band.lt is not None:
            inside &= v < exact_edge(band.lt)
        band_of = np.where(inside, b, band_of)
    ok &= band_of >= 0
    out.valid = ok
    points = [frac(b.points) for b in ind.bands]
    out.pden = math.lcm(1, *(p.denominator for p in points))
    table = np.array([p.numerator * (out.pden // p.denominator) for p in points] + [0],
                     dtype=np.int64)
    out.pts = np.where(ok, table[band_of], 0)
    out.truthy = ok & (v != 0)

    def test(t: Any, measure: str) -> np.ndarray:
        if measure != "level" or getattr(t, "eq", None) is not None:
            raise Unsupported(f"gates on the {measure} of a number")
        res = np.ones(n, dtype=bool)
        for op, fn in (("ge", np.greater_equal), ("gt", np.greater), ("le", np.less_equal),
                       ("lt", np.less)):
            bound = getattr(t, op)
            if bound is not None:
                res &= fn(v, exact_edge(bound))
        return res

    out._test = test
    return out


def _multi(ind: Indicator, col: pa.Array) -> Parsed:
    n = len(col)
    out = Parsed(n)
    if not (pa.types.is_list(col.type) or pa.types.is_large_list(col.type)):
        raise Unsupported(f"multi-select cells of type {col.type}")
    options = ind.options
    if len(options) > 62:
        raise Unsupported("a multi-select with more than 62 options")
    out.given = col.is_valid().to_numpy(zero_copy_only=False)
    col = pc.fill_null(col, pa.scalar([], col.type)) if col.null_count else col
    offsets = col.offsets.to_numpy(zero_copy_only=False)
    offsets = offsets - offsets[0]
    flat = col.flatten()
    if pa.types.is_null(flat.type):
        flat = flat.cast(pa.string())
    if not (pa.types.is_string(flat.type) or pa.types.is_large_string(flat.type)):
        raise Unsupported(f"multi-select options of type {flat.type}")
    idx = pc.index_in(flat, value_set=pa.array([o.value for o in options], flat.type))
    known = idx.is_valid().to_numpy(zero_copy_only=False)
    bit = np.left_shift(np.int64(1), pc.fill_null(idx, 0).to_numpy(zero_copy_only=False)
                        .astype(np.int64))
    bit = np.where(known, bit, 0)
    lengths = np.diff(offsets)
    nonempty = lengths > 0
    # A trailing 0 lets every row start inside the array (reduceat's empty-segment rule aside).
    bit = np.append(bit, 0)
    unknown_flags = np.append(~known, False).astype(np.int64)
    starts = offsets[:-1]
    if n:
        total = np.where(nonempty, np.add.reduceat(bit, starts), 0)
        mask = np.where(nonempty, np.bitwise_or.reduceat(bit, starts), 0)
        unknown = np.where(nonempty, np.add.reduceat(unknown_flags, starts), 0)
    else:
        total = mask = unknown = np.zeros(n, dtype=np.int64)
    exclusive = sum(1 << i for i, o in enumerate(options) if o.exclusive)
    ok = (unknown == 0) & (total == mask) & ~(((mask & exclusive) != 0) & (lengths > 1))
    out.valid = ok
    out.truthy = ok & (lengths > 0)
    ticked = [((mask >> i) & 1).astype(bool) for i in range(len(options))]
    if ind.mode == "fraction":
        inclusive = [i for i, o in enumerate(options) if not o.exclusive]
        full = frac(ind.points or 0)
        if inclusive:
            count = sum((ticked[i].astype(np.int64) for i in inclusive), np.zeros(n, np.int64))
            out.pden = len(inclusive) * full.denominator
            out.pts = np.where(ok, count * full.numerator, 0)
    else:
        points = [frac(o.points) for o in options]
        cap = frac(ind.cap) if ind.cap is not None else None
        out.pden = math.lcm(1, *(p.denominator for p in points),
                            cap.denominator if cap is not None else 1)
        pts = np.zeros(n, dtype=np.int64)
        for i, p in enumerate(points):
            pts += np.where(ticked[i], p.numerator * (out.pden // p.denominator), 0)
        if cap is not None:
            pts = np.minimum(pts, cap.numerator * (out.pden // cap.denominator))
        out.pts = np.where(ok, pts, 0)
    return out
