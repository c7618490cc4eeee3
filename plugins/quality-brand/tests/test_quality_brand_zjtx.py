"""专精特新 indicator 6 (质量管理水平): 3 points per item met, capped at 5 — all 16 cases.

The table is written by hand from the published rule (工信部企业〔2022〕63号, annex 2,
indicator 6), not produced by the plugin: items A quality award, B ISO 9001-type certificate,
C own brand, D took part in drafting standards.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from smesdk_quality_brand import zjtx

import smesdk

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "starter-workshop.yaml"

# (A award, B certificate, C own brand, D standards drafted) -> points
TABLE = {
    (0, 0, 0, 0): 0,  # nothing met
    (1, 0, 0, 0): 3,  # one item: 3
    (0, 1, 0, 0): 3,
    (0, 0, 1, 0): 3,
    (0, 0, 0, 1): 3,
    (1, 1, 0, 0): 5,  # two items: 6, capped at 5
    (1, 0, 1, 0): 5,
    (1, 0, 0, 1): 5,
    (0, 1, 1, 0): 5,
    (0, 1, 0, 1): 5,
    (0, 0, 1, 1): 5,
    (1, 1, 1, 0): 5,  # three items: 9, capped at 5
    (1, 1, 0, 1): 5,
    (1, 0, 1, 1): 5,
    (0, 1, 1, 1): 5,
    (1, 1, 1, 1): 5,  # four items: 12, capped at 5
}
FACTS = ("award.quality.provincial", "cert.iso9001.valid", "brand.own_brand",
         "standards.drafted")
INDICATORS = ("quality.t02.quality_award", "quality.t02.cert_qms", "brand.t11.own_brand",
              "standards.t08.drafted")


def _base() -> dict:
    data = yaml.safe_load((EXAMPLE).read_text(encoding="utf-8"))
    for iid in INDICATORS:  # the four items are given as facts below
        data["answers"].pop(iid, None)
    data.pop("expected", None)
    return data


def _answers(flags, *, expired_b: bool = False) -> smesdk.AnswerSet:
    data = _base()
    for key, flag in zip(FACTS, flags, strict=True):
        data["facts"][key] = bool(flag)
    if flags[1]:
        expires = "2026-10-31" if expired_b else "2027-10-31"  # assessment date 2026-11-01
        data["facts"]["cert.iso9001.valid"] = {
            "value": True, "evidence": {"reference": "00124Q10987R0S", "expires": expires}}
    return smesdk.answers_from_data(data, "yaml")


def test_the_table_is_complete():
    assert set(TABLE) == set(itertools.product((0, 1), repeat=4))


@pytest.mark.parametrize("flags", sorted(TABLE), ids=lambda f: "".join(map(str, f)))
def test_indicator6_points(flags):
    result = smesdk.load_framework("quality-brand").assess(_answers(flags))
    section = result.extensions["zjtx_quality_management"]
    assert section["points"] == TABLE[flags]
    assert section["items_met"] == sum(flags)
    assert [r["met"] for r in section["items"]] == [bool(f) for f in flags]
    assert section["status"] == "official"
    assert result.facts["zjtx.quality_management_points"] == TABLE[flags]


@pytest.mark.parametrize("flags", [f for f in sorted(TABLE) if f[1]],
                         ids=lambda f: "".join(map(str, f)))
def test_an_expired_certificate_counts_as_absent(flags):
    result = smesdk.load_framework("quality-brand").assess(_answers(flags, expired_b=True))
    without_b = (flags[0], 0, flags[2], flags[3])
    section = result.extensions["zjtx_quality_management"]
    assert section["points"] == TABLE[without_b]
    assert section["items"][1]["status"] == "expired"


def test_points_rule_directly():
    from smesdk_quality_brand.zjtx import points_for

    assert [points_for(n) for n in range(5)] == [0, 3, 5, 5, 5]
    with pytest.raises(ValueError):
        points_for(5)


def test_items_are_read_from_the_answer_set_when_a_profile_drops_them():
    # Without a result, the plugin reads answers and facts itself (e.g. a profile without
    # the items); an expired certificate still counts as absent.
    from smesdk_quality_brand.zjtx import compute

    section = compute(_answers((1, 1, 0, 1), expired_b=True), None)
    assert [r["status"] for r in section["items"]] == ["met", "expired", "no", "met"]
    assert section["points"] == 5  # A and D: 2 × 3 = 6, capped at 5
    section = compute(_answers((0, 1, 0, 0), expired_b=True), None)
    assert section["points"] == 0


@pytest.mark.parametrize(("held", "expires", "met"), [
    (True, "2027-10-31", True),    # IATF 16949 or similar, valid
    (True, "2026-10-31", False),   # expired the day before the assessment
    (False, None, False),
])
def test_item_b_accepts_a_sector_qms_certificate(held, expires, met):
    # Item B reads "ISO9001等": without ISO 9001, a valid sector QMS certificate (derived list)
    # meets it; with award and brand as well that is 3 items, 9 points, capped at 5; without
    # it, 2 items, 6, capped at 5 too, so the item row shows the difference.
    data = _base()
    data["facts"].update({FACTS[0]: True, FACTS[1]: False, FACTS[2]: False, FACTS[3]: False})
    answer = {"value": held}
    if expires:
        answer["evidence"] = {"reference": "IATF 0456789", "expires": expires}
    data["answers"]["quality.t02.cert_qms_other"] = answer
    result = smesdk.load_framework("quality-brand").assess(smesdk.answers_from_data(data, "yaml"))
    section = result.extensions["zjtx_quality_management"]
    row_b = next(r for r in section["items"] if r["item"] == "B")
    assert row_b["met"] is met
    assert section["points"] == (5 if met else 3)   # A alone: 3; A and B: 6, capped at 5


def test_the_sector_qms_list_is_derived_and_named():
    fw = smesdk.load_framework("quality-brand")
    ind = fw.indicator("quality.t02.cert_qms_other")
    assert ind.status == "derived" and ind.status_note is not None
    note = ind.source.primary.note
    assert "ISO9001等" in ind.status_note.zh or "ISO9001等" in (note.zh if note else "")
    for standard, _ in zjtx.OTHER_QMS:
        assert standard in ind.question.en and standard in ind.question.zh
