"""smesdk.assess_all and `smesdk assess-all`: one answer set, every framework, exports feeding
the frameworks after them, the tier ladder, missing answers listed once, lossless JSON."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.suite import SuiteResult, dependency_order

ROOT = Path(__file__).resolve().parents[1]
CHAIN = ROOT / "plugins" / "tiered" / "examples" / "chain"
TIERS = ["innovative-sme", "zjtx", "little-giant"]


def _facts(path: Path) -> dict[str, Any]:
    return {k: a.value for k, a in smesdk.load_answers(path).facts.items()}


def _answers(facts: dict[str, Any], answers: dict[str, Any] | None = None) -> smesdk.AnswerSet:
    return smesdk.answers_from_data({"enterprise": {"name": "t", "size": "medium"},
                                     "date": "2026-03-31", "facts": facts,
                                     "answers": answers or {}})


@pytest.mark.parametrize(("name", "reached", "blocker"), [
    # By hand (the examples' comments): chain-01 reaches 小巨人; chain-02 stops at 专精特新,
    # blocked by its 8 % national share.
    ("all-three-tiers", 3, None),
    ("stops-at-zjtx", 2, "national niche market share ≥ 10 % (little giant: distinctiveness): now 8 %"),
])
def test_the_chain_examples_climb_the_ladder(name: str, reached: int, blocker: str | None
                                             ) -> None:
    suite = smesdk.assess_all(CHAIN / f"{name}.yaml", TIERS)
    expected = smesdk.load_answers(CHAIN / f"{name}.yaml").expected
    assert suite.order == TIERS                  # each tier reads the one below's export
    for fid in TIERS:
        assert str(suite.results[fid].total) == f"{expected[fid]['total']:.4f}"
    ladder = suite.ladder
    assert ladder is not None and ladder.reached == reached == expected["tier"]
    assert [f.key for f in suite.fed] == ["tiered.innovative", "tiered.zjtx",
                                          "tiered.little_giant"]
    if blocker is None:
        assert ladder.next_framework is None and ladder.blockers == []
        assert ladder.route is not None and ladder.route.en.startswith("general route")
    else:
        assert ladder.next_framework == "little-giant"
        assert [b.en for b in ladder.blockers] == [blocker]
        assert ladder.route is not None and ladder.route.en.startswith("score route")


def test_without_the_export_little_giant_misses_its_prerequisite() -> None:
    # Scored alone, 小巨人 has no tiered.zjtx fact: its (unverified) prerequisite blocks it.
    suite = smesdk.assess_all(CHAIN / "all-three-tiers.yaml", ["little-giant"])
    assert suite.results["little-giant"].level is None
    assert suite.ladder is not None and suite.ladder.reached == 0


def test_json_round_trips_losslessly() -> None:
    suite = smesdk.assess_all(CHAIN / "stops-at-zjtx.yaml", [*TIERS, "digital"])
    text = suite.to_json()
    back = SuiteResult.from_json(text)
    assert back == suite and back.to_json() == text
    assert back.results["zjtx"] == suite.results["zjtx"]


def test_the_digital_level_feeds_indicator_5() -> None:
    digital = smesdk.load_answers(ROOT / "plugins" / "digital" / "examples"
                                  / "03_level2_blocked_by_scenes.yaml")
    facts = _facts(ROOT / "plugins" / "tiered" / "examples" / "zjtx-01-score-route.yaml")
    declared = facts.pop("digital.level")           # 3 declared, but digital is assessed: 2
    answers = {k: a.value for k, a in digital.answers.items()}
    suite = smesdk.assess_all(_answers({**facts, "digital.level": declared}, answers),
                              ["zjtx", "digital"])
    assert suite.order == ["digital", "zjtx"]
    fed = {f.key: f for f in suite.fed}
    assert fed["digital.level"].value == 2 and fed["digital.level"].replaced == 3
    # Indicator 5: 二级 3 points (三级 would be 5); the total drops from 79 to 77.
    assert suite.results["zjtx"].indicator("refinement.digital").points == 3
    assert suite.results["zjtx"].total == 77


def test_the_quality_brand_points_feed_indicator_6() -> None:
    # The quality-brand example itself (its date and evidence: its certificate has expired by
    # then), with the 专精特新 facts added and indicator 6's fact left to quality-brand.
    qb = smesdk.load_answers(ROOT / "plugins" / "quality-brand" / "examples" / "quick-scan.yaml")
    facts = _facts(ROOT / "plugins" / "tiered" / "examples" / "zjtx-01-score-route.yaml")
    facts.pop("zjtx.quality_management_points")
    combined = attrs.evolve(qb, framework=None, profile=None,
                            facts={**{k: smesdk.Answer(v) for k, v in facts.items()}, **qb.facts})
    suite = smesdk.assess_all(combined, ["quality-brand:quick", "zjtx"])
    points = qb.expected["zjtx_quality_management_points"]          # 3, by hand in the example
    assert suite.results["zjtx"].indicator("refinement.quality").points == points
    assert suite.results["quality-brand"].extensions["zjtx_quality_management"]["points"] == points


def test_missing_answers_are_listed_once_with_every_framework() -> None:
    facts = _facts(CHAIN / "all-three-tiers.yaml")
    del facts["finance.rd_share"], facts["market.niche_years"]
    suite = smesdk.assess_all(_answers(facts), TIERS)
    missing = {m.key: m.frameworks for m in suite.missing}
    assert missing == {"finance.rd_share": TIERS, "market.niche_years": ["zjtx", "little-giant"]}
    assert suite.results == {}                       # none of the three can be scored
    assert suite.ladder is not None and suite.ladder.reached == 0
    assert suite.ladder.next_framework == "innovative-sme"
    assert [b.en for b in suite.ladder.blockers] == [
        "answer missing: R&D share of revenue (finance.rd_share)"]


def test_answers_by_indicator_id_go_to_their_framework_and_unknown_ones_are_listed() -> None:
    # The fact behind the indicator goes: an answer and its fact must not disagree (issue 14).
    facts = {k: v for k, v in _facts(CHAIN / "all-three-tiers.yaml").items()
             if k != "zjtx.local_points"}
    suite = smesdk.assess_all(_answers(facts, {
        "zjtx:distinctiveness.local_points": 15,     # only zjtx: 12 -> 15 points
        "no.such.indicator": 1}), TIERS)
    assert suite.results["zjtx"].total == 96          # 93 + 3
    assert suite.unused == ["no.such.indicator"]


def test_an_id_several_frameworks_share_must_name_its_framework() -> None:
    facts = _facts(CHAIN / "all-three-tiers.yaml")
    with pytest.raises(smesdk.AnswerError) as info:
        smesdk.assess_all(_answers(facts, {"fast_track.award": True}), TIERS)
    assert [p.path for p in info.value.problems] == ["answers.fast_track.award"]
    assert "innovative-sme:fast_track.award" in info.value.problems[0].message
    # The answer set's own framework claims its ids: the tutorial's answers stay its own.
    tutorial = smesdk.load_answers(ROOT / "docs" / "tutorial" / "smesdk-innovative" / "examples"
                                   / "01_qualifies_by_score.yaml")
    suite = smesdk.assess_all(tutorial, ["innovative", "innovative-sme"])
    assert suite.results["innovative"].total == 85          # the tutorial example's own figure
    assert "innovative-sme" not in suite.results            # its facts were not given
    assert {m.key for m in suite.missing} >= {"finance.rd_share", "ip.main_product"}


def test_a_bad_value_is_an_error_naming_the_framework() -> None:
    facts = _facts(CHAIN / "all-three-tiers.yaml") | {"digital.level": 7}
    with pytest.raises(smesdk.AnswerError) as info:
        smesdk.assess_all(_answers(facts), TIERS)
    assert [p.path for p in info.value.problems] == ["zjtx: facts.digital.level"]


def test_an_unknown_framework_is_refused() -> None:
    with pytest.raises(smesdk.SmesdkError, match="no framework 'nope'"):
        smesdk.assess_all(CHAIN / "all-three-tiers.yaml", ["nope"])


def test_dependency_order_puts_exporters_first() -> None:
    fws = [smesdk.load_framework(f) for f in ("zjtx", "little-giant", "quality-brand",
                                              "digital", "innovative-sme")]
    order = dependency_order(fws)
    assert order.index("digital") < order.index("zjtx")
    assert order.index("quality-brand") < order.index("zjtx")
    assert order.index("innovative-sme") < order.index("zjtx") < order.index("little-giant")


def test_the_command_prints_every_framework_and_the_ladder() -> None:
    run = CliRunner().invoke(cli, ["assess-all", str(CHAIN / "stops-at-zjtx.yaml"), "--lang",
                                   "en"], prog_name="smesdk")
    assert run.exit_code == 0, run.output
    # Lines wrap within 80 columns, a hyphenated id after its hyphen ("[little-" / "giant]").
    flat = " ".join(re.sub(r"-\n\s+", "-", run.output).split())
    for fid in smesdk.default_host().framework_ids():
        if fid != "hooktest":
            assert f"[{fid}]" in flat
    assert "reached: tier 2" in flat
    assert "now 8 %" in flat and "Traceback" not in run.output


def test_the_command_json_round_trips() -> None:
    run = CliRunner().invoke(cli, ["assess-all", str(CHAIN / "all-three-tiers.yaml"),
                                   "--frameworks", ",".join(TIERS), "--json"], prog_name="smesdk")
    assert run.exit_code == 0, run.output
    suite = SuiteResult.from_json(run.output)
    assert suite.to_json() == run.output
    assert yaml.safe_load(run.output)["ladder"]["reached"] == 3


def test_the_combined_markdown_report(tmp_path: Path) -> None:
    out = tmp_path / "all.md"
    run = CliRunner().invoke(cli, ["assess-all", str(CHAIN / "stops-at-zjtx.yaml"), "--frameworks",
                                   ",".join(TIERS), "--markdown", str(out), "--lang", "en"],
                             prog_name="smesdk")
    assert run.exit_code == 0, run.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Combined assessment: 常州恒力传动有限公司")
    assert "reached: tier 2" in text and "now 8 %" in text
    for fid in TIERS:                                # each framework's own report follows
        title = smesdk.load_framework(fid).spec.title.en
        assert text.count(title) >= 2, fid
