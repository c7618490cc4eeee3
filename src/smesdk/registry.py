"""The named behaviours frameworks refer to: answer kinds, aggregations, level rules."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from smesdk.aggregations import BUILTIN_AGGREGATIONS, Aggregation
from smesdk.errors import PluginError, Problem
from smesdk.kinds import BUILTIN_KINDS, AnswerKind
from smesdk.levels import BUILTIN_LEVEL_RULES, LevelRule


class _Named(Protocol):
    name: str


T = TypeVar("T", AnswerKind, Aggregation, LevelRule)


class Table(Generic[T]):
    """Name -> object, remembering which plugin registered each; duplicates are errors."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: dict[str, T] = {}
        self.owners: dict[str, str] = {}

    def add(self, item: T, owner: str) -> None:
        name = item.name
        if not name:
            raise PluginError([Problem(owner, f"a {self.what} must have a name")])
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
        self.kinds: Table[AnswerKind] = Table("answer kind")
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
