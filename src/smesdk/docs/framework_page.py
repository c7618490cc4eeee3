"""A framework's reference page in Markdown: everything a reader needs to check its scoring.

The page shows the whole framework as its plugin declares it (all profiles' base), so one
page serves every profile; profiles are listed with what they change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from smesdk.catalogs import Labels
from smesdk.citations import role_prefix
from smesdk.enterprise import industries, model, size_classes
from smesdk.framework import Framework
from smesdk.gates import Test, condition, outline
from smesdk.kinds import AnswerKind
from smesdk.languages import locale
from smesdk.levels import level_span
from smesdk.numbers import fmt
from smesdk.spec import (
    Citations,
    Dimension,
    FrameworkSpec,
    Gate,
    Indicator,
    Level,
    LevelCap,
    Profile,
    SourceDocument,
)
from smesdk.text import Lang, Text
from smesdk.tree import walk

# Page labels: the [docs] table of the core's catalogs (the framework's own texts come from
# its spec).
_l = Labels("docs")


def _h(key: str, lang: Lang) -> str:
    """A label at the start of a line or a table row."""
    text = _l(key, lang)
    return text[:1].upper() + text[1:]


def _t(text: Text | None, lang: Lang) -> str:
    """A framework text in ``lang``; in English the Chinese concept name follows it."""
    if text is None:
        return ""
    own = text.get(lang)
    if lang == "en" and text.zh and text.zh != text.en:
        return f"{own} ({text.zh})"
    return own


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _num(value: Decimal | None) -> str:
    return fmt(value) if value is not None else "-"


def _cite(cites: Citations, lang: Lang) -> str:
    if not cites:
        return "-"
    return "; ".join(f"{role_prefix(c, lang)}{c.doc} {c.clause}"
                     + (f" ({c.standard})" if c.standard else "") for c in cites)


def _doc(doc: SourceDocument, lang: Lang) -> str:
    parts = [f"`{doc.id}`", _t(doc.title, lang), doc.issuer.get(lang)]
    if doc.number:
        parts.append(doc.number)
    if doc.date:
        parts.append(doc.date.isoformat())
    if doc.url:
        parts.append(f"<{doc.url}>")
    role = f" — {doc.role.get(lang)}" if doc.role is not None else ""
    return ", ".join(parts) + role


def gate_text(gate: Gate, names: dict[str, Text], lang: Lang, depth: int = 0) -> list[str]:
    """A gate as nested Markdown bullets, without current values (those are in results)."""
    return outline(gate, names, lang, depth)


def _scoring(ind: Indicator, kind: AnswerKind, lang: Lang) -> list[str]:
    """How the indicator's answers turn into points, as its kind describes it."""
    table = kind.scoring(ind)
    if table.unscored:
        return [_l("unscored", lang)]
    out = [table.lead.get(lang)] if table.lead is not None else []
    if table.header:
        def cell(value: str | Text, column: int) -> str:
            if isinstance(value, str):
                return value
            return _cell(_t(value, lang) if column == table.named_column else value.get(lang))

        rows = [f"| {' | '.join(h.get(lang) for h in table.header)} |",
                "| " + " | ".join("---" for _ in table.header) + " |"]
        rows += [f"| {' | '.join(cell(v, i) for i, v in enumerate(row))} |" for row in table.rows]
        out += ([""] if out else []) + rows
    return out


def _indicator(fid: str, ind: Indicator, kind: AnswerKind, lang: Lang) -> list[str]:
    zh = lang == "zh"
    facts = [f"{_l('kind', lang)} `{ind.kind}`", f"{_l('weight', lang)} {fmt(ind.weight)}",
             f"{_l('status', lang)} **{ind.status}**", f"{_l('clause', lang)} {_cite(ind.source, lang)}",
             _l("required", lang) if ind.required else _l("optional", lang)]
    if not ind.scored:
        facts.append(_l("unscored", lang))
    if ind.na_allowed:
        facts.append(_l("na", lang))
    if ind.fact:
        facts.append(f"{_l('fact', lang)} `{ind.fact}`")
    if ind.target is not None:
        facts.append(f"{_l('target', lang)} {fmt(ind.target)}")
    if ind.tier is not None:
        facts.append(f"{_l('tier', lang)} {ind.tier}")
    rule = ind.applies_to
    if rule is not None and (rule.sizes or rule.industries or rule.fields):
        who = ", ".join([*rule.sizes, *(f"industry {i}" for i in rule.industries),
                         *(f"{name} {condition(cast('Test', test))}"
                           for name, test in rule.fields.items())])
        facts.append(f"{_l('applies', lang)} {who}")
    if ind.depends_on:
        facts.append(f"{_l('depends', lang)} " + ", ".join(f"`{d}`" for d in ind.depends_on))
    lines = [f"#### `{fid}` {_t(ind.title, lang)}", "",
             f"{_l('question', lang)}{'：' if zh else ': '}{ind.question.get(lang)}", "",
             " · ".join(facts), "", *_scoring(ind, kind, lang), ""]
    for key, text in (("note", ind.status_note), ("evidence", ind.evidence),
                      ("advice", ind.recommendation)):
        if text is not None:
            lines.append(f"- {_l(key, lang)}: {text.get(lang)}")
    if lines[-1] != "":
        lines.append("")
    return lines


