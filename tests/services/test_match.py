"""matched_services() and the offer ranking on a hand-worked case (tests/services/data).

The framework ``svc-hand`` sums points to 100. The firm answers cert "no" (0 of 30), control
"some" (10 of 20), training "some" (15 of 30) and insurance "no" (0 of 20), so the gaps in
points of the total are cert 30, control 10, training 15, insurance 20, and the insurance red
line fails. Tags: cert [certification, testing_voucher] and its dimension quality
[testing_voucher]; control only through the dimension; training [management.training];
insurance [management.training, rights.compliance]; the red line [rights.labour]. By hand:

* quality.testing_voucher: cert 30 + control 10 = 40 (cert counted once, though tagged twice)
* management.training: 15 + 20 = 35
* quality.certification: 30
* rights.compliance: 20
* rights.labour: 0 points, but it lifts the failed red line, so it ranks first.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import smesdk
from smesdk.errors import SmesdkError
from smesdk.services.catalogue import load_catalogue
from smesdk.services.match import gap_text
from smesdk.services.offers import rank_offers

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def assessed() -> tuple[smesdk.Framework, smesdk.Result]:
    fw = smesdk.load_framework(DATA / "tagged.yaml")
    return fw, fw.assess(smesdk.load_answers(DATA / "firm.yaml"))


def test_services_ranked_by_gap_points_with_red_lines_first(assessed):
    fw, result = assessed
    needs = result.matched_services(fw)
    assert [(n.service, n.gap_points) for n in needs] == [
        ("rights.labour", Decimal(0)),
        ("quality.testing_voucher", Decimal(40)),
        ("management.training", Decimal(35)),
        ("quality.certification", Decimal(30)),
        ("rights.compliance", Decimal(20)),
    ]
    assert [r.id for r in needs[0].red_lines] == ["insurance"]
    voucher = needs[1]
    # Each indicator once, biggest gap first, with the clause it comes from.
    assert [(g.indicator, g.gap, g.source.clause) for g in voucher.indicators] == [
        ("quality.cert", Decimal(30), "五（三）"), ("quality.control", Decimal(10), "五（三）")]
    assert voucher.area == "quality" and voucher.source.doc == "003"
    assert voucher.status == "derived"


def test_a_full_score_needs_no_service(assessed):
    fw, _ = assessed
    answers = smesdk.answers_from_data({
        "enterprise": {"name": "满分", "size": "small"}, "date": "2025-06-30",
        "answers": {"quality.cert": "yes", "quality.control": "full",
                    "people.training": "all", "people.insurance": "yes"}})
    assert fw.assess(answers).matched_services(fw) == []


def test_offers_ranked_and_explained(assessed):
    fw, result = assessed
    offers = load_catalogue(DATA / "catalogue.yaml", smesdk.default_host().vocabulary())
    ranking = rank_offers(result.matched_services(fw), result.enterprise, offers)
    # c-labour covers the red line's service (first); f-voucher covers testing_voucher 40 and
    # certification 30 = 70; b-voucher 40; a-cert 30. g-other offers nothing needed.
    assert [(m.offer.id, m.gap_points) for m in ranking.offers] == [
        ("c-labour", Decimal(20)), ("f-voucher", Decimal(70)), ("b-voucher", Decimal(40)),
        ("a-cert", Decimal(30))]
    assert [m.offer.net_price for m in ranking.offers] == [
        Decimal(100), Decimal(9000), Decimal(0), Decimal(4000)]
    # d-training is for medium firms only; e-training serves another region.
    assert [(e.offer.id, [r.en for r in e.reasons]) for e in ranking.excluded] == [
        ("d-training", ["for a medium-sized enterprise only, not a small enterprise"]),
        ("e-training", ["serves 河北省石家庄市 only (the enterprise's region: 河北省邢台市)"])]
    # The sizes by name in Chinese too, not the id "small" inside a Chinese sentence.
    assert ranking.excluded[0].reasons[0].zh == "仅服务中型企业，不服务小型企业"
    text = ranking.offers[1].explanation.en
    assert "70 gap points" in text and "Quality certificate (30 points, 五（三）)" in text
    assert "the enterprise pays 9000 yuan" in text


def test_equal_gap_points_rank_by_what_the_enterprise_pays(assessed, tmp_path):
    fw, result = assessed
    (tmp_path / "c.yaml").write_text(
        "offers:\n"
        "  - {id: dear, provider: A, title: t, services: [quality.certification], price: 900}\n"
        "  - {id: free, provider: B, title: t, services: [quality.certification], price: 0}\n"
        "  - {id: unpriced, provider: C, title: t, services: [quality.certification]}\n",
        encoding="utf-8")
    offers = load_catalogue(tmp_path / "c.yaml", smesdk.default_host().vocabulary())
    ranking = rank_offers(result.matched_services(fw), result.enterprise, offers)
    assert [m.offer.id for m in ranking.offers] == ["free", "dear", "unpriced"]


def test_a_result_of_another_framework_version_is_refused(assessed, tmp_path):
    _, result = assessed
    text = (DATA / "tagged.yaml").read_text("utf-8").replace('version: "1.0.0"',
                                                             'version: "1.0.1"')
    (tmp_path / "changed.yaml").write_text(text, encoding="utf-8")
    changed = smesdk.load_framework(tmp_path / "changed.yaml")
    with pytest.raises(SmesdkError, match="content hash"):
        result.matched_services(changed)


def test_unknown_service_tags_are_refused_with_their_place(tmp_path):
    text = (DATA / "tagged.yaml").read_text("utf-8").replace(
        "services: [management.training]", "services: [management.trianing]")
    (tmp_path / "typo.yaml").write_text(text, encoding="utf-8")
    fw = smesdk.load_framework(tmp_path / "typo.yaml")
    result = fw.assess(smesdk.load_answers(DATA / "firm.yaml"))
    with pytest.raises(SmesdkError, match=r"people.training: unknown service 'management.trianing'"):
        result.matched_services(fw)


@pytest.mark.parametrize(("points", "text"), [
    # A service's gap points add rounded gaps: 9.4999 is the 9.5 the firm misses.
    ("9.4999", "9.5"), ("5.0005", "5"), ("0.8333", "0.83"), ("70.0000", "70"), ("0", "0"),
])
def test_gap_points_read_to_two_places(points: str, text: str) -> None:
    assert gap_text(Decimal(points)) == text
