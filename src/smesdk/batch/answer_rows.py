"""An answer file as one batch row (the inverse of ``columns.row_to_data``).

The file is structured as an :class:`~smesdk.AnswerSet` first, so a file the per-record path
rejects is rejected here with the same messages. Evidence has no column: an expired piece of
evidence changes the score, so such a file is refused (assess it with ``smesdk assess``) rather
than scored as if the evidence were valid.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smesdk.answer_checks import consistency_problems
from smesdk.answers import AnswerSet
from smesdk.batch.columns import FIELD_PREFIX, grid_cell_column
from smesdk.convert import read_file
from smesdk.errors import AnswerError, Problem, SmesdkError
from smesdk.loading import answers_from_data, load_answers

if TYPE_CHECKING:
    from smesdk.framework import Framework

_ENTERPRISE_FIELDS = ("name", "size", "industry", "region", "type", "credit_code")


def _load(file: Path) -> AnswerSet:
    if file.suffix.lower() != ".xlsx":
        return load_answers(file)
    from smesdk import default_host
    from smesdk.questionnaire import form_info, read_questionnaire

    try:
        # A form names the framework and profile it was written for; read it against those
        # (the batch then checks the answers against its own framework, like any row).
        info = form_info(file)
        loaded: Any = read_questionnaire(file, default_host().load_framework(info.framework,
                                                                             info.profile))
    except SmesdkError:
        raise
    except Exception as exc:  # a damaged workbook: one error row, not a stopped batch
        raise SmesdkError([Problem("", f"not a readable questionnaire: {exc}", str(file))]
                          ) from None
    return loaded if isinstance(loaded, AnswerSet) else answers_from_data(loaded, file=str(file))


def answer_set_row(answers: AnswerSet, enterprise_id: str) -> dict[str, Any]:
    """The batch row holding ``answers`` (raw values, ``na:`` reasons, ``fact:`` values)."""
    ent = answers.enterprise
    row: dict[str, Any] = {"enterprise_id": enterprise_id}
    for field in _ENTERPRISE_FIELDS:
        value = getattr(ent, field)
        if value is not None:
            row[field] = value
    row.update({FIELD_PREFIX + name: value for name, value in ent.fields.items()})
    row["date"] = answers.date
    problems: list[Problem] = []
    for prefix, group in (("", answers.answers), ("fact:", answers.facts)):
        for key, ans in group.items():
            ev = ans.evidence
            if ev is not None and ev.expires is not None and ev.expires < answers.date:
                problems.append(Problem(
                    f"{'answers' if not prefix else 'facts'}.{key}",
                    f"evidence expired on {ev.expires.isoformat()}; batch rows carry no evidence, "
                    "so assess this file with `smesdk assess`"))
                continue
            if ans.na and prefix:
                problems.append(Problem(f"facts.{key}", "an N/A fact has no batch column; "
                                        "assess this file with `smesdk assess`"))
            elif ans.na:
                row[f"na:{key}"] = ans.reason if ans.reason is not None else ""
            elif isinstance(ans.value, dict) and not prefix:  # a grid: one column per cell
                for r, cells in ans.value.items():
                    for c, value in (cells.items() if isinstance(cells, dict) else ()):
                        row[grid_cell_column(key, str(r), str(c))] = _plain(value)
            else:
                row[f"{prefix}{key}"] = _plain(ans.value)
    if problems:
        raise AnswerError(problems)
    return row


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def answer_file_row(file: Path, framework: Framework | None = None) -> dict[str, Any]:
    """The batch row of one answer file; its ``enterprise_id`` is the file's stem. With the
    run's ``framework``, a file made for another framework or profile, or whose facts
    contradict its answers, is refused (it would be scored silently otherwise)."""
    answers = _load(file)
    if framework is not None:
        problems = consistency_problems(framework, answers)
        if answers.profile is not None and answers.profile != framework.profile:
            problems.append(Problem("profile", (
                f"the answers are for profile {answers.profile!r} but this run scores "
                f"{framework.profile or 'the base framework'!r}; give --profile "
                f"{answers.profile} or batch such files apart")))
        if problems:
            raise AnswerError(problems)
    return answer_set_row(answers, file.stem)


def folder_profile(files: list[Path]) -> str | None:
    """The one profile the answer files of a folder name (None when none names one).

    Raises SmesdkError when they name several: which one to score with is the user's call.
    """
    named: dict[str, int] = {}
    for file in files:
        try:
            profile = _profile_of(file)
        except Exception:
            continue
        if profile is not None:
            named[profile] = named.get(profile, 0) + 1
    if len(named) > 1:
        listed = ", ".join(f"{p} ({n} files)" for p, n in sorted(named.items()))
        raise SmesdkError([f"the answer files name several profiles: {listed}; give --profile "
                           "(files for another profile become error rows)"])
    return next(iter(named), None)


def _profile_of(file: Path) -> str | None:
    if file.suffix.lower() == ".xlsx":
        from smesdk.questionnaire import form_info

        return form_info(file).profile
    data, _ = read_file(file)
    profile = data.get("profile") if isinstance(data, dict) else None
    return profile if isinstance(profile, str) else None
