"""The assessment result: every number with its trace, and a provenance stamp.

Numbers are Decimals rounded once by :func:`smesdk.numbers.round_out`; the JSON form
round-trips losslessly (``Result.from_json(r.to_json()) == r``).
"""

from __future__ import annotations

import datetime as dt
import operator
import weakref
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from smesdk.answers import Enterprise
from smesdk.spec import Citations, Status, as_citations
from smesdk.statuses import IndicatorStatus
from smesdk.text import Lang, Text

if TYPE_CHECKING:
    from smesdk.answers import AnswerSet
    from smesdk.framework import Framework
    from smesdk.services.match import ServiceMatch
    from smesdk.uplift import UpliftPlan

#: id(result) -> its traces by id, built on first look-up and dropped with the result. Plugins
#: read a result's indicators one by one, hundreds of times per assessment.
_INDEXES: dict[int, tuple[dict[str, IndicatorResult], dict[str, DimensionResult]]] = {}
_id = id  # Result.indicator's argument is named id
_Index = tuple[dict[str, "IndicatorResult"], dict[str, "DimensionResult"]]


def _index(result: Result) -> _Index:
    found = _INDEXES.get(id(result))
    if found is None:
        found = ({i.id: i for i in result.indicators}, {d.id: d for d in result.dimensions})
        _keep_index(result, found)
    return found


def _keep_index(result: Result, index: _Index) -> None:
    # A weak reference with a callback, not weakref.finalize: far cheaper, and this runs for
    # each result the hooks see.
    key = id(result)
    _INDEXES[key] = index
    _INDEX_REFS[key] = weakref.ref(result, lambda _gone: _forget_index(key))


_INDEX_REFS: dict[int, weakref.ref[Result]] = {}


def _forget_index(key: int) -> None:
    _INDEXES.pop(key, None)
    _INDEX_REFS.pop(key, None)


def evolved(result: Result, **changes: Any) -> Result:
    """``attrs.evolve(result, **changes)``, faster, for the result hooks (a copy per
    assessment that plugins add to). The copy is filled slot by slot from the original's
    values, which ``Result`` already took, rather than through ``__init__`` (about 1 us less);
    ``changes`` must name fields. When the indicators and dimensions stay the same lists, the
    copy shares the original's look-up index instead of building its own."""
    new = _new_result(Result)
    for put, value in zip(_RESULT_SLOTS, _RESULT_VALUES(result), strict=True):
        put(new, value)
    for name, value in changes.items():
        _RESULT_SLOT[name](new, value)
    found = _INDEXES.get(id(result))
    if found is not None and "indicators" not in changes and "dimensions" not in changes:
        _keep_index(new, found)
    return new


#: id(result) -> the framework and answers that produced it, for results scored in this
#: process (``Framework.assess``); a result read back from JSON has none and is given them.
_ORIGINS: dict[int, tuple[weakref.ref[Result], Framework, AnswerSet]] = {}


def remember_origin(result: Result, framework: Framework, answers: AnswerSet) -> None:
    """Let ``result`` plan from the framework and answers that scored it (kept while it lives).

    A weak reference with a callback, not ``weakref.finalize``: this runs on every assessment
    and costs a fraction of it."""
    key = id(result)
    _ORIGINS[key] = (weakref.ref(result, lambda _gone: _ORIGINS.pop(key, None)), framework,
                     answers)


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
        # The index looked up inline: plugins call this hundreds of times per assessment.
        found = _INDEXES.get(_id(self))
        item = (found or _index(self))[0].get(id)
        if item is None:
            raise KeyError(id)
        return item

    def indicators_by_id(self) -> Mapping[str, IndicatorResult]:
        """Every indicator's trace by id, read-only: the index :meth:`indicator` looks up, for
        code that reads many (a plugin's hooks read about a hundred per assessment: a mapping
        look-up each, and ``.get`` for ids a profile leaves out). Built once per assessment
        and shared by the copies the result hooks make."""
        found = _INDEXES.get(_id(self))
        return MappingProxyType((found or _index(self))[0])

    def dimension(self, id: str) -> DimensionResult:
        """A dimension's trace by id (KeyError if the framework has none)."""
        found = _INDEXES.get(_id(self))  # inline, as in indicator()
        item = (found or _index(self))[1].get(id)
        if item is None:
            raise KeyError(id)
        return item

    def plan_to(self, level: str | None = None, *, framework: Framework | None = None,
                answers: AnswerSet | None = None) -> UpliftPlan:
        """The smallest set of answer changes that lifts this result to ``level`` (default:
        the next level up), by :func:`smesdk.plan_to_level`.

        A result scored in this process knows its framework and answers; one read back from
        JSON (or a store) is given them, and the framework must be the one that scored it.
        """
        from smesdk.errors import SmesdkError
        from smesdk.uplift import plan_to_level

        known = _ORIGINS.get(id(self))
        fw = framework if framework is not None else known[1] if known else None
        given = answers if answers is not None else known[2] if known else None
        if fw is None or given is None:
            raise SmesdkError(["this result was not scored in this process: give plan_to the "
                               "framework and the answers that scored it"])
        if fw.content_hash != self.provenance.content_hash:
            raise SmesdkError([f"the framework given ({fw.id} {fw.version}, "
                               f"{fw.content_hash[:19]}) is not the one that scored this result "
                               f"({self.provenance.content_hash[:19]})"])
        if level is None:
            if self.next_level is None:
                raise SmesdkError([f"{self.enterprise.name}: already at the highest level of "
                                   f"{fw.id}; name a level"])
            level = self.next_level.level.id
        return plan_to_level(fw, given, level)

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

    def matched_services(self, framework: Framework | None = None) -> list[ServiceMatch]:
        """The services this enterprise needs, ranked by the gap points they address, each
        with the indicators, red lines and citations behind it (docs/services.md).

        ``framework`` defaults to the installed one that scored the result (its provenance).
        """
        from smesdk.services.match import matched_services
        from smesdk.services.vocabulary import core_vocabulary

        if framework is None:
            from smesdk import default_host

            framework = default_host().load_framework(self.provenance.framework,
                                                      self.provenance.profile)
        vocabulary = getattr(framework.hooks, "vocabulary", core_vocabulary)()
        return matched_services(self, framework, vocabulary)

    def explain(self, id: str | None = None, lang: Lang = "en") -> str:
        """How each score was reached, for one indicator, one dimension's subtree, or all."""
        from smesdk.explain import explain

        return explain(self, id, lang)


_RESULT_FIELDS = tuple(a.name for a in attrs.fields(Result))
_RESULT_VALUES = operator.attrgetter(*_RESULT_FIELDS)
#: Each field's slot setter (a KeyError for a name that is not a field, as evolve refuses it).
_RESULT_SLOT = {name: Result.__dict__[name].__set__ for name in _RESULT_FIELDS}
_RESULT_SLOTS = tuple(_RESULT_SLOT.values())
_new_result = object.__new__
