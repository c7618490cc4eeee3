"""Batch scoring of many enterprises at once (needs the ``smesdk[batch]`` extra).

``compile_plan(framework)`` once, then ``score_batch(plan, record_batch)`` per Arrow batch:
one output row per input row, equal to the per-record scorer's result to the last digit.
"""

from __future__ import annotations

try:
    import numpy  # noqa: F401
    import pyarrow  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installation
    from smesdk.errors import SmesdkError

    raise SmesdkError(["batch scoring needs pyarrow and numpy: pip install 'smesdk[batch]'"]) from exc

from smesdk.batch.columns import check_columns, input_schema, row_to_data
from smesdk.batch.plan import Plan, compile_plan
from smesdk.batch.score import score_batch

__all__ = ["Plan", "check_columns", "compile_plan", "input_schema", "row_to_data", "score_batch"]
