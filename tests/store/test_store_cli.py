"""smesdk record / history / export / import, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

from smesdk.testing.cli import invoke

from .conftest import ANSWERS


def test_record_history_export_import(db_url: str, tmp_path: Path) -> None:
    code, out = invoke("record", "example", str(ANSWERS), "--store", db_url, "--lang", "en")
    assert code == 0, out
    # the example's hand-computed result (see the answer file): 72.5, level "standard"
    assert "示例精密机械有限公司" in out and "Total 72.50" in out and "Standardised" in out
    code, out = invoke("record", "example", str(ANSWERS), "--store", db_url, "--json")
    uid = json.loads(out)["uid"]

    code, out = invoke("history", "示例精密机械有限公司", "--store", db_url, "--lang", "zh")
    assert code == 0, out
    assert out.count("规范级") == 2 and uid[:12] in out
    code, out = invoke("history", "示例精密机械有限公司", "--store", db_url, "--json")
    assert [e["uid"] for e in json.loads(out)][1] == uid

    dump = tmp_path / "dump.jsonl"
    assert invoke("export", "--store", db_url, "-o", str(dump))[0] == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    code, out = invoke("import", str(dump), "--store", other)
    assert (code, out.strip()) == (0, "imported 2 assessments (0 already in the store)")
    assert invoke("export", "--store", other)[1] == dump.read_text(encoding="utf-8")


def test_history_of_an_unknown_enterprise_is_an_error(db_url: str) -> None:
    code, out = invoke("history", "无此企业", "--store", db_url)
    assert code == 1
    assert "no assessment of '无此企业'" in out


def test_a_bad_store_is_named(tmp_path: Path) -> None:
    code, out = invoke("history", "x", "--store", str(tmp_path / "missing" / "s.sqlite"))
    assert code == 1 and "does not exist" in out
    code, out = invoke("history", "x", "--store", "mysql://u@h/db")
    assert code == 1 and "'mysql' is not supported" in out


def test_record_and_history_speak_chinese_and_name_the_profile(db_url: str) -> None:
    management = "plugins/management/examples/zjtx_midsize.yaml"
    code, out = invoke("record", "management", management, "--store", db_url, "--lang", "zh")
    # the firm's hand-checked total is 78.625 (test_management_scoring): 78.63 to two places
    assert code == 0 and out.startswith("已保存 ") and "总分 78.63" in out, out
    assert "recorded" not in out and "total" not in out
    code, out = invoke("history", "某精密零部件股份有限公司", "--store", db_url, "--lang", "zh")
    assert code == 0, out
    # the answers' profile zjtx, by its name in the framework
    assert "(专精特新中小企业)" in out and "(zjtx)" not in out and "总分 78.63" in out
