"""Each example states its expected result (computed by hand in the file's comments)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import smesdk

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_there_are_at_least_three_examples_one_with_an_expired_certificate():
    assert len(FILES) >= 3
    expired = [f for f in FILES if smesdk.load_answers(f).expected.get("expired")]
    assert expired, "no example with an expired certificate"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_matches_its_expected_result(path):
    answers = smesdk.load_answers(path)
    exp = answers.expected
    assert exp, f"{path.name} states no expected result"
    result = smesdk.load_framework("quality-brand", answers.profile).assess(answers)
    assert result.provenance.profile == answers.profile

    assert result.total == Decimal(str(exp["total"]))
    assert (result.level.id if result.level else None) == exp["level"]
    for did, score in exp["dimensions"].items():
        assert result.dimension(did).score == Decimal(str(score)), did
    if "next_level" in exp:
        assert result.next_level is not None
        assert result.next_level.level.id == exp["next_level"]
        assert [b.kind for b in result.next_level.blockers] == exp["next_level_blockers"]
    else:
        assert result.next_level is None
    if "points_missing" in exp:
        points = [b for b in result.next_level.blockers if b.kind == "points"]
        assert points[0].missing == Decimal(str(exp["points_missing"]))

    zjtx = result.extensions["zjtx_quality_management"]
    assert zjtx["points"] == exp["zjtx_quality_management_points"]
    assert result.facts["zjtx.quality_management_points"] == exp["zjtx_quality_management_points"]
    assert [r["item"] for r in zjtx["items"] if r["met"]] == exp["zjtx_items_met"]

    bench = result.extensions["benchmark_candidacy"]
    assert bench["candidate"] is exp["benchmark_candidate"]
    assert result.facts["quality_brand.benchmark_candidate"] is exp["benchmark_candidate"]

    expired = sorted(w.indicator for w in result.warnings if w.code == "expired")
    assert expired == sorted(exp["expired"])


def test_the_starter_example_has_no_level_above_one_but_the_benchmark_has_the_top():
    fw = smesdk.load_framework("quality-brand")
    starter = fw.assess(smesdk.load_answers(EXAMPLES / "starter-workshop.yaml"))
    top = fw.assess(smesdk.load_answers(EXAMPLES / "benchmark-precision.yaml"))
    assert starter.level is not None and starter.level.rank == 1
    assert top.level is not None and top.level.rank == 4
    assert top.total > starter.total
