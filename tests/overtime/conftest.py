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


def _spec_file(factory: pytest.TempPathFactory, name: str, data: dict[str, Any]) -> Path:
    path = factory.mktemp(name) / f"example-{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def v2_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _spec_file(tmp_path_factory, "v2", v2_data())


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


def v2m_data() -> dict[str, Any]:
    """v2 plus changes that answers must be migrated across (declared in `migrations`):

    * operations.monitoring is renamed operations.realtime;
    * hr.training_hours is asked in days (title, unit and bands [0,1) 0, [1,3) 1, >=3 2):
      answers are rescaled by 1/8;
    * strategy.plan's options become no (0) / yes (2): fully -> yes, partly cannot be carried;
    * operations.systems' option crm becomes crm_scm (1 point, as before);
    * operations.notes is removed (its answers dropped, with the reason);
    * strategy.mission is reworded, and the advanced level starts at 75 instead of 70.
    """
    data = v2_data()
    dims = {d["id"]: d for d in data["dimensions"]}
    strategy = {i["id"]: i for i in dims["strategy"]["indicators"]}
    strategy["mission"]["title"] = {"zh": "使命愿景价值观", "en": "Mission, vision and values"}
    strategy["plan"]["options"] = [
        {"value": "no", "label": {"zh": "否", "en": "no"}, "points": 0},
        {"value": "yes", "label": {"zh": "是", "en": "yes"}, "points": 2}]
    training = next(i for i in dims["hr"]["indicators"] if i["id"] == "training_hours")
    training["title"] = {"zh": "人均培训天数", "en": "Training days per head"}
    training["unit"] = {"zh": "天", "en": "days"}
    training["bands"] = [{"ge": 0, "lt": 1, "points": 0}, {"ge": 1, "lt": 3, "points": 1},
                         {"ge": 3, "points": 2}]
    ops = dims["operations"]["indicators"]
    for ind in ops:
        if ind["id"] == "monitoring":
            ind["id"] = "realtime"
        if ind["id"] == "systems":
            ind["options"][3] = {"value": "crm_scm", "label": {"zh": "CRM/SCM", "en": "CRM/SCM"},
                                 "points": 1}
    dims["operations"]["indicators"] = [i for i in ops if i["id"] != "notes"]
    levels = {lv["id"]: lv for lv in data["levels"]}
    levels["standard"]["max"] = 75
    levels["advanced"]["min"] = 75
    levels["advanced"]["gate"]["all"][1]["any"][1]["indicator"]["id"] = "operations.realtime"
    for profile in data.get("profiles", []):  # keep the profiles valid under the new ids
        if profile.get("select"):
            profile["select"] = [{"operations.monitoring": "operations.realtime"}.get(i, i)
                                 for i in profile["select"] if i != "operations.notes"]
    data["migrations"] = [{
        "from_version": "1.0.0",
        "note": {"zh": "培训改按天计；目标分解改为是/否", "en": "training in days; plan is yes/no"},
        "renamed": {"operations.monitoring": "operations.realtime"},
        "values": {"strategy.plan": {"partly": None, "fully": "yes"},
                   "operations.systems": {"crm": "crm_scm"}},
        "rescaled": {"hr.training_hours": {"factor": "0.125"}},
        "dropped": {"operations.notes": {"zh": "说明栏已取消", "en": "the notes field was removed"}},
    }]
    return data


@pytest.fixture(scope="session")
def v2m_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _spec_file(tmp_path_factory, "v2m", v2m_data())


@pytest.fixture(scope="session")
def v2m(v2m_file: Path) -> Framework:
    return smesdk.load_framework(v2m_file)
