"""smesdk.compare on hand-computed cases, one framework and two versions.

The example framework: total = (w_s·strategy + hr + operations) / Σw × 100 (weighted mean of
dimension scores), strategy = mean(mission/4, plan/2), hr = mean(insurance, training band/2),
operations = points/10. T0 is examples/answers/example-small-firm.yaml: strategy 62.5, hr 75,
operations 90, total (2·62.5 + 75 + 90)/4 = 72.5, level "standard" (rank 2).
"""

from __future__ import annotations

import re
from decimal import Decimal as D

import attrs
import pytest

import smesdk
from smesdk.deltas import compare
from smesdk.framework import Framework
from smesdk.report import ReportError, render_html

from .conftest import answers

# T1: mission 4, plan fully, 30 training hours; the rest as T0 (audit a year later too).
IMPROVED = {"strategy.mission": 4, "strategy.plan": "fully", "hr.training_hours": 30}


def test_one_framework_every_change_is_practice(v1: Framework, t0: smesdk.AnswerSet) -> None:
    r0, r1 = v1.assess(t0), v1.assess(answers(**IMPROVED))
    c = compare(r0, r1)
    assert not c.framework_changed and c.split
    # T1: strategy 100, hr 100, operations 90 -> (200 + 100 + 90) / 4 = 97.5
    assert (c.total.before, c.total.after, c.total.points) == (D("72.5"), D("97.5"), D("25"))
    assert (c.total.practice, c.total.model, c.total.direction) == (D("25"), D("0"), "improved")
    # level: standard (rank 2) -> advanced (rank 3; its gate, strategy >= 75, now holds)
    assert (c.level.points, c.level_after and c.level_after.id) == (D("1"), "advanced")
    by_id = {x.id: x for x in c.indicators + c.dimensions}
    # mission carries 2/4 · 1/2 = 25 points of the total: 75 % -> 100 % is +6.25
    assert (by_id["strategy.mission"].before, by_id["strategy.mission"].after,
            by_id["strategy.mission"].points) == (D("75"), D("100"), D("6.25"))
    # plan carries 25 points: 50 % -> 100 % is +12.5; strategy 50 points: 62.5 % -> 100 %
    assert by_id["strategy.plan"].points == D("12.5")
    assert by_id["strategy"].points == D("18.75")
    # training carries 1/4 · 1/2 = 12.5 points: 50 % -> 100 % is +6.25
    assert (by_id["hr.training_hours"].points, by_id["hr"].points) == (D("6.25"), D("6.25"))
    assert (by_id["operations"].direction, by_id["operations"].points) == ("unchanged", D("0"))
    assert by_id["strategy.plan"].title.en == "Goals broken down"  # names, not ids


def test_a_regression_is_negative(v1: Framework, t0: smesdk.AnswerSet) -> None:
    # insurance no: it carries 1/4 · 1/2 = 12.5 points, 100 % -> 0 % is -12.5; hr falls from
    # mean(1, 0.5) = 75 to mean(0, 0.5) = 25; and the red line caps the level at basic
    r1 = v1.assess(answers(**{"hr.insurance": False}))
    c = compare(v1.assess(t0), r1)
    ins = next(x for x in c.indicators if x.id == "hr.insurance")
    assert (ins.direction, ins.points) == ("regressed", D("-12.5"))
    assert c.total.points == D("-12.5") and c.level.direction == "regressed"
    assert c.level_after is not None and c.level_after.id == "basic"


