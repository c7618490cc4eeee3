"""``score_batch``: the one scoring function every batch engine shares."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from smesdk.batch.columns import ENTERPRISE_ID, ROW, check_columns, join_grids, split_multi
from smesdk.batch.output import Outcome, to_batch
from smesdk.batch.percord import score_rows
from smesdk.batch.plan import Plan
from smesdk.columnar import NotVectorisable


def _records(plan: Plan, batch: pa.RecordBatch) -> list[dict[str, Any]]:
    """The rows as plain dicts for per-record scoring, multi-selects as lists (as row_to_data
    expects them), dictionary-coded ``a|b`` text included."""
    rows: list[dict[str, Any]] = split_multi(plan.framework, batch, coded=True).to_pylist()
    return rows


def score_batch(plan: Plan, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Score every row of ``batch``; one output row per input row, in input order.

    Raises AnswerError (before scoring) when a column does not fit the framework; a row
    whose answers do not fit becomes an error row with every problem of that row.
    """
    names = tuple(batch.schema.names)
    if names != plan.checked_columns:  # batches of one input share their columns
        check_columns(plan.framework, names)
        plan.checked_columns = names
    batch = join_grids(plan.framework, split_multi(plan.framework, batch))
    n = batch.num_rows
    names = batch.schema.names
    rows = (batch.column(names.index(ROW)).cast(pa.int64()) if ROW in names
            else pa.array(np.arange(n, dtype=np.int64)))
    ids = batch.column(names.index(ENTERPRISE_ID)).cast(pa.string())
    out = Outcome(n, len(plan.top_dimensions))
    if plan.compiled is None:
        plan.per_record_rows += n
        score_rows(plan, _records(plan, batch), out)
        return to_batch(plan, rows, ids, out)
    try:
        suspect = plan.compiled.score(batch, plan.as_of, out)
    except NotVectorisable as exc:
        plan.warn(str(exc))
        suspect = np.ones(n, dtype=bool)
    which = np.flatnonzero(suspect)
    if len(which):
        plan.per_record_rows += len(which)
        # Rows the compiled pass could not vouch for: their result or errors, per record.
        subset = Outcome(len(which), len(plan.top_dimensions))
        score_rows(plan, _records(plan, batch.take(pa.array(which))), subset)
        out.merge(which, subset)
    return to_batch(plan, rows, ids, out)
