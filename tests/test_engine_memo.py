"""The engine remembers per-answer work (smesdk.cells, smesdk.layout): prove it never shows.

A remembered piece must give exactly what a fresh framework computes, whatever came before,
must tell apart answers that compare equal but mean different things, and must never be used
for plugin kinds that did not declare themselves pure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import smesdk
from smesdk import cells, engine
from smesdk.cells import value_key
from smesdk.loading import spec_from_data

ROOT = Path(__file__).resolve().parents[1]
T = {"zh": "文", "en": "text"}
EXAMPLES = sorted((ROOT / "plugins").glob("*/examples/*.yaml"))


def _fresh(fid: str, profile: str | None) -> smesdk.Framework:
    host = smesdk.PluginHost()
    return host.load_framework(fid, profile)


def test_interleaved_scoring_equals_fresh_frameworks() -> None:
    # Score every official example on one framework object per id, twice over in a shuffled
    # order, and compare each result with a framework that has never scored anything.
    sets = [smesdk.load_answers(p) for p in EXAMPLES]
    host = smesdk.PluginHost()
    shared: dict[tuple[str, str | None], smesdk.Framework] = {}
    order = list(range(len(sets))) + list(reversed(range(len(sets))))
    assert len(sets) >= 10
    for i in order:
        a = sets[i]
        assert a.framework is not None
        key = (a.framework, a.profile)
        fw = shared.setdefault(key, host.load_framework(a.framework, a.profile))
        assert fw.assess(a).to_json() == _fresh(*key).assess(a).to_json(), EXAMPLES[i].name


def test_value_key_tells_equal_but_different_answers_apart() -> None:
    assert value_key(1) != value_key(True)  # 1 == True in Python
    assert value_key(1) != value_key(1.0)
    assert value_key(Decimal("1.0")) != value_key(Decimal("1.00"))  # equal, printed differently
    assert value_key(["a", "b"]) != value_key(("a", "b"))
    assert value_key(["a", "b"]) == value_key(["a", "b"])
    assert value_key(dt.date(2026, 1, 1)) == value_key(dt.date(2026, 1, 1))
    assert value_key({"a": 1}) is None  # unhashable: never remembered
    assert value_key([{"a": 1}]) is None


def _framework(**number: Any) -> smesdk.Framework:
    return smesdk.Framework.from_spec(spec_from_data({
        "id": "t", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T},
        "dimensions": [{"id": "d", "title": T, "indicators": [
            {"id": "n", "title": T, "question": T, "kind": "number", "status": "derived",
             "source": {"doc": "000", "clause": "一"},
             "bands": [{"lt": 3, "points": 0}, {"ge": 3, "points": 4}], **number},
            {"id": "y", "title": T, "question": T, "kind": "yesno", "status": "derived",
             "source": {"doc": "000", "clause": "一"}, "na_allowed": True},
        ]}],
    }))


def _answers(answers: dict[str, Any]) -> smesdk.AnswerSet:
    return smesdk.answers_from_data({"enterprise": {"name": "x", "size": "small"},
                                     "date": "2026-01-01",
                                     "answers": {f"d.{k}": v for k, v in answers.items()}})


def test_answers_that_compare_equal_are_remembered_apart() -> None:
    fw = _framework()
    raws: list[Any] = [3, 3.0, Decimal("3.00"), "3", True]
    for raw in [*raws, *reversed(raws)]:
        try:
            fresh = _framework().assess(_answers({"n": raw, "y": True})).to_json()
        except smesdk.AnswerError as exc:  # a kind may refuse some spellings: so must memo
            with pytest.raises(smesdk.AnswerError) as again:
                fw.assess(_answers({"n": raw, "y": True}))
            assert str(again.value) == str(exc)
            continue
        assert fw.assess(_answers({"n": raw, "y": True})).to_json() == fresh, raw
    assert len({key[1] for key in fw.cells if key[0] == "d.n"}) >= 4


def test_answers_in_one_band_share_their_gap_but_keep_their_own_trace() -> None:
    # 1 and 2 both fall in the band below 3: 0 of 4 points, so each is a gap of the full
    # share of n (50 % of the total, y scoring 100): impact (100 - 0) x 50 % = 50 points.
    fw = _framework()
    first = fw.assess(_answers({"n": 1, "y": True}))
    second = fw.assess(_answers({"n": 2, "y": True}))
    assert second.to_json() == _framework().assess(_answers({"n": 2, "y": True})).to_json()
    assert [i.answer for i in (first.indicators[0], second.indicators[0])] == [1, 2]
    assert first.gaps == second.gaps
    assert second.gaps[0].impact == Decimal(50)
    # 5 is in the other band (4 of 4): no gap is left, whatever 1 and 2 gave.
    assert fw.assess(_answers({"n": 5, "y": True})).gaps == []


def test_na_changes_the_layout_and_is_not_mixed_up_with_the_full_one() -> None:
    fw = _framework()
    full = fw.assess(_answers({"n": 1, "y": True}))
    na = fw.assess(_answers({"n": 1, "y": {"na": True, "reason": "no such process"}}))
    again = fw.assess(_answers({"n": 1, "y": True}))
    # Full: n 0 of 4 -> 0, y 1 of 1 -> 100; mean = 50. With y N/A only n counts: 0.
    assert full.total == Decimal(50) and again.total == Decimal(50)
    assert na.total == Decimal(0)
    assert full.indicators[0].share == Decimal(50)
    assert na.indicators[0].share == Decimal(100)
    assert again.to_json() == full.to_json()
    assert len(fw.layouts) == 2


def test_expired_evidence_is_scored_for_its_own_answer_set() -> None:
    fw = _framework()
    ok = {"value": True, "evidence": {"expires": "2027-01-01"}}
    old = {"value": True, "evidence": {"expires": "2025-01-01"}}
    first = fw.assess(_answers({"n": 5, "y": ok}))
    voided = fw.assess(_answers({"n": 5, "y": old}))
    # Valid evidence: both full marks -> 100. Expired: y scored as "no" -> (100 + 0) / 2 = 50.
    assert first.total == Decimal(100)
    assert voided.total == Decimal(50)
    assert voided.indicators[1].status == "expired"
    assert (first.indicators[1].evidence or {})["expires"] == "2027-01-01"
    assert (voided.indicators[1].evidence or {})["expires"] == "2025-01-01"


def test_memo_bound_clears_and_keeps_results_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cells, "MAX_CELLS", 3)
    monkeypatch.setattr(engine, "MAX_MEMO", 3)
    fw = _framework()
    results = {n: fw.assess(_answers({"n": n, "y": False})).total for n in range(6)}
    assert len(fw.cells) <= 3
    assert all(len(layout.memo) <= 3 for layout in fw.layouts.values())
    # n < 3 -> 0 points, n >= 3 -> 4 of 4; y "no" -> 0: total is 0 or 50.
    assert results == {0: 0, 1: 0, 2: 0, 3: 50, 4: 50, 5: 50}


def test_plugin_kinds_are_not_remembered_unless_they_opt_in() -> None:
    fw = smesdk.PluginHost().load_framework("hooktest")
    plugin_kinds = {iid for iid, kind in fw.kinds.items() if not kind.cacheable}
    assert plugin_kinds, "hooktest registers a kind of its own"
    answers = smesdk.answers_from_data({
        "enterprise": {"name": "星级", "size": "micro"}, "date": "2026-01-01",
        "answers": {"quality.a": "***", "quality.b": "*****"}})
    assert fw.assess(answers).total == Decimal(75)  # worked out in tests/test_host.py
    assert not {key[0] for key in fw.cells} & plugin_kinds


def test_rank_restores_exact_order_when_floats_tie() -> None:
    small = Fraction(1, 3)
    large = small + Fraction(1, 10**30)  # the same float as 1/3
    assert float(small) == float(large)

    def entry(impact: Fraction, iid: str) -> Any:
        return engine._gap_entry(impact, iid, None, None)

    gaps = [entry(small, "a"), entry(large, "b"), entry(Fraction(1, 2), "c")]
    engine._rank(gaps)
    assert [g[1] for g in gaps] == ["c", "b", "a"]


def test_rank_stays_exact_once_the_float_table_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    # A table that holds one float, taken by 1/2: neither 1/3 nor 1/3 + 1/10**30 (the same
    # float) is recorded, so only the "unsure" fall-back can put the larger first.
    floats = engine._Floats()
    floats.LIMIT = 1
    monkeypatch.setattr(engine, "_FLOATS", floats)
    small = Fraction(1, 3)
    none: Any = None
    gaps = [engine._gap_entry(Fraction(1, 2), "c", none, None, 2),
            engine._gap_entry(small, "a", none, None, 0),
            engine._gap_entry(small + Fraction(1, 10**30), "b", none, None, 1)]
    assert floats.unsure and not floats.shared
    engine._rank(gaps)
    assert [g[1] for g in gaps] == ["c", "b", "a"]


def _dated_framework() -> smesdk.Framework:
    """A date scored by recency (within 365 days: 2 points) and a date that is not scored."""
    base = {"title": T, "question": T, "kind": "date", "status": "derived",
            "source": {"doc": "000", "clause": "一"}}
    return smesdk.Framework.from_spec(spec_from_data({
        "id": "t", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T},
        "dimensions": [{"id": "d", "title": T, "indicators": [
            {"id": "recent", **base, "within_days": 365, "points": 2},
            {"id": "when", **base},
        ]}],
    }))


def test_a_date_is_remembered_per_assessment_date_only_where_it_scores_by_it() -> None:
    fw = _dated_framework()
    audit = "2025-06-30"
    results = {}
    for on in ("2026-01-01", "2026-12-31", "2026-01-01"):
        answers = smesdk.answers_from_data({
            "enterprise": {"name": "x", "size": "small"}, "date": on,
            "answers": {"d.recent": audit, "d.when": audit}})
        results[on] = fw.assess(answers)
        assert results[on].to_json() == _dated_framework().assess(answers).to_json()
    # 2025-06-30 is 185 days before 2026-01-01 (within 365: 2 of 2 points) and 549 days
    # before 2026-12-31 (not within: 0 points).
    assert results["2026-01-01"].indicator("d.recent").points == 2
    assert results["2026-12-31"].indicator("d.recent").points == 0
    # The scored date has a cell per assessment date, the unscored one a single cell (the
    # framework's warm-up at load leaves cells of its own sample answers beside them).
    mine = [k for k in fw.cells if k[1] == (str, audit)]
    assert sorted(k[0] for k in mine) == ["d.recent", "d.recent", "d.when"]
