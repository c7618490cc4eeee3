"""The per-record path: each row through ``answers_from_data`` and the engine.

It is the reference the compiled scorer is tested against, and the fallback for rows and
frameworks the compiler cannot handle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from smesdk.batch.columns import row_error, row_to_data
from smesdk.engine import score
from smesdk.errors import AnswerError
from smesdk.loading import answers_from_data

if TYPE_CHECKING:
    from smesdk.batch.output import Outcome
    from smesdk.batch.plan import Plan


def score_row(plan: Plan, row: dict[str, Any], out: Outcome, i: int) -> None:
    """Score one row into row ``i`` of ``out`` (an error row if the answers do not fit)."""
    try:
        answers = answers_from_data(row_to_data(row, as_of=plan.as_of))
        result = score(plan.framework, answers)
    except AnswerError as exc:
        out.fail(i, row_error(exc.problems))
        return
    out.put_result(i, plan, result)


def score_rows(plan: Plan, rows: list[dict[str, Any]], out: Outcome,
               which: Iterable[int] | None = None) -> None:
    """Score ``rows`` (all, or the positions in ``which``) one by one into ``out``."""
    for i in range(len(rows)) if which is None else which:
        score_row(plan, rows[i], out, i)
