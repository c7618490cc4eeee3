"""A synthetic second version of the example framework, for changes across versions.

v2 differs from v1 (examples/plugins/smesdk-example/.../example.yaml) in two ways:
  * strategy's weight drops from 2 to 1 (re-weighted);
  * hr gains a required yes/no indicator hr.contracts (1 point), so hr becomes the mean of
    three indicator scores instead of two (added).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import smesdk
from smesdk.framework import Framework

ROOT = Path(__file__).parents[2]
EXAMPLE_SPEC = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
ANSWERS = ROOT / "examples" / "answers" / "example-small-firm.yaml"


def v2_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["version"] = "2.0.0"
    dims = {d["id"]: d for d in data["dimensions"]}
    dims["strategy"]["weight"] = 1
    dims["hr"]["indicators"].append({
        "id": "contracts", "title": {"zh": "劳动合同", "en": "Labour contracts"},
        "question": {"zh": "是否与全部员工签订劳动合同？", "en": "Do all staff have written contracts?"},
        "kind": "yesno", "source": {"doc": "000", "clause": "三（四）"}, "status": "derived"})
    return data


@pytest.fixture(scope="session")
def v1() -> Framework:
    return smesdk.load_framework(EXAMPLE_SPEC)


@pytest.fixture(scope="session")
def v2_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("v2") / "example-v2.yaml"
    path.write_text(yaml.safe_dump(v2_data(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def v2(v2_file: Path) -> Framework:
    return smesdk.load_framework(v2_file)


@pytest.fixture(scope="session")
def t0() -> smesdk.AnswerSet:
    return smesdk.load_answers(ANSWERS)


def answers(**changes: Any) -> smesdk.AnswerSet:
    """The example answer set a year later (audit and certificate renewed), some answers changed."""
    data: dict[str, Any] = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    data["date"] = "2027-11-01"
    data["answers"]["operations.qms_audit"] = "2027-03-01"
    data["facts"]["cert.iso9001.valid"]["evidence"]["expires"] = "2028-05-01"  # renewed
    data["answers"].update(changes)
    return smesdk.answers_from_data(data)
