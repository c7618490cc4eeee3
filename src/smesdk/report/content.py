"""What a report shows, gathered once from a result and its framework for every format.

Framework texts stay :class:`~smesdk.text.Text` so each renderer can mark a language
fallback its own way; enterprise data stays plain strings, escaped by the renderer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import attrs

from smesdk.citations import ROLE_TITLES
from smesdk.deltas import Comparison
from smesdk.enterprise import industries, size_classes
from smesdk.errors import Problem, SmesdkError
from smesdk.framework import Framework
from smesdk.languages import locale
from smesdk.levels import ladder_span
from smesdk.numbers import fmt
from smesdk.report.labels import label, label_text
from smesdk.report.sections import ReportSection, collect
from smesdk.result import Blocker, DimensionResult, IndicatorResult, Recommendation, Result
from smesdk.services.section import services_sections
from smesdk.spec import Citations, Gate, Indicator, SourceDocument
from smesdk.text import Lang, Text
from smesdk.uplift import UpliftPlan

Target = Mapping[str, Decimal | int | str] | str
RungState = Literal["passed", "reached", "next", "ahead"]


class ReportError(SmesdkError):
    """A report was asked for with options that do not fit the framework or result."""


@attrs.frozen
class Rung:
    id: str
    title: Text
    min: Decimal
    max: Decimal | None
    status: str
    state: RungState
    #: The band as the ladder shows it (see :func:`smesdk.levels.ladder_span`).
    span: str = ""


@attrs.frozen
class DimRow:
    id: str
    title: Text
    depth: int
    score: Decimal | None
    points: Decimal
    max_points: Decimal
    scored: bool
    earlier: Decimal | None = None
    target: Decimal | None = None
    status: str | None = None

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.earlier is None:
            return None
        return self.score - self.earlier


@attrs.frozen
class Cite:
    """A citation with its document resolved from the framework's source list."""

    doc: str
    clause: str
    title: Text | None
    number: str | None
    standard: str | None
    note: Text | None
    #: What the citation supports (question, scoring, advice), when the node cites several.
    role: Text | None = None


@attrs.frozen
class GapRow:
    indicator: str
    title: Text
    current: Decimal
    target: Decimal
    impact: Decimal


@attrs.frozen
class RecRow:
    text: Text
    cite: list[Cite]
    indicator: str | None
    title: Text | None
    impact: Decimal
    origin: str
    kind: str = "general"
    caveat: Text | None = None


@attrs.frozen
class RecUnit:
    """The recommendations of one kind, in the order to act on them."""

    kind: str
    rows: list[RecRow]


#: The order of the units: what blocks a level outright first, general advice last.
KIND_ORDER = ("red_line", "prerequisite", "points", "scene_step", "service", "general")


def kind_of(rec: Recommendation) -> str:
    """A plugin's kind; unset, advice with points to gain is "points", else "general"."""
    if rec.kind is not None:
        return rec.kind
    return "points" if rec.impact > 0 and rec.indicator else "general"


def advice(result: Result) -> list[tuple[str, list[Recommendation]]]:
    """Recommendations grouped by kind, each group in the order to act on them.

    Advice a plugin classifies (sets ``kind``) for an indicator replaces the framework's
    built-in advice for it (the plugin restates it as a red line, or with a caveat), so
    nothing is said twice. Within a kind:
    the advice with a caveat after advice without, then the plugin's priority (1 first), then impact.
    """
    plugin_targets = {r.indicator for r in result.recommendations
                      if r.origin != "framework" and r.indicator and r.kind is not None}
    kept = [r for r in result.recommendations
            if not (r.origin == "framework" and r.indicator in plugin_targets)]
    order = {id(r): k for k, r in enumerate(kept)}
    units: dict[str, list[Recommendation]] = {}
    for rec in kept:
        units.setdefault(kind_of(rec), []).append(rec)
    for recs in units.values():
        recs.sort(key=lambda r: (r.caveat is not None,
                                 r.priority if r.priority is not None else 99,
                                 -r.impact, order[id(r)]))
    return [(kind, units[kind]) for kind in KIND_ORDER if kind in units]


@attrs.frozen
class GridAnswer:
    """A grid's answer as a small table of names: column names, then each row's name and
    its cells' item labels."""

    columns: list[str]
    rows: list[tuple[str, list[str]]]


