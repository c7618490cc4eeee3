"""Scoring engine tests on small frameworks built in the tests; totals worked out by hand."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest

import smesdk
from smesdk import AnswerError, Framework, Result, SpecError
from smesdk.loading import spec_from_data

T = {"zh": "题", "en": "q"}
DATE = "2026-06-30"


def ind(id: str, kind: str = "yesno", **kw: Any) -> dict[str, Any]:
    return {"id": id, "title": {"zh": f"题{id}", "en": f"q {id}"}, "question": T, "kind": kind,
            "source": {"doc": "d", "clause": f"c-{id}"}, "status": "derived", **kw}


def dim(id: str, *inds: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"id": id, "title": {"zh": f"维{id}", "en": f"dim {id}"}, "indicators": list(inds),
            **kw}


def spec(*dims: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"id": "t", "version": "1.0", "title": T, "description": T,
            "source": {"id": "d", "title": T, "issuer": T}, "dimensions": list(dims), **kw}


def build(data: dict[str, Any], profile: str | None = None) -> Framework:
    return Framework.from_spec(spec_from_data(data), profile=profile)


def answers(ans: dict[str, Any], facts: dict[str, Any] | None = None, *, size: str = "small",
            industry: str | None = None, date: str = DATE) -> smesdk.AnswerSet:
    ent: dict[str, Any] = {"name": "测试企业", "size": size}
    if industry is not None:
        ent["industry"] = industry
    return smesdk.answers_from_data({"enterprise": ent, "date": date, "answers": ans,
                                     "facts": facts or {}})


def opt(value: str, points: float) -> dict[str, Any]:
    return {"value": value, "label": {"zh": value, "en": value}, "points": points}


SCALE = [{"level": n, "label": {"zh": str(n), "en": str(n)}} for n in range(5)]

# Dimension a (weight 2, weighted_mean): s scale 0-4 (w1), c choice 0/1/2 (w3), y yesno (w1).
# Dimension b (weight 1, sum_points): p percent 0/2/4, m multi 1+2, d date 3 pts in 365 days,
# t text (unscored).
BASE = spec(
    dim("a",
        ind("s", "scale", scale=SCALE),
        ind("c", "choice", weight=3, options=[opt("no", 0), opt("partly", 1), opt("fully", 2)],
            recommendation={"zh": "分解目标", "en": "break goals down"}),
        ind("y", na_allowed=True),
        weight=2),
    dim("b",
        ind("p", "percent", bands=[{"ge": 0, "lt": 50, "points": 0},
                                   {"ge": 50, "lt": 80, "points": 2},
                                   {"ge": 80, "le": 100, "points": 4}]),
        ind("m", "multi", options=[opt("x", 1), opt("z", 2)]),
        ind("d", "date", within_days=365, points=3),
        ind("t", "text", required=False),
        aggregation="sum_points", points=10,
        recommendation={"zh": "运营建议", "en": "operations advice"}),
)

GOOD = {"a.s": 3, "a.c": "partly", "a.y": True, "b.p": 60, "b.m": ["z"], "b.d": "2026-01-01",
        "b.t": "见附件"}


@pytest.fixture(scope="module")
def base() -> Framework:
    return build(BASE)


@pytest.fixture(scope="module")
def result(base: Framework) -> Result:
    return base.assess(answers(GOOD))


def test_total_by_hand(result: Result) -> None:
    # a: s 3/4, c 1/2, y 1 -> (1*0.75 + 3*0.5 + 1*1) / 5 = 3.25/5 = 0.65
    # b: p 60 -> 2 of 4; m [z] -> 2 of 3; d 2026-01-01 is 180 days before -> 3 of 3;
    #    t text unscored -> (2+2+3)/(4+3+3) = 7/10
    # total = (2*0.65 + 1*0.7) / 3 * 100 = 2/3 * 100 = 66.6666... -> 66.6667
    assert result.total == D("66.6667")
    assert result.dimension("a").score == D("65")
    assert result.dimension("b").score == D("70")
    assert result.dimension("b").points == D("7")
    assert result.dimension("b").max_points == D("10")
    assert result.indicator("b.p").points == D("2")
    assert result.indicator("b.m").points == D("2")
    assert result.indicator("b.d").points == D("3")
    assert result.indicator("b.t").status == "unscored"
    assert result.indicator("b.t").score is None


def test_shares_and_contributions_add_up(result: Result) -> None:
    # share(a) = 100 * 2/3 = 66.6667, share(b) = 33.3333
    assert result.dimension("a").share == D("66.6667")
    assert result.dimension("b").share == D("33.3333")
    # a.c: 200/3 * 3/5 = 40; contribution 0.5 * 40 = 20
    c = result.indicator("a.c")
    assert (c.share, c.contribution) == (D("40"), D("20"))
    # b.m: 100/3 * 3/10 = 10; contribution 2/3 * 10 = 6.6667
    m = result.indicator("b.m")
    assert (m.share, m.contribution) == (D("10"), D("6.6667"))
    # 10 + 20 + 13.3333 + 6.6667 + 6.6667 + 10 = 66.6667 (exact: 40 + 80/3 = 200/3)
    contributions = [i.contribution for i in result.indicators if i.contribution is not None]
    assert len(contributions) == 6
    assert abs(sum(contributions) - result.total) <= D("0.0003")
    shares = [i.share for i in result.indicators if i.share is not None]
    assert abs(sum(shares) - D(100)) <= D("0.0003")
    # a: 0.65 * 200/3 = 130/3 = 43.3333; b: 0.7 * 100/3 = 70/3 = 23.3333 (sum 200/3, each
    # rounded separately)
    assert result.dimension("a").contribution == D("43.3333")
    assert result.dimension("b").contribution == D("23.3333")


def test_na_is_left_out_of_denominators(base: Framework) -> None:
    r = base.assess(answers({**GOOD, "a.y": {"na": True, "reason": "无此业务"}}))
    # a: (1*0.75 + 3*0.5) / (1+3) = 2.25/4 = 0.5625
    # total = (2*0.5625 + 0.7) / 3 * 100 = 1.825/3*100 = 60.8333...
    assert r.dimension("a").score == D("56.25")
    assert r.total == D("60.8333")
    y = r.indicator("a.y")
    assert (y.status, y.score, y.share, y.contribution) == ("na", None, None, None)
    assert [(w.code, w.indicator) for w in r.warnings] == [("na", "a.y")]


@pytest.mark.parametrize(("answer", "message"), [
    ({"na": True, "reason": "  "}, "N/A needs a reason"),
    ({"na": True}, "N/A needs a reason"),
])
def test_na_needs_a_reason(base: Framework, answer: Any, message: str) -> None:
    with pytest.raises(AnswerError) as info:
        base.assess(answers({**GOOD, "a.y": answer}))
    assert [(p.path, p.message) for p in info.value.problems] == [("answers.a.y", message)]


def test_na_needs_na_allowed(base: Framework) -> None:
    with pytest.raises(AnswerError) as info:
        base.assess(answers({**GOOD, "a.s": {"na": True, "reason": "x"}}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("answers.a.s", "N/A is not allowed for this indicator")]


def test_na_cap() -> None:
    data = copy.deepcopy(BASE)
    data["dimensions"][0]["na_cap"] = 0.25
    fw = build(data)
    na = {**GOOD, "a.y": {"na": True, "reason": "无"}}
    # 1 of 3 indicators of a is N/A: 1/3 > 0.25
    with pytest.raises(AnswerError) as info:
        fw.assess(answers(na))
    assert [p.path for p in info.value.problems] == ["dimensions.a"]
    assert info.value.problems[0].message.startswith("1 of 3 indicators answered N/A")
    assert fw.validate_answers(answers(na)) == info.value.problems
    data["dimensions"][0]["na_cap"] = 0.5     # 1/3 <= 0.5: allowed
    assert build(data).assess(answers(na)).total == D("60.8333")


def test_framework_na_cap_is_inherited() -> None:
    data = copy.deepcopy(BASE)
    data["na_cap"] = 0.3
    with pytest.raises(AnswerError) as info:
        build(data).assess(answers({**GOOD, "a.y": {"na": True, "reason": "无"}}))
    assert [p.path for p in info.value.problems] == ["dimensions.a"]


def test_every_answer_problem_is_reported_at_once(base: Framework) -> None:
    bad = {**GOOD, "a.cc": "fully", "a.c": "maybe", "b.p": 140}
    del bad["a.s"]
    with pytest.raises(AnswerError) as info:
        base.assess(answers(bad))
    got = {p.path: p.message for p in info.value.problems}
    assert got == {
        "answers.a.cc": "unknown indicator id (did you mean 'a.c'?)",
        "answers.a.s": "required answer missing",
        "answers.a.c": "'maybe' is not one of no/partly/fully",
        "answers.b.p": "140% is outside the allowed range 0–100%",
    }
    assert len(info.value.problems) == 4
    assert base.validate_answers(answers(bad)) == info.value.problems
    assert base.validate_answers(answers(GOOD)) == []


def test_unknown_id_without_close_match(base: Framework) -> None:
    with pytest.raises(AnswerError) as info:
        base.assess(answers({**GOOD, "zzzzzz": 1}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("answers.zzzzzz", "unknown indicator id")]


def test_optional_unanswered_scores_zero_with_warning() -> None:
    fw = build(spec(dim("a", ind("p"), ind("q", required=False))))
    r = fw.assess(answers({"a.p": True}))
    # (1 + 0) / 2 * 100 = 50: the unanswered one stays in the denominator
    assert r.total == D("50")
    assert r.indicator("a.q").status == "unanswered"
    assert [(w.code, w.indicator) for w in r.warnings] == [("unanswered", "a.q")]


# --- depends_on ----------------------------------------------------------------------------

DEPS = spec(dim("a",
                ind("p", na_allowed=True),
                ind("q", "choice", options=[opt("no", 0), opt("yes", 2)], depends_on=["a.p"]),
                ind("r")))


def test_prerequisite_unmet_scores_zero_without_an_answer() -> None:
    r = build(DEPS).assess(answers({"a.p": False, "a.r": True}))
    # p 0/1, q 0/2 (not asked), r 1/1 -> (0 + 0 + 1)/3 * 100 = 33.3333
    assert r.total == D("33.3333")
    q = r.indicator("a.q")
    assert (q.status, q.points, q.score, q.answer) == ("prerequisite_unmet", D(0), D(0), None)
    assert "a.p" in (q.note or "")
    # The Chinese rule names the prerequisite; the engine's English note stays out of it.
    assert q.rule.zh == "前提未满足（a.p），按 0 分计"
    assert q.rule.en == "prerequisite not met: a.p: 0 points"


def test_prerequisite_unmet_ignores_a_given_answer() -> None:
    r = build(DEPS).assess(answers({"a.p": False, "a.q": "yes", "a.r": True}))
    assert r.indicator("a.q").points == D(0)
    assert r.total == D("33.3333")


def test_prerequisite_na_counts_as_unmet() -> None:
    r = build(DEPS).assess(answers({"a.p": {"na": True, "reason": "x"}, "a.r": True}))
    # p left out; q 0 (prerequisite N/A), r 1 -> (0 + 1)/2 * 100 = 50
    assert r.total == D("50")
    assert r.indicator("a.q").status == "prerequisite_unmet"


def test_prerequisite_met_scores_normally() -> None:
    r = build(DEPS).assess(answers({"a.p": True, "a.q": "yes", "a.r": False}))
    # (1 + 1 + 0)/3 * 100 = 66.6667
    assert r.total == D("66.6667")


def test_missing_prerequisite_is_reported_not_a_crash() -> None:
    # (crashed with KeyError before 4e4744f.) The prerequisite's own problem is reported and,
    # as its answer is unknown, the dependent is still checked and reported too.
    with pytest.raises(AnswerError) as info:
        build(DEPS).assess(answers({"a.r": True}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("answers.a.p", "required answer missing"),
        ("answers.a.q", "required answer missing"),
    ]


def test_invalid_prerequisite_answer_is_reported() -> None:
    with pytest.raises(AnswerError) as info:
        build(DEPS).assess(answers({"a.p": "maybe", "a.q": "yes", "a.r": True}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("answers.a.p", "expected yes or no (是/否), got 'maybe'")]


def test_circular_depends_on_is_a_spec_error() -> None:
    data = spec(dim("a", ind("p", depends_on=["a.q"]), ind("q", depends_on=["a.p"])))
    with pytest.raises(SpecError) as info:
        build(data)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("dimensions[0].indicators[1].depends_on", "circular depends_on: a.p -> a.q -> a.p")]


def test_depends_on_self_and_unknown() -> None:
    data = spec(dim("a", ind("p", depends_on=["a.p", "a.nope"])))
    with pytest.raises(SpecError) as info:
        build(data)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("dimensions[0].indicators[0].depends_on[0]", "an indicator cannot depend on itself"),
        ("dimensions[0].indicators[0].depends_on[1]", "unknown indicator 'a.nope'"),
    ]


# --- facts ---------------------------------------------------------------------------------

FACTS = spec(dim("a", ind("iso", fact="cert.iso9001.valid", points=4), ind("r")))


def test_fact_answer_serves_the_indicator() -> None:
    r = build(FACTS).assess(answers({"a.r": False}, facts={"cert.iso9001.valid": True,
                                                          "unused.fact": 3}))
    # iso 4/4, r 0/1 -> (1 + 0)/2 * 100 = 50
    assert r.total == D("50")
    assert r.indicator("a.iso").answer is True


def test_an_answer_and_its_fact_must_agree() -> None:
    # Both given and equal: scored as usual (iso 1, r 1 -> 100).
    r = build(FACTS).assess(answers({"a.iso": True, "a.r": True},
                                    facts={"cert.iso9001.valid": True}))
    assert r.total == D("100")
    # Different: an error naming both, not a silent choice of one (issue 14).
    with pytest.raises(AnswerError) as info:
        build(FACTS).assess(answers({"a.iso": False, "a.r": True},
                                    facts={"cert.iso9001.valid": True}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("facts.cert.iso9001.valid", "says True but answers.a.iso says False; give one of them")]


def test_missing_fact_is_reported_with_the_fact_alternative() -> None:
    with pytest.raises(AnswerError) as info:
        build(FACTS).assess(answers({"a.r": True}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("answers.a.iso", "required answer missing (or give fact 'cert.iso9001.valid')")]


def test_invalid_fact_answer_is_reported_under_facts() -> None:
    with pytest.raises(AnswerError) as info:
        build(FACTS).assess(answers({"a.r": True}, facts={"cert.iso9001.valid": "maybe"}))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("facts.cert.iso9001.valid", "expected yes or no (是/否), got 'maybe'")]


# --- evidence expiry -----------------------------------------------------------------------


def test_expired_evidence_scores_as_worst() -> None:
    fw = build(FACTS)
    expired = {"value": True, "evidence": {"reference": "Q1", "expires": "2026-06-29"}}
    r = fw.assess(answers({"a.r": True}, facts={"cert.iso9001.valid": expired}))
    # iso voided -> 0 of 4; r 1 -> (0 + 1)/2 * 100 = 50
    iso = r.indicator("a.iso")
    assert (iso.status, iso.points, iso.answer) == ("expired", D(0), False)
    assert [(w.code, w.indicator) for w in r.warnings] == [("expired", "a.iso")]
    assert r.total == D("50")
    assert iso.evidence is not None and iso.evidence["expires"] == "2026-06-29"


def test_evidence_expiring_on_the_assessment_date_is_still_valid() -> None:
    valid = {"value": True, "evidence": {"expires": DATE}}
    r = build(FACTS).assess(answers({"a.r": True}, facts={"cert.iso9001.valid": valid}))
    assert r.indicator("a.iso").status == "scored"
    assert r.total == D("100")
    assert r.warnings == []


def test_expired_evidence_better_lower_and_choice() -> None:
    fw = build(spec(dim("a", ind("acc", better="lower"),
                        ind("c", "choice", options=[opt("lo", 0), opt("hi", 2)]))))
    old = {"expires": "2020-01-01"}
    r = fw.assess(answers({"a.acc": {"value": False, "evidence": old},
                           "a.c": {"value": "hi", "evidence": old}}))
    # worst of better=lower is "yes" -> 0; worst option "lo" -> 0; total 0
    assert r.indicator("a.acc").answer is True
    assert r.indicator("a.c").answer == "lo"
    assert r.total == D(0)
    assert sorted(w.indicator or "" for w in r.warnings if w.code == "expired") == ["a.acc", "a.c"]


def test_expired_evidence_on_a_date_indicator() -> None:
    fw = build(spec(dim("a", ind("audit", "date", within_days=365, points=2))))
    r = fw.assess(answers({"a.audit": {"value": "2026-06-01",
                                       "evidence": {"expires": "2026-06-15"}}}))
    # voided: scored as the worst answer (0 points) with an expired warning
    assert r.indicator("a.audit").status == "expired"
    assert [(w.code, w.indicator) for w in r.warnings] == [("expired", "a.audit")]
    assert r.total == D(0)


# --- applies_to ----------------------------------------------------------------------------

APPLIES = spec(dim("a", ind("p"), ind("big", applies_to={"sizes": ["medium"]}),
                   ind("ind18", applies_to={"industries": ["18"]})))


def test_applies_to_excludes_from_denominator() -> None:
    r = build(APPLIES).assess(answers({"a.p": True}, size="small", industry="5"))
    # only p applies: 1/1 -> 100; the others need no answer
    assert r.total == D("100")
    assert r.indicator("a.big").status == "not_applicable"
    assert r.indicator("a.ind18").status == "not_applicable"
    assert r.indicator("a.big").score is None


def test_applies_to_includes_matching_firm() -> None:
    r = build(APPLIES).assess(answers({"a.p": True, "a.big": False, "a.ind18": True},
                                      size="medium", industry="18"))
    # (1 + 0 + 1)/3 * 100 = 66.6667
    assert r.total == D("66.6667")


def test_applies_to_industries_without_industry_given() -> None:
    r = build(APPLIES).assess(answers({"a.p": False}, size="small"))
    assert r.indicator("a.ind18").status == "not_applicable"
    assert r.total == D(0)


# --- exports -------------------------------------------------------------------------------


def test_exports() -> None:
    data = copy.deepcopy(BASE)
    data["levels"] = [{"id": "l1", "title": T, "min": 0, "max": 50},
                      {"id": "l2", "title": T, "min": 50}]
    data["exports"] = {"t.total": "total", "t.level": "level", "t.rank": "level_rank",
                       "t.a": "dim:a:score", "t.b_points": "dim:b:points",
                       "t.c": "ind:a.c:answer", "t.s_level": "ind:a.s:level",
                       "t.p_points": "ind:b.p:points"}
    r = build(data).assess(answers(GOOD))
    assert r.facts == {"t.a": 65, "t.b_points": 7, "t.c": "partly", "t.level": "l2",
                       "t.p_points": 2, "t.rank": 2, "t.s_level": 3, "t.total": 66.6667}


def test_bad_export_is_a_spec_error() -> None:
    data = copy.deepcopy(BASE)
    data["exports"] = {"x": "dim:nope:score", "y": "average"}
    with pytest.raises(SpecError) as info:
        build(data)
    assert [p.path for p in info.value.problems] == ["exports.x", "exports.y"]
    assert info.value.problems[0].message == "unknown id 'nope'"


# --- gaps and recommendations --------------------------------------------------------------


def test_gaps_ordered_by_impact(result: Result) -> None:
    # impact = (target - score) * share:
    #   a.c (1-0.5)*40 = 20; b.p (1-0.5)*13.3333 = 6.6667; a.s (1-0.75)*13.3333 = 3.3333;
    #   b.m (1-2/3)*10 = 3.3333 (tie with a.s, broken by id); a.y, b.d full -> no gap
    assert [(g.indicator, g.current, g.target, g.impact) for g in result.gaps] == [
        ("a.c", D(50), D(100), D(20)),
        ("b.p", D(50), D(100), D("6.6667")),
        ("a.s", D(75), D(100), D("3.3333")),
        ("b.m", D("66.6667"), D(100), D("3.3333")),
    ]
    # a.s has no recommendation and a has none to fall back on; b's indicators use b's
    assert [(r.indicator, r.text.en, r.impact) for r in result.recommendations] == [
        ("a.c", "break goals down", D(20)),
        ("b.p", "operations advice", D("6.6667")),
        ("b.m", "operations advice", D("3.3333")),
    ]
    assert result.recommendations[0].source is not None
    assert result.recommendations[0].source.primary.clause == "c-c"


def test_target_below_one_removes_gap() -> None:
    data = copy.deepcopy(BASE)
    data["dimensions"][0]["indicators"][0]["target"] = 0.75
    r = build(data).assess(answers(GOOD))
    assert "a.s" not in [g.indicator for g in r.gaps]


# --- result JSON and explain ---------------------------------------------------------------


def test_result_json_round_trips_and_is_stable(base: Framework, result: Result) -> None:
    text = result.to_json()
    assert Result.from_json(text) == result
    again = base.assess(answers(GOOD)).to_json()
    assert again.encode("utf-8") == text.encode("utf-8")
    assert build(BASE).assess(answers(GOOD)).to_json() == text
    assert '"total": 66.6667' in text
    assert result.provenance.content_hash.startswith("sha256:")


def test_explain_traces_answer_rule_points_weight_contribution(result: Result) -> None:
    text = result.explain("a.c")
    assert "a.c [d c-c]" in text
    assert "answer: partly" in text
    assert "rule: option 'partly' scores 1" in text
    assert "points: 1 / 2 = 50%" in text
    assert "weight: 3; share of total 40" in text
    assert "contribution: 20" in text
    zh = result.explain("a.c", lang="zh")
    assert "答案: partly" in zh and "贡献: 20" in zh


def test_explain_dimension_and_whole(result: Result) -> None:
    dim_text = result.explain("b")
    assert dim_text.splitlines()[0] == (
        "b dim b: score 70 (7/10 points, sum_points) → contribution 23.3333")
    assert "b.m [d c-m]" in dim_text and "a.c" not in dim_text
    assert result.explain().splitlines()[0] == "total: 66.6667"
    with pytest.raises(KeyError):
        result.explain("nope")


def test_unscored_dimension_is_left_out_of_total() -> None:
    data = spec(dim("a", ind("p")), dim("info", ind("q"), scored=False))
    r = build(data).assess(answers({"a.p": True, "info.q": False}))
    # only a counts: 1/1 -> 100; info is answered but not part of the total
    assert r.total == D(100)
    assert r.dimension("info").score == D(0)
    assert r.dimension("info").contribution is None


def test_minimum_dimension_contributions_are_not_reported() -> None:
    data = spec(dim("a", ind("p"), ind("q"), aggregation="minimum"), dim("b", ind("r")))
    r = build(data).assess(answers({"a.p": True, "a.q": False, "b.r": True}))
    # a = min(1, 0) = 0; b = 1; total = (0 + 1)/2 * 100 = 50
    assert r.total == D(50)
    assert r.dimension("a").contribution == D(0)      # a itself is under a linear root
    assert r.indicator("a.p").contribution is None   # not linear below a minimum
    assert r.dimension("b").contribution == D(50)


def test_rounding_half_away_from_zero() -> None:
    # weights 1 and 15999, only the first met: total = 1/16000 * 100 = 0.00625 exactly,
    # a half at the 5th place -> rounded away from zero to 0.0063 (not banker's 0.0062)
    data = spec(dim("a", ind("p", weight=1), ind("q", weight=15999)))
    r = build(data).assess(answers({"a.p": True, "a.q": False}))
    assert r.total == D("0.0063")


def test_indicators_by_id_is_the_index_indicator_reads(result: Result) -> None:
    from smesdk.result import evolved

    by_id = result.indicators_by_id()
    assert list(by_id) == [i.id for i in result.indicators]
    for item in result.indicators:
        assert by_id[item.id] is item is result.indicator(item.id)
    assert by_id.get("no.such.indicator") is None
    with pytest.raises(TypeError):
        by_id["x"] = result.indicators[0]  # type: ignore[index]
    # A copy the result hooks make keeps the same indicators, and reads them the same way.
    copy_ = evolved(result, facts={"x": 1})
    assert dict(copy_.indicators_by_id()) == dict(by_id)
