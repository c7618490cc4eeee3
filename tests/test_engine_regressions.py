"""Regressions found while building the official plugins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import smesdk
from smesdk import Framework
from smesdk.loading import spec_from_data

T = {"zh": "文", "en": "text"}


def _ind(iid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": iid, "title": T, "question": T, "kind": kind, "status": "derived",
            "source": {"doc": "000", "clause": "一"}, **extra}


def _framework(*indicators: dict[str, Any]) -> Framework:
    return Framework.from_spec(spec_from_data({
        "id": "t", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T},
        "dimensions": [{"id": "d", "title": T, "indicators": list(indicators)}],
    }))


def _answers(answers: dict[str, Any]) -> smesdk.AnswerSet:
    return smesdk.answers_from_data({"enterprise": {"name": "x", "size": "small"},
                                     "date": "2026-01-01", "answers": answers})


BAND = [{"ge": 0, "points": 0}]


def test_unanswered_optional_unscored_indicator_has_no_answer() -> None:
    fw = _framework(_ind("a", "yesno"),
                    _ind("n", "number", scored=False, required=False, bands=BAND),
                    _ind("m", "number", scored=False, depends_on=["d.a"], bands=BAND))
    result = fw.assess(_answers({"d.a": False}))
    # a: "no" -> 0 of 1 point; n and m carry no points -> total 0
    assert result.total == Decimal(0)
    assert [(i.id, i.status, i.answer) for i in result.indicators] == [
        ("d.a", "scored", False), ("d.n", "unscored", None), ("d.m", "unscored", None)]
    assert smesdk.Result.from_json(result.to_json()) == result


def test_invalid_prerequisite_answer_reports_both_problems() -> None:
    fw = _framework(_ind("a", "yesno"), _ind("b", "yesno", depends_on=["d.a"]))
    with pytest.raises(smesdk.AnswerError) as err:
        fw.assess(_answers({"d.a": "perhaps", "d.b": "sometimes"}))
    assert [p.path for p in err.value.problems] == ["answers.d.a", "answers.d.b"]


def test_labelled_all_gate_blocker_uses_its_label() -> None:
    spec = spec_from_data({
        "id": "t", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T},
        "dimensions": [{"id": "d", "title": T, "indicators": [_ind("a", "yesno"),
                                                              _ind("b", "yesno")]}],
        "levels": [{"id": "l1", "title": T, "min": 0, "max": 50},
                   {"id": "l2", "title": T, "min": 50, "gate": {
                       "label": {"zh": "两项都要做到", "en": "both practices in place"},
                       "all": [{"indicator": {"id": "d.a", "measure": "answer", "eq": True}},
                               {"indicator": {"id": "d.b", "measure": "answer", "eq": True}}]}}],
    })
    result = Framework.from_spec(spec).assess(_answers({"d.a": True, "d.b": False}))
    # total (1 + 0) / 2 = 50 reaches l2's band, but the gate fails: level l1
    assert result.level is not None and result.level.id == "l1"
    assert result.next_level is not None
    assert [b.message.en for b in result.next_level.blockers] == ["both practices in place"]