@attrs.frozen
class TraceRow:
    item: IndicatorResult
    title: Text
    question: Text | None
    answer: str
    cite: list[Cite]
    evidence: list[tuple[str, str]]
    status: str | None = None
    rule: Text | None = None
    note: str | None = None
    grid: GridAnswer | None = None


@attrs.frozen
class TraceGroup:
    id: str
    title: Text
    rows: list[TraceRow]


@attrs.frozen
class Earlier:
    total: Decimal
    level: Text | None
    assessed_on: str


@attrs.frozen
class Report:
    result: Result
    framework: Framework
    lang: Lang
    rungs: list[Rung]
    blockers: list[Blocker]
    caps: list[Blocker]
    top: list[DimRow]
    axes: list[DimRow]
    axes_are_sub: bool
    uncharted: list[DimRow]
    sub: list[DimRow]
    gaps: list[GapRow]
    recommendations: list[RecUnit]
    trace: list[TraceGroup]
    earlier: Earlier | None
    target_title: Text | None
    documents: list[SourceDocument]
    sections: list[ReportSection] = attrs.field(factory=list)
    enterprise: list[tuple[str, Text | str]] = attrs.field(factory=list)
    profile: Text | None = None

    def level_word(self) -> str:
        """The word before the level's title in the score line: none when the title starts
        with it ("Level 1 — Starting", not "Level Level 1 — Starting")."""
        word = label("level", self.lang)
        level = self.result.level
        named = level.title.get(self.lang) if level is not None else ""
        return "" if named.casefold().startswith(word.casefold()) else word

    def technical_json(self) -> str:
        """The plugins' machine data (result extensions), for the technical-details block."""
        return json.dumps(self.result.to_dict().get("extensions", {}), ensure_ascii=False,
                          indent=1, sort_keys=True)


def build(result: Result, framework: Framework, lang: Lang | None, *, compare: Result | None = None,
          target: Target | None = None, changes: Comparison | None = None,
          plan: UpliftPlan | None = None) -> Report:
    """Gather a report's content; raises ReportError for a target that does not fit."""
    lang = locale(framework.spec, lang)
    if compare is not None and compare.provenance.framework != result.provenance.framework:
        raise ReportError([Problem("compare", f"the earlier result is of framework "
                                              f"{compare.provenance.framework!r}, not "
                                              f"{result.provenance.framework!r}")])
    if compare is not None:
        from smesdk.deltas import other_enterprise

        other = other_enterprise(compare, result)
        if other is not None:
            raise ReportError([Problem("compare", other)])
    overtime = _overtime(result, framework, compare, changes, plan)
    spec = framework.spec
    documents = [spec.source, *spec.references]
    by_doc = {d.id: d for d in documents}
    earlier_scores = {d.id: d.score for d in compare.dimensions} if compare else {}
    targets, target_title = _targets(framework, result, target)

    statuses = dimension_statuses(framework)

    def row(d: DimensionResult) -> DimRow:
        return DimRow(d.id, d.title, d.id.count("."), d.score, d.points, d.max_points, d.scored,
                      earlier_scores.get(d.id), targets(d.id), statuses.get(d.id))

    rows = [row(d) for d in result.dimensions]
    top = [r for r in rows if r.depth == 0]
    # Only dimensions that count towards the total are axes: an unscored one (digital's
    # resources) would read as a fourth score. Plugins chart the rest (scene levels).
    axes = [r for r in top if r.score is not None and r.scored]
    axes_are_sub = len(axes) < 3
    if axes_are_sub:
        axes = [r for r in rows if r.depth == 1 and r.score is not None and r.scored]
    charted = {r.id for r in axes}
    level_of_axes = 1 if axes_are_sub else 0
    uncharted = [r for r in rows if r.depth == level_of_axes and r.id not in charted]
    names = framework.names

    def cite(cites: Citations) -> list[Cite]:
        out = []
        for c in cites:
            doc = by_doc.get(c.doc)
            number = doc.number if doc else None
            # a clause of the standard the document is ("ISO 9001:2015 / GB/T 19001-2016"
            # 8.7) names it once, not again after the clause
            out.append(Cite(c.doc, c.clause, doc.title if doc else None, number,
                            c.standard if c.standard != number else None, c.note,
                            ROLE_TITLES[c.role] if c.role else None))
        return out

    # The points table holds only what adds points: unscored items (scenes, resources) have
    # their own sections and advice.
    gaps = [GapRow(g.indicator, names.get(g.indicator, Text(g.indicator, g.indicator)),
                   g.current, g.target, g.impact) for g in result.gaps
            if g.impact > 0 and counts(framework, g.indicator)]
    recs = [RecUnit(kind, [RecRow(r.text, cite(r.source), r.indicator,
                                  names.get(r.indicator) if r.indicator else None, r.impact,
                                  r.origin, kind, r.caveat) for r in unit])
            for kind, unit in advice(result)]
    trace = _trace(result, framework, cite, lang)
    earlier = None
    if compare is not None:
        earlier = Earlier(compare.total, compare.level.title if compare.level else None,
                          compare.assessed_on.isoformat())
    return Report(
        result=result, framework=framework, lang=lang, rungs=_rungs(framework, result),
        blockers=list(result.next_level.blockers) if result.next_level else [],
        caps=list(result.caps), top=top, axes=axes, axes_are_sub=axes_are_sub,
        uncharted=uncharted, sub=[r for r in rows if r.depth > 0], gaps=gaps,
        recommendations=recs, trace=trace, earlier=earlier, target_title=target_title,
        documents=documents,
        sections=[*overtime, *collect(framework, result), *services_sections(framework, result)],
        enterprise=enterprise_rows(result, framework), profile=profile_title(framework),
    )


