"""The over-time sections as a reader sees them: the change table's figures."""

from __future__ import annotations

import smesdk
from smesdk.report import render_markdown
from smesdk.report.overtime import change_table
from smesdk.report.section_text import cell_text

from .conftest import digital_pair as _digital_pair


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


def test_a_level_target_is_set_only_for_dimensions_in_the_total() -> None:
    # Digital's level 3 needs a total of 60: the three scored dimensions get 60.0; the scene
    # levels and the transformation resources, outside the total, get none ("—").
    fw, _, now = _digital_pair()
    md = render_markdown(now, fw, lang="en", target="l3")
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in md.splitlines()
            if line.startswith("| Digital") or line.startswith("| Transformation")}
    assert rows["Digital foundation"][-2] == "60.0"
    assert rows["Transformation resources (feasibility) (not counted in the total)"][-2] == "—"
    assert rows["Digital operations (application-scene levels) (not counted in the total)"][-2] == "—"
