"""Part files of a run's work folder keep the run's constant columns once, not per row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

import smesdk
from smesdk.batch import compile_plan
from smesdk.batch.engines import result_schema, score_chunk
from smesdk.batch.output import provenance
from smesdk.batch.readers import Chunk
from smesdk.batch.synthetic import synthetic_batch
from smesdk.batch.writers import AtomicWriter, PartWriter, read_parts


def _results(profile: str | None) -> tuple[object, pa.RecordBatch]:
    fw = smesdk.load_framework("management", profile)
    plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
    good, _ = score_chunk(plan, Chunk(0, 0, synthetic_batch(plan, 500, seed=4)))
    return plan, good


@pytest.mark.parametrize("profile", [None, "quick"])
def test_a_part_reads_back_equal_and_is_smaller(tmp_path: Path, profile: str | None) -> None:
    plan, good = _results(profile)
    constants = provenance(plan)
    assert good.num_rows and set(constants) <= set(good.schema.names)
    with PartWriter(tmp_path / "part.arrow", result_schema(plan), constants) as w:
        w.write(good)
    with AtomicWriter(tmp_path / "plain.arrow", result_schema(plan), "arrow") as w:
        w.write(good)
    back = list(read_parts([tmp_path / "part.arrow"]))
    assert pa.Table.from_batches(back).equals(pa.Table.from_batches([good]))
    assert back[0].schema.equals(result_schema(plan))  # metadata-free, as the results are
    # the constants are not stored per row: the content hash alone is 71 bytes a row
    saved = (tmp_path / "plain.arrow").stat().st_size - (tmp_path / "part.arrow").stat().st_size
    assert saved > 71 * good.num_rows


def test_a_batch_without_the_runs_constant_is_refused(tmp_path: Path) -> None:
    plan, good = _results(None)
    at = good.schema.names.index("content_hash")
    other = good.set_column(at, "content_hash",
                            pa.array(["sha256:x"] + [None] * (good.num_rows - 1), pa.string()))
    writer = PartWriter(tmp_path / "part.arrow", result_schema(plan), provenance(plan))
    with pytest.raises(ValueError, match="content_hash"):
        writer.write(other)
    writer.abort()
    assert not (tmp_path / "part.arrow").exists()
