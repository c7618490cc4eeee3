"""The fact vocabulary: every shared fact the installed frameworks read or export.

A fact's type and unit follow from the frameworks themselves: an indicator with ``fact: KEY``
reads it (its answer kind and unit give the type), an ``exports`` entry computes it (its
expression gives the type), and a ``facts:`` declaration names what a hook exports. Two
frameworks that disagree on a fact's type, unit or option values cannot share it: that is a
problem, listed with every framework involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from smesdk.errors import Problem
from smesdk.framework import Framework
from smesdk.kinds import AnswerKind
from smesdk.shapes import Shape
from smesdk.spec import Dimension, FactDeclaration, FrameworkSpec, Indicator
from smesdk.text import Text

#: An answer's shape -> the type of the fact it holds (OPTIONS are told apart by their values).
_SHAPE_TYPES = {Shape.BANDS: "number", Shape.SUBSET: "list", Shape.DATE: "date",
                Shape.TEXT: "text"}


@attrs.frozen
class FactShape:
    """What a fact holds, as one framework sees it."""

    type: str
    unit: Text | None = None
    values: tuple[Any, ...] = ()

    def describe(self) -> str:
        unit = f" ({self.unit.en})" if self.unit is not None else ""
        values = f" [{', '.join(str(v) for v in self.values)}]" if self.values else ""
        return f"{self.type}{unit}{values}"


@attrs.frozen
class Use:
    """One framework's use of a fact: read by an indicator, exported, or declared."""

    framework: str
    how: str  # "read", "export" or "declared"
    where: str  # indicator id, export expression or "facts"
    shape: FactShape
    title: Text


@attrs.frozen
class Fact:
    """One entry of the vocabulary."""

    key: str
    shape: FactShape
    title: Text
    read_by: tuple[tuple[str, str], ...]
    exported_by: tuple[str, ...]


def _indicators(dims: Iterable[Dimension], prefix: str = "") -> Iterator[tuple[str, Indicator]]:
    for dim in dims:
        path = f"{prefix}{dim.id}"
        for ind in dim.indicators:
            yield f"{path}.{ind.id}", ind
        yield from _indicators(dim.dimensions, f"{path}.")


def indicator_shape(kind: AnswerKind, ind: Indicator) -> FactShape:
    """The shape of the fact an indicator reads, as its answer kind describes its answers."""
    if kind.shape is Shape.OPTIONS:
        values = tuple(c.value for c in kind.choices(ind))
        if all(isinstance(v, bool) for v in values):
            return FactShape("boolean")
        if all(isinstance(v, int) for v in values):  # levels, e.g. 0–4
            return FactShape("level", kind.unit(ind), values)
        return FactShape("choice", kind.unit(ind), values)
    shape = _SHAPE_TYPES.get(kind.shape, str(kind.shape)) if kind.shape else kind.name
    return FactShape(shape, kind.unit(ind))


def export_shape(fw: Framework, expression: str) -> FactShape:
    """The shape of a fact computed by an ``exports`` expression."""
    spec = fw.base
    if expression == "level_rank":
        return FactShape("level", None, tuple(range(len(spec.levels) + 1)))
    if expression == "level":
        return FactShape("text")
    parts = expression.split(":")
    if parts[0] == "ind" and len(parts) == 3 and parts[2] == "answer":
        for iid, ind in _indicators(spec.dimensions):
            if iid == parts[1]:
                return indicator_shape(_kind(fw, ind), ind)
    return FactShape("number")


def _export_title(spec: FrameworkSpec, expression: str) -> Text:
    what = {"level_rank": ("等级序号（0为未达）", "level rank (0: none)"),
            "level": ("等级", "level id"), "total": ("总分", "total")}.get(expression)
    if what is None:
        what = (f"计算值 {expression}", f"computed {expression}")
    return Text(zh=f"{spec.title.zh}：{what[0]}", en=f"{spec.title.en}: {what[1]}")


def _declared_shape(decl: FactDeclaration) -> FactShape:
    return FactShape(decl.type, decl.unit, tuple(decl.values))


def _kind(fw: Framework, ind: Indicator) -> AnswerKind:
    kind = fw.registry.kinds.get(ind.kind)
    assert kind is not None  # the spec was validated against this registry
    return kind


def uses(fw: Framework) -> Iterator[tuple[str, Use]]:
    """Every (fact key, use) of one framework (its base spec: every indicator of it)."""
    spec = fw.base
    for iid, ind in _indicators(spec.dimensions):
        if ind.fact:
            yield ind.fact, Use(spec.id, "read", iid, indicator_shape(_kind(fw, ind), ind),
                                ind.title)
    for key, expression in spec.exports.items():
        yield key, Use(spec.id, "export", expression, export_shape(fw, expression),
                       _export_title(spec, expression))
    for key, decl in spec.facts.items():
        yield key, Use(spec.id, "declared", "facts", _declared_shape(decl), decl.title)


def _compatible(a: FactShape, b: FactShape) -> bool:
    # Option values must match for a choice; a level's values may differ (an export's level
    # rank covers its own levels), but its type and unit may not.
    if (a.type, a.unit) != (b.type, b.unit):
        return False
    return a.type != "choice" or set(a.values) == set(b.values)


def vocabulary(frameworks: Iterable[Framework]) -> tuple[list[Fact], list[Problem]]:
    """The facts of these frameworks, sorted by key, and every disagreement between them."""
    by_key: dict[str, list[Use]] = {}
    for fw in sorted(frameworks, key=lambda f: f.id):
        for key, use in uses(fw):
            by_key.setdefault(key, []).append(use)
    facts: list[Fact] = []
    problems: list[Problem] = []
    for key in sorted(by_key):
        found = by_key[key]
        # A declaration names the fact best, then an indicator's title.
        ranked = sorted(found, key=lambda u: {"declared": 0, "read": 1, "export": 2}[u.how])
        first = ranked[0]
        clash = [u for u in found if not _compatible(u.shape, first.shape)]
        if clash:
            shown = "; ".join(f"{u.framework} {u.where}: {u.shape.describe()}" for u in found)
            problems.append(Problem(f"facts.{key}", f"frameworks disagree on its type or unit: "
                                                    f"{shown}"))
        title = next(u.title for u in ranked if u.title is not None)
        facts.append(Fact(
            key=key, shape=first.shape, title=title,
            read_by=tuple((u.framework, u.where) for u in found if u.how == "read"),
            exported_by=tuple(sorted({u.framework for u in found if u.how != "read"}))))
    return facts, problems


def disagreements(candidate: Framework, installed: Iterable[Framework]) -> list[Problem]:
    """How ``candidate`` disagrees with the installed frameworks (other ids) on shared facts."""
    others = [fw for fw in installed if fw.id != candidate.id]
    _, before = vocabulary(others)
    _, after = vocabulary([*others, candidate])
    known = {(p.path, p.message) for p in before}
    return [p for p in after if (p.path, p.message) not in known]
