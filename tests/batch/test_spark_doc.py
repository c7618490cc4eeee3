"""The Spark recipe in docs/batch.md, run as written on a real local Spark: its results are the
local run's, row for row and type for type.

Spark is not a dependency of smesdk; the ``spark`` extra (installed by tox.ini) brings pyspark,
and Spark needs Java. Elsewhere the test skips without them; CI installs a JRE (.ci/run) and sets
SMESDK_REQUIRE_SPARK, so there a missing pyspark or Java fails instead of skipping.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")

_MISSING = [what for what, absent in (("pyspark", importlib.util.find_spec("pyspark") is None),
                                      ("Java", shutil.which("java") is None)) if absent]
if _MISSING and os.environ.get("SMESDK_REQUIRE_SPARK"):
    raise RuntimeError(f"SMESDK_REQUIRE_SPARK is set but {' and '.join(_MISSING)} is missing")
if _MISSING:
    pytest.skip(f"the Spark recipe needs {' and '.join(_MISSING)}", allow_module_level=True)

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
    local = pq.read_table(tmp_path / "local.parquet").select(spark_results.schema.names)
    # Same column types (Spark marks every column nullable), then the same values throughout.
    assert [f.type for f in spark_results.schema] == [f.type for f in local.schema]
    assert spark_results.num_rows == local.num_rows == 27  # rows 0..39 but every third fails
    assert spark_results.cast(local.schema).equals(local)
    errors = pq.read_table(tmp_path / "errors").sort_by("row")
    assert errors.column("row").to_pylist() == [i for i in range(40) if i % 3 == 2]
