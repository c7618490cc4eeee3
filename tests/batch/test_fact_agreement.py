"""A batch row whose answer and shared fact disagree is an error row, as per record.

Issue 14: an answer column and a ``fact:`` column for the same fact used to let the answer
win silently in CSV/Parquet batches. Rows where the two agree stay on the compiled path.
"""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

pa = pytest.importorskip("pyarrow")

import smesdk  # noqa: E402
from smesdk.batch import compile_plan, score_batch  # noqa: E402
from smesdk.batch.synthetic import synthetic_batch  # noqa: E402

IID, FACT = "quality.t02.cert_qms", "fact:cert.iso9001.valid"


def test_disagreeing_answer_and_fact_make_an_error_row_and_agreeing_ones_do_not() -> None:
    fw = smesdk.load_framework("quality-brand")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
    batch = synthetic_batch(plan, 4, seed=3)
    answers = pa.array([True, True, False, None], pa.bool_())
    facts = pa.array([True, False, False, True], pa.bool_())  # agree, differ, agree, fact only
    cols = dict(zip(batch.schema.names, batch.columns, strict=True))
    cols[IID] = answers
    cols[FACT] = facts
    out = score_batch(plan, pa.RecordBatch.from_pydict(cols)).to_pylist()
    assert [r["ok"] for r in out] == [True, False, True, True]
    assert "fact:cert.iso9001.valid: says false but answers.quality.t02.cert_qms says true" \
        in out[1]["error"].lower()
    assert plan.per_record_rows == 1  # only the row that disagrees left the compiled path
