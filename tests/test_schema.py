"""The checked-in JSON Schemas match the code, and real documents validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import smesdk
from smesdk.convert import read_file
from smesdk.schema import SCHEMAS, render

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_checked_in_schema_is_current(name: str) -> None:
    path = ROOT / "specs" / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == render(name), \
        f"{path} is stale: run `python -m smesdk.schema specs`"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "specs" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_answer_file_validates() -> None:
    data, _ = read_file(ROOT / "examples/answers/example-small-firm.yaml")
    data = json.loads(json.dumps(data, default=str))  # YAML dates -> JSON strings
    assert list(_validator("answers").iter_errors(data)) == []


def test_result_validates_and_schema_rejects_junk() -> None:
    fw = smesdk.load_framework("example")
    result = fw.assess(smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml"))
    data = json.loads(result.to_json())
    validator = _validator("result")
    assert list(validator.iter_errors(data)) == []
    data["total"] = "a lot"
    data["colour"] = "red"
    assert len(list(validator.iter_errors(data))) == 2
