"""The Spark recipe in docs/batch.md, run as written on a local Spark (skipped without pyspark
and Java: Spark is not a dependency of smesdk; this checks the documented code once)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

from smesdk.batch.runner import run_batch  # noqa: E402

DOC = Path(__file__).parents[2] / "docs" / "batch.md"


def _recipe() -> str:
    section = DOC.read_text(encoding="utf-8").split("## Spark", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_documented_map_in_arrow_recipe_gives_the_local_results(tmp_path, monkeypatch,
                                                                example_fw, rows_factory):
    from pyspark.sql import SparkSession

    rows = [{**r, "__row__": i} for i, r in enumerate(rows_factory(40))]
    (tmp_path / "enterprises").mkdir()
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "enterprises" / "part-0.parquet")
    run_batch(example_fw, tmp_path / "enterprises", tmp_path / "local.parquet")

    monkeypatch.chdir(tmp_path)  # the recipe's relative paths; the JVM starts here too
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # workers need smesdk installed
    spark = (SparkSession.builder.master("local[1]").appName("smesdk-doc")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        code = _recipe().replace('"digital"', '"example"')  # the test's framework
        exec(compile(code, str(DOC), "exec"), {"spark": spark})
    finally:
        spark.stop()

    spark_results = pq.read_table(tmp_path / "results").sort_by("row")
    local = pq.read_table(tmp_path / "local.parquet")
    for name in spark_results.schema.names:
        assert spark_results.column(name).to_pylist() == local.column(name).to_pylist(), name
    errors = pq.read_table(tmp_path / "errors").sort_by("row")
    assert errors.column("row").to_pylist() == [i for i in range(40) if i % 3 == 2]
