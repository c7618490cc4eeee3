"""Parquet files with many small row groups read the same as one large group.

Text columns are read as dictionary codes; pyarrow cannot do that for the elements of a
list column (multi-selects) once a batch spans row groups, so those stay plain lists. This
checks the reader on a framework with multi-selects, with batches larger than a row group.
"""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import smesdk  # noqa: E402
from smesdk.batch import compile_plan, score_batch  # noqa: E402
from smesdk.batch.readers import ParquetSource  # noqa: E402
from smesdk.batch.synthetic import synthetic_batch  # noqa: E402


def test_small_row_groups_with_multi_selects_score_like_one_group(tmp_path):
    fw = smesdk.load_framework("digital")  # it has multi-select indicators
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
    table = pa.Table.from_batches([synthetic_batch(plan, 3000, seed=5)])
    assert any(pa.types.is_list(f.type) for f in table.schema)
    pq.write_table(table, tmp_path / "small.parquet", row_group_size=250)
    pq.write_table(table, tmp_path / "one.parquet")
    outputs = []
    for name in ("small.parquet", "one.parquet"):
        source = ParquetSource(tmp_path / name)
        scored = [score_batch(plan, b) for b in source.batches(1000)]  # spans 4 row groups
        rows = pa.Table.from_batches(scored).drop_columns(["row"]).to_pylist()
        outputs.append(rows)  # ("row" numbers each batch from 0 here: no reader adds it)
    assert len(outputs[0]) == 3000
    assert outputs[0] == outputs[1]
