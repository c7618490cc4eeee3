"""What changed between two versions (or profiles) of a framework, by stable id."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from smesdk.convert import unstructure
from smesdk.framework import Framework
from smesdk.text import Text

ChangeKind = Literal["added", "removed", "renamed", "reworded", "reweighted", "rebanded",
                     "relevelled", "changed"]
ItemKind = Literal["dimension", "indicator", "level", "red line", "framework"]

#: What each field of a node is about: the words, the weight, the scoring rule; the rest is
#: "changed" (citation, status, applicability, prerequisites, …).
_WORDING = {"title", "question", "description", "evidence", "recommendation", "unit",
            "status_note", "label"}
_WEIGHT = {"weight"}
_SCORING = {"kind", "options", "scale", "bands", "points", "cap", "mode", "min", "max", "better",
            "within_days", "scored", "target", "aggregation", "weight_total", "na_cap", "params",
            "rows", "columns", "cell", "rules"}
_LEVEL_RULE = {"min", "max", "min_exclusive", "max_inclusive", "gate", "when", "max_level"}
_CHILDREN = {"id", "dimensions", "indicators"}


@attrs.frozen
class SpecChange:
    kind: ChangeKind
    item: ItemKind
    id: str
    title: Text
    fields: list[str] = attrs.field(factory=list)
    old_id: str | None = None


@attrs.frozen
class FrameworkDiff:
    old: str
    new: str
    changes: list[SpecChange]

    def of(self, kind: ChangeKind) -> list[SpecChange]:
        return [c for c in self.changes if c.kind == kind]

    def to_json(self, *, indent: int | None = 2) -> str:
        from smesdk.convert import dumps_json

        return dumps_json(self, indent=indent)


def _strip_labels(items: list[Any]) -> tuple[list[Any], list[Any]]:
    """(the items without their wording, the wording alone) of options, scale rungs, bands,
    grid rows and columns."""
    rules, words = [], []
    for item in items:
        if isinstance(item, dict):
            rules.append({k: v for k, v in item.items() if k != "label"})
            words.append(item.get("label"))
        else:
            rules.append(item)
    return rules, words


def _field_kinds(old: dict[str, Any], new: dict[str, Any], rule_fields: set[str]
                 ) -> dict[ChangeKind, list[str]]:
    out: dict[ChangeKind, list[str]] = {}
    for field in sorted(set(old) | set(new)):
        if field in _CHILDREN:
            continue
        a, b = old.get(field), new.get(field)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list) and field in ("options", "scale", "bands",
                                                                        "rows", "columns"):
            (ra, wa), (rb, wb) = _strip_labels(a), _strip_labels(b)
            if ra != rb:
                out.setdefault("rebanded", []).append(field)
            if wa != wb:
                out.setdefault("reworded", []).append(f"{field}.label")
            continue
        kind: ChangeKind = ("reworded" if field in _WORDING else "reweighted" if field in _WEIGHT
                            else "rebanded" if field in rule_fields else "changed")
        out.setdefault(kind, []).append(field)
    return out


def _nodes(fw: Framework) -> dict[str, tuple[ItemKind, dict[str, Any]]]:
    out: dict[str, tuple[ItemKind, dict[str, Any]]] = {}
    for nid in fw.dimension_ids:
        out[nid] = ("dimension", unstructure(fw.dimension(nid)))
    for nid in fw.indicator_ids:
        out[nid] = ("indicator", unstructure(fw.indicator(nid)))
    return out


def _by_id(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in (unstructure(i) for i in items)}


def _title(data: dict[str, Any]) -> Text:
    title = data.get("title") or {"zh": data.get("id", ""), "en": data.get("id", "")}
    return Text(title)  # in whatever languages the framework declares


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Added, removed, renamed (as the new spec's migrations declare), reworded, re-weighted,
    re-banded (scoring rule), re-levelled (levels and red lines) and otherwise changed items."""
    changes: list[SpecChange] = []
    renamed: dict[str, str] = {}
    for migration in new.spec.migrations:
        if migration.from_version == old.version:
            renamed = {o: n for o, n in migration.renamed.items() if o in old.names}
    before, after = _nodes(old), _nodes(new)
    paired = {renamed.get(nid, nid): nid for nid in before}
    for nid, (item, data) in after.items():
        old_id = paired.get(nid)
        if old_id is None or old_id not in before or before[old_id][0] != item:
            changes.append(SpecChange("added", item, nid, _title(data)))
            continue
        if old_id != nid:
            changes.append(SpecChange("renamed", item, nid, _title(data), old_id=old_id))
        for kind, fields in _field_kinds(before[old_id][1], data, _SCORING).items():
            changes.append(SpecChange(kind, item, nid, _title(data), fields,
                                      old_id if old_id != nid else None))
    carried = {paired_old for new_id, paired_old in paired.items() if new_id in after}
    changes += [SpecChange("removed", item, nid, _title(data))
                for nid, (item, data) in before.items() if nid not in carried]
    for item, olds, news in (("level", _by_id(old.spec.levels), _by_id(new.spec.levels)),
                             ("red line", _by_id(old.spec.level_caps),
                              _by_id(new.spec.level_caps))):
        for lid, data in news.items():
            if lid not in olds:
                changes.append(SpecChange("added", item, lid, _title(data)))
                continue
            for kind, fields in _field_kinds(olds[lid], data, _LEVEL_RULE).items():
                kind = "relevelled" if kind == "rebanded" else kind
                changes.append(SpecChange(kind, item, lid, _title(data), fields))
        changes += [SpecChange("removed", item, lid, _title(data))
                    for lid, data in olds.items() if lid not in news]
    top = _field_kinds(_top(old), _top(new), {"aggregation", "points", "level_rule", "sets"})
    for kind, fields in top.items():
        changes.append(SpecChange(kind, "framework", "", new.spec.title, fields))
    return FrameworkDiff(_name(old), _name(new), changes)


def _top(fw: Framework) -> dict[str, Any]:
    """Framework-level fields that change scoring or wording (not the tree, levels or history)."""
    data: dict[str, Any] = unstructure(fw.spec)
    return {k: data.get(k) for k in ("title", "description", "aggregation", "points",
                                     "weight_total", "na_cap", "level_rule", "sets")}


def _name(fw: Framework) -> str:
    return f"{fw.id} {fw.version}" + (f" ({fw.profile})" if fw.profile else "")
