"""What changed between two assessments, T0 and T1, and why.

Per indicator and dimension: the score (0–100) before and after and the points of the total
gained or lost (its contribution); for the total, its points; for the level, its rank. When
T0 and T1 were scored under different frameworks (another version or profile), every change
is split in two, using the T0 answers re-scored under T1's framework (T0'):

* **practice change** = T1 − T0' (the enterprise's answers changed; one yardstick, T1's);
* **model change** = T0' − T0 (the yardstick changed; the same answers, T0's).

They add up to the whole change exactly. Re-scoring needs both answer sets and both
frameworks, which the store keeps (:func:`compare_stored`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import attrs

from smesdk.answers import Answer, AnswerSet
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.result import LevelRef, Provenance, Result
from smesdk.text import Text

Direction = Literal["improved", "regressed", "unchanged", "added", "removed"]
#: How each direction is worded, wherever a change is shown (smesdk diff, the report).
DIRECTIONS: dict[str, Text] = {
    "improved": Text(zh="提升", en="improved"), "regressed": Text(zh="下降", en="regressed"),
    "unchanged": Text(zh="不变", en="unchanged"), "added": Text(zh="新增", en="added"),
    "removed": Text(zh="删除", en="removed")}
Item = Literal["indicator", "dimension", "total", "level"]


@attrs.frozen
class Change:
    """One figure at T0 and T1. ``value``: score 0–100 (indicator, dimension), points (total),
    rank (level). ``points``: points of the total gained (+) or lost (−)."""

    item: Item
    id: str
    title: Text
    before: Decimal | None
    after: Decimal | None
    direction: Direction
    points: Decimal | None
    practice: Decimal | None = None
    model: Decimal | None = None


@attrs.frozen
class Carried:
    """A T0 answer re-read under T1's framework that could not be carried over as it was."""

    indicator: str
    what: Literal["dropped", "assumed worst"]
    reason: Text


@attrs.frozen
class Comparison:
    enterprise: str
    before: Provenance
    after: Provenance
    before_date: str
    after_date: str
    framework_changed: bool
    #: True when practice and model changes are given (same framework, or answers re-scored)
    split: bool
    total: Change
    level: Change
    level_before: LevelRef | None
    level_after: LevelRef | None
    dimensions: list[Change]
    indicators: list[Change]
    carried: list[Carried] = attrs.field(factory=list)
    notes: list[Text] = attrs.field(factory=list)

    def to_dict(self) -> dict[str, Any]:
        from smesdk.convert import unstructure

        data: dict[str, Any] = unstructure(self)
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        from smesdk.convert import dumps_json

        return dumps_json(self, indent=indent)


def _direction(before: Decimal | None, after: Decimal | None, present: tuple[bool, bool]
               ) -> Direction:
    if present == (False, True):
        return "added"
    if present == (True, False):
        return "removed"
    if before is None or after is None or before == after:
        return "unchanged"
    return "improved" if after > before else "regressed"


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None and b is None:
        return None
    return (a or Decimal(0)) - (b or Decimal(0))


def _figures(result: Result) -> dict[tuple[Item, str], tuple[Text, Decimal | None, Decimal | None]]:
    """(item, id) -> (title, value, contribution) of every figure a result has."""
    out: dict[tuple[Item, str], tuple[Text, Decimal | None, Decimal | None]] = {}
    for dim in result.dimensions:
        out["dimension", dim.id] = (dim.title, dim.score, dim.contribution)
    for ind in result.indicators:
        out["indicator", ind.id] = (Text(zh=ind.id, en=ind.id), ind.score, ind.contribution)
    # the level's rank: 0 when no level is reached
    out["total", ""] = (Text(zh="总分", en="total"), result.total, result.total)
    rank = Decimal(result.level.rank) if result.level else Decimal(0)
    out["level", ""] = (Text(zh="等级", en="level"), rank, None)
    return out


def _changes(r0: Result, r1: Result, r0x: Result | None, names: dict[str, Text]
             ) -> dict[tuple[Item, str], Change]:
    f0, f1 = _figures(r0), _figures(r1)
    fx = _figures(r0x) if r0x is not None else None
    changes: dict[tuple[Item, str], Change] = {}
    for key in [*f0, *(k for k in f1 if k not in f0)]:
        title, before, c0 = f0.get(key, (None, None, None))
        title1, after, c1 = f1.get(key, (None, None, None))
        practice = model = None
        value_delta = _minus(after, before) if key[0] == "level" else _minus(c1, c0)
        if fx is not None:
            _, mid, cx = fx.get(key, (None, None, None))
            if key[0] == "level":
                practice, model = _minus(after, mid), _minus(mid, before)
            elif value_delta is not None:
                practice, model = _minus(c1, cx), _minus(cx, c0)
        label = names.get(key[1]) or title1 or title
        assert label is not None
        changes[key] = Change(key[0], key[1], label, before, after,
                              _direction(before, after, (key in f0, key in f1)),
                              value_delta, practice, model)
    return changes


