"""The level rule at its edges: scene-count gates, per-profile constraining sets, the 2022
bands, and services' N/A scenes. Every expected level is worked out in the comments from
the rule in digital.yaml (reference §1.5, evaluator A) and the bands of the 2022 notice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import smesdk

EXAMPLES = Path(__file__).parent.parent / "examples"
EX3 = EXAMPLES / "03_level2_blocked_by_scenes.yaml"  # base 70.15, level 2 held by scenes
P = "operations."


def _variant(path: Path, profile: str | None = None, drop: tuple[str, ...] = (),
             **scenes: Any) -> smesdk.AnswerSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in scenes.items():
        data["answers"][P + key.replace("__", ".")] = value
    for key in drop:
        del data["answers"][key]
    data["profile"] = profile
    return smesdk.answers_from_data(data, "yaml")


def _level(answers: smesdk.AnswerSet, profile: str | None = None) -> str | None:
    result = smesdk.load_framework("digital", profile=profile).assess(answers)
    return result.level.id if result.level else None


def test_2022_profile_changes_example_3_from_level_2_to_level_3() -> None:
    answers = smesdk.load_answers(EX3)
    # 2024 rule: base 70.15 is in the 三级 band but only 6 scenes are at ≥3 (8 needed) → 二级.
    assert _level(answers) == "l2"
    # 2022 bands: 60 ≤ 70.15 < 80 → 三级, whatever the scenes.
    assert _level(answers, "edition_2022") == "l3"


def test_eighth_scene_at_level_3_unlocks_level_3() -> None:
    # Example 3 has 6 scenes at ≥3 (5 constraining). Raising process_design to 3 gives 7:
    # still short → 二级. Raising after_sales as well gives 8 (constraining still 5) → 三级.
    seven = _variant(EX3, lifecycle__process_design=3)
    eight = _variant(EX3, lifecycle__process_design=3, lifecycle__after_sales=3)
    assert _level(seven) == "l2"
    assert _level(eight) == "l3"


def test_constraining_count_is_checked_separately() -> None:
    # 9 scenes at ≥3 once process_design, after_sales and planning rise to 3; lowering
    # warehousing★ to 2 leaves 8 at ≥3 but only 4 constraining ones (product_design,
    # marketing, production_control, finance) where 三级 needs 5 → 二级.
    answers = _variant(EX3, lifecycle__process_design=3, lifecycle__after_sales=3,
                       production__planning=3, supply_chain__warehousing=2)
    result = smesdk.load_framework("digital").assess(answers)
    assert result.level is not None and result.level.id == "l2"
    req = result.extensions["next_level_scenes"]["requirements"]
    assert [(r["set"], r["passing"], r["short_by"]) for r in req] == [
        ("scenes", 8, 0), ("constrained", 4, 1)]


def test_profile_overrides_the_constraining_set() -> None:
    # 8 scenes at ≥3: process_design, marketing, after_sales, warehousing, finance, hr, office,
    # decision (product_design and production_control lowered to 2).
    # manufacturing ★ at ≥3: marketing, warehousing, finance = 3 < 5 → 二级;
    # 'other' constraining set at ≥3: marketing, after_sales, warehousing, finance, hr, office,
    # decision = 7 ≥ 5 → 三级.
    answers = _variant(EX3, lifecycle__process_design=3, lifecycle__after_sales=3,
                       lifecycle__product_design=2, production__production_control=2,
                       management__hr=3, management__decision=3)
    assert _level(answers) == "l2"
    assert _level(answers, "manufacturing") == "l2"
    assert _level(answers, "other") == "l3"


def test_2022_bands_edges() -> None:
    # Example 2 is at 37.125 (一级 under both rules). Dropping pass rate from 'increased' (7)
    # to 'decreased' (0) gives 30.125, still 一级; dropping it and revenue/head (1.5 → 0)
    # and cost (1.5 → 0) and energy (3.5 → 0) gives 37.125 − 7 − 1.5 − 1.5 − 3.5 = 23.625;
    # also removing the 5 points of 'multiple' systems (→ none) gives 18.625 < 20 → no level.
    data = yaml.safe_load((EXAMPLES / "02_level1.yaml").read_text(encoding="utf-8"))
    data["answers"].update({
        "outcomes.quality.pass_rate": "decreased",
        "outcomes.market.revenue_per_head": "decreased",
        "outcomes.market.cost_per_revenue": "increased",
        "outcomes.green.energy_intensity": "increased",
    })
    at_23 = smesdk.answers_from_data(data, "yaml")
    data["answers"]["foundation.systems.coverage"] = "none"
    at_18 = smesdk.answers_from_data(data, "yaml")
    fw = smesdk.load_framework("digital", profile="edition_2022")
    r23, r18 = fw.assess(at_23), fw.assess(at_18)
    assert str(r23.total) == "23.6250" and r23.level is not None and r23.level.id == "l1"
    assert str(r18.total) == "18.6250" and r18.level is None
    assert r18.facts["digital.level"] == 0


def test_service_scenes_may_be_na_only_under_a_service_profile() -> None:
    answers = smesdk.load_answers(EXAMPLES / "05_producer_services_level3.yaml")
    with pytest.raises(smesdk.AnswerError) as err:
        smesdk.load_framework("digital").assess(answers)
    paths = {p.path for p in err.value.problems}
    assert paths == {f"answers.operations.{s}" for s in (
        "lifecycle.process_design", "production.planning", "production.production_control",
        "production.equipment", "production.energy")}
    assert all("N/A" in p.message for p in err.value.problems)
    # N/A scenes are left out of the counts: 11 applicable scenes remain.
    result = smesdk.load_framework("digital", profile="producer_services").assess(answers)
    assert result.extensions["scene_profile"]["counts"]["scenes"]["ge1"] == 11
    assert len(result.extensions["scene_profile"]["not_applicable"]) == 5


def test_levels_are_listed_lowest_first_so_rank_is_the_level_number() -> None:
    fw = smesdk.load_framework("digital")
    assert [lv.id for lv in fw.spec.levels] == ["l1", "l2", "l3", "l4"]
    assert [lv.min for lv in fw.spec.levels] == [20, 40, 60, 80]
    assert all(lv.status == "unverified" for lv in fw.spec.levels)
    assert fw.spec.exports == {"digital.level": "level_rank"}


@pytest.mark.parametrize("profile", [None, "manufacturing", "producer_services", "other",
                                     "producer_services_2022", "other_2022"])
def test_star_in_scene_titles_marks_the_profiles_constraining_set(profile: str | None) -> None:
    fw = smesdk.load_framework("digital", profile=profile)
    starred = {iid for iid in fw.spec.sets["scenes"]
               if fw.indicator(iid).title.zh.endswith("★")
               and fw.indicator(iid).title.en.endswith("★")}
    assert starred == set(fw.spec.sets["constrained"])
    # the L4 gate asks for 6 constraining scenes at 4: every profile's set must allow it
    assert len(starred) >= 6
    # no constraining scene may be answered N/A (it could never count)
    assert not [iid for iid in starred if fw.indicator(iid).na_allowed]
