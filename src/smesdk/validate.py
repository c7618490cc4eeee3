"""Semantic checks of a framework spec, all problems at once, each with its path."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from smesdk.aggregations import Child
from smesdk.enterprise import spec_problems as enterprise_problems
from smesdk.errors import Problem
from smesdk.gates import references, shape_problems
from smesdk.kinds import AnswerKind
from smesdk.languages import language_problems
from smesdk.numbers import fmt, frac, round_out
from smesdk.registry import Registry
from smesdk.shapes import Shape
from smesdk.spec import CITATION_ROLES, Citation, Citations, Dimension, FrameworkSpec, Gate, Indicator
from smesdk.tree import Node, walk

FRAMEWORK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NODE_ID = re.compile(r"^[a-z0-9_]+$")
EXPORT = re.compile(r"^(total|level|level_rank|dim:[a-z0-9_.]+:(score|points)|"
                    r"ind:[a-z0-9_.]+:(score|points|level|answer))$")
#: A source document's address: a web page, nothing a browser would run or open locally.
_WEB_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def check_spec(spec: FrameworkSpec, registry: Registry, file: str | None = None) -> list[Problem]:
    """Every semantic problem of a structurally valid spec."""
    return [Problem(path, msg, file) for path, msg in _problems(spec, registry)]


def _problems(spec: FrameworkSpec, reg: Registry) -> Iterator[tuple[str, str]]:
    if not FRAMEWORK_ID.match(spec.id):
        yield "id", f"framework id {spec.id!r} must be lower case letters, digits, '-' or '_'"
    docs = {spec.source.id, *(r.id for r in spec.references)}
    if len(docs) != 1 + len(spec.references):
        yield "references", "source and reference document ids must be distinct"
    nodes = list(walk(spec))
    by_id = {n.id: n for n in nodes}
    indicator_ids = {n.id for n in nodes if n.indicator is not None}
    dimension_ids = {n.id for n in nodes if n.dimension is not None}

    if not spec.dimensions:
        yield "dimensions", "a framework needs at least one dimension"
    seen: dict[str, str] = {}
    for node in nodes:
        if not NODE_ID.match(node.local_id):
            yield f"{node.path}.id", f"id {node.local_id!r} must be lower case letters, digits or '_'"
        if node.id in seen:
            yield f"{node.path}.id", f"duplicate id {node.id!r} (also at {seen[node.id]})"
        seen.setdefault(node.id, node.path)
        yield from _node_problems(node, reg, docs, indicator_ids)

    yield from _dependency_cycles(nodes)
    yield from _points_problems(spec, reg)

    if spec.level_rule not in reg.level_rules:
        yield "level_rule", f"unknown level rule {spec.level_rule!r} " \
                            f"(known: {', '.join(reg.level_rules.names())})"
    else:
        rule = reg.level_rules.get(spec.level_rule)
        assert rule is not None
        yield from rule.check(spec)
    if spec.aggregation not in reg.aggregations:
        yield "aggregation", f"unknown aggregation {spec.aggregation!r}"
    for name, ids in spec.sets.items():
        for i, iid in enumerate(ids):
            if iid not in indicator_ids:
                yield f"sets.{name}[{i}]", f"unknown indicator {iid!r}"
    for name in spec.set_titles:
        if name not in spec.sets:
            yield f"set_titles.{name}", f"no set {name!r} (sets: {', '.join(spec.sets) or 'none'})"
    gates: list[tuple[str, Gate]] = [(f"levels[{i}].gate", lv.gate)
                                     for i, lv in enumerate(spec.levels) if lv.gate]
    gates += [(f"level_caps[{i}].when", cap.when) for i, cap in enumerate(spec.level_caps)]
    for path, gate in gates:
        yield from shape_problems(gate, path)
        for kind, ref in references(gate):
            known = {"dimension": dimension_ids, "indicator": indicator_ids,
                     "set": set(spec.sets)}[kind]
            if ref not in known:
                yield path, f"unknown {kind} {ref!r}"
    for i, lv in enumerate(spec.levels):
        yield from _citations(lv.source, f"levels[{i}].source", docs)
    for i, cap in enumerate(spec.level_caps):
        yield from _citations(cap.source, f"level_caps[{i}].source", docs)
    for i, doc in enumerate([spec.source, *spec.references]):
        if doc.url is not None and not _WEB_URL.match(doc.url):
            where = "source" if i == 0 else f"references[{i - 1}]"
            yield f"{where}.url", f"{doc.url[:80]!r} is not a web address (http:// or https://)"
    if spec.na_cap is not None and not 0 <= spec.na_cap <= 1:
        yield "na_cap", "must lie within 0–1"
    for key, expr in spec.exports.items():
        match = EXPORT.match(expr)
        if not match:
            yield f"exports.{key}", f"cannot export {expr!r} (total, level, level_rank, " \
                                    "dim:<id>:score|points, ind:<id>:score|points|level|answer)"
            continue
        parts = expr.split(":")
        if len(parts) == 3 and parts[1] not in by_id:
            yield f"exports.{key}", f"unknown id {parts[1]!r}"
    yield from _profile_problems(spec, set(by_id))
    yield from language_problems(spec)
    yield from _migration_problems(spec, indicator_ids)
    yield from enterprise_problems(spec)


def _citations(cites: Citations, path: str, docs: set[str], *, required: bool = False
               ) -> Iterator[tuple[str, str]]:
    """Each citation names a declared document and a clause; several each say their role."""
    if required and not cites:
        yield path, "an indicator needs at least one citation"
    if len(cites) == 1:
        yield from _citation(cites[0], path, docs)
        return
    for i, cite in enumerate(cites):
        yield from _citation(cite, f"{path}[{i}]", docs)
        if cite.role is None:
            yield f"{path}[{i}].role", ("each of several citations needs its role (" +
                                        ", ".join(CITATION_ROLES) + ")")


def _citation(cite: Citation, path: str, docs: set[str]) -> Iterator[tuple[str, str]]:
    if cite.doc not in docs:
        yield f"{path}.doc", f"cites document {cite.doc!r}, which is neither the source nor a " \
                             f"reference ({', '.join(sorted(docs))})"
    if not cite.clause.strip():
        yield f"{path}.clause", "a citation needs its clause"


def _node_problems(
    node: Node, reg: Registry, docs: set[str], indicator_ids: set[str]
) -> Iterator[tuple[str, str]]:
    if node.dimension is not None:
        dim = node.dimension
        if not dim.dimensions and not dim.indicators:
            yield node.path, f"dimension {node.id!r} has no sub-dimensions or indicators"
        if dim.aggregation not in reg.aggregations:
            yield f"{node.path}.aggregation", f"unknown aggregation {dim.aggregation!r} " \
                                              f"(known: {', '.join(reg.aggregations.names())})"
        if dim.weight < 0:
            yield f"{node.path}.weight", "weight must not be negative"
        if dim.na_cap is not None and not 0 <= dim.na_cap <= 1:
            yield f"{node.path}.na_cap", "must lie within 0–1"
        yield from _citations(dim.source, f"{node.path}.source", docs)
        return
    ind = node.indicator
    assert ind is not None
    yield from _citations(ind.source, f"{node.path}.source", docs, required=True)
    kind = reg.kinds.get(ind.kind)
    if kind is None:
        yield f"{node.path}.kind", f"unknown answer kind {ind.kind!r} " \
                                   f"(known: {', '.join(reg.kinds.names())})"
    else:
        for sub, msg in kind.check(ind):
            yield f"{node.path}.{sub}", msg
        for sub, msg in answer_rules(ind, kind):
            yield f"{node.path}.{sub}", msg
    if ind.weight < 0:
        yield f"{node.path}.weight", "weight must not be negative"
    if ind.target is not None and not 0 <= ind.target <= 1:
        yield f"{node.path}.target", "target is a score share within 0–1"
    for i, dep in enumerate(ind.depends_on):
        if dep not in indicator_ids:
            yield f"{node.path}.depends_on[{i}]", f"unknown indicator {dep!r}"
        elif dep == node.id:
            yield f"{node.path}.depends_on[{i}]", "an indicator cannot depend on itself"


#: Separators of several choices in one cell: forms (; or ；) and batch text cells (|).
MULTI_SEPARATORS = (";", "；", "|")
_LADDER_DATE = dt.date(2026, 1, 1)


def answer_rules(ind: Indicator, kind: AnswerKind) -> Iterator[tuple[str, str]]:
    """Rules on an indicator's answers that every surface relies on (validate and the test kit
    apply these, and only these): a better answer never scores less (options and scale levels
    are listed worst first), and a multi-select option can be told apart in one cell."""
    ladder = kind.ladder(ind)
    try:
        points = [kind.points(ind, kind.parse(ind, raw), _LADDER_DATE) for raw in ladder]
    except ValueError:
        points = []  # the kind's own check reports why its answers do not parse
    for a in range(1, len(points)):
        if points[a] < points[a - 1]:
            field = "scale" if ind.scale else "options" if ind.options else "bands"
            yield field, (f"a better answer scores less ({ladder[a - 1]!r} -> "
                          f"{fmt(round_out(points[a - 1]))}, {ladder[a]!r} -> "
                          f"{fmt(round_out(points[a]))}); list options worst first or fix the "
                          "points")
            break
    if kind.shape is Shape.SUBSET:  # one cell holds several choices: separators are reserved
        for i, opt in enumerate(ind.options):
            for what, value in (("value", opt.value), ("label.zh", opt.label.zh),
                                ("label.en", opt.label.en)):
                used = [sep for sep in MULTI_SEPARATORS if sep in value]
                if used:
                    yield f"options[{i}].{what}", (
                        f"{value[:60]!r} holds {' '.join(used)}, which separates choices in "
                        "one cell of a form or batch file; use other punctuation")


def _dependency_cycles(nodes: list[Node]) -> Iterator[tuple[str, str]]:
    deps = {n.id: [d for d in n.indicator.depends_on if d != n.id]
            for n in nodes if n.indicator is not None}
    paths = {n.id: n.path for n in nodes}
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(iid: str, stack: list[str]) -> Iterator[tuple[str, str]]:
        state[iid] = 1
        stack.append(iid)
        for dep in deps.get(iid, []):
            if dep not in deps:
                continue
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep):], dep]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield f"{paths[iid]}.depends_on", f"circular depends_on: {' -> '.join(cycle)}"
            elif state.get(dep) is None:
                yield from visit(dep, stack)
        stack.pop()
        state[iid] = 2

    for iid in deps:
        if state.get(iid) is None:
            yield from visit(iid, [])


def node_max_points(dim: Dimension, reg: Registry) -> Fraction:
    total = Fraction(0)
    for sub in dim.dimensions:
        if sub.scored:
            total += node_max_points(sub, reg)
    for ind in dim.indicators:
        kind = reg.kinds.get(ind.kind)
        if kind is not None and kind.is_scored(ind):
            total += kind.max_points(ind)
    return total


def _children(dims: list[Dimension], inds: list[Indicator], reg: Registry) -> list[Child]:
    """What an aggregation will see of a node's scored children (scores not yet known)."""
    out = [Child(d.id, Fraction(0), frac(d.weight), node_max_points(d, reg))
           for d in dims if d.scored]
    for ind in inds:
        kind = reg.kinds.get(ind.kind)
        if kind is not None and kind.is_scored(ind):
            out.append(Child(ind.id, Fraction(0), frac(ind.weight), kind.max_points(ind), ind.tier))
    return out