def _dimension_head(fid: str, dim: Dimension, lang: Lang, depth: int) -> list[str]:
    hashes = "#" * min(2 + depth, 4)
    facts = [f"{_l('weight', lang)} {fmt(dim.weight)}", f"{_l('aggregation', lang)} `{dim.aggregation}`"]
    if dim.points is not None:
        facts.append(f"{_l('points', lang)} {fmt(dim.points)}")
    if not dim.scored:
        facts.append(_l("unscored", lang))
    if dim.na_cap is not None:
        facts.append(f"N/A ≤ {fmt(dim.na_cap)}")
    if dim.source:
        facts.append(f"{_l('clause', lang)} {_cite(dim.source, lang)}")
    lines = [f"{hashes} `{fid}` {_t(dim.title, lang)}", "", " · ".join(facts), ""]
    if dim.description is not None:
        lines += [dim.description.get(lang), ""]
    return lines


def _levels(spec: FrameworkSpec, levels: list[Level], names: dict[str, Text], lang: Lang) -> list[str]:
    rows = [f"| {_l('level', lang)} | {_l('range', lang)} | {_l('status', lang)} | "
            f"{_l('clause', lang)} | {_l('gate', lang)} |", "| --- | --- | --- | --- | --- |"]
    for lv in levels:
        rows.append(f"| `{lv.id}` {_cell(_t(lv.title, lang))} | {level_span(lv)} | {lv.status} | "
                    f"{_cite(lv.source, lang)} | {_l('yes', lang) if lv.gate else '-'} |")
    out = [*rows, ""]
    for lv in levels:
        if lv.description is not None:
            out.append(f"- `{lv.id}`: {lv.description.get(lang)}")
    if any(lv.description for lv in levels):
        out.append("")
    out += _level_notes(levels, lang)
    for lv in levels:
        if lv.gate is not None:
            out += [f"{_l('gate', lang).capitalize()} `{lv.id}`:", "", *gate_text(lv.gate, names, lang), ""]
    return out


def _level_notes(levels: list[Level], lang: Lang) -> list[str]:
    """Why each level has its status (its citation's note), once for levels sharing a note."""
    groups: list[tuple[list[str], Text]] = []
    for lv in levels:
        note = lv.source.primary.note if lv.source.primary is not None else None
        if note is None:
            continue
        if groups and groups[-1][1] == note:
            groups[-1][0].append(lv.id)
        else:
            groups.append(([lv.id], note))
    out = [f"- {', '.join(f'`{i}`' for i in ids)} {_l('note', lang)}: {note.get(lang)}"
           for ids, note in groups]
    return [*out, ""] if out else []


def _caps(caps: list[LevelCap], names: dict[str, Text], lang: Lang) -> list[str]:
    out: list[str] = []
    for cap in caps:
        most = f"`{cap.max_level}`" if cap.max_level else _l("no_level", lang)
        out += [f"- **`{cap.id}`** {_t(cap.title, lang)} ({_cite(cap.source, lang)}) — "
                + (f"若不满足，最高 {most}：" if lang == "zh" else f"unless this holds, at most {most}:"),
                *gate_text(cap.when, names, lang, 1)]
    return [*out, ""]


def _enterprises(spec: FrameworkSpec, lang: Lang) -> list[str]:
    """What the framework declares about enterprises (only for frameworks that declare)."""
    listed = industries(spec)
    sizes = ", ".join(f"`{sid}` {_t(title, lang)}" for sid, title in size_classes(spec).items())
    rows = [f"## {_l('enterprises', lang)}", "", "| | |", "| --- | --- |",
            f"| {_h('sizes', lang)} | {_cell(sizes)} |",
            f"| {_h('classification', lang)} | `{listed.id}` {_cell(listed.title.get(lang))} |"]
    for name, field in model(spec).fields.items():
        unit = f", {field.unit.get(lang)}" if field.unit is not None else ""
        rows.append(f"| {_h('fields', lang)} | `{name}` {_cell(_t(field.title, lang))} "
                    f"({field.kind}{_cell(unit)}) |")
    return [*rows, ""]


