"""Seeded synthetic answer sets as one Arrow batch, for benchmarks and load tests.

Every row is a valid answer set (answers drawn from each kind's own samples, numbers also
uniformly within range, a few optional answers left out, a few N/A where allowed), so all
rows take the compiled path. With ``dictionary=True`` text columns are dictionary-encoded, as
Parquet stores them and the batch reader hands them over. The same (framework, n, seed) gives
the same rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.batch.columns import DATE, ENTERPRISE_ID, FIELD_PREFIX, NA_PREFIX, grid_cell_column
from smesdk.batch.plan import Plan
from smesdk.enterprise import FIELD_KINDS, FieldKind, industries, model, size_classes
from smesdk.framework import Framework
from smesdk.kinds import AnswerKind
from smesdk.shapes import Choice, Shape
from smesdk.spec import Indicator

ASSESSED_ON = dt.date(2026, 3, 31)


def synthetic_batch(plan_or_framework: Plan | Framework, n: int, seed: int = 0, *,
                    dictionary: bool = False) -> pa.RecordBatch:
    """``n`` synthetic rows for the framework (all dated ASSESSED_ON); text as dictionary
    codes when ``dictionary``, else as plain strings."""
    fw = plan_or_framework.framework if isinstance(plan_or_framework, Plan) else plan_or_framework
    rng = np.random.default_rng(seed)
    sizes, codes = list(size_classes(fw.spec)), list(industries(fw.spec).names)
    columns: dict[str, pa.Array] = {
        ENTERPRISE_ID: pa.array([f"S{seed}-{i}" for i in range(n)], pa.string()),
        "size": _coded(sizes, rng.integers(0, len(sizes), n)),
        "industry": _coded(codes, rng.integers(0, len(codes), n)),
        DATE: pa.array(np.full(n, (ASSESSED_ON - dt.date(1970, 1, 1)).days, dtype=np.int32),
                       pa.int32()).cast(pa.date32()),
    }
    for iid, ind in fw.iter_indicators():
        kind = fw.kinds[iid]
        form = kind.grid(ind)
        if kind.shape is Shape.GRID and form is not None:
            cells = {grid_cell_column(iid, r.value, c.value): _samples(
                [item.value for item in form.cells], n, rng)
                for r in form.rows for c in form.columns}
            col = None
        elif kind.shape is Shape.SUBSET:
            col = _multi(kind.choices(ind), n, rng)
        elif kind.shape is Shape.BANDS:
            col = _numbers(kind, ind, n, rng)
        else:
            col = _samples(kind.samples(ind), n, rng)
        leave_out = np.zeros(n, dtype=bool)
        if not ind.required:
            leave_out |= rng.random(n) < 0.1
        na = np.zeros(n, dtype=bool)
        if ind.na_allowed:
            na = ~leave_out & (rng.random(n) < 0.05)
            reason = "不适用 / not applicable"
            columns[NA_PREFIX + iid] = _coded([reason], np.zeros(n, dtype=np.int64), ~na)
        if col is None:  # a grid: its cells, left out or N/A together
            for name, cell in cells.items():
                columns[name] = _left_out(cell, leave_out | na)
        else:
            columns[iid] = _left_out(col, leave_out | na)
    for name, field in model(fw.spec).fields.items():  # drawn last: other columns unchanged
        columns[FIELD_PREFIX + name] = _field_column(FIELD_KINDS[field.kind], n, rng)
    if not dictionary:
        columns = {name: _plain(col) for name, col in columns.items()}
    return pa.RecordBatch.from_pydict(columns)


def _field_column(kind: FieldKind, n: int, rng: np.random.Generator) -> pa.Array:
    """Values of an extra enterprise field, drawn from its kind's samples."""
    samples = kind.samples
    return pa.array([samples[k] for k in rng.integers(0, len(samples), n)])


def _left_out(col: pa.Array, gone: np.ndarray) -> pa.Array:
    if not gone.any():
        return col
    if isinstance(col, pa.DictionaryArray):
        return _coded(col.dictionary, col.indices.to_numpy(), gone)
    return pc.if_else(pa.array(gone), pa.nulls(len(gone), col.type), col)


def _plain(col: pa.Array) -> pa.Array:
    if isinstance(col, pa.DictionaryArray):
        return col.dictionary_decode()
    if isinstance(col, pa.ListArray) and pa.types.is_dictionary(col.type.value_type):
        return col.cast(pa.list_(col.type.value_type.value_type))
    return col


def _coded(values: list[str] | pa.Array, codes: np.ndarray,
           missing: np.ndarray | None = None) -> pa.DictionaryArray:
    """Text as dictionary codes (null where ``missing``)."""
    indices = pa.array(codes.astype(np.int32), pa.int32(), mask=missing)
    dictionary = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _samples(samples: list[object], n: int, rng: np.random.Generator) -> pa.Array:
    values = [s.isoformat() if isinstance(s, dt.date) else s for s in samples]
    codes = rng.integers(0, len(values), n)
    if isinstance(values[0], str) and all(_is_date(v) for v in values):
        return pa.array([dt.date.fromisoformat(str(v)) for v in values]).take(pa.array(codes))
    if all(isinstance(v, str) for v in values):
        return _coded(values, codes)
    return pa.array(values).take(pa.array(codes))


def _is_date(value: object) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _numbers(kind: AnswerKind, ind: Indicator, n: int, rng: np.random.Generator) -> pa.Array:
    reps = np.array([float(v) for v in kind.samples(ind)])
    values = reps[rng.integers(0, len(reps), n)]
    lo, hi = kind.number_range(ind)
    if lo is not None and hi is not None:
        uniform = np.round(rng.uniform(float(lo), float(hi), n), 2)
        values = np.where(rng.random(n) < 0.5, uniform, values)
    return pa.array(values, pa.float64())


def _multi(choices: list[Choice], n: int, rng: np.random.Generator) -> pa.Array:
    options = [c.value for c in choices]
    inclusive = np.array([not c.exclusive for c in choices])
    ticked = (rng.random((n, len(options))) < 0.5) & inclusive
    exclusive = np.flatnonzero(~inclusive)
    if len(exclusive):
        alone = rng.random(n) < 0.05
        ticked[alone] = False
        ticked[alone, exclusive[0]] = True
    _, cols = np.nonzero(ticked)  # row-major: each row's ticked options, in declared order
    offsets = np.concatenate([[0], np.cumsum(ticked.sum(axis=1))]).astype(np.int32)
    values = _coded(options, cols)
    return pa.ListArray.from_arrays(pa.array(offsets), values)
