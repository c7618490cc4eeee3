"""The over-time sections as a reader sees them: the change table's figures."""

from __future__ import annotations

from pathlib import Path

import yaml

import smesdk
from smesdk.report import render_markdown
from smesdk.report.overtime import change_table
from smesdk.report.section_text import cell_text

ROOT = Path(__file__).parents[2]
DIGITAL = ROOT / "plugins/digital/examples"


def _digital_pair() -> tuple[smesdk.Framework, smesdk.Result, smesdk.Result]:
    """Example 3's firm now, and a year earlier with example 2's answers (its hand computation:
    foundation 17.25 of 50, management 6.375 of 30, total 37.125)."""
    fw = smesdk.load_framework("digital")
    now = smesdk.load_answers(DIGITAL / "03_level2_blocked_by_scenes.yaml")
    data = yaml.safe_load((DIGITAL / "02_level1.yaml").read_text(encoding="utf-8"))
    data["enterprise"] = {"name": now.enterprise.name, "size": "medium"}
    data["date"] = "2025-11-01"
    return fw, fw.assess(smesdk.answers_from_data(data, "yaml")), fw.assess(now)


def test_change_table_rounds_as_the_rest_of_the_report() -> None:
    # The earlier total 37.125 is shown as the level line shows it, 37.13 (two places, 四舍五入);
    # scores as the dimension table shows them, one place: foundation 17.25 / 50 = 34.5 %,
    # management 6.375 / 30 = 21.25 % -> 21.3. No raw 37.125 or 16.6667.
    fw, before, now = _digital_pair()
    table = change_table(smesdk.compare(before, now), fw)
    rows = {cell_text(r[0], "zh"): [cell_text(c, "zh") for c in r[1:3]] for r in table.rows}
    assert rows["总分"][0] == "37.13"
    assert rows["数字化基础"][0] == "34.5"
    assert rows["数字化管理"][0] == "21.3"
    for name, (was, now_) in rows.items():
        if name == "等级":
            continue
        for cell in (was, now_):
            places = 2 if name == "总分" else 1
            assert cell == "—" or len(cell.partition(".")[2]) == places, (name, cell)


def test_markdown_change_table_shows_the_rounded_total() -> None:
    fw, before, now = _digital_pair()
    text = render_markdown(now, fw, lang="en", compare=before)
    assert "| Total | 37.13 |" in text and "37.125" not in text
