"""Bad answers give clear errors; expired evidence scores as absent and says so."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import smesdk

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _data(name: str) -> dict:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    data.pop("expected", None)
    return data


def _assess(data: dict) -> smesdk.Result:
    return smesdk.load_framework("quality-brand").assess(smesdk.answers_from_data(data, "yaml"))


def _problems(data: dict) -> dict[str, str]:
    with pytest.raises(smesdk.AnswerError) as info:
        _assess(data)
    return {p.path: p.message for p in info.value.problems}


# -- bad answers ------------------------------------------------------------------------------

def test_unknown_option_is_named():
    data = _data("starter-workshop.yaml")
    data["answers"]["quality.t06.scrap_trend"] = "sideways"
    problems = _problems(data)
    msg = problems["answers.quality.t06.scrap_trend"]
    assert "sideways" in msg and "rising/flat/falling" in msg


def test_unknown_multi_option_is_named():
    data = _data("starter-workshop.yaml")
    data["answers"]["standards.t08.levels"] = ["group", "provincial"]
    assert "provincial" in _problems(data)["answers.standards.t08.levels"]


def test_out_of_range_number_and_scale_level():
    data = _data("starter-workshop.yaml")
    data["answers"]["brand.t11.tm_domestic"] = -2
    data["answers"]["quality.t04.key_process"] = 5
    problems = _problems(data)
    assert "less than the allowed minimum, 0" in problems["answers.brand.t11.tm_domestic"]
    assert "level 5 is not one of 0/1/2/3/4" in problems["answers.quality.t04.key_process"]


def test_missing_required_answer_is_reported_with_every_other_problem():
    data = _data("starter-workshop.yaml")
    del data["answers"]["awareness.t01.policy"]
    del data["facts"]["cert.iso9001.valid"]
    data["answers"]["quality.t06.compliance"] = "maybe"
    problems = _problems(data)
    assert problems["answers.awareness.t01.policy"] == "required answer missing"
    # A fact-backed indicator is reported under its id, naming the fact that could answer it.
    assert problems["answers.quality.t02.cert_qms"] == \
        "required answer missing (or give fact 'cert.iso9001.valid')"
    assert "yes or no" in problems["answers.quality.t06.compliance"]
    assert len(problems) == 3


def test_na_only_where_allowed_and_with_a_reason():
    data = _data("starter-workshop.yaml")
    data["answers"]["quality.t02.targets"] = {"na": True, "reason": "没有目标"}
    data["answers"]["quality.t04.first_set"] = {"na": True}
    problems = _problems(data)
    assert "not allowed" in problems["answers.quality.t02.targets"]
    assert "reason" in problems["answers.quality.t04.first_set"]


def test_unknown_indicator_id_suggests_the_right_one():
    data = _data("starter-workshop.yaml")
    data["answers"]["brand.t11.own_brnd"] = True
    assert "brand.t11.own_brand" in _problems(data)["answers.brand.t11.own_brnd"]


# -- expired evidence ---------------------------------------------------------------------------

def test_expired_certificate_scores_as_absent_and_warns():
    result = _assess(_data("expired-certificate.yaml"))
    ind = result.indicator("quality.t02.cert_qms")
    assert ind.status == "expired"
    assert ind.points == 0 and ind.answer is False
    assert ind.evidence["expires"] == "2026-03-31"
    expired = [w for w in result.warnings if w.code == "expired"]
    assert [w.indicator for w in expired] == ["quality.t02.cert_qms"]
    # The plugin's certificate section says what counted.
    rows = {r["indicator"]: r for r in result.extensions["certificates"]}
    assert rows["quality.t02.cert_qms"]["status"] == "expired"
    assert rows["quality.t02.cert_qms"]["counted_as_held"] is False
    assert rows["standards.t10.cert_env"]["counted_as_held"] is True
    # ... and a recommendation tells the firm to renew it.
    renew = [r for r in result.recommendations
             if r.indicator == "quality.t02.cert_qms" and r.origin == "quality-brand"]
    assert renew and "过期" in renew[0].text.zh and "expired" in renew[0].text.en


def test_the_same_certificate_still_valid_changes_score_and_level():
    # Hand computation (see examples/expired-certificate.yaml): with a valid certificate
    # t02 = (1 + 0 + 1 + 3/4 + 4/4)/5 = 0.75, quality = (0.75 + 0.875 + 0.75 + 0.5 + 0.75)/5
    # = 0.725, total = 100 × (5/6 + 0.725 + 281/480 + 185/378)/4 = 65.8292, level l3
    # (in [60, 80) and the certificate gate holds).
    data = _data("expired-certificate.yaml")
    data["facts"]["cert.iso9001.valid"]["evidence"]["expires"] = "2026-11-01"  # the same day
    result = _assess(data)
    assert result.indicator("quality.t02.cert_qms").status == "scored"
    assert result.total == Decimal("65.8292")
    assert result.dimension("quality").score == Decimal("72.5000")
    assert result.level is not None and result.level.id == "l3"
    assert not [w for w in result.warnings if w.code == "expired"]
    assert result.extensions["zjtx_quality_management"]["points"] == 5  # B and C: 6 → 5


def test_expired_gate_is_the_blocker_for_level_three():
    result = _assess(_data("expired-certificate.yaml"))
    assert result.level.id == "l2"
    assert result.next_level.level.id == "l3"
    (blocker,) = result.next_level.blockers
    assert blocker.kind == "gate"
    assert "质量管理体系认证" in blocker.message.zh


def test_other_frameworks_are_left_alone():
    # Marked for quality-brand (smesdk.for_frameworks): the host does not run them for others.
    import smesdk_quality_brand as plugin
    from smesdk_quality_brand import benchmark, zjtx

    management = EXAMPLES.parents[1] / "management/examples/micro_workshop.yaml"
    answers = smesdk.load_answers(management)
    result = smesdk.load_framework("management", answers.profile).assess(answers)
    assert zjtx.SECTION not in result.extensions and benchmark.SECTION not in result.extensions
    assert zjtx.FACT_KEY not in result.facts and benchmark.FACT_KEY not in result.facts
    assert not [r for r in result.recommendations if r.origin == plugin.ORIGIN]