def _overtime(result: Result, framework: Framework, compare: Result | None,
              changes: Comparison | None, plan: UpliftPlan | None) -> list[ReportSection]:
    """The change table (given, or worked out from ``compare``) and the plan's sections."""
    from smesdk.deltas import compare as compare_results
    from smesdk.report.overtime import change_table, plan_sections

    problems = []
    if changes is not None and changes.after.content_hash != result.provenance.content_hash:
        problems.append(Problem("changes", "the comparison's T1 is not this result"))
    if compare is not None and changes is not None and \
            changes.before.content_hash != compare.provenance.content_hash:
        problems.append(Problem("changes", "the comparison's T0 is not the earlier result"))
    if plan is not None and (plan.framework, plan.version, plan.profile) != (
            framework.id, framework.version, framework.profile):
        problems.append(Problem("plan", f"the plan is for {plan.framework} {plan.version}, "
                                        f"not {framework.id} {framework.version}"))
    if problems:
        raise ReportError(problems)
    if changes is None and compare is not None:
        same = compare.provenance.content_hash == framework.content_hash
        changes = compare_results(compare, result,
                                  frameworks=(framework, framework) if same else None)
    out: list[ReportSection] = []
    if changes is not None:
        out.append(change_table(changes, framework))
    if plan is not None:
        out += plan_sections(plan, framework)
    return out


STATUS_ORDER = ("official", "derived", "unverified")


def weakest(statuses: Any) -> str | None:
    """The status of a figure built from others: the weakest of them (official only if all are)."""
    seen = set(statuses)
    return max(seen, key=STATUS_ORDER.index) if seen else None


def dimension_statuses(framework: Framework) -> dict[str, str]:
    """Each dimension's status: the weakest status among the indicators under it."""
    found: dict[str, list[str]] = {}
    for nid, node in framework.nodes.items():
        if node.indicator is None:
            continue
        parts = nid.split(".")
        for k in range(1, len(parts)):
            found.setdefault(".".join(parts[:k]), []).append(node.indicator.status)
    return {did: status for did, got in found.items() if (status := weakest(got)) is not None}


def counts(framework: Framework, iid: str) -> bool:
    """Whether an indicator counts towards the total (it and every dimension above it scored)."""
    parts = iid.split(".")
    return framework.scored.get(iid, True) and all(
        framework.node_scored.get(".".join(parts[:k]), True) for k in range(1, len(parts) + 1))


def enterprise_rows(result: Result, framework: Framework) -> list[tuple[str, Text | str]]:
    """The enterprise and the framework as a person reads them: names, never codes.

    Keys are report labels; values are Texts (wordings smesdk knows) or the enterprise's own
    strings (shown as written: an unknown type is the firm's own word, not a code).
    """
    ent = result.enterprise
    spec = framework.spec
    size = size_classes(spec).get(ent.size)
    rows: list[tuple[str, Text | str]] = [("name", ent.name),
                                          ("size", size if size is not None else ent.size)]
    if ent.credit_code:
        rows.append(("credit_code", ent.credit_code))
    if ent.industry:
        industry = industries(spec).name(ent.industry)
        code = ent.industry.strip()
        rows.append(("industry", industry if industry is not None
                     else label_text("industry_code", code=code)))
    if ent.region:
        rows.append(("region", ent.region))
    if ent.type:
        key = f"type_{ent.type}"
        rows.append(("type", label_text(key) if key in label else ent.type))
    return rows


