"""Fixtures for the batch I/O tests: rows for the ``example`` framework with known results.

Expected figures, worked by hand from examples/plugins/smesdk-example/.../example.yaml
(weighted mean of dimensions, weights strategy 2, hr 1, operations 1; dimension scores 0-100):

- BEST: every indicator at full marks -> strategy 100, hr 100, operations 10/10 points = 100;
  total 100; level ``advanced`` (strategy >= 75 and the ISO 9001 fact holds); no next level.
- MID: mission 2/4 and plan 1/2 -> strategy 50; insurance 1/1 and 10 h in the 8-24 band 1/2
  -> hr (100 + 50) / 2 = 75; monitoring 30 % -> 2, crm -> 1, audit older than 365 days -> 0,
  so operations 3/10 -> 30; total (2*50 + 75 + 30) / 4 = 51.25; level ``standard`` (40-70).
- BAD: plan "maybe" is not an option -> an error row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

DAY = dt.date(2025, 6, 30)
BEST = {"strategy.mission": 4, "strategy.plan": "fully", "hr.insurance": True,
        "hr.training_hours": 30, "operations.monitoring": 80, "operations.systems": ["erp", "mes"],
        "operations.qms": True, "operations.qms_audit": dt.date(2025, 1, 10),
        "operations.notes": "ok"}
MID = {"strategy.mission": 2, "strategy.plan": "partly", "hr.insurance": True,
       "hr.training_hours": 10, "operations.monitoring": 30, "operations.systems": ["crm"],
       "operations.qms": True, "operations.qms_audit": dt.date(2023, 1, 10),
       "operations.notes": None}
BAD = {**MID, "strategy.plan": "maybe"}
PATTERNS = (BEST, MID, BAD)
#: (total, level, strategy, hr, operations) per pattern; None for the error row.
EXPECTED: tuple[tuple[Decimal, str, Decimal, Decimal, Decimal] | None, ...] = (
    (Decimal("100.0000"), "advanced", Decimal(100), Decimal(100), Decimal(100)),
    (Decimal("51.2500"), "standard", Decimal(50), Decimal(75), Decimal(30)),
    None,
)
INDUSTRIES = ("13", "14")  # CNCA categories: the example framework checks the code
SIZES = ("micro", "small", "medium")


def example_rows(n: int, start: int = 0) -> list[dict[str, Any]]:
    """Row i follows PATTERNS[i % 3]; industry and size cycle so cohorts mix patterns."""
    rows = []
    for i in range(start, start + n):
        rows.append({"enterprise_id": f"e{i:06d}", "size": SIZES[(i // 2) % 3],
                     "industry": INDUSTRIES[(i // 3) % 2], "date": DAY, **PATTERNS[i % 3]})
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _parquet(rows: list[dict[str, Any]], path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=1000)


def _csv(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: _text(v) for k, v in row.items()} for row in rows)


def _jsonl(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")


#: How a test writes answer rows in each input format (smesdk.batch.formats.FORMATS): a new
#: input format needs an entry here, or the format tests and the completeness test fail.
INPUT_WRITERS: dict[str, Callable[[list[dict[str, Any]], Path], None]] = {
    "parquet": _parquet, "csv": _csv, "jsonl": _jsonl}


def write_rows(rows: list[dict[str, Any]], path: Path) -> Path:
    """``rows`` in the input format of ``path``'s suffix."""
    from smesdk.batch.formats import by_suffix

    fmt = by_suffix(path)
    assert fmt is not None and fmt.name in INPUT_WRITERS, f"no test writer for {path.suffix}"
    INPUT_WRITERS[fmt.name](rows, path)
    return path


@pytest.fixture(scope="session")
def example_fw() -> Any:
    import smesdk

    return smesdk.load_framework("example")


@pytest.fixture
def rows_factory() -> Callable[..., list[dict[str, Any]]]:
    return example_rows


@pytest.fixture
def write_input() -> Callable[[list[dict[str, Any]], Path], Path]:
    return write_rows


@pytest.fixture
def fail_at_chunk(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """``fail_at_chunk(k)``: the k-th chunk scored from now on raises MemoryError (a run that
    dies part-way); ``fail_at_chunk(0)`` puts the real scorer back."""
    from smesdk.batch import engines

    real = engines.score_batch

    def arm(k: int) -> None:
        if not k:
            monkeypatch.setattr(engines, "score_batch", real)
            return
        calls = []

        def flaky(plan: Any, batch: Any) -> Any:
            calls.append(batch.num_rows)
            if len(calls) == k:
                raise MemoryError(f"simulated failure in chunk {k}")
            return real(plan, batch)

        monkeypatch.setattr(engines, "score_batch", flaky)
    return arm
