"""The framework specification: what a framework plugin declares, as data.

These classes are the schema of a framework YAML file (see ``specs/framework.schema.json``
and ``docs/framework-format.md``). They are frozen and dumb: loading lives in
:mod:`smesdk.convert`, semantic checks in :mod:`smesdk.validate`, scoring in
:mod:`smesdk.engine`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

import attrs

from smesdk.text import LANGS, Text

Status = Literal["official", "derived", "unverified"]
Better = Literal["higher", "lower"]
SizeClass = Literal["micro", "small", "medium"]
Measure = Literal["score", "points", "level", "answer"]
#: What a shared fact holds: a number, yes/no, one option value, a level, a list, a date, text.
FactType = Literal["number", "boolean", "choice", "level", "list", "date", "text"]

ONE = Decimal(1)


#: What a citation supports, when a node cites several documents: the question's wording, its
#: scoring rule, or its advice. A closed set: every surface names each role.
CitationRole = Literal["question", "scoring", "advice"]
CITATION_ROLES: tuple[CitationRole, ...] = ("question", "scoring", "advice")


@attrs.frozen
class Citation:
    """Where an indicator (or rule) comes from: a clause of a source document or standard."""

    doc: str
    clause: str
    standard: str | None = None
    note: Text | None = None
    #: What this citation supports; required when a node lists several citations.
    role: CitationRole | None = None


class Citations(tuple[Citation, ...]):
    """A node's citations, in the order the spec lists them (empty: none).

    A spec may write ``source`` as one citation or as a list; both read into this one form.
    Where a single citation is needed (a docs table, a batch column, a form cell), the
    :attr:`primary` one is used: the first listed.
    """

    __slots__ = ()

    @property
    def primary(self) -> Citation | None:
        return self[0] if self else None


def as_citations(value: Citation | Iterable[Citation] | None) -> Citations:
    """One citation, a list of them or none, as :class:`Citations`."""
    if value is None:
        return Citations()
    if isinstance(value, Citation):
        return Citations((value,))
    return value if isinstance(value, Citations) else Citations(value)


@attrs.frozen
class SourceDocument:
    """A published document a framework is built from.

    ``issuer`` is the body that issued and published the document (a ministry, a standards
    body, the European Commission): smesdk has one field for both, its publisher.
    """

    id: str
    title: Text
    issuer: Text
    number: str | None = None
    #: The date of issue (publication).
    date: dt.date | None = None
    #: What the framework takes from this document (its scoring, advice, scene descriptions
    #: …), shown beside it wherever the documents are listed.
    role: Text | None = None
    #: Where the document can be read (http or https).
    url: str | None = None


@attrs.frozen
class Option:
    """One choice of a ``choice`` or ``multi`` indicator. Options are listed worst first."""

    value: str
    label: Text
    points: Decimal = Decimal(0)
    exclusive: bool = False


@attrs.frozen
class ScaleLevel:
    """One rung of a ``scale`` indicator, with the guide's wording as its descriptor."""

    level: int
    label: Text
    points: Decimal | None = None


@attrs.frozen
class Band:
    """A numeric band of a ``number`` or ``percent`` indicator: bounds and the points inside.

    Bounds are explicit about inclusion because published tables mix them, e.g.
    ``(10–20%] 1.5`` is ``{gt: 10, le: 20, points: 1.5}``.
    """

    points: Decimal
    gt: Decimal | None = None
    ge: Decimal | None = None
    lt: Decimal | None = None
    le: Decimal | None = None
    label: Text | None = None


@attrs.frozen
class GridLine:
    """One row or column of a ``grid`` indicator; its ``weight`` multiplies the points of its
    cells (points per row, per column)."""

    value: str
    label: Text
    weight: Decimal = ONE


@attrs.frozen
class GridRule:
    """A cross-column rule of a ``grid``: a row whose cells hold every ``when`` value scores
    ``points`` (the first matching rule of the list wins; no match scores 0)."""

    points: Decimal
    when: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Applicability:
    """Which enterprises an indicator applies to; empty means all. ``sizes`` are the
    framework's size classes, ``industries`` codes of its classification, ``fields`` tests on
    the enterprise fields it declares (all must hold)."""

    sizes: list[str] = attrs.field(factory=list)
    industries: list[str] = attrs.field(factory=list)
    fields: dict[str, Compare] = attrs.field(factory=dict)