def profile_title(framework: Framework) -> Text:
    """The framework profile by its title ("Quick scan"), or "default"."""
    if framework.profile is None:
        return label_text("default")
    found = next((p.title for p in framework.base.profiles if p.id == framework.profile), None)
    return found if found is not None else Text(zh=framework.profile, en=framework.profile)


def _rungs(framework: Framework, result: Result) -> list[Rung]:
    current = result.level.id if result.level else None
    following = result.next_level.level.id if result.next_level else None
    rungs = []
    seen_current = current is None
    for lv in framework.spec.levels:
        if lv.id == current:
            state: RungState = "reached"
            seen_current = True
        elif lv.id == following:
            state = "next"
        elif not seen_current:
            state = "passed"
        else:
            state = "ahead"
        rungs.append(Rung(lv.id, lv.title, lv.min, lv.max, lv.status, state, ladder_span(lv)))
    return rungs


def _trace(result: Result, framework: Framework, cite: Any, lang: Lang) -> list[TraceGroup]:
    groups: dict[str, TraceGroup] = {}
    named = namer(framework)
    warned = {w.indicator: w.message for w in result.warnings if w.indicator}
    for item in result.indicators:
        top = item.id.split(".", 1)[0]
        if top not in groups:
            groups[top] = TraceGroup(top, framework.names.get(top, Text(top, top)), [])
        try:
            ind: Indicator | None = framework.indicator(item.id)
        except KeyError:
            ind = None
        title = ind.title if ind is not None else Text(item.id, item.id)
        question = ind.question if ind is not None else None
        grid = grid_answer(framework, item.id, item.answer, lang) if ind is not None else None
        answer = (_grid_line(grid, lang) if grid is not None
                  else answer_label(ind, item.answer, lang))
        groups[top].rows.append(TraceRow(item, title, question, answer,
                                         cite(item.source), _evidence(item.evidence, lang),
                                         ind.status if ind is not None else None,
                                         Text({t: named(v, t) for t, v in item.rule.items()}),
                                         _note(item, warned.get(item.id), named, lang), grid))
    return list(groups.values())


def _note(item: IndicatorResult, warning: Text | None, named: Any, lang: Lang) -> str | None:
    """The trace's note in the report's language. The engine writes it in English; when its
    rule already says it (an N/A reason, an unmet prerequisite) it is not repeated, and when
    a warning about the indicator says it in every language (expired evidence), that is
    shown instead."""
    if not item.note or any(item.note in text for _, text in item.rule.items()):
        return None
    return warning.get(lang) if warning is not None else named(item.note, lang)


def namer(framework: Framework) -> Any:
    """A function that writes each dotted id of the framework inside a core message (a rule
    like "prerequisite not met: a.b") as its name, so people read names, not ids."""
    ids = sorted((nid for nid in framework.names if "." in nid), key=len, reverse=True)
    if not ids:
        return lambda text, lang: text
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, ids)) + r")(?![\w.])")

    def named(text: str, lang: Lang) -> str:
        return pattern.sub(lambda m: f"「{framework.names[m.group(1)].get(lang)}」" if lang == "zh"
                           else f"'{framework.names[m.group(1)].get(lang)}'", text)

    return named


def grid_answer(framework: Framework, iid: str, value: Any, lang: Lang) -> GridAnswer | None:
    """A grid's answer by the names of its rows, columns and cell items (None: no grid
    answer here)."""
    ind, kind = framework.indicator(iid), framework.kinds[iid]
    form = kind.grid(ind)
    if form is None or not isinstance(value, dict):
        return None
    parsed = kind.parse(ind, value)
    return GridAnswer(
        [c.label.get(lang) for c in form.columns],
        [(r.label.get(lang), [form.item(parsed[str(r.value)][str(c.value)]).label.get(lang)
                              for c in form.columns]) for r in form.rows])


def _grid_line(grid: GridAnswer, lang: Lang) -> str:
    """A grid's answer on one line (PDF tables, terminals): ``row: column value, …; …``."""
    sep, inner = ("；", "，") if lang == "zh" else ("; ", ", ")
    return sep.join(f"{row}: " + inner.join(f"{col} {cell}" if len(grid.columns) > 1 else cell
                                            for col, cell in zip(grid.columns, cells, strict=True))
                    for row, cells in grid.rows)