def test_framework_change_splits_practice_from_model(v1: Framework, v2: Framework,
                                                     t0: smesdk.AnswerSet) -> None:
    a1 = answers(**IMPROVED, **{"hr.contracts": True})
    r0, r1 = v1.assess(t0), v2.assess(a1)
    c = compare(r0, r1, answers=(t0, a1), frameworks=(v1, v2))
    assert c.framework_changed and c.split
    # T0' (T0 answers under v2): strategy 62.5, hr (1 + 0.5 + 0)/3 = 50 (contracts not asked
    # at T0: assumed at its worst answer), operations 90 -> (62.5 + 50 + 90)/3 = 67.5.
    # T1 under v2: (100 + 100 + 90)/3 = 96.6667 (rounded once to four places).
    assert (c.total.before, c.total.after) == (D("72.5"), D("96.6667"))
    assert c.total.model == D("67.5") - D("72.5")            # -5: the yardstick moved
    assert c.total.practice == D("96.6667") - D("67.5")      # +29.1667: the firm improved
    assert c.total.practice + c.total.model == c.total.points
    hr = next(x for x in c.dimensions if x.id == "hr")
    # hr's share: 25 (v1) -> 33.3333 (v2). Contributions: T0 18.75, T0' 50 % of 33.3333 =
    # 16.6667, T1 33.3333.
    assert (hr.model, hr.practice) == (D("16.6667") - D("18.75"), D("33.3333") - D("16.6667"))
    contracts = next(x for x in c.indicators if x.id == "hr.contracts")
    # new in v2: 0 at T0', then 100 % of 33.3333/3 = 11.1111 points at T1
    assert (contracts.direction, contracts.model, contracts.practice) == (
        "added", D("0"), D("11.1111"))
    assert [(x.indicator, x.what) for x in c.carried] == [("hr.contracts", "assumed worst")]
    # the level: standard -> advanced, all of it practice (T0' is still standard)
    assert (c.level.practice, c.level.model) == (D("1"), D("0"))


def test_framework_change_without_answers_says_it_cannot_split(
        v1: Framework, v2: Framework, t0: smesdk.AnswerSet) -> None:
    a1 = answers(**{"hr.contracts": True})
    c = compare(v1.assess(t0), v2.assess(a1))
    assert c.framework_changed and not c.split
    assert c.total.practice is None and "cannot be told apart" in c.notes[0].en


def test_wrong_framework_is_refused(v1: Framework, v2: Framework, t0: smesdk.AnswerSet) -> None:
    r0 = v1.assess(t0)
    with pytest.raises(smesdk.SmesdkError, match="not the one that scored"):
        compare(r0, r0, answers=(t0, t0), frameworks=(v2, v1))


def test_json_round_trip_shape(v1: Framework, t0: smesdk.AnswerSet) -> None:
    data = compare(v1.assess(t0), v1.assess(answers(**IMPROVED))).to_dict()
    assert data["total"]["points"] == 25 and data["split"] is True
    assert data["level_after"]["id"] == "advanced"


@pytest.mark.parametrize(("earlier", "later", "refused"), [
    # names differ, no credit codes: two firms (a report read "Earlier assessment" of another)
    ({"name": "甲公司"}, {"name": "乙公司"}, "of '甲公司', the later one of '乙公司'"),
    # one name, two credit codes: two firms
    ({"name": "甲公司", "credit_code": "91320500MA1A"}, {"name": "甲公司",
                                                       "credit_code": "91320500MA1B"},
     "credit code 91320500MA1A, the later one of 91320500MA1B"),
    # renamed, one credit code: one firm
    ({"name": "甲公司", "credit_code": "91320500MA1A"}, {"name": "甲科技公司",
                                                       "credit_code": "91320500MA1A"}, None),
])
def test_a_comparison_is_of_one_enterprise(v1: Framework, t0: smesdk.AnswerSet,
                                           earlier: dict[str, str], later: dict[str, str],
                                           refused: str | None) -> None:
    def of(who: dict[str, str], answer_set: smesdk.AnswerSet) -> smesdk.Result:
        return v1.assess(attrs.evolve(answer_set, enterprise=attrs.evolve(
            answer_set.enterprise, **who)))

    r0, r1 = of(earlier, t0), of(later, answers(**IMPROVED))
    if refused is None:
        assert compare(r0, r1).total.after is not None
        return
    with pytest.raises(smesdk.SmesdkError, match=re.escape(refused)):
        compare(r0, r1)
    with pytest.raises(ReportError, match=re.escape(refused)):  # the report's --compare too
        render_html(r1, v1, compare=r0)
