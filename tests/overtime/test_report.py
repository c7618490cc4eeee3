"""The report's over-time sections: the change table (T0 → T1, with the practice/model split
after a new framework version) and the plan to a level, in Markdown, HTML, PDF and the CLI.

Figures are those worked out by hand in test_compare.py and test_plan.py (the example
framework; T0 examples/answers/example-small-firm.yaml, total 72.5, level standard).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import smesdk
from smesdk.deltas import compare
from smesdk.framework import Framework
from smesdk.report import ReportError, render_html, render_markdown, render_pdf
from smesdk.testing.cli import invoke

from .conftest import ANSWERS, answers

IMPROVED = {"strategy.mission": 4, "strategy.plan": "fully", "hr.training_hours": 30}


def _rows(md: str, heading: str) -> dict[str, list[str]]:
    """The table under a Markdown heading, by its first cell."""
    part = md[md.index(heading):]
    part = part[:part.index("\n\n", part.index("| ---"))]
    rows = [line.strip("|").split(" | ") for line in part.splitlines() if line.startswith("| ")]
    return {row[0].strip(): [c.strip() for c in row[1:]] for row in rows[1:]}


def test_change_table_under_one_framework(v1: Framework, t0: smesdk.AnswerSet) -> None:
    r0, r1 = v1.assess(t0), v1.assess(answers(**IMPROVED))
    md = render_markdown(r1, v1, lang="en", compare=r0)
    rows = _rows(md, "### Changes since the assessment of 2026-11-01")
    # total 72.5 -> 97.5 (+25); strategy 62.5 -> 100, worth 50 points: +18.75; mission
    # 75 -> 100 % of 25 points: +6.25; level standard -> advanced (its gate now holds).
    # Shown as the rest of the report shows them: the total to 2 places, scores to 1.
    assert rows["Total"] == ["72.50", "97.50", "+25.00", "improved", "derived"]
    assert rows["Level"] == ["Standardised", "Advanced", "—", "improved", "derived"]
    assert rows["Strategic management"] == ["62.5", "100.0", "+18.75", "improved", "derived"]
    assert rows["Mission and vision"] == ["75.0", "100.0", "+6.25", "improved", "derived"]
    assert rows["Production and digitalisation"][2:4] == ["0.00", "unchanged"]
    # names, not ids; one framework: no practice/model columns
    assert "strategy.mission" not in md and "of which practice" not in md
    # three indicators moved (mission, plan, training); the other six are counted
    assert "6 more indicators did not change" in md


def test_change_table_splits_practice_from_model(v1: Framework, v2: Framework,
                                                 t0: smesdk.AnswerSet) -> None:
    a1 = answers(**IMPROVED, **{"hr.contracts": True})
    r0, r1 = v1.assess(t0), v2.assess(a1)
    changes = compare(r0, r1, answers=(t0, a1), frameworks=(v1, v2))
    md = render_markdown(r1, v2, lang="en", compare=r0, changes=changes)
    rows = _rows(md, "### Changes since")
    # test_compare.py: T0' = 67.5, T1 = 96.6667 (shown 96.67): practice +29.1667, model -5
    assert rows["Total"] == ["72.50", "96.67", "+24.17", "improved", "+29.17", "-5.00",
                             "derived"]
    # hr: contributions 18.75 (T0), 16.6667 (T0'), 33.3333 (T1)
    assert rows["Human resources"][4:6] == ["+16.67", "-2.08"]
    # new in v2: 0 at T0', then 11.1111 points at T1, all of it practice
    assert rows["Labour contracts"] == ["—", "100.0", "+11.11", "added", "+11.11", "0.00", "derived"]
    assert "practice = this answer set minus the earlier one" in md
    zh = render_markdown(r1, v2, lang="zh", compare=r0, changes=changes)
    assert "其中实践变化" in zh and "其中模型变化" in zh and "劳动合同" in zh


def test_a_comparison_of_other_results_is_refused(v1: Framework, v2: Framework,
                                                  t0: smesdk.AnswerSet) -> None:
    a1 = answers(**{"hr.contracts": True})
    other = compare(v1.assess(t0), v2.assess(a1))  # its T1 was scored by v2
    with pytest.raises(ReportError, match="T1 is not this result"):
        render_markdown(v1.assess(t0), v1, changes=other)


def test_plan_section(v1: Framework, t0: smesdk.AnswerSet) -> None:
    result = v1.assess(t0)
    md = render_markdown(result, v1, lang="en", plan=result.plan_to())
    # test_plan.py: one change, mission 3 -> 4, +6.25, total 78.75, level advanced
    assert "### Plan to reach Advanced (derived)" in md
    assert "1 change(s), total 72.50 → 78.75; exact: no plan with fewer changes" in md
    rows = _rows(md, "### Steps, in phases")
    assert rows["phase 1: quick wins (one rung up)"] == [
        "Mission and vision", "level 3 'implemented and measured': 3 points",
        "level 4 'reviewed and improved': 4 points", "+6.25",
        "Management Uplift Guide for Industrial SMEs (trial) 二（一）", "derived"]
    html = render_html(result, v1, lang="zh", plan=result.plan_to())
    assert 'data-section="plan.steps"' in html and "第一阶段：速赢（上一级）" in html
    assert "达到优秀级的改进计划" in html


def test_report_cli_plan_to(tmp_path: Path) -> None:
    code, md = invoke("report", "example", str(ANSWERS), "--plan-to", "--format", "md",
                      "--lang", "en")
    assert code == 0, md
    assert "### Plan to reach Advanced" in md  # alone: the next level up
    code, md = invoke("report", "example", str(ANSWERS), "--plan-to", "standard", "--format",
                      "md", "--lang", "en")
    assert code == 0 and "the target level is already reached" in md
    code, out = invoke("report", "example", str(ANSWERS), "--plan-to", "gold")
    assert code != 0 and "no level 'gold'" in out and "Traceback" not in out
    zjtx = Path(__file__).parents[2] / "plugins/tiered/examples/zjtx-05-condition3-revenue-or-equity.yaml"
    code, md = invoke("report", "zjtx", str(zjtx), "--plan-to", "--format", "md", "--lang", "en")
    assert code == 0 and "answer changes alone cannot reach it" in md


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_pdf_holds_the_changes_and_the_plan(v1: Framework, v2: Framework,
                                            t0: smesdk.AnswerSet, tmp_path: Path) -> None:
    a1 = answers(**{"hr.contracts": True})
    r0, r1 = v1.assess(t0), v2.assess(a1)
    changes = compare(r0, r1, answers=(t0, a1), frameworks=(v1, v2))
    for lang, words in (("zh", ["与 2026-11-01 的评估相比", "其中实践变化", "劳动合同",
                                "达到优秀级的改进计划", "速赢"]),
                        ("en", ["Changes since the assessment of 2026-11-01", "practice model",
                                "Labour contracts", "Plan to reach Advanced", "quick wins"])):
        # a header may wrap within its column: look for each word of it
        path = tmp_path / f"report-{lang}.pdf"
        path.write_bytes(render_pdf(r1, v2, lang=lang, compare=r0, changes=changes,  # type: ignore[arg-type]
                                    plan=r1.plan_to()))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = " ".join(text.split())
        missing = [w for w in words if not all(part in flat for part in w.split())]
        assert not missing, missing


def test_report_cli_splits_across_framework_versions(v2_file: Path, tmp_path: Path) -> None:
    # T0: the example firm under v1 (the installed example); T1: IMPROVED + contracts under
    # v2, a spec file. test_compare.py: total practice +29.1667, model -5.
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    data["date"] = "2027-11-01"
    data["answers"]["operations.qms_audit"] = "2027-03-01"
    data["facts"]["cert.iso9001.valid"]["evidence"]["expires"] = "2028-05-01"
    data["answers"].update({**IMPROVED, "hr.contracts": True})
    data.pop("expected")
    later = tmp_path / "t1.yaml"
    later.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, md = invoke("report", str(v2_file), str(later), "--compare", str(ANSWERS),
                      "--compare-framework", "example", "--format", "md", "--lang", "en")
    assert code == 0, md
    rows = _rows(md, "### Changes since")
    assert rows["Total"][3:6] == ["improved", "+29.17", "-5.00"]
    # without it the earlier answers are scored by v2, which asks a question they lack
    code, out = invoke("report", str(v2_file), str(later), "--compare", str(ANSWERS),
                       "--format", "md", "--lang", "en")
    assert code == 1 and "hr.contracts" in out and str(ANSWERS) in out
    assert "Traceback" not in out
    code, out = invoke("report", "example", str(ANSWERS), "--compare-framework", "example")
    assert code == 2 and "--compare-framework goes with --compare" in out