def _installed_names(*results: Result) -> dict[str, Text]:
    """Titles from the installed frameworks that produced the results (ids if none did)."""
    from smesdk import default_host

    names: dict[str, Text] = {}
    for result in results:
        prov = result.provenance
        try:
            fw = default_host().load_framework(prov.framework, prov.profile)
        except SmesdkError:
            continue
        if fw.content_hash == prov.content_hash:
            names = {**names, **fw.names}
    return names


def carry_answers(answers: AnswerSet, framework: Framework, from_version: str
                  ) -> tuple[AnswerSet, list[Carried]]:
    """The T0 answers as T1's ``framework`` can score them: migrated by the spec's declared
    migration from ``from_version`` (if any), answers it cannot carry dropped, and required
    indicators left unanswered counted at their worst answer; all of them listed."""
    from smesdk.migrate import migrate_answers

    declared = any(m.from_version == from_version for m in framework.spec.migrations)
    moved = migrate_answers(answers, framework, from_version if declared else None)
    carried = [Carried(item.indicator, "dropped", item.reason) for item in moved.not_carried]
    filled = dict(moved.answers.answers)
    for iid in moved.needs_answer:
        ladder = framework.kinds[iid].ladder(framework.indicator(iid))
        if not ladder:
            raise SmesdkError([f"{iid}: not answered at T0 and its kind has no worst answer"],
                              title="the T0 answers cannot be re-scored:")
        filled[iid] = Answer(value=ladder[0])
        carried.append(Carried(iid, "assumed worst", Text(
            zh="T0 时未问此题，按最差答案计", en="not asked at T0; counted at its worst answer")))
    return attrs.evolve(moved.answers, answers=filled, profile=framework.profile), carried


def other_enterprise(r0: Result, r1: Result) -> str | None:
    """Why ``r0`` and ``r1`` cannot be of one enterprise, or None: their credit codes differ,
    or, where either lacks one, their names do (a comparison of two firms would read as one
    firm's change)."""
    e0, e1 = r0.enterprise, r1.enterprise
    if e0.credit_code and e1.credit_code:
        if e0.credit_code == e1.credit_code:
            return None
        return (f"the earlier assessment is of credit code {e0.credit_code}, the later one of "
                f"{e1.credit_code}: compare assessments of one enterprise")
    if e0.name.strip() == e1.name.strip():
        return None
    return (f"the earlier assessment is of {e0.name!r}, the later one of {e1.name!r}: compare "
            "assessments of one enterprise (if it was renamed, give both its credit code)")


def compare(r0: Result, r1: Result, *, answers: tuple[AnswerSet, AnswerSet] | None = None,
            frameworks: tuple[Framework, Framework] | None = None) -> Comparison:
    """The changes from ``r0`` (T0) to ``r1`` (T1).

    Under one framework every change is practice change. Under two (another version or
    profile), give the T0 and T1 ``answers`` and both ``frameworks`` to split practice from
    model change; without them the comparison says the split is missing.
    """
    other = other_enterprise(r0, r1)
    if other is not None:
        raise SmesdkError([other])
    changed = r0.provenance.content_hash != r1.provenance.content_hash
    r0x: Result | None = r0
    carried: list[Carried] = []
    notes: list[Text] = []
    names: dict[str, Text] = {}
    if frameworks is not None:
        f0, f1 = frameworks
        for result, fw, when in ((r0, f0, "T0"), (r1, f1, "T1")):
            if result.provenance.content_hash != fw.content_hash:
                raise SmesdkError([f"the {when} framework given is not the one that scored "
                                   f"the {when} result ({fw.content_hash} vs "
                                   f"{result.provenance.content_hash})"])
        names = {**f0.names, **f1.names}
    else:
        names = _installed_names(r0, r1)
    if changed:
        if answers is None or frameworks is None:
            r0x = None
            notes.append(Text(zh="框架版本或配置已变化；未提供两期答卷与框架，无法区分实践变化与模型变化。",
                              en="The framework version or profile changed; without both "
                                 "answer sets and frameworks, practice and model change "
                                 "cannot be told apart."))
        else:
            a0x, carried = carry_answers(answers[0], frameworks[1], frameworks[0].version)
            r0x = frameworks[1].assess(a0x)
    changes = _changes(r0, r1, r0x, names)
    return Comparison(
        enterprise=r1.enterprise.name, before=r0.provenance, after=r1.provenance,
        before_date=r0.assessed_on.isoformat(), after_date=r1.assessed_on.isoformat(),
        framework_changed=changed, split=r0x is not None,
        total=changes["total", ""], level=changes["level", ""],
        level_before=r0.level, level_after=r1.level,
        dimensions=[c for (item, _), c in changes.items() if item == "dimension"],
        indicators=[c for (item, _), c in changes.items() if item == "indicator"],
        carried=carried, notes=notes)