@attrs.frozen
class Indicator:
    """A question whose answer is scored by the rule of its ``kind``."""

    id: str
    title: Text
    question: Text
    kind: str
    source: Citations = attrs.field(converter=as_citations)
    status: Status
    status_note: Text | None = None
    options: list[Option] = attrs.field(factory=list)
    scale: list[ScaleLevel] = attrs.field(factory=list)
    bands: list[Band] = attrs.field(factory=list)
    points: Decimal | None = None
    cap: Decimal | None = None
    mode: Literal["sum", "fraction"] = "sum"
    min: Decimal | None = None
    max: Decimal | None = None
    unit: Text | None = None
    better: Better = "higher"
    within_days: int | None = None
    #: A ``grid``: its rows and columns, what each cell holds (``choice`` from ``options``,
    #: ``scale`` from ``scale``, or ``yesno``) and, optionally, its cross-column rules.
    rows: list[GridLine] = attrs.field(factory=list)
    columns: list[GridLine] = attrs.field(factory=list)
    cell: Literal["choice", "scale", "yesno"] | None = None
    rules: list[GridRule] = attrs.field(factory=list)
    weight: Decimal = ONE
    scored: bool = True
    required: bool = True
    na_allowed: bool = False
    applies_to: Applicability | None = None
    depends_on: list[str] = attrs.field(factory=list)
    fact: str | None = None
    tier: int | None = None
    target: Decimal | None = None
    evidence: Text | None = None
    recommendation: Text | None = None
    tags: list[str] = attrs.field(factory=list)
    params: dict[str, Any] = attrs.field(factory=dict)
    #: Ids of the services (smesdk.services vocabulary) that close this indicator's gap.
    services: list[str] = attrs.field(factory=list)


@attrs.frozen
class Dimension:
    """A group of sub-dimensions and/or indicators, combined by an aggregation method."""

    id: str
    title: Text
    description: Text | None = None
    weight: Decimal = ONE
    aggregation: str = "weighted_mean"
    points: Decimal | None = None
    weight_total: Decimal | None = None
    scored: bool = True
    na_cap: Decimal | None = None
    source: Citations = attrs.field(factory=Citations, converter=as_citations)
    recommendation: Text | None = None
    dimensions: list[Dimension] = attrs.field(factory=list)
    indicators: list[Indicator] = attrs.field(factory=list)
    params: dict[str, Any] = attrs.field(factory=dict)
    #: Services for every indicator beneath (smesdk.services vocabulary ids).
    services: list[str] = attrs.field(factory=list)


@attrs.frozen
class Compare:
    """Comparison bounds shared by gate tests; ``eq`` compares answers and facts exactly."""

    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None
    eq: Any = None


@attrs.frozen
class TotalTest:
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None


@attrs.frozen
class DimensionTest:
    id: str
    measure: Literal["score", "points"] = "score"
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None


@attrs.frozen
class IndicatorTest:
    id: str
    measure: Measure = "score"
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None
    eq: Any = None


@attrs.frozen
class FactTest:
    key: str
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None
    eq: Any = None


@attrs.frozen
class CountTest:
    """At least ``at_least`` of the indicators in ``set`` (or ``ids``) pass the comparison."""

    at_least: int
    set: str | None = None
    ids: list[str] = attrs.field(factory=list)
    measure: Measure = "level"
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None
    eq: Any = None


@attrs.frozen
class Gate:
    """A condition on a result. Exactly one of its fields is set; ``all``/``any``/``not`` nest."""

    all: list[Gate] = attrs.field(factory=list)
    any: list[Gate] = attrs.field(factory=list)
    not_: Gate | None = None
    total: TotalTest | None = None
    dimension: DimensionTest | None = None
    indicator: IndicatorTest | None = None
    fact: FactTest | None = None
    count: CountTest | None = None
    label: Text | None = None


@attrs.frozen
class Level:
    """A level reached when the total lies in its band and the gate (if any) holds.

    The band is [min, max) unless an edge says otherwise, as published tables do: "26–50" on
    whole points is ``{min: 25, min_exclusive: true, max: 50, max_inclusive: true}``.
    """

    id: str
    title: Text
    min: Decimal
    max: Decimal | None = None
    min_exclusive: bool = False
    max_inclusive: bool = False
    description: Text | None = None
    gate: Gate | None = None
    status: Status = "derived"
    source: Citations = attrs.field(factory=Citations, converter=as_citations)


@attrs.frozen
class LevelCap:
    """A red line: unless ``when`` holds, the level is capped at ``max_level`` (None: no level)."""

    id: str
    title: Text
    when: Gate
    max_level: str | None = None
    source: Citations = attrs.field(factory=Citations, converter=as_citations)
    recommendation: Text | None = None
    #: Services that help an enterprise meet this red line (smesdk.services vocabulary ids).
    services: list[str] = attrs.field(factory=list)


