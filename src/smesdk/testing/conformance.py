"""Conformance checks every framework plugin should pass (beyond what validation enforces)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

from smesdk.convert import unstructure
from smesdk.framework import Framework
from smesdk.kinds import band_contains, band_text
from smesdk.languages import language_problems as declared_language_problems
from smesdk.numbers import frac
from smesdk.shapes import Shape
from smesdk.spec import FrameworkSpec
from smesdk.validate import answer_rules

_ON = dt.date(2026, 1, 1)


def conformance_problems(fw: Framework, *, schema: bool = True) -> list[str]:
    """Every conformance problem of a loaded framework, one line each (empty when fine)."""
    problems: list[str] = []
    if schema:
        problems += schema_problems(fw.base)
    problems += language_problems(fw.base)
    for iid, ind in fw.iter_indicators():
        if not ind.source or any(not c.doc.strip() or not c.clause.strip() for c in ind.source):
            problems.append(f"{iid}: citation needs both doc and clause")
        if ind.status not in ("official", "derived", "unverified"):
            problems.append(f"{iid}: status must be official, derived or unverified")
        kind = fw.kinds[iid]
        # The answer rules validation applies (a framework that loaded passed them already;
        # kept here so the kit reports them for a framework built any other way).
        problems += [f"{iid}: {msg}" for _, msg in answer_rules(ind, kind)]
        if ind.required and kind.is_scored(ind) and not kind.samples(ind):
            problems.append(f"{iid}: kind {ind.kind!r} offers no sample answers for testing")
        problems += _reachability(fw, iid)
    for i, level in enumerate(fw.spec.levels):
        if level.min > 100:
            problems.append(f"levels[{i}] {level.id!r}: min {level.min} cannot be reached")
    return problems


def _reachability(fw: Framework, iid: str) -> list[str]:
    ind = fw.indicator(iid)
    kind = fw.kinds[iid]
    out = []
    if kind.shape is Shape.BANDS:
        values = kind.samples(ind)
        for i, band in enumerate(ind.bands):
            if not any(band_contains(band, frac(v)) for v in values):
                out.append(f"{iid}: band {i} {band_text(band)} cannot be reached within the "
                           "allowed range")
    return out


def language_problems(spec: FrameworkSpec) -> list[str]:
    """Every text not written in each language the framework declares, with its path (the
    rule validation applies, kept here for a framework built any other way)."""
    return [f"{path}: {msg}" for path, msg in declared_language_problems(spec)]


def schema_problems(spec: FrameworkSpec) -> list[str]:
    """The spec, as data, checked against smesdk's framework JSON Schema."""
    import jsonschema  # type: ignore[import-untyped,unused-ignore]

    from smesdk.schema import framework_schema

    data = unstructure(spec)
    validator = jsonschema.Draft202012Validator(framework_schema())
    return [f"schema: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))]


def indicator_ids(fw: Framework) -> list[str]:
    return list(fw.indicator_ids)


def missing_ids(fw: Framework, previous: Iterable[str]) -> list[str]:
    """Ids of an earlier version that this version no longer has (ids must stay stable)."""
    current = set(fw.indicator_ids) | set(fw.dimension_ids)
    return sorted(set(previous) - current)


def ladder_points(fw: Framework, iid: str) -> list[Fraction]:
    ind = fw.indicator(iid)
    kind = fw.kinds[iid]
    return [kind.points(ind, kind.parse(ind, raw), _ON) for raw in kind.ladder(ind)]
