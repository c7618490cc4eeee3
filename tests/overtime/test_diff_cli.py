"""smesdk diff: result files, stored ids (with the practice/model split), an enterprise's run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from smesdk.testing.cli import invoke

from .conftest import ANSWERS, EXAMPLE_SPEC

pytest.importorskip("sqlalchemy", reason="stored ids need smesdk[store]")


def _t1(tmp_path: Path) -> Path:
    """T1 answers for v2: T0's plus contracts yes and 30 training hours, a year later."""
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    data["date"] = "2027-11-01"
    data["answers"].update({"operations.qms_audit": "2027-03-01", "hr.contracts": True,
                            "strategy.mission": 4, "strategy.plan": "fully",
                            "hr.training_hours": 30})
    data["facts"]["cert.iso9001.valid"]["evidence"]["expires"] = "2028-05-01"
    path = tmp_path / "t1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_diff_of_result_files(tmp_path: Path) -> None:
    code, out = invoke("assess", "example", str(ANSWERS), "--json")
    (tmp_path / "r0.json").write_text(out, encoding="utf-8")
    code, out = invoke("diff", str(tmp_path / "r0.json"), str(tmp_path / "r0.json"), "--lang", "en")
    assert code == 0, out
    # the same result twice: nothing moved
    assert "total: 72.5000 → 72.5000  unchanged; points +0.0000" in out
    assert "indicators that changed (0/9)" in out


def test_diff_of_stored_assessments_across_versions(tmp_path: Path, v2_file: Path) -> None:
    store = str(tmp_path / "s.sqlite")
    code, out = invoke("record", str(EXAMPLE_SPEC), str(ANSWERS), "--store", store, "--json")
    assert code == 0, out
    first = json.loads(out)["uid"]
    code, out = invoke("record", str(v2_file), str(_t1(tmp_path)), "--store", store, "--json")
    second = json.loads(out)["uid"]
    code, out = invoke("diff", first, second, "--store", store, "--json")
    assert code == 0, out
    data = json.loads(out)
    # hand-computed in test_compare.py: 72.5 -> 96.6667; model -5, practice +29.1667
    assert (data["total"]["model"], data["total"]["practice"]) == (-5, 29.1667)
    code, out = invoke("diff", "-e", "示例精密机械有限公司", "-f", "example", "--store", store,
                       "--lang", "en")
    assert code == 0, out
    flat = " ".join(out.split())  # a line this long wraps within 80 columns
    assert ("total: 72.5000 → 96.6667 improved; points +24.1667 (practice +29.1667, "
            "model -5.0000)") in flat
    assert "! Labour contracts: assumed worst" in out


def test_diff_usage_errors(tmp_path: Path) -> None:
    assert invoke("diff")[0] == 2
    assert invoke("diff", str(ANSWERS), "abcdef123")[0] == 2
    code, out = invoke("diff", "-e", "无此企业", "-f", "example", "--store", str(tmp_path / "s.db"))
    assert code == 1 and "fewer than two assessments" in out


def test_a_result_file_over_the_limit_is_refused_unread(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    # the module, not the command smesdk.cli exports under the same name
    module = importlib.import_module("smesdk.cli.diff")
    monkeypatch.setattr(module, "RESULT_BYTES", 100)  # a 100-byte limit, as for a huge file
    big = tmp_path / "big.json"
    big.write_text(" " * 101, encoding="utf-8")
    code, out = invoke("diff", str(big), str(big))
    assert code == 1 and "over the 100-byte limit" in out and "Traceback" not in out