def _declared(children: list[Child], points: Decimal | None, weight_total: Decimal | None,
              aggregation: str, reg: Registry, path: str) -> Iterator[tuple[str, str]]:
    if points is not None:
        got = sum((c.max_points for c in children), Fraction(0))
        if got != frac(points):
            yield f"{path}points", (f"declares {fmt(points)} points but its children add up to "
                                    f"{fmt(round_out(got))}")
    if weight_total is not None:
        got = sum((c.weight for c in children), Fraction(0))
        if got != frac(weight_total):
            yield f"{path}weight_total", (f"declares weights summing to {fmt(weight_total)} but "
                                          f"they sum to {fmt(round_out(got))}")
    agg = reg.aggregations.get(aggregation)
    if agg is not None:
        for msg in agg.check(children, {}):
            yield f"{path}aggregation", msg


def _points_problems(spec: FrameworkSpec, reg: Registry) -> Iterator[tuple[str, str]]:
    yield from _declared(_children(spec.dimensions, [], reg), spec.points, spec.weight_total,
                         spec.aggregation, reg, "")
    for node in walk(spec):
        dim = node.dimension
        if dim is not None:
            yield from _declared(_children(dim.dimensions, dim.indicators, reg), dim.points,
                                 dim.weight_total, dim.aggregation, reg, f"{node.path}.")


