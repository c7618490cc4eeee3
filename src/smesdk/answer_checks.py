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


def consistency_problems(fw: Framework, answers: AnswerSet) -> list[Problem]:
    """Every contradiction between the answer set and ``fw`` (empty when none)."""
    problems: list[Problem] = []
    if answers.framework is not None and answers.framework != fw.id:
        problems.append(Problem("framework", f"the answers are for framework "
                                f"{short(answers.framework)}, not {fw.id!r}"))
    for iid in fw.indicator_ids:
        ind = fw.indicator(iid)
        given, fact = answers.answers.get(iid), answers.facts.get(ind.fact or "")
        if given is None or fact is None:
            continue
        if given.na or fact.na:
            same = given.na == fact.na
        else:
            kind = fw.kinds[iid]
            try:
                same = kind.parse(ind, given.value) == kind.parse(ind, fact.value)
            except ValueError:
                continue  # the unparsable one is reported on its own
        if not same:
            problems.append(Problem(f"facts.{ind.fact}", (
                f"says {_said(fact)} but answers.{iid} says {_said(given)}; give one of them")))
    return problems


def require_consistent(fw: Framework, answers: AnswerSet, file: str | None = None) -> None:
    """Raise AnswerError listing :func:`consistency_problems`, if any."""
    from smesdk.errors import AnswerError

    problems = consistency_problems(fw, answers)
    if problems:
        raise AnswerError([Problem(p.path, p.message, file) for p in problems])