@attrs.frozen
class Profile:
    """An overlay that tailors a framework: select or drop nodes, patch fields, swap levels."""

    id: str
    title: Text
    description: Text | None = None
    extends: str | None = None
    select: list[str] | None = None
    drop: list[str] = attrs.field(factory=list)
    set: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    levels: list[Level] | None = None
    level_caps: list[LevelCap] | None = None
    level_rule: str | None = None
    sets: dict[str, list[str]] = attrs.field(factory=dict)


@attrs.frozen
class Rescale:
    """A number answer carried to a new unit: new = old × ``factor`` + ``offset``."""

    factor: Decimal = ONE
    offset: Decimal = Decimal(0)


@attrs.frozen
class AnswerMigration:
    """How answers made for an earlier version (``from_version``) carry over to this one.

    Ids on the left of ``renamed`` and in ``dropped`` are the old version's; every other key
    is this version's. ``values`` maps an old option value (as text) to the new value: several
    old values to one merges options, a list splits one into several ticks (``multi``), and
    null means the answer cannot be carried and must be asked again.
    """

    from_version: str
    note: Text | None = None
    renamed: dict[str, str] = attrs.field(factory=dict)
    values: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    rescaled: dict[str, Rescale] = attrs.field(factory=dict)
    dropped: dict[str, Text] = attrs.field(factory=dict)


@attrs.frozen
class FactDeclaration:
    """A fact this framework's hooks export (``smesdk_export_facts``), declared so that other
    frameworks and ``docs/facts.md`` know what it means and holds. Facts read by indicators or
    exported through ``exports`` need no declaration: their type follows from the indicator."""

    title: Text
    type: FactType
    unit: Text | None = None
    values: list[Any] = attrs.field(factory=list)


#: What an extra enterprise field holds: a number, text, or yes/no.
EnterpriseFieldKind = Literal["number", "text", "yesno"]


@attrs.frozen
class SizeClassDeclaration:
    """A size class of the framework's enterprises (e.g. the EU's small mid-caps)."""

    id: str
    #: The class's name; the core's micro, small and medium have theirs.
    title: Text | None = None


@attrs.frozen
class EnterpriseField:
    """An enterprise field a framework adds to the core's (name, size, industry, region …)."""

    title: Text
    kind: EnterpriseFieldKind
    unit: Text | None = None


@attrs.frozen
class EnterpriseModel:
    """What a framework declares about the enterprises it assesses (see docs/concepts.md)."""

    #: Its size classes, in order; empty: the core's micro, small and medium.
    sizes: list[SizeClassDeclaration] = attrs.field(factory=list)
    #: The classification ``enterprise.industry`` is a code of: one the core knows (cnca,
    #: gbt4754, nace2), or the framework's own named list given in ``industry_codes``.
    industries: str = "cnca"
    industry_codes: dict[str, Text] = attrs.field(factory=dict)
    #: Extra enterprise fields by name, usable in ``applies_to``, batch columns and forms.
    fields: dict[str, EnterpriseField] = attrs.field(factory=dict)


@attrs.frozen
class FrameworkSpec:
    """A whole framework: dimensions, levels, profiles, and the documents it cites."""

    id: str
    version: str
    title: Text
    description: Text
    source: SourceDocument
    dimensions: list[Dimension]
    #: The languages every text is written in (BCP 47 tags), and the chain a reader asking
    #: for one falls back along (smesdk.languages). Left out of the unstructured form while
    #: default, so the official specs keep their content hashes.
    languages: list[str] = attrs.field(factory=lambda: list(LANGS))
    fallback: list[str] = attrs.field(factory=list)
    references: list[SourceDocument] = attrs.field(factory=list)
    aggregation: str = "weighted_mean"
    points: Decimal | None = None
    weight_total: Decimal | None = None
    na_cap: Decimal | None = None
    levels: list[Level] = attrs.field(factory=list)
    level_rule: str = "bands"
    level_caps: list[LevelCap] = attrs.field(factory=list)
    sets: dict[str, list[str]] = attrs.field(factory=dict)
    #: Names of the sets for people ("the 16 business scenes"), by set id.
    set_titles: dict[str, Text] = attrs.field(factory=dict)
    profiles: list[Profile] = attrs.field(factory=list)
    default_profile: str | None = None
    exports: dict[str, str] = attrs.field(factory=dict)
    params: dict[str, Any] = attrs.field(factory=dict)
    facts: dict[str, FactDeclaration] = attrs.field(factory=dict)
    # Left out of the unstructured form when empty (smesdk.convert), so that specs without
    # migrations keep their content hash.
    migrations: list[AnswerMigration] = attrs.field(factory=list)
    #: Left out of the unstructured form when unset, for the same reason.
    enterprise: EnterpriseModel | None = None
