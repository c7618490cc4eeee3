"""Parquet files with many small row groups read the same as one large group.

Text columns are read as dictionary codes, list elements (multi-selects) too; pyarrow can do
that for list elements only inside one row group, so the reader reads a row group at a time
and chunks join row groups whose dictionaries differ. This checks the reader on a framework
with multi-selects, with chunks larger than a row group, and its way out when pyarrow cannot
hand a row group over as codes.
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


def _digital_rows(tmp_path, n=3000):
    fw = smesdk.load_framework("digital")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
    table = pa.Table.from_batches([synthetic_batch(plan, n, seed=5)])
    multi = [f.name for f in table.schema if pa.types.is_list(f.type)]
    assert multi
    return plan, table, multi


def _scored(plan, chunks):
    scored = [score_batch(plan, c.batch) for c in chunks]
    return pa.Table.from_batches(scored).to_pylist()


def test_multi_select_elements_come_as_codes_and_chunks_join_row_groups(tmp_path):
    plan, table, multi = _digital_rows(tmp_path)
    pq.write_table(table, tmp_path / "small.parquet", row_group_size=700)  # 5 groups, odd
    pq.write_table(table, tmp_path / "one.parquet")
    small = ParquetSource(tmp_path / "small.parquet")
    chunks = list(small.chunks(1000))  # each chunk joins parts of two row groups
    assert [c.batch.num_rows for c in chunks] == [1000, 1000, 1000]
    for name in multi:
        t = chunks[0].batch.schema.field(name).type
        assert pa.types.is_dictionary(t.value_type), t  # codes, not strings
    assert _scored(plan, chunks) == _scored(plan, ParquetSource(tmp_path / "one.parquet"
                                                                ).chunks(1000))


def test_a_row_group_pyarrow_cannot_hand_over_as_codes_is_read_as_text(tmp_path, monkeypatch):
    # pyarrow refuses nested codes in some layouts ("Nested data conversions not
    # implemented"); the reader then reads that row group as text from where it stopped:
    # no row lost, none twice, the same results.
    plan, table, _ = _digital_rows(tmp_path)
    path = tmp_path / "in.parquet"
    pq.write_table(table, path, row_group_size=1000)
    want = _scored(plan, ParquetSource(path).chunks(400))
    real_open = ParquetSource.open

    class Refusing:
        """The coded file, refusing after the first batch of row group 1."""

        def __init__(self, pf):
            self.pf = pf
            self.num_row_groups = pf.num_row_groups
            self.schema_arrow = pf.schema_arrow

        def iter_batches(self, **kw):
            for k, batch in enumerate(self.pf.iter_batches(**kw)):
                if kw["row_groups"] == [1] and k == 1:
                    raise pa.ArrowNotImplementedError("Nested data conversions not implemented")
                yield batch

    def opened(self, file, nested=True):
        pf = real_open(self, file, nested)
        return Refusing(pf) if nested else pf

    monkeypatch.setattr(ParquetSource, "open", opened)
    chunks = list(ParquetSource(path).chunks(400))
    assert sum(c.batch.num_rows for c in chunks) == 3000
    assert _scored(plan, chunks) == want


@pytest.mark.parametrize("name", ["nulls inside", "large_string", "large_list", "list<int>",
                                  "all null"])
def test_odd_multi_select_columns_from_parquet_score_as_per_record(tmp_path, name):
    # Element nulls, repeats and unknown options, large offsets and strings, a wrong element
    # type and a column of nulls, over row groups smaller than a chunk: every row as per
    # record scores it.
    from tests.batch.test_equality import expected

    fw = smesdk.load_framework("digital")
    plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
    base = synthetic_batch(plan, 6, seed=2)
    multi = next(f.name for f in base.schema if pa.types.is_list(f.type))
    a, b, c = (o.value for o in fw.indicator(multi).options[:3])
    column = {
        "nulls inside": pa.array([[a, None], None, [], [b], [b, b], ["bogus"]],
                                 pa.list_(pa.string())),
        "large_string": pa.array([[a], None, [], [b], [c], ["bogus"]],
                                 pa.list_(pa.large_string())),
        "large_list": pa.array([[a], None, [], [b], [c], ["bogus"]], pa.large_list(pa.string())),
        "list<int>": pa.array([[1], None, [], [2], [3], [4]], pa.list_(pa.int64())),
        "all null": pa.nulls(6, pa.list_(pa.string())),
    }[name]
    table = pa.Table.from_batches([base.set_column(base.schema.names.index(multi), multi,
                                                   column)])
    path = tmp_path / "in.parquet"
    pq.write_table(table, path, row_group_size=4)
    got = [(r["ok"], r["total"]) for chunk in ParquetSource(path).chunks(5)
           for r in score_batch(plan, chunk.batch).to_pylist()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = [(e["ok"], e.get("total"))
                for e in (expected(fw, row) for row in table.to_pylist())]
    assert got == want
    assert not all(ok for ok, _ in want) or name == "all null"  # bad cells are error rows
