"""Resolving a profile: the overlay that tailors a framework to a size class or industry.

Resolution is deterministic: the ``extends`` chain from its root, then for each profile
select, drop, field patches, and replacement of levels, red lines, level rule and sets.
The origin of every overridden value is recorded.
"""

from __future__ import annotations

from typing import Any

import attrs
import cattrs

from smesdk.convert import converter, structure_problems
from smesdk.errors import Problem, SpecError
from smesdk.spec import Dimension, FrameworkSpec, Indicator, Profile
from smesdk.tree import full_id

_FIXED = {"id", "dimensions", "indicators", "profiles", "default_profile"}


def profile_chain(spec: FrameworkSpec, profile_id: str) -> list[Profile]:
    by_id = {p.id: p for p in spec.profiles}
    if profile_id not in by_id:
        known = ", ".join(sorted(by_id)) or "none"
        raise SpecError([Problem("profile", f"framework {spec.id!r} has no profile "
                                            f"{profile_id!r} (profiles: {known})")])
    chain: list[Profile] = []
    cur: str | None = profile_id
    while cur is not None:
        if any(p.id == cur for p in chain):
            raise SpecError([Problem("profiles", f"profile {cur!r} extends itself")])
        chain.insert(0, by_id[cur])
        cur = by_id[cur].extends
    return chain


def resolve(spec: FrameworkSpec, profile_id: str | None) -> tuple[FrameworkSpec, dict[str, str]]:
    """The framework with the profile applied, and {overridden value: profile id}."""
    origins: dict[str, str] = {}
    if profile_id is not None:
        for prof in profile_chain(spec, profile_id):
            spec = _apply(spec, prof, origins)
    return attrs.evolve(spec, profiles=[], default_profile=None), origins


def _apply(spec: FrameworkSpec, prof: Profile, origins: dict[str, str]) -> FrameworkSpec:
    dims = spec.dimensions
    if prof.select is not None:
        dims = _select(dims, "", set(prof.select), inherited=False)
        origins["select"] = prof.id
    if prof.drop:
        dims = _drop(dims, "", set(prof.drop))
        origins["drop"] = prof.id
    problems: list[Problem] = []
    patches = dict(prof.set)
    root_patch = patches.pop("", None)
    dims = _patch_dims(dims, "", patches, prof.id, origins, problems)
    changes: dict[str, Any] = {"dimensions": dims}
    if root_patch:
        changes.update(_structure_patch(FrameworkSpec, "", root_patch, prof.id, origins, problems))
    for name in ("levels", "level_caps", "level_rule"):
        value = getattr(prof, name)
        if value is not None:
            changes[name] = value
            origins[name] = prof.id
    if prof.sets:
        changes["sets"] = {**spec.sets, **prof.sets}
        for name in prof.sets:
            origins[f"sets.{name}"] = prof.id
    if problems:
        raise SpecError(problems, title=f"profile {prof.id!r} cannot be applied:")
    return attrs.evolve(spec, **changes)


def _select(dims: list[Dimension], parent: str, keep: set[str], inherited: bool) -> list[Dimension]:
    out = []
    for dim in dims:
        fid = full_id(parent, dim.id)
        whole = inherited or fid in keep
        subdims = _select(dim.dimensions, fid, keep, whole)
        inds = [i for i in dim.indicators if whole or full_id(fid, i.id) in keep]
        if subdims or inds:
            out.append(attrs.evolve(dim, dimensions=subdims, indicators=inds))
    return out


def _drop(dims: list[Dimension], parent: str, drop: set[str]) -> list[Dimension]:
    out = []
    for dim in dims:
        fid = full_id(parent, dim.id)
        if fid in drop:
            continue
        subdims = _drop(dim.dimensions, fid, drop)
        inds = [i for i in dim.indicators if full_id(fid, i.id) not in drop]
        if subdims or inds:
            out.append(attrs.evolve(dim, dimensions=subdims, indicators=inds))
    return out


def _patch_dims(dims: list[Dimension], parent: str, patches: dict[str, dict[str, Any]],
                profile: str, origins: dict[str, str], problems: list[Problem]) -> list[Dimension]:
    out = []
    for dim in dims:
        fid = full_id(parent, dim.id)
        inds = []
        for ind in dim.indicators:
            iid = full_id(fid, ind.id)
            if iid in patches:
                ind = attrs.evolve(ind, **_structure_patch(Indicator, iid, patches[iid], profile,
                                                           origins, problems))
            inds.append(ind)
        subdims = _patch_dims(dim.dimensions, fid, patches, profile, origins, problems)
        changes: dict[str, Any] = {"dimensions": subdims, "indicators": inds}
        if fid in patches:
            changes.update(_structure_patch(Dimension, fid, patches[fid], profile, origins,
                                            problems))
        out.append(attrs.evolve(dim, **changes))
    return out


def _structure_patch(cls: type, node: str, patch: dict[str, Any], profile: str,
                     origins: dict[str, str], problems: list[Problem]) -> dict[str, Any]:
    fields = {f.name: f for f in attrs.fields(cls)}
    out: dict[str, Any] = {}
    for name, raw in patch.items():
        where = f"profiles.{profile}.set.{node or '(framework)'}.{name}"
        field = fields.get(name)
        if field is None or name in _FIXED:
            problems.append(Problem(where, f"{cls.__name__.lower()} field {name!r} cannot be set"))
            continue
        try:
            out[name] = converter.structure(raw, field.type)
        except (cattrs.BaseValidationError, TypeError, ValueError) as exc:
            for p in structure_problems(exc, None):
                problems.append(Problem(f"{where}{'.' + p.path if p.path else ''}", p.message))
            continue
        origins[f"{node}.{name}" if node else name] = profile
    return out


# Patches are structured by field type; with postponed annotations those are strings until
# resolved once here.
for _cls in (FrameworkSpec, Dimension, Indicator):
    attrs.resolve_types(_cls)
