"""score_batch's output: one row per input row, exact decimals, error rows, provenance."""

import datetime as dt
import pickle
from decimal import Decimal

import pyarrow as pa
import pytest

import smesdk
from smesdk.batch import compile_plan, score_batch
from smesdk.errors import AnswerError

GOOD = {"enterprise_id": "e1", "size": "small", "strategy.mission": 3, "strategy.plan": "fully",
        "hr.insurance": True, "hr.training_hours": 10.0, "operations.monitoring": 60.0,
        "operations.systems": "erp|mes", "operations.qms": "yes", "na:hr.training_hours": None}


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return compile_plan(smesdk.load_framework("example"), as_of=dt.date(2025, 12, 31))


def test_a_good_row_scores_as_worked_out_by_hand(plan) -> None:  # type: ignore[no-untyped-def]
    out = score_batch(plan, pa.RecordBatch.from_pylist([GOOD])).to_pylist()[0]
    # strategy: mission 3 of 4, plan 2 of 2 -> mean (0.75 + 1) / 2 = 87.5
    # hr: insurance 1 of 1, 10 h in [8, 24) -> 1 of 2 -> mean 75
    # operations (sum of points): monitoring 60 % -> 4 of 4, systems erp+mes = 4 (cap 4),
    #   qms_audit unanswered (its prerequisite qms = yes holds) -> 0 of 2: 8 / 10 = 80
    # total: weights 2/1/1 -> (2 * 87.5 + 75 + 80) / 4 = 82.5; >= 70 and strategy >= 75 and
    #   monitoring points >= 4 -> advanced (rank 3, the top level: no blockers)
    assert out["ok"] is True and out["error"] is None
    assert out["total"] == Decimal("82.5000")
    assert (out["dim:strategy"], out["dim:hr"], out["dim:operations"]) == (
        Decimal("87.5"), Decimal("75"), Decimal("80"))
    assert (out["level"], out["level_rank"], out["blockers"]) == ("advanced", 3, 0)
    assert out["framework"] == "example" and out["framework_version"] == "1.0.0"
    assert out["profile"] is None and out["content_hash"].startswith("sha256:")


def test_bad_cells_make_an_error_row_with_every_problem(plan) -> None:  # type: ignore[no-untyped-def]
    bad = dict(GOOD, enterprise_id="e2", **{"strategy.plan": "x", "operations.qms": "maybe"})
    rows = [GOOD, bad, dict(GOOD, enterprise_id="e3", size=None)]
    batch = pa.RecordBatch.from_pylist(rows).append_column("__row__", pa.array([10, 11, 12]))
    out = score_batch(plan, batch)
    assert out.column("row").to_pylist() == [10, 11, 12]
    assert out.column("ok").to_pylist() == [True, False, False]
    errors = out.column("error").to_pylist()
    assert errors[1] == ("strategy.plan: 'x' is not one of no/partly/fully; "
                         "operations.qms: expected yes or no (是/否), got 'maybe'")
    assert errors[2] == "size: required field missing"
    for name in ("total", "level", "level_rank", "blockers", "dim:hr"):
        assert out.column(name).to_pylist()[1:] == [None, None]


def test_a_low_total_with_a_red_line_and_its_blockers(plan) -> None:  # type: ignore[no-untyped-def]
    row = dict(GOOD, **{"strategy.mission": 0, "strategy.plan": "no", "hr.insurance": False,
                        "hr.training_hours": 0, "operations.monitoring": 0,
                        "operations.systems": "none", "operations.qms": "no"})
    out = score_batch(plan, pa.RecordBatch.from_pylist([row])).to_pylist()[0]
    # every answer scores 0; qms = no leaves qms_audit's prerequisite unmet (0 points): total 0,
    # band "basic" [0, 40) (rank 1); insurance = no trips the red line capping at basic.
    # Next level "standard" is blocked by 40 missing points and by that red line: 2 blockers.
    assert out["total"] == Decimal(0)
    assert (out["level"], out["level_rank"], out["blockers"]) == ("basic", 1, 2)


def test_unknown_columns_stop_the_batch_before_scoring(plan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswerError, match=r"strategy\.plam"):
        score_batch(plan, pa.RecordBatch.from_pylist([dict(GOOD, **{"strategy.plam": "x"})]))


def test_no_date_anywhere_is_an_error_row() -> None:
    plan = compile_plan(smesdk.load_framework("example"))
    out = score_batch(plan, pa.RecordBatch.from_pylist([GOOD]))
    assert out.column("error").to_pylist() == ["date: required field missing"]


def test_plan_pickles_and_scores_the_same(plan) -> None:  # type: ignore[no-untyped-def]
    batch = pa.RecordBatch.from_pylist([GOOD, dict(GOOD, **{"strategy.plan": "partly"})])
    again = pickle.loads(pickle.dumps(plan))
    assert again.framework.content_hash == plan.framework.content_hash
    assert score_batch(again, batch).equals(score_batch(plan, batch))


def test_empty_batch_has_the_output_schema(plan) -> None:  # type: ignore[no-untyped-def]
    empty = pa.RecordBatch.from_pylist([GOOD]).slice(0, 0)
    out = score_batch(plan, empty)
    assert out.num_rows == 0 and out.schema == plan.output_schema


def test_no_level_reached_is_rank_zero() -> None:
    # hooktest's first_level_only rule: "passed" needs a total >= 50. One star each scores
    # 0 of 4 points: total 0, no level, rank 0 (not null: the row did score).
    plan = compile_plan(smesdk.load_framework("hooktest"), as_of=dt.date(2025, 1, 1))
    out = score_batch(plan, pa.RecordBatch.from_pylist(
        [{"enterprise_id": "h", "size": "micro", "quality.a": "*", "quality.b": "*"}])).to_pylist()[0]
    assert (out["ok"], out["total"], out["level"], out["level_rank"], out["blockers"]) == (
        True, Decimal(0), None, 0, 0)
