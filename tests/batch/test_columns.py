"""The columnar input format: row -> answer-file dict, column checks, input schema."""

import datetime as dt

import pyarrow as pa
import pytest

import smesdk
from smesdk.batch.columns import (
    check_columns,
    column_of,
    column_problems,
    input_schema,
    row_error,
    row_to_data,
    split_multi,
)
from smesdk.errors import AnswerError, Problem


@pytest.fixture(scope="module")
def fw() -> smesdk.Framework:
    return smesdk.load_framework("example")


def test_row_to_data_builds_an_answer_file_dict() -> None:
    row = {"__row__": 7, "enterprise_id": "E1", "size": "small", "industry": None,
           "date": dt.date(2025, 6, 30), "strategy.plan": "fully", "hr.training_hours": None,
           "na:hr.training_hours": None, "fact:cert.iso9001.valid": True, "fact:unused": None}
    assert row_to_data(row) == {
        "enterprise": {"name": "E1", "size": "small"},
        "date": "2025-06-30",
        "answers": {"strategy.plan": "fully"},
        "facts": {"cert.iso9001.valid": True},
    }


def test_row_to_data_na_name_and_as_of() -> None:
    row = {"enterprise_id": "E2", "name": "测试公司", "date": None, "hr.training_hours": None,
           "na:hr.training_hours": "no training this year"}
    data = row_to_data(row, as_of=dt.date(2026, 1, 1))
    assert data["enterprise"] == {"name": "测试公司"}
    assert data["date"] == "2026-01-01"
    assert data["answers"] == {"hr.training_hours": {"na": True, "reason": "no training this year"}}


def test_row_to_data_without_date_leaves_it_to_the_answer_check() -> None:
    assert "date" not in row_to_data({"enterprise_id": "E3"})


def test_row_to_data_rejects_value_and_na_together_and_a_missing_id() -> None:
    with pytest.raises(AnswerError) as err:
        row_to_data({"enterprise_id": None, "hr.training_hours": 3, "na:hr.training_hours": "x"})
    assert [str(p) for p in err.value.problems] == [
        "enterprise_id: an enterprise id is required",
        "na:hr.training_hours: an N/A answer has no value, but hr.training_hours has one",
    ]


def test_problem_paths_map_to_columns() -> None:
    assert column_of("answers.strategy.plan") == "strategy.plan"
    assert column_of("answers.hr.training_hours", "N/A needs a reason") == "na:hr.training_hours"
    assert column_of("facts.cert.iso9001.valid") == "fact:cert.iso9001.valid"
    assert column_of("enterprise.size") == "size"
    assert column_of("date") == "date"
    assert row_error([Problem("answers.a.b", "bad"), Problem("", "whole row")]) == "a.b: bad; whole row"


def test_unknown_columns_are_reported_once_with_a_hint(fw: smesdk.Framework) -> None:
    names = ["enterprise_id", "strategy.plan", "strategy.plam", "na:nope.x", "fact:anything",
             "strategy.plan"]
    assert [str(p) for p in column_problems(fw, names)] == [
        "strategy.plam: no indicator 'strategy.plam' in framework 'example' "
        "(did you mean 'strategy.plan'?)",
        "na:nope.x: no indicator 'nope.x' in framework 'example'",
        "strategy.plan: column appears twice",
    ]
    with pytest.raises(AnswerError, match="no enterprise_id column"):
        check_columns(fw, ["strategy.plan"])
    check_columns(fw, ["enterprise_id", "__row__", "date", "size", "hr.insurance"])


def test_input_schema_types_follow_the_kinds(fw: smesdk.Framework) -> None:
    schema = input_schema(fw)
    assert schema.field("enterprise_id").type == pa.string()
    assert schema.field("date").type == pa.date32()
    assert schema.field("strategy.mission").type == pa.int64()  # scale
    assert schema.field("strategy.plan").type == pa.string()  # choice
    assert schema.field("operations.systems").type == pa.list_(pa.string())  # multi
    assert schema.field("hr.insurance").type == pa.bool_()  # yesno
    assert schema.field("operations.monitoring").type == pa.float64()  # percent
    assert schema.field("operations.qms_audit").type == pa.date32()
    assert schema.field("na:hr.training_hours").type == pa.string()  # the one N/A-able indicator
    assert "na:strategy.plan" not in schema.names
    assert schema.field("fact:hr.social_insurance_paid").type == pa.bool_()
    check_columns(fw, schema.names)


def test_multi_text_cells_are_split(fw: smesdk.Framework) -> None:
    batch = pa.RecordBatch.from_pydict({"enterprise_id": ["a", "b", "c"],
                                        "operations.systems": ["erp|mes", "", None]})
    out = split_multi(fw, batch)
    assert out.column(1).to_pylist() == [["erp", "mes"], [], None]


def test_importing_smesdk_does_not_import_the_batch_dependencies() -> None:
    import subprocess
    import sys

    code = ("import sys, smesdk, smesdk.cli; "
            "print(sorted(m for m in ('pyarrow', 'numpy', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
