"""smesdk's test kit for framework plugins (needs the ``smesdk[testing]`` extra).

One class gives a plugin the whole conformance and property suite::

    from smesdk.testing import FrameworkSuite

    class TestMyFramework(FrameworkSuite):
        framework = "my-framework"          # an installed framework id, or a spec file path
        profiles = (None, "quick")          # optional: run everything per profile
        examples = "examples/*.yaml"        # optional: answer sets whose `expected:` is checked
        references = "src/my_plugin/references.yaml"   # optional: audit every `official` label
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import smesdk
from smesdk.answers import AnswerSet
from smesdk.errors import AnswerError
from smesdk.framework import Framework
from smesdk.languages import locale
from smesdk.testing.audit import (
    check_coverage,
    check_statuses,
    clause_coverage,
    load_references,
    status_audit,
)
from smesdk.testing.conformance import (
    conformance_problems,
    language_problems,
    missing_ids,
    schema_problems,
)
from smesdk.testing.properties import (
    check_bounds,
    check_deterministic,
    check_monotonic,
    check_na_excluded,
    check_round_trip,
)
from smesdk.testing.strategies import NA_REASON, answer_sets, values

__all__ = [
    "FrameworkSuite",
    "answer_sets",
    "check_bounds",
    "check_coverage",
    "check_deterministic",
    "check_expected",
    "check_languages",
    "check_monotonic",
    "check_na_excluded",
    "check_round_trip",
    "check_statuses",
    "clause_coverage",
    "conformance_problems",
    "language_problems",
    "load_references",
    "missing_ids",
    "schema_problems",
    "status_audit",
    "values",
]

def _checks(test: Any) -> Any:
    # Built at call time so the active Hypothesis profile (ci/dev) supplies max_examples.
    return settings(settings.default, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])(test)


def _assess(fw: Framework, answers: AnswerSet) -> smesdk.Result:
    """Score generated answers, discarding the rare sets over an N/A cap."""
    try:
        return fw.assess(answers)
    except AnswerError as exc:
        assume(not all("N/A" in p.message for p in exc.problems))
        raise


def check_expected(fw: Framework, answers: AnswerSet) -> smesdk.Result:
    """Score an example and compare with its ``expected:`` block (total, level, dimensions)."""
    result = fw.assess(answers)
    exp = answers.expected
    if "total" in exp:
        assert result.total == Decimal(str(exp["total"])), \
            f"{answers.enterprise.name}: total {result.total}, expected {exp['total']}"
    if "level" in exp:
        got = result.level.id if result.level else None
        assert got == exp["level"], f"{answers.enterprise.name}: level {got}, expected {exp['level']}"
    for did, score in (exp.get("dimensions") or {}).items():
        assert result.dimension(did).score == Decimal(str(score)), \
            f"{answers.enterprise.name}: dimension {did} {result.dimension(did).score}, " \
            f"expected {score}"
    return result


def check_languages(fw: Framework) -> None:
    """Every text is written in each declared language, and a reader may ask for each of them
    (``--lang``), getting the framework's own texts in it without a fallback marker."""
    problems = language_problems(fw.base)
    assert not problems, "\n".join(problems)
    for tag in fw.spec.languages:
        lang = locale(fw.spec, tag)
        assert lang == tag, f"asking for {tag!r} gives {lang!r}"
        title = fw.spec.title.get(lang)
        assert title and not title.startswith("["), f"title in {tag!r}: {title!r}"


class FrameworkSuite:
    """Subclass, set ``framework``; pytest runs conformance and property tests on it."""

    framework: ClassVar[str]
    profiles: ClassVar[Sequence[str | None]] = (None,)
    examples: ClassVar[str | None] = None
    references: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        params = list(cls.profiles)

        @pytest.fixture(params=params, ids=[p or "base" for p in params])
        def smesdk_framework(self: FrameworkSuite, request: pytest.FixtureRequest) -> Framework:
            return self.load(request.param)

        cls.smesdk_framework = smesdk_framework  # type: ignore[attr-defined]

    def load(self, profile: str | None) -> Framework:
        return smesdk.load_framework(self.framework, profile)

    def test_conformance(self, smesdk_framework: Framework) -> None:
        problems = conformance_problems(smesdk_framework)
        assert not problems, "\n".join(problems)

    def test_languages(self, smesdk_framework: Framework) -> None:
        check_languages(smesdk_framework)

    def test_bounds_and_round_trip(self, smesdk_framework: Framework) -> None:
        fw = smesdk_framework

        @_checks
        @given(answers=answer_sets(fw))
        def run(answers: AnswerSet) -> None:
            result = _assess(fw, answers)
            check_bounds(result)
            check_round_trip(result)

        run()

    def test_monotonic(self, smesdk_framework: Framework) -> None:
        fw = smesdk_framework
        candidates = [iid for iid in fw.indicator_ids
                      if len(fw.kinds[iid].ladder(fw.indicator(iid))) >= 2]
        if not candidates:
            pytest.skip("no indicator has ordered answers")

        @_checks
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            answers = data.draw(answer_sets(fw, allow_na=False))
            iid = data.draw(st.sampled_from(candidates))
            ladder = fw.kinds[iid].ladder(fw.indicator(iid))
            lo = data.draw(st.integers(0, len(ladder) - 2))
            hi = data.draw(st.integers(lo + 1, len(ladder) - 1))
            check_monotonic(fw, answers, iid, ladder[lo], ladder[hi])

        run()

    def test_na_excluded(self, smesdk_framework: Framework) -> None:
        fw = smesdk_framework
        candidates = [iid for iid, ind in fw.iter_indicators() if ind.na_allowed]
        if not candidates:
            pytest.skip("no indicator allows N/A")

        @_checks
        @given(data=st.data())
        def run(data: st.DataObject) -> None:
            answers = data.draw(answer_sets(fw, allow_na=False))
            iid = data.draw(st.sampled_from(candidates))
            try:
                check_na_excluded(fw, answers, iid, NA_REASON)
            except AnswerError as exc:
                assume(not all("N/A" in p.message for p in exc.problems))
                raise

        run()

    def test_deterministic(self, smesdk_framework: Framework) -> None:
        fw = smesdk_framework

        @_checks
        @given(answers=answer_sets(fw))
        def run(answers: AnswerSet) -> None:
            _assess(fw, answers)
            check_deterministic(fw, answers)

        run()

    def test_status_audit(self) -> None:
        if not self.references:
            pytest.skip("no reference table declared")
        check_statuses(self.framework, self.references)

    def test_examples(self) -> None:
        if not self.examples:
            pytest.skip("no examples declared")
        paths = sorted(glob.glob(self.examples))
        assert paths, f"no example files match {self.examples}"
        for path in paths:
            answers = smesdk.load_answers(Path(path))
            fw = self.load(answers.profile)
            check_expected(fw, answers)
