"""Checks of an answer set against a framework that scoring alone would pass over silently.

- ``framework:`` naming another framework than the one scoring the answers;
- an answer and the fact that feeds the same indicator saying different things (scoring would
  take the answer and drop the fact without a word).

Every command that reads an answer file applies them (``validate``, ``assess``, ``report``,
``questionnaire --prefill``, ``batch`` over a folder of answer files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smesdk.errors import Problem, short

if TYPE_CHECKING:
    from smesdk.answers import Answer, AnswerSet
    from smesdk.framework import Framework


def _said(answer: Answer) -> str:
    return "N/A" if answer.na else short(answer.value)


def fact_conflict(fw: Framework, iid: str, given: Answer, fact: Answer) -> Problem | None:
    """The problem when an indicator's answer and the fact that stands for it disagree."""
    ind = fw.indicator(iid)
    if given.na or fact.na:
        same = given.na == fact.na
    else:
        kind = fw.kinds[iid]
        try:
            same = kind.parse(ind, given.value) == kind.parse(ind, fact.value)
        except ValueError:
            return None  # the unparsable one is reported on its own
    if same:
        return None
    return Problem(f"facts.{ind.fact}", (
        f"says {_said(fact)} but answers.{iid} says {_said(given)}; give one of them"))


def consistency_problems(fw: Framework, answers: AnswerSet) -> list[Problem]:
    """Every contradiction between the answer set and ``fw`` (empty when none)."""
    problems: list[Problem] = []
    if answers.framework is not None and answers.framework != fw.id:
        problems.append(Problem("framework", f"the answers are for framework "
                                f"{short(answers.framework)}, not {fw.id!r}"))
    # An answer and the shared fact that stands for it saying different things is checked
    # by the engine itself (fact_conflict), so every path that scores reports it.
    return problems


def require_consistent(fw: Framework, answers: AnswerSet, file: str | None = None) -> None:
    """Raise AnswerError listing :func:`consistency_problems`, if any."""
    from smesdk.errors import AnswerError

    problems = consistency_problems(fw, answers)
    if problems:
        raise AnswerError([Problem(p.path, p.message, file) for p in problems])
