"""`smesdk assess digital <example>` shows the base score, scene profile, level, next-level
blockers and the priority matrix (figures: 03_level2_blocked_by_scenes.yaml, by hand)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from smesdk.cli import cli

EX3 = str(Path(__file__).parent.parent / "examples" / "03_level2_blocked_by_scenes.yaml")


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_assess_shows_everything_in_english() -> None:
    out = _run("assess", "digital", EX3, "--lang", "en")
    assert "70.15 / 100" in out                     # base score 35.15 + 16.5 + 18.5
    assert "Level: Level 2 (unverified)" in out
    assert "To reach Level 3" in out                # next-level blockers …
    assert "at least 8 of the 16 business scenes with level ≥ 3 (now 6" in out  # set by its title
    assert "Process design" in out                  # … naming the scenes
    # Typed sections, never a key/value dump: the scene grid, the next level's scene
    # requirements and the priority matrix (service first at 66.7, see test_digital_matrix).
    assert "Scene levels (unverified):" in out and "[scene_profile]" not in out
    # the requirement, now 6, short by 2 (its text wraps to keep the table in 80 columns)
    assert re.search(r"at least 8 of the 16 (business scenes )?\s+6\s+2\s", out)
    assert "Priority matrix (value × feasibility) (derived):" in out
    assert "1      Service         66.7" in out
    assert "value_index" not in out


def test_assess_in_chinese() -> None:
    out = _run("assess", "digital", EX3, "--lang", "zh")
    assert "二级" in out and "三级" in out and "工艺设计" in out
    assert "业务场景等级 (未核实):" in out and "转型优先级矩阵" in out


def test_profile_switch_on_the_command_line() -> None:
    out = _run("assess", "digital", EX3, "--profile", "edition_2022", "--lang", "en")
    # 70.15 in the 2022 band [60, 80) → Level 3; the 2022 bands on the 2024 base score are
    # our construction (derived); next is Level 4 at 80
    assert "Level: Level 3 (derived)" in out
    assert "9.85 more points needed" in out          # 80 − 70.15


def test_json_output_carries_sections_and_fact() -> None:
    data = json.loads(_run("assess", "digital", EX3, "--json"))
    assert data["facts"]["digital.level"] == 2
    assert set(data["extensions"]) == {"next_level_scenes", "priority_matrix",
                                       "reassessment_baseline", "scene_profile"}
    assert data["extensions"]["priority_matrix"]["order"][0] == "service"


def test_bad_answers_exit_with_a_message(tmp_path: Path) -> None:
    text = Path(EX3).read_text(encoding="utf-8").replace(
        "foundation.systems.coverage: most", "foundation.systems.coverage: everything")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["assess", "digital", str(bad)])
    assert result.exit_code == 1
    assert "foundation.systems.coverage" in result.output and "everything" in result.output
