"""Property checks on scoring. Each raises AssertionError saying what broke.

They are plain functions so that a plugin's own tests (and ours, on broken frameworks)
can call them directly; :class:`smesdk.testing.FrameworkSuite` drives them with Hypothesis.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from smesdk.answers import Answer, AnswerSet
from smesdk.errors import AnswerError, SpecError
from smesdk.framework import Framework
from smesdk.profiles import _drop
from smesdk.result import Result
from smesdk.spec import Dimension, FrameworkSpec
from smesdk.statuses import IndicatorStatus
from smesdk.tree import ROOT

HUNDRED = Decimal(100)


def check_bounds(result: Result) -> None:
    assert 0 <= result.total <= HUNDRED, f"total {result.total} outside 0–100"
    for dim in result.dimensions:
        assert dim.score is None or 0 <= dim.score <= HUNDRED, \
            f"dimension {dim.id} score {dim.score} outside 0–100"
    for ind in result.indicators:
        assert 0 <= ind.points <= ind.max_points, \
            f"indicator {ind.id}: {ind.points} points outside 0–{ind.max_points}"


def _ancestors(iid: str) -> list[str]:
    parts = iid.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def check_monotonic(fw: Framework, answers: AnswerSet, iid: str, worse: object,
                    better: object) -> None:
    """Answering ``better`` instead of ``worse`` must not lower the indicator, any dimension
    above it, or the total."""
    low = fw.assess(_with(answers, iid, Answer(value=worse)))
    high = fw.assess(_with(answers, iid, Answer(value=better)))
    a, b = low.indicator(iid), high.indicator(iid)
    assert b.points >= a.points, \
        f"{iid}: a better answer scores less ({better!r}: {b.points} points, " \
        f"{worse!r}: {a.points} points)"
    for did in _ancestors(iid):
        da, db = low.dimension(did).score, high.dimension(did).score
        if da is not None and db is not None:
            assert db >= da, f"{iid}: a better answer lowers dimension {did} ({da} -> {db})"
    assert high.total >= low.total, \
        f"{iid}: a better answer ({better!r} over {worse!r}) lowers the total " \
        f"({low.total} -> {high.total})"


def check_round_trip(result: Result) -> None:
    text = result.to_json()
    again = Result.from_json(text)
    assert again == result, "result changes when read back from its JSON"
    assert again.to_json() == text, "result JSON is not stable"


def check_deterministic(fw: Framework, answers: AnswerSet) -> None:
    first = fw.assess(answers).to_json()
    shuffled = attrs.evolve(answers, answers=dict(reversed(list(answers.answers.items()))))
    assert fw.assess(shuffled).to_json() == first, "answer order changes the result"
    assert fw.assess(answers).to_json() == first, "scoring twice gives different bytes"


def _with(answers: AnswerSet, iid: str, answer: Answer) -> AnswerSet:
    return attrs.evolve(answers, answers={**answers.answers, iid: answer})


def _undeclared(dims: list[Dimension]) -> list[Dimension]:
    return [attrs.evolve(d, points=None, weight_total=None, dimensions=_undeclared(d.dimensions))
            for d in dims]


def without(fw: Framework, iid: str) -> Framework | None:
    """The framework with one indicator removed, or None when something else refers to it."""
    spec: FrameworkSpec = fw.spec
    dims = _undeclared(_drop(spec.dimensions, ROOT, {iid}))
    reduced = attrs.evolve(spec, dimensions=dims, points=None, weight_total=None)
    try:
        return Framework.from_spec(reduced, registry=fw.registry, plugin=fw.plugin)
    except SpecError:
        return None


def check_na_excluded(fw: Framework, answers: AnswerSet, iid: str, reason: str) -> None:
    """An N/A answer leaves the indicator out: the result equals scoring without it."""
    reduced = without(fw, iid)
    if reduced is None:
        return
    with_na = fw.assess(_with(answers, iid, Answer(na=True, reason=reason)))
    item = with_na.indicator(iid)
    na = IndicatorStatus(item.status) is IndicatorStatus.NA
    assert na and item.score is None, f"{iid}: N/A answer was scored"
    rest = attrs.evolve(answers, answers={k: v for k, v in answers.answers.items() if k != iid})
    try:
        alone = reduced.assess(rest)
    except AnswerError:
        return
    assert with_na.total == alone.total, \
        f"{iid}: N/A gives total {with_na.total}, leaving it out gives {alone.total}"
    for dim in alone.dimensions:
        assert with_na.dimension(dim.id).score == dim.score, \
            f"{iid}: N/A changes dimension {dim.id} differently from leaving it out"
