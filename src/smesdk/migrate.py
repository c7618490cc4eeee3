"""Carrying an answer set to another version of its framework, by the spec's declared migrations.

Each answer is renamed, has its option values mapped (merged, split) or its number rescaled
as the target spec's ``migrations`` entry for the source version says, and is then checked
against the target framework. Whatever cannot be carried is listed with the reason, never
guessed; required indicators the answers leave unanswered are listed too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from smesdk.answers import Answer, AnswerSet
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.spec import AnswerMigration
from smesdk.text import Text


@attrs.frozen
class NotCarried:
    """An answer of the source version left behind (``indicator``: its old id)."""

    indicator: str
    reason: Text


@attrs.frozen
class Migrated:
    answers: AnswerSet
    framework: str
    version: str
    #: the version migrated from; None when no migration applied (answers kept by id)
    from_version: str | None
    not_carried: list[NotCarried]
    #: required indicators of the target that the migrated answers leave unanswered
    needs_answer: list[str]


def _same(message: str) -> Text:
    return Text(zh=message, en=message)


def find_migration(framework: Framework, from_version: str | None) -> AnswerMigration | None:
    """The migration declared for ``from_version`` (None: none asked for; answers kept by id)."""
    if from_version is None or from_version == framework.version:
        return None
    for migration in framework.spec.migrations:
        if migration.from_version == from_version:
            return migration
    declared = ", ".join(m.from_version for m in framework.spec.migrations) or "none"
    raise SmesdkError([f"{framework.id} {framework.version} declares no answer migration from "
                       f"version {from_version} (declared: {declared})"])


def _map_value(value: Any, table: dict[str, Any]) -> tuple[Any, str | None]:
    """The new value by the option table, or (None, why not)."""
    if isinstance(value, dict):  # a grid: the table maps each cell's value
        cells: dict[str, Any] = {}
        for key, item in value.items():
            new, why = _map_value(item, table)
            if why is not None:
                return None, f"[{key}]{why if why.startswith('[') else ': ' + why}"
            cells[key] = new
        return cells, None
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            new, why = _map_value(item, table)
            if why is not None:
                return None, why
            out.extend(new if isinstance(new, list) else [new])
        return list(dict.fromkeys(out)), None
    key = str(value).lower() if isinstance(value, bool) else str(value)
    if key not in table:
        return value, None
    new = table[key]
    if new is None:
        return None, f"option {key!r} has no counterpart in the new version: ask again"
    return new, None


def _plain_number(value: Decimal) -> int | float | str:
    """A rescaled number as plain data: an int or a float when exact, else its text."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _carry(old_id: str, answer: Answer, migration: AnswerMigration | None
           ) -> tuple[str, Answer | None, Text | None]:
    if migration is None:
        return old_id, answer, None
    if old_id in migration.dropped:
        return old_id, None, migration.dropped[old_id]
    new_id = migration.renamed.get(old_id, old_id)
    if answer.na or answer.value is None:
        return new_id, answer, None
    value = answer.value
    if new_id in migration.values:
        value, why = _map_value(value, migration.values[new_id])
        if why is not None:
            return new_id, None, _same(why)
    if new_id in migration.rescaled:
        rule = migration.rescaled[new_id]
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return new_id, None, _same(f"{value!r} is not a number to rescale")
        value = _plain_number(number * rule.factor + rule.offset)
    return new_id, attrs.evolve(answer, value=value), None


def migrate_answers(answers: AnswerSet, framework: Framework,
                    from_version: str | None = None) -> Migrated:
    """The answers carried to ``framework`` from ``from_version`` (see the module docstring)."""
    migration = find_migration(framework, from_version)
    carried: dict[str, Answer] = {}
    origin: dict[str, str] = {}
    left: list[NotCarried] = []
    for old_id, answer in answers.answers.items():
        new_id, new, why = _carry(old_id, answer, migration)
        if new is None:
            left.append(NotCarried(old_id, why or _same("not carried")))
        elif new_id not in framework.indicator_ids:
            left.append(NotCarried(old_id, _same(f"no indicator {new_id} in {framework.id} "
                                                 f"{framework.version}")))
        elif new_id in carried:
            left.append(NotCarried(old_id, _same(f"merged into {new_id}, already answered by "
                                                 f"{origin[new_id]}")))
        else:
            carried[new_id], origin[new_id] = new, old_id
    result = attrs.evolve(answers, answers=carried, framework=framework.id)
    needs: list[str] = []
    refused: dict[str, list[str]] = {}
    for problem in framework.validate_answers(result):
        path = problem.path.removeprefix("answers.")
        iid = path.split("[", 1)[0]  # a grid's cell is answers.<id>[<row>][<column>]
        if iid in carried or iid in refused:  # every bad part of one answer, in one entry
            refused.setdefault(iid, []).append(f"as {path}: {problem.message}")
            carried.pop(iid, None)
        elif iid in framework.indicator_ids:
            needs.append(iid)
        else:
            raise SmesdkError([problem], title="the answers cannot be migrated:")
    left += [NotCarried(origin[iid], _same("; ".join(whys))) for iid, whys in refused.items()]
    return Migrated(attrs.evolve(result, answers=carried), framework.id, framework.version,
                    migration.from_version if migration else None, left, needs)