def _profile_problems(spec: FrameworkSpec, ids: set[str]) -> Iterator[tuple[str, str]]:
    names = [p.id for p in spec.profiles]
    for i, prof in enumerate(spec.profiles):
        path = f"profiles[{i}]"
        if names.count(prof.id) > 1:
            yield f"{path}.id", f"duplicate profile id {prof.id!r}"
        if prof.extends is not None and prof.extends not in names:
            yield f"{path}.extends", f"unknown profile {prof.extends!r}"
        for j, nid in enumerate(prof.select or []):
            if nid not in ids:
                yield f"{path}.select[{j}]", f"unknown id {nid!r}"
        for j, nid in enumerate(prof.drop):
            if nid not in ids:
                yield f"{path}.drop[{j}]", f"unknown id {nid!r}"
        for nid in prof.set:
            if nid and nid not in ids:
                yield f"{path}.set", f"unknown id {nid!r}"
    parents = {p.id: p.extends for p in spec.profiles}
    for start in parents:
        seen, cur = [start], parents.get(start)
        while cur is not None:
            if cur in seen:
                yield "profiles", f"profiles extend each other in a circle: {' -> '.join(seen)}"
                break
            seen.append(cur)
            cur = parents.get(cur)
    if spec.default_profile is not None and spec.default_profile not in names:
        yield "default_profile", f"unknown profile {spec.default_profile!r}"


def _migration_problems(spec: FrameworkSpec, indicator_ids: set[str]) -> Iterator[tuple[str, str]]:
    """Answer migrations must come from another version and name this version's indicators."""
    for i, mig in enumerate(spec.migrations):
        path = f"migrations[{i}]"
        if mig.from_version == spec.version:
            yield f"{path}.from_version", "a migration must come from another version"
        for old, new in mig.renamed.items():
            if new not in indicator_ids:
                yield f"{path}.renamed.{old}", f"unknown indicator {new!r}"
        for field in ("values", "rescaled"):
            for iid in getattr(mig, field):
                if iid not in indicator_ids:
                    yield f"{path}.{field}.{iid}", f"unknown indicator {iid!r}"
