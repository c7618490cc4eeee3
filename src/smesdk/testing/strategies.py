"""Hypothesis strategies that generate valid answer sets for any framework."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from smesdk.answers import Answer, AnswerSet, Enterprise
from smesdk.enterprise import FIELD_KINDS, industries, model, size_classes
from smesdk.framework import Framework
from smesdk.shapes import Shape
from smesdk.spec import Indicator

SIZES = ("micro", "small", "medium")
NA_REASON = "测试数据：不适用 / generated test data: not applicable"


def values(fw: Framework, iid: str) -> st.SearchStrategy[Any]:
    """Valid raw answers for one indicator: the kind's samples, plus any number in range."""
    ind = fw.indicator(iid)
    kind = fw.kinds[iid]
    samples = kind.samples(ind)
    strategy: st.SearchStrategy[Any] = st.sampled_from(samples) if samples else st.nothing()
    form = kind.grid(ind)
    if kind.shape is Shape.GRID and form is not None:
        # Any cell may hold any item: every combination, not only the kind's samples.
        cell = st.sampled_from([c.value for c in form.cells])
        grids = st.fixed_dictionaries({
            str(r.value): st.fixed_dictionaries({str(c.value): cell for c in form.columns})
            for r in form.rows})
        return st.one_of(strategy, grids)
    if kind.shape is Shape.BANDS:
        lo, hi = kind.number_range(ind)
        if lo is not None and hi is not None:
            numbers = st.decimals(min_value=lo.numerator / lo.denominator,
                                  max_value=hi.numerator / hi.denominator, places=2,
                                  allow_nan=False, allow_infinity=False)
            strategy = st.one_of(strategy, numbers)
    return strategy


@st.composite
def enterprises(draw: st.DrawFn, fw: Framework | None = None) -> Enterprise:
    """An enterprise that fits ``fw``'s declarations (without one: the core's defaults)."""
    name = draw(st.sampled_from(["测试机械有限公司", "Test Works Ltd", "<b>&'\"公司"]))
    if fw is None or fw.spec.enterprise is None:
        return Enterprise(name=name, size=draw(st.sampled_from(SIZES)),
                          industry=str(draw(st.integers(1, 39))))
    fields = {field: draw(st.sampled_from(FIELD_KINDS[decl.kind].samples))
              for field, decl in model(fw.spec).fields.items()}
    return Enterprise(name=name, size=draw(st.sampled_from(list(size_classes(fw.spec)))),
                      industry=draw(st.sampled_from(list(industries(fw.spec).names))),
                      fields=fields)


def _answer(draw: st.DrawFn, fw: Framework, iid: str, ind: Indicator, allow_na: bool,
            allow_missing: bool) -> Answer | None:
    if allow_missing and not ind.required and draw(st.integers(0, 4)) == 0:
        return None
    if allow_na and ind.na_allowed and draw(st.integers(0, 5)) == 0:
        return Answer(na=True, reason=NA_REASON)
    return Answer(value=draw(values(fw, iid)))


@st.composite
def answer_sets(draw: st.DrawFn, fw: Framework, *, allow_na: bool = True,
                allow_missing: bool = True) -> AnswerSet:
    """A valid answer set for ``fw``: every required indicator answered with a valid value,
    N/A only where allowed (with a reason), optional ones sometimes left out."""
    answers: dict[str, Answer] = {}
    for iid, ind in fw.iter_indicators():
        ans = _answer(draw, fw, iid, ind, allow_na, allow_missing)
        if ans is not None:
            answers[iid] = ans
    return AnswerSet(
        enterprise=draw(enterprises(fw)),
        date=draw(st.sampled_from([dt.date(2025, 12, 31), dt.date(2026, 6, 30)])),
        answers=answers,
        framework=fw.id,
        profile=fw.profile,
    )
