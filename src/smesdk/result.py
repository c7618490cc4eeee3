"""The assessment result: every number with its trace, and a provenance stamp.

Numbers are Decimals rounded once by :func:`smesdk.numbers.round_out`; the JSON form
round-trips losslessly (``Result.from_json(r.to_json()) == r``).
"""

from __future__ import annotations

import datetime as dt
import weakref
from decimal import Decimal
from typing import Any, Literal

import attrs

from smesdk.answers import Enterprise
from smesdk.spec import Citations, Status, as_citations
from smesdk.statuses import IndicatorStatus
from smesdk.text import Lang, Text

#: id(result) -> its traces by id, built on first look-up and dropped with the result. Plugins
#: read a result's indicators one by one, hundreds of times per assessment.
_INDEXES: dict[int, tuple[dict[str, IndicatorResult], dict[str, DimensionResult]]] = {}


def _index(result: Result) -> tuple[dict[str, IndicatorResult], dict[str, DimensionResult]]:
    key = id(result)
    found = _INDEXES.get(key)
    if found is None:
        found = _INDEXES[key] = ({i.id: i for i in result.indicators},
                                 {d.id: d for d in result.dimensions})
        weakref.finalize(result, _INDEXES.pop, key, None)
    return found


@attrs.frozen
class Provenance:
    """Which framework, version, resolved content and smesdk produced a result."""

    framework: str
    version: str
    content_hash: str
    profile: str | None
    smesdk_version: str


@attrs.frozen
class IndicatorResult:
    """One indicator's trace: answer -> rule -> points -> weight -> contribution."""

    id: str
    status: IndicatorStatus
    answer: Any
    rule: Text
    points: Decimal
    max_points: Decimal
    score: Decimal | None
    weight: Decimal
    share: Decimal | None
    contribution: Decimal | None
    source: Citations = attrs.field(converter=as_citations)
    evidence: dict[str, Any] | None = None
    note: str | None = None


@attrs.frozen
class DimensionResult:
    id: str
    title: Text
    score: Decimal | None
    points: Decimal
    max_points: Decimal
    weight: Decimal
    share: Decimal | None
    contribution: Decimal | None
    aggregation: str
    scored: bool = True


@attrs.frozen
class LevelRef:
    id: str
    rank: int
    title: Text
    status: Status


@attrs.frozen
class Blocker:
    """Something standing between the result and a level: points, a gate, or a red line."""

    kind: Literal["points", "gate", "cap"]
    message: Text
    ref: str | None = None
    missing: Decimal | None = None


@attrs.frozen
class NextLevel:
    level: LevelRef
    blockers: list[Blocker]


@attrs.frozen
class Gap:
    indicator: str
    current: Decimal
    target: Decimal
    impact: Decimal


#: What kind of step a recommendation asks for; reports show each kind in its own unit.
RecommendationKind = Literal["red_line", "prerequisite", "points", "scene_step", "service",
                             "general"]


@attrs.frozen
class Recommendation:
    """Advice. ``impact`` is points of the total it could add (for ``points`` advice).

    ``kind`` and ``priority`` (1 = do first) are set by plugins from their data; ``caveat``
    says why the advice's basis is doubtful, and such advice never ranks first on points
    alone. All three are left out of the JSON when unset, so older results read the same.
    """

    text: Text
    source: Citations = attrs.field(factory=Citations, converter=as_citations)
    indicator: str | None = None
    impact: Decimal = Decimal(0)
    origin: str = "framework"
    kind: RecommendationKind | None = None
    priority: int | None = None
    caveat: Text | None = None


@attrs.frozen
class Warning:
    code: str
    message: Text
    indicator: str | None = None


@attrs.frozen
class Result:
    """The outcome of scoring one answer set against one resolved framework."""

    provenance: Provenance
    enterprise: Enterprise
    assessed_on: dt.date
    assessor: str | None
    total: Decimal
    level: LevelRef | None
    next_level: NextLevel | None
    caps: list[Blocker]
    dimensions: list[DimensionResult]
    indicators: list[IndicatorResult]
    gaps: list[Gap]
    recommendations: list[Recommendation]
    warnings: list[Warning]
    facts: dict[str, Any] = attrs.field(factory=dict)
    extensions: dict[str, Any] = attrs.field(factory=dict)

    def indicator(self, id: str) -> IndicatorResult:
        """An indicator's trace by id (KeyError if the framework has none)."""
        item = _index(self)[0].get(id)
        if item is None:
            raise KeyError(id)
        return item

    def dimension(self, id: str) -> DimensionResult:
        """A dimension's trace by id (KeyError if the framework has none)."""
        item = _index(self)[1].get(id)
        if item is None:
            raise KeyError(id)
        return item

    def to_dict(self) -> dict[str, Any]:
        from smesdk.convert import unstructure

        data: dict[str, Any] = unstructure(self)
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: the same result gives the same bytes on every machine."""
        from smesdk.convert import dumps_json

        return dumps_json(self, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Result:
        from smesdk.convert import parse_text, structure

        return structure(parse_text(text, "json"), cls, "json")

    def explain(self, id: str | None = None, lang: Lang = "en") -> str:
        """How each score was reached, for one indicator, one dimension's subtree, or all."""
        from smesdk.explain import explain

        return explain(self, id, lang)