def enumeration(names: Sequence[str], lang: Lang) -> str:
    """Names in a running list: 顿号 in Chinese ("工艺设计、售后服务"), commas otherwise."""
    return ("、" if lang == "zh" else ", ").join(names)


def answer_label(ind: Indicator | None, value: Any, lang: Lang) -> str:
    """An answer by its option or scale label ("已制定并执行"), never its code; numbers with
    the indicator's unit."""
    if ind is None or value is None:
        return answer_text(value, lang)
    options = {o.value: o.label.get(lang) for o in ind.options}
    if options:
        values = value if isinstance(value, list) else [value]
        shown = [options.get(str(v), str(v)) for v in values]
        return ("、" if lang == "zh" else "; ").join(shown) or label("none_of_them", lang)
    scale = {lv.level: lv.label.get(lang) for lv in ind.scale}
    if scale and not isinstance(value, bool) and isinstance(value, int | Decimal | str):
        try:
            level = int(value)
        except ValueError:
            return answer_text(value, lang)
        if level in scale:
            return f"{level} — {scale[level]}"
    text = answer_text(value, lang)
    return f"{text} {ind.unit.get(lang)}" if ind.unit is not None and text != "—" else text


def answer_text(value: Any, lang: Lang = "en") -> str:
    """An answer as a person reads it: lists comma-separated, yes/no for booleans."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, list):
        return ", ".join(answer_text(v, lang) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _evidence(evidence: dict[str, Any] | None, lang: Lang) -> list[tuple[str, str]]:
    """Evidence fields under their labels (a field smesdk has no label for keeps its name)."""
    if not evidence:
        return []
    return [(label(f"evidence_{k}", lang) if f"evidence_{k}" in label else str(k),
             answer_text(v, lang)) for k, v in evidence.items() if v is not None]


def _targets(framework: Framework, result: Result,
             target: Target | None) -> tuple[Any, Text | None]:
    """A function from dimension id to target percent, and the target's title."""
    if target is None:
        return (lambda _id: None), None
    if isinstance(target, str):
        level = next((lv for lv in framework.spec.levels if lv.id == target), None)
        if level is None:
            known = ", ".join(lv.id for lv in framework.spec.levels) or "none"
            raise ReportError([Problem("target", f"{framework.id} has no level {target!r} "
                                                 f"(levels: {known})")])
        floor = _dimension_floors(level.gate)
        base = min(max(level.min, Decimal(0)), Decimal(100))
        # the level's minimum total means nothing to a dimension outside the total: it gets
        # a target only where the level's gate names it
        counted = {d.id for d in result.dimensions if d.scored}

        def level_target(did: str) -> Decimal | None:
            if did in floor:
                return max(base, floor[did])
            return base if did in counted else None

        return level_target, level.title
    known_ids = {d.id for d in result.dimensions}
    problems = []
    values: dict[str, Decimal] = {}
    for key, raw in target.items():
        if key not in known_ids:
            problems.append(Problem(f"target.{key}", "no such dimension in this result"))
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            problems.append(Problem(f"target.{key}", f"{raw!r} is not a number"))
            continue
        if not Decimal(0) <= value <= Decimal(100):
            problems.append(Problem(f"target.{key}", f"{value} is not a percentage 0-100"))
            continue
        values[key] = value
    if problems:
        raise ReportError(problems)
    return values.get, Text(zh="目标", en="Target")


def _dimension_floors(gate: Gate | None) -> dict[str, Decimal]:
    """Dimension score tests a level's gate requires (through nested all-gates only)."""
    floors: dict[str, Decimal] = {}
    if gate is None:
        return floors
    if gate.dimension is not None and gate.dimension.measure == "score":
        bound = gate.dimension.ge if gate.dimension.ge is not None else gate.dimension.gt
        if bound is not None:
            floors[gate.dimension.id] = bound
    for child in gate.all:
        for key, value in _dimension_floors(child).items():
            floors[key] = max(value, floors.get(key, value))
    return floors


def show(value: Decimal | None, places: int | None = None) -> str:
    """A number for reading: ``places`` decimals rounded half away from zero (四舍五入),
    or all its digits without trailing zeros; "—" for no value."""
    if value is None:
        return "—"
    return fmt(value, places)


def signed(value: Decimal | None, places: int = 2) -> str:
    """A change with its sign: +1.50, -0.25, 0.00."""
    if value is None:
        return "—"
    text = show(value, places)
    return "+" + text if value > 0 and text.strip("0.") else text
