"""`smesdk questionnaire`, and `assess`/`validate` reading a filled-in .xlsx form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smesdk import load_framework
from smesdk.testing.cli import invoke

ROOT = Path(__file__).parents[2]
ANSWERS = "examples/answers/example-small-firm.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


run = invoke


def test_write_fill_assess_matches_the_yaml(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    code, out = run("questionnaire", "example", "--lang", "zh", "-o", str(form), "--prefill", ANSWERS)
    assert code == 0 and out.startswith(f"wrote {form}: example 1.0.0, 9 questions")
    code, from_form = run("assess", "example", str(form), "--json")
    assert code == 0
    code, from_yaml = run("assess", "example", ANSWERS, "--json")
    assert code == 0
    # the yaml also names the framework in `framework:`; both are scored the same: 72.5 by hand
    assert json.loads(from_form)["total"] == json.loads(from_yaml)["total"] == 72.5
    def outcome(out: str) -> list[tuple[str, str, float]]:
        return [(i["id"], i["status"], i["points"]) for i in json.loads(out)["indicators"]]
    assert outcome(from_form) == outcome(from_yaml)
    code, out = run("validate", str(form))
    assert code == 0 and out.startswith("ok: 8 answers for 示例精密机械有限公司 fit example 1.0.0")


def test_profile_is_taken_from_the_form(tmp_path: Path) -> None:
    form = tmp_path / "quick.xlsx"
    assert run("questionnaire", "example", "-p", "quick", "--lang", "en", "-o", str(form))[0] == 0
    wb = load_workbook(form)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == [
        "Instructions", "Strategic management", "Human resources", "Production and digitalisation"]
    code, out = run("assess", "example", str(form))
    assert code == 1 and "no answers filled in" in out and "Traceback" not in out


def test_bad_form_exits_1_with_cell_addresses(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    run("questionnaire", "example", "--lang", "zh", "-o", str(form), "--prefill", ANSWERS)
    wb = load_workbook(form)
    wb["人力资源"]["D3"] = "大概"
    wb["人力资源"]["D4"] = "=1/0"
    wb.save(form)
    code, out = run("assess", "example", str(form), "--lang", "en")
    assert code == 1
    assert f'人力资源!D3: "大概" is not one of 是/否 @ {form}' in out
    assert "人力资源!D4: the cell holds the formula =1/0" in out
    code, out = run("assess", "management", str(form))
    assert code == 1 and "written for example 1.0.0, not management" in out


def test_a_form_with_a_profile_read_for_another_framework_names_its_framework(tmp_path: Path) -> None:
    """A zjtx form is for its profile national, which management does not have: the reader
    was told "framework 'management' has no profile 'national'" instead of whose form it is."""
    form = tmp_path / "zjtx.xlsx"
    code, _ = run("questionnaire", "zjtx", "--lang", "en", "-o", str(form),
                  "--prefill", "plugins/tiered/examples/zjtx-01-score-route.yaml")
    assert code == 0
    code, out = run("assess", "management", str(form), "--lang", "en")
    versions = {fid: load_framework(fid).version for fid in ("zjtx", "management")}
    assert code == 1 and (f"this form was written for zjtx {versions['zjtx']} [national], not "
                          f"management {versions['management']}") in out
    assert "no profile" not in out and "Traceback" not in out


def test_what_a_prefilled_form_cannot_hold_is_named(tmp_path: Path) -> None:
    """The example firm's answers carry an evidence date (hr.insurance) and an evidence issuer
    (the fact cert.iso9001.valid, which 生产与数字化 asks): the form has no cells for either,
    and pre-filling dropped them without a word."""
    form = tmp_path / "form.xlsx"
    code, out = run("questionnaire", "example", "--lang", "zh", "-o", str(form), "--prefill", ANSWERS)
    assert code == 0
    assert ("note: the form has no cells for answers.hr.insurance.evidence.date, "
            "facts.cert.iso9001.valid.evidence.issuer; they are not in the form") in out


def test_output_must_be_xlsx(tmp_path: Path) -> None:
    code, out = run("questionnaire", "example", "-o", str(tmp_path / "form.csv"))
    assert code == 2 and "xlsx" in out
