"""The plugin's hooks: registration, section 十一 services, and staying out of other frameworks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import smesdk_management
from smesdk_management.services import catalogue

import smesdk
from smesdk.services import core_vocabulary

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AREAS = {"strategy", "hr", "innovation", "production", "supply_chain", "marketing", "finance",
         "decision", "image"}


def assess(name: str) -> smesdk.Result:
    answers = smesdk.load_answers(EXAMPLES / f"{name}.yaml")
    return smesdk.load_framework("management", answers.profile).assess(answers)


def test_plugin_is_registered_without_failures() -> None:
    info = {p["name"]: p for p in smesdk.default_host().plugins_info()}
    plugin = info["management"]
    assert plugin["status"] == "ok" and plugin["errors"] == []
    assert plugin["frameworks"] == ["management"]
    assert {"smesdk_register_frameworks", "smesdk_recommendations",
            "smesdk_enrich_result"} <= set(plugin["hooks"])


def test_service_table_covers_every_area_with_known_services() -> None:
    table = catalogue()
    assert set(table["areas"]) == AREAS
    vocabulary = core_vocabulary()
    for keys in [*table["areas"].values(), table["red_line"]]:
        assert keys and all(k in vocabulary for k in keys)
        for key in keys:  # section 十一's own services, from smesdk's vocabulary
            service = vocabulary.service(key)
            assert service.source.doc == "000" and service.source.clause.startswith("十一（")


def test_management_section_lists_areas_weakest_first_with_services() -> None:
    result = assess("struggling_redline")
    section = result.extensions["management"]
    areas = section["areas"]
    assert {a["area"] for a in areas} == AREAS
    scores = [Decimal(a["score"]) for a in areas]
    assert scores == sorted(scores)
    assert areas[0]["area"] == "hr"                  # 40.0, the weakest (hand: see example)
    # hr gaps: every practice below 4 (3 + 3 + 3 + 2 = 11 practices)
    assert areas[0]["gaps"] == 11
    assert areas[0]["services"][0] == {"zh": "经营管理人才培训（十一（二））",
                                       "en": "Training of managers and staff (十一（二）)"}
    assert section["red_lines_failed"] == ["social_insurance"]


def test_weak_area_service_recommendations() -> None:
    result = assess("struggling_redline")
    ours = [r for r in result.recommendations if r.origin == "management"]
    # one for the failed red line, one for each of the three weakest areas (hr, image, finance)
    assert len(ours) == 4
    assert ours[0].indicator == "hr.h4.social_insurance"
    areas = [r for r in ours if r.indicator is None]
    # (the core re-sorts all recommendations by impact, so compare as a set)
    assert {r.text.en.split(" is a weak area")[0] for r in areas} == {
        "Human resources management", "Public image management", "Financial management"}
    assert all(r.source is not None and r.source.primary.clause.startswith("十一（") for r in areas)


def test_red_line_recommendation_outranks_every_practice() -> None:
    result = assess("struggling_redline")
    first = result.recommendations[0]
    assert first.indicator == "hr.h4.social_insurance" and first.origin == "management"
    assert first.source is not None and first.source.primary.clause == "三（四）"
    # impact: largest gap impact + points above the top of l1 (47.5694 − 40 = 7.5694)
    practice = [r for r in result.recommendations if r.origin != "management"]
    assert first.impact == max(r.impact for r in practice) + Decimal("7.5694")


def test_no_red_line_advice_when_none_failed() -> None:
    result = assess("zjtx_midsize")
    assert not [r for r in result.recommendations if r.text.zh.startswith("【底线】")]
    assert result.extensions["management"]["red_lines_failed"] == []


def test_hooks_ignore_other_frameworks() -> None:
    # Marked for management (smesdk.for_frameworks): the host does not run them for others.
    digital = Path(__file__).resolve().parents[2] / "digital/examples/02_level1.yaml"
    answers = smesdk.load_answers(digital)
    result = smesdk.load_framework("digital", answers.profile).assess(answers)
    assert "management" not in result.extensions
    assert not [r for r in result.recommendations if r.origin == "management"]
    assert not [w for w in result.warnings if w.code == "plugin_failed"]


def test_no_plugin_failed_warnings_on_examples() -> None:
    for name in ("micro_workshop", "zjtx_midsize", "struggling_redline"):
        assert not [w for w in assess(name).warnings if w.code == "plugin_failed"]


def test_areas_are_ranked_once_per_assessment_for_advice_and_section(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ranked = smesdk_management.areas_weakest_first
    calls: list[int] = []

    def counted(framework, result):  # type: ignore[no-untyped-def]
        calls.append(1)
        return ranked(framework, result)

    monkeypatch.setattr(smesdk_management, "areas_weakest_first", counted)
    result = assess("struggling_redline")
    assess("micro_workshop")
    assert len(calls) == 2  # one per assessment, not one per hook
    fw = smesdk.load_framework("management", smesdk.load_answers(
        EXAMPLES / "struggling_redline.yaml").profile)
    # What the hooks built from the shared ranking is what each function gives on its own.
    assert result.extensions["management"] == smesdk_management.service_plan(fw, result)
    own = [r for r in result.recommendations if r.origin == "management"]
    alone = (smesdk_management.red_line_recommendations(fw, result)
             + smesdk_management.service_recommendations(fw, result))
    assert sorted(own, key=lambda r: r.text.en) == sorted(alone, key=lambda r: r.text.en)
