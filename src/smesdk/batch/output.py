"""The output batch: one row per input row, numbers as exact decimal128(18, 4).

Scorers fill :class:`Outcome` arrays (scores as integers in ten-thousandths, already rounded
like the Result's JSON); :func:`to_batch` turns them into an Arrow RecordBatch.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from smesdk.numbers import PLACES

if TYPE_CHECKING:
    from smesdk.batch.plan import Plan
    from smesdk.result import Result

DECIMAL = pa.decimal128(18, PLACES)
#: Level index of a row with no level reached; error rows are told by ``ok``.
NO_LEVEL = -1


def output_schema(top_dimensions: list[str]) -> pa.Schema:
    fields = [
        pa.field("row", pa.int64(), nullable=False),
        pa.field("enterprise_id", pa.string()),
        pa.field("ok", pa.bool_(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("total", DECIMAL),
        pa.field("level", pa.string()),
        pa.field("level_rank", pa.int32()),
        pa.field("blockers", pa.int32()),
        *(pa.field(f"dim:{d}", DECIMAL) for d in top_dimensions),
        pa.field("framework", pa.string()),
        pa.field("framework_version", pa.string()),
        pa.field("profile", pa.string()),
        pa.field("content_hash", pa.string()),
    ]
    return pa.schema(fields)


class Outcome:
    """Per-row outcome arrays of one batch, filled by the compiled and per-record scorers."""

    def __init__(self, n: int, n_dims: int) -> None:
        self.ok = np.ones(n, dtype=bool)
        self.errors: dict[int, str] = {}
        self.total = np.zeros(n, dtype=np.int64)
        self.level = np.full(n, NO_LEVEL, dtype=np.int32)
        self.blockers = np.zeros(n, dtype=np.int32)
        self.dims = np.zeros((n_dims, n), dtype=np.int64)
        self.dims_valid = np.ones((n_dims, n), dtype=bool)

    def fail(self, i: int, message: str) -> None:
        self.ok[i] = False
        self.errors[i] = message

    def merge(self, rows: np.ndarray, other: Outcome) -> None:
        """Overwrite ``rows`` with the rows of ``other`` (scored separately, in that order)."""
        self.ok[rows] = other.ok
        for i, message in other.errors.items():
            self.errors[int(rows[i])] = message
        self.total[rows] = other.total
        self.level[rows] = other.level
        self.blockers[rows] = other.blockers
        self.dims[:, rows] = other.dims
        self.dims_valid[:, rows] = other.dims_valid

    def put_result(self, i: int, plan: Plan, result: Result) -> None:
        """Copy one per-record Result into row ``i``."""
        self.ok[i] = True
        self.errors.pop(i, None)
        self.total[i] = scaled(result.total)
        self.level[i] = plan.level_index[result.level.id] if result.level is not None else NO_LEVEL
        self.blockers[i] = len(result.next_level.blockers) if result.next_level is not None else 0
        for k, did in enumerate(plan.top_dimensions):
            score = result.dimension(did).score
            self.dims_valid[k, i] = score is not None
            self.dims[k, i] = scaled(score) if score is not None else 0


def scaled(value: Decimal) -> int:
    """A rounded Decimal as an integer count of ten-thousandths."""
    return int(value.scaleb(PLACES))


def decimal_array(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """decimal128(18, 4) from int64 ten-thousandths, without going through Python objects."""
    n = len(values)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63  # two's-complement sign extension to 128 bits
    mask = None if valid.all() else pa.array(valid).buffers()[1]
    return pa.Array.from_buffers(DECIMAL, n, [mask, pa.py_buffer(words)],
                                 null_count=-1 if mask is not None else 0)


def to_batch(plan: Plan, rows: pa.Array, ids: pa.Array, out: Outcome) -> pa.RecordBatch:
    n = len(out.ok)
    ok = out.ok
    error = (pa.array([out.errors.get(i) for i in range(n)], type=pa.string()) if out.errors
             else pa.nulls(n, pa.string()))
    level_ok = ok & (out.level >= 0)
    level_ids = pa.array(plan.level_ids, type=pa.string())
    level = level_ids.take(pa.array(np.where(level_ok, out.level, 0), type=pa.int32(),
                                    mask=~level_ok)) if level_ids else pa.nulls(n, pa.string())
    rank = pa.array(out.level + 1, type=pa.int32(), mask=~ok)
    columns = [
        rows, ids, pa.array(ok), error,
        decimal_array(out.total, ok),
        level, rank,
        pa.array(out.blockers, type=pa.int32(), mask=~ok),
        *(decimal_array(out.dims[k], ok & out.dims_valid[k])
          for k in range(len(plan.top_dimensions))),
        *_provenance(plan, n),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=plan.output_schema)


def provenance(plan: Plan) -> dict[str, str | None]:
    """The provenance columns and their one value for every row of a run."""
    fw = plan.framework
    return {"framework": fw.id, "framework_version": fw.version, "profile": fw.profile,
            "content_hash": fw.content_hash}


def _provenance(plan: Plan, n: int) -> list[pa.Array]:
    """The four provenance columns for ``n`` rows (made once per batch size: chunks repeat it)."""
    cached = plan.provenance_columns
    if cached is None or len(cached[0]) != n:
        cached = plan.provenance_columns = [pa.repeat(pa.scalar(value, pa.string()), n)
                                            for value in provenance(plan).values()]
    return cached
