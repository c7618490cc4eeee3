"""The result hooks share one reading per assessment: the step tracker, the stage gates and
the diagnosis are each worked out once, and what they give equals working them out afresh."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from smesdk_iso9001 import _read, diagnosis, documents, engagement, shared

import smesdk

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


def _counting(calls: Counter[str], fn: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[fn.__name__] += 1
        return fn(*args, **kwargs)
    return counted


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_steps_gates_and_diagnosis_run_once_per_assessment(path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()
    for module, name in ((shared, "steps"), (shared, "gate_checks"), (shared, "diagnose"),
                         (documents, "steps"), (documents, "diagnose"),
                         (engagement, "steps"), (engagement, "gate_checks"),
                         (diagnosis, "diagnose")):
        monkeypatch.setattr(module, name, _counting(calls, getattr(module, name)))
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    fw.assess(answers)
    fw.assess(answers)
    assert calls == {"steps": 2, "gate_checks": 2, "diagnose": 2}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_shared_reading_gives_what_each_function_gives_alone(path: Path) -> None:
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    result = fw.assess(answers)
    section = result.extensions["iso9001"]
    # Outside the hooks nothing is shared: each function works from the result alone.
    assert section["certification"] == engagement.readiness_verdict(fw, result)
    assert section["diagnosis"] == diagnosis.diagnose(fw, result)
    assert section["case_draft"] == documents.case_draft(fw, result, "zh")
    assert result.facts["iso9001.ready"] == (section["certification"]["verdict"]
                                             in ("ready", "certified"))
    checks, notices = engagement.gate_checks(fw, result)
    own = [r for r in result.recommendations if r.origin == "iso9001"]
    assert own == diagnosis.recommendations(fw, result, checks, notices)


def test_a_verdict_leaves_the_notices_it_was_given_as_they_were() -> None:
    answers = smesdk.load_answers(EXAMPLES[0])
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    result = fw.assess(answers)
    checks, notices = engagement.gate_checks(fw, result)
    before = list(notices)
    verdict = engagement.readiness_verdict(fw, result, gates=(checks, notices))
    assert notices == before
    assert verdict["checks"] == checks


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_reader_reads_what_the_lookups_read(path: Path) -> None:
    # The hooks' reader indexes the indicators itself: it must agree with looking each up in
    # the result, for every indicator and dimension (and for ids the profile left out).
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    result = fw.assess(answers)
    read = _read.Reader(result)
    ids = [i.id for i in result.indicators] + ["iso.no_such_indicator"]
    assert read.scores(tuple(ids)) == {i: _read.score(result, i) for i in ids}
    for iid in ids:
        assert read.has(iid) == (iid != "iso.no_such_indicator")
        assert read.answer(iid) == _read.answer(result, iid)
        assert read.day(iid) == (_read.date(result, iid), _read.iso_date(result, iid))
        assert _read.day_text_of(read.item(iid)) == _read.iso_date(result, iid)
        assert read.number(iid) == _read.number(result, iid)
    for did in [d.id for d in result.dimensions] + ["no_such_dimension"]:
        assert read.dim_score(did) == _read.dim_score(result, did)


def _containers(data: Any) -> set[int]:
    """The identities of every dict and list in ``data``."""
    if isinstance(data, dict):
        return {id(data)}.union(*(_containers(v) for v in data.values()))
    if isinstance(data, list):
        return {id(data)}.union(*(_containers(v) for v in data))
    return set()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_two_results_share_a_dict_or_list(path: Path) -> None:
    # Texts and rows are cached across firms, but what goes out is each result's own: a
    # caller changing one result's section must not change another's (or the framework's).
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    one, two = fw.assess(answers), fw.assess(answers)
    assert one.extensions["iso9001"] == two.extensions["iso9001"]
    assert not _containers(one.extensions["iso9001"]) & _containers(two.extensions["iso9001"])


@pytest.mark.parametrize("first", [1, 1.0])
def test_equal_numbers_written_apart_stay_apart(first: float) -> None:
    # The conversion is cached, and 1 == 1.0 as keys; the case draft writes them as given.
    written = {str(_read._number_of(v)) for v in (first, 1, 1.0, "1.50")}
    assert written == {"1", "1.0", "1.50"}