def _profile(p: Profile, lang: Lang) -> list[str]:
    out = [f"### `{p.id}` {_t(p.title, lang)}", ""]
    if p.description is not None:
        out += [p.description.get(lang), ""]
    if p.extends:
        out.append(f"- {_l('extends', lang)} `{p.extends}`")
    if p.select is not None:
        out.append(f"- {_l('select', lang)}: " + ", ".join(f"`{s}`" for s in p.select))
    if p.drop:
        out.append(f"- {_l('drop', lang)}: " + ", ".join(f"`{s}`" for s in p.drop))
    for nid, patch in p.set.items():
        fields = ", ".join(f"{k} = {_value(v)}" for k, v in patch.items())
        out.append(f"- {_l('set', lang)} `{nid or '(framework)'}`: {fields}")
    if p.levels is not None:
        out.append(f"- {_l('replaces_levels', lang)}: " + ", ".join(
            f"`{lv.id}` {level_span(lv, open_top=True)}{' + gate' if lv.gate else ''} ({lv.status})"
            for lv in p.levels))
        out += [f"  {line}" for line in _level_notes(p.levels, lang) if line]
    if p.level_caps is not None:
        out.append(f"- {_l('replaces_caps', lang)}: " + (", ".join(f"`{c.id}`" for c in p.level_caps)
                                                        or _l("none", lang)))
    if p.level_rule:
        out.append(f"- {_l('level_rule', lang)}: `{p.level_rule}`")
    for name, ids in p.sets.items():
        out.append(f"- set `{name}`: " + ", ".join(f"`{i}`" for i in ids))
    return [*out, ""]


def _value(v: Any) -> str:
    if isinstance(v, dict) and set(v) == {"zh", "en"}:
        return f"“{v['en']}”"
    if isinstance(v, bool) or v is None:
        return {True: "true", False: "false", None: "null"}[v]
    if isinstance(v, list | dict):
        return f"({type(v).__name__} of {len(v)})"
    return str(v)


def framework_page(framework: Framework, lang: Lang = "en") -> str:
    """The reference page of a framework (its base spec and every profile) as Markdown, in
    any language it declares (English by default, else pass one)."""
    spec = framework.base
    lang = locale(spec, lang)
    names = {node.id: (node.indicator or node.dimension).title  # type: ignore[union-attr]
             for node in walk(spec)}
    statuses = [ind.status for node in walk(spec) if (ind := node.indicator) is not None]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in ("official", "derived", "unverified")
                       if statuses.count(s))
    cmd = f"smesdk docs {spec.id} --lang {lang}"
    lines = [f"# {spec.title.get(lang)}", "",
             f"<!-- {_l('generated', lang).format(cmd=cmd)} -->", "",
             f"`{spec.id}` {spec.version}" + (f" · {spec.title.zh}" if lang == "en" else ""), "",
             spec.description.get(lang), "",
             f"## {_l('overview', lang)}", "", "| | |", "| --- | --- |",
             f"| {_h('source', lang)} | {_cell(_doc(spec.source, lang))} |"]
    for ref in spec.references:
        lines.append(f"| {_h('references', lang)} | {_cell(_doc(ref, lang))} |")
    lines += [f"| {_h('plugin', lang)} | `{framework.plugin or '-'}` |",
              f"| {_h('aggregation', lang)} | `{spec.aggregation}` |",
              f"| {_h('points', lang)} | {_num(spec.points)} |",
              f"| {_h('level_rule', lang)} | `{spec.level_rule}` |",
              f"| {_h('indicators', lang)} | {len(statuses)} ({counts}) |",
              f"| {_h('default_profile', lang)} | "
              f"{f'`{spec.default_profile}`' if spec.default_profile else '-'} |",
              "", f"## {_l('dimensions', lang)}", "",
              f"| {_l('dimension', lang)} | {_l('weight', lang)} | {_l('aggregation', lang)} | "
              f"{_l('points', lang)} | {_l('indicators', lang)} |", "| --- | --- | --- | --- | --- |"]
    for node in walk(spec):
        if node.dimension is not None:
            d = node.dimension
            indent = "&nbsp;&nbsp;" * node.id.count(".")
            lines.append(f"| {indent}`{node.id}` {_cell(_t(d.title, lang))} | {fmt(d.weight)} | "
                         f"`{d.aggregation}` | {_num(d.points)} | {len(d.indicators)} |")
    lines.append("")
    for node in walk(spec):
        if node.dimension is not None:
            lines += _dimension_head(node.id, node.dimension, lang, node.id.count("."))
        elif node.indicator is not None:
            # The base spec's kinds: a default profile may drop indicators the page still lists.
            kind = framework.registry.kinds.get(node.indicator.kind)
            assert kind is not None  # the spec was validated against this registry
            lines += _indicator(node.id, node.indicator, kind, lang)
    if spec.enterprise is not None:
        lines += _enterprises(spec, lang)
    if spec.levels:
        lines += [f"## {_l('levels', lang)}", "", *_levels(spec, spec.levels, names, lang)]
    if spec.level_caps:
        lines += [f"## {_l('caps', lang)}", "", *_caps(spec.level_caps, names, lang)]
    if spec.sets:
        lines += [f"## {_l('sets', lang)}", ""]
        lines += [f"- `{k}`: " + ", ".join(f"`{i}`" for i in v) for k, v in spec.sets.items()]
        lines.append("")
    if spec.profiles:
        lines += [f"## {_l('profiles', lang)}", ""]
        for p in spec.profiles:
            lines += _profile(p, lang)
    if spec.exports:
        lines += [f"## {_l('exports', lang)}", ""]
        lines += [f"- `{k}`: `{v}`" for k, v in spec.exports.items()]
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
