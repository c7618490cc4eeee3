"""Conformance checks every framework plugin should pass (beyond what validation enforces)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Any

import attrs

from smesdk.convert import unstructure
from smesdk.framework import Framework
from smesdk.kinds import band_contains, band_text
from smesdk.numbers import frac
from smesdk.shapes import Shape
from smesdk.spec import FrameworkSpec
from smesdk.text import Text
from smesdk.validate import answer_rules

_ON = dt.date(2026, 1, 1)


def conformance_problems(fw: Framework, *, schema: bool = True) -> list[str]:
    """Every conformance problem of a loaded framework, one line each (empty when fine)."""
    problems: list[str] = []
    if schema:
        problems += schema_problems(fw.base)
    problems += list(_text_problems(fw.base, "framework"))
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


def _text_problems(obj: Any, path: str) -> Iterator[str]:
    if isinstance(obj, Text):
        if not obj.zh.strip():
            yield f"{path}: Chinese text missing"
        if not obj.en.strip():
            yield f"{path}: English text missing"
    elif attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            value = getattr(obj, field.name)
            ident = getattr(obj, "id", None)
            sub = f"{path}.{field.name}" if ident is None else f"{path}[{ident}].{field.name}"
            yield from _text_problems(value, sub)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _text_problems(item, f"{path}[{i}]")


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
