"""The named behaviours frameworks refer to: answer kinds, aggregations, level rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from smesdk.aggregations import BUILTIN_AGGREGATIONS, Aggregation
from smesdk.errors import PluginError, Problem
from smesdk.kinds import BUILTIN_KINDS, AnswerKind
from smesdk.levels import BUILTIN_LEVEL_RULES, LevelRule
from smesdk.shapes import Shape


def _kind_problem(kind: AnswerKind) -> str | None:
    # Forms, docs, batch columns and test data dispatch on the shape: a kind without one
    # would work in some places and silently not in others.
    if not isinstance(kind.shape, Shape):
        return (f"declares no answer shape: set the class attribute shape to one of "
                f"{', '.join(f'Shape.{s.name}' for s in Shape)} (smesdk.shapes)")
    return None


class _Named(Protocol):
    name: str


T = TypeVar("T", AnswerKind, Aggregation, LevelRule)


class Table(Generic[T]):
    """Name -> object, remembering which plugin registered each; duplicates are errors."""

    def __init__(self, what: str, check: Callable[[T], str | None] | None = None) -> None:
        self.what = what
        self.items: dict[str, T] = {}
        self.owners: dict[str, str] = {}
        self._check: Callable[[T], str | None] | None = check

    def add(self, item: T, owner: str) -> None:
        name = item.name
        if not name:
            raise PluginError([Problem(owner, f"a {self.what} must have a name")])
        problem = self._check(item) if self._check is not None else None
        if problem is not None:
            raise PluginError([Problem(owner, f"{self.what} {name!r} {problem}")])
        if name in self.items:
            raise PluginError(
                [Problem(owner, f"{self.what} {name!r} is already registered by "
                                f"{self.owners[name]!r}")]
            )
        self.items[name] = item
        self.owners[name] = owner

    def get(self, name: str) -> T | None:
        return self.items.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.items

    def names(self) -> list[str]:
        return sorted(self.items)


class Registry:
    """Kinds, aggregations and level rules available to frameworks."""

    def __init__(self) -> None:
        self.kinds: Table[AnswerKind] = Table("answer kind", _kind_problem)
        self.aggregations: Table[Aggregation] = Table("aggregation")
        self.level_rules: Table[LevelRule] = Table("level rule")

    @classmethod
    def builtin(cls) -> Registry:
        reg = cls()
        for kind in BUILTIN_KINDS:
            reg.kinds.add(kind, "smesdk")
        for agg in BUILTIN_AGGREGATIONS:
            reg.aggregations.add(agg, "smesdk")
        for rule in BUILTIN_LEVEL_RULES:
            reg.level_rules.add(rule, "smesdk")
        return reg
