"""Fidelity checks: is every ``official`` label earned, and is every clause of a source asked?

A plugin keeps a **reference table** (``references.yaml``): one row per figure or rule its
sources publish — document, clause, what is published, the figures, a confidence and, where
the source has one, the sentence quoted verbatim. Two checks read it:

* :func:`status_audit` — an indicator or level may be ``official`` only if a high-confidence
  row covers it, cites the same document and clause, and states exactly the figures the spec
  scores with; everything else is ``derived`` or ``unverified`` and says why (an indicator's
  ``status_note``, a level's ``source.note``).
* :func:`clause_coverage` — every enterprise-facing clause of a source is asked by at least
  one indicator, or carries a written reason why not.

Both return a report whose ``problems`` are empty when all holds and whose ``table()`` says
what is official and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import attrs

import smesdk
from smesdk.convert import parse_text, unstructure
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.spec import Citation, Indicator, Level
from smesdk.text import Text

Confidence = Literal["high", "medium", "low"]
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")
PUBLISHED = ("points", "options", "bands", "scale", "threshold", "levels", "rule", "list",
             "wording", "requirement")
_ROW_KEYS = {"id", "doc", "clause", "published", "what", "figures", "confidence", "quote",
             "covers", "note"}
_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


@attrs.frozen
class ReferenceRow:
    """One published figure or rule of a source document."""

    id: str
    doc: str
    clause: str
    published: str
    what: Text
    confidence: Confidence
    figures: dict[str, Any] = attrs.field(factory=dict)
    quote: str | None = None
    covers: list[str] = attrs.field(factory=list)
    note: Text | None = None


@attrs.frozen
class ReferenceTable:
    """A plugin's reference table: its documents (and what each is the source of) and rows."""

    framework: str
    documents: dict[str, Text]
    rows: list[ReferenceRow]

    def covering(self, element: str) -> list[ReferenceRow]:
        return [row for row in self.rows if element in row.covers]


class ReferenceError(ValueError):
    """A reference table that cannot be read; every problem with its location."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid reference table:\n" + "\n".join(self.problems))


def _text(value: Any, where: str, problems: list[str]) -> Text | None:
    if isinstance(value, dict) and set(value) == {"zh", "en"} and all(
            isinstance(v, str) and v.strip() for v in value.values()):
        return Text(zh=value["zh"], en=value["en"])
    problems.append(f"{where}: expected {{zh: ..., en: ...}}, both non-empty")
    return None


def load_references(path: str | Path) -> ReferenceTable:
    """Read a ``references.yaml``; raises :class:`ReferenceError` listing every problem."""
    path = Path(path)
    try:
        data = parse_text(path.read_text(encoding="utf-8"), "yaml", file=str(path))
    except OSError as exc:
        raise ReferenceError([f"{path}: {exc}"]) from None
    except SmesdkError as exc:
        raise ReferenceError([f"{path}: {p.message}" for p in exc.problems]) from None
    problems: list[str] = []
    if not isinstance(data, dict) or set(data) != {"framework", "documents", "rows"}:
        raise ReferenceError([f"{path}: expected exactly the keys framework, documents, rows"])
    documents: dict[str, Text] = {}
    if not isinstance(data["documents"], dict):
        problems.append(f"{path}: documents: expected a mapping doc id -> what it is the source of")
    else:
        for doc, role in data["documents"].items():
            text = _text(role, f"{path}: documents.{doc}", problems)
            if text is not None:
                documents[str(doc)] = text
    rows: list[ReferenceRow] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["rows"] or []):
        where = f"{path}: rows[{i}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        where = f"{path}: rows[{i}] ({raw.get('id', '?')})"
        for key in sorted(set(raw) - _ROW_KEYS):
            problems.append(f"{where}: unknown field {key!r}")
        for key in ("id", "doc", "clause", "published", "what", "confidence"):
            if key not in raw:
                problems.append(f"{where}: missing field {key!r}")
        if any(k not in raw for k in ("id", "doc", "clause", "published", "what", "confidence")):
            continue
        rid, doc = str(raw["id"]), str(raw["doc"])
        if rid in seen:
            problems.append(f"{where}: duplicate row id")
        seen.add(rid)
        if doc not in documents:
            problems.append(f"{where}: document {doc!r} is not declared under documents")
        if raw["published"] not in PUBLISHED:
            problems.append(f"{where}: published must be one of {', '.join(PUBLISHED)}")
        if raw["confidence"] not in CONFIDENCES:
            problems.append(f"{where}: confidence must be high, medium or low")
        figures = raw.get("figures") or {}
        if not isinstance(figures, dict):
            problems.append(f"{where}: figures must be a mapping")
            figures = {}
        if _has_bool_key(figures):
            problems.append(f"{where}: figures: a key reads as true/false; quote it "
                            "(YAML turns no, yes, on, off into booleans)")
        covers = raw.get("covers") or []
        if not isinstance(covers, list) or not all(isinstance(c, str) for c in covers):
            problems.append(f"{where}: covers must be a list of element ids")
            covers = []
        quote = raw.get("quote")
        if quote is not None and not (isinstance(quote, str) and quote.strip()):
            problems.append(f"{where}: quote must be non-empty text")
        what = _text(raw["what"], f"{where}: what", problems)
        note = _text(raw["note"], f"{where}: note", problems) if "note" in raw else None
        if what is None:
            continue
        rows.append(ReferenceRow(rid, doc, str(raw["clause"]), str(raw["published"]), what,
                                 raw["confidence"], figures, quote, covers, note))
    if problems:
        raise ReferenceError(problems)
    return ReferenceTable(str(data["framework"]), documents, rows)


def _has_bool_key(value: Any) -> bool:
    if isinstance(value, dict):
        return any(isinstance(k, bool) or _has_bool_key(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bool_key(v) for v in value)
    return False


# ------------------------------------------------------------------ figures of the spec

def _norm(value: Any) -> Any:
    """Numbers as Decimals, keys as text, empty values dropped: figures compare exactly."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    if isinstance(value, str) and _NUMERIC.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return value
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()
                if v is not None and v != [] and v != {} and k != "label"}
    if isinstance(value, (list, tuple)):
        return [_norm(v) for v in value]
    return value


def indicator_figures(fw: Framework, iid: str) -> dict[str, Any]:
    """The figures an indicator scores with; empty for an indicator that is not scored."""
    ind = fw.indicator(iid)
    if not ind.scored or not fw.scored[iid]:
        return {}
    out: dict[str, Any] = {}
    if ind.points is not None:
        out["points"] = ind.points
    if ind.options:
        out["options"] = {o.value: o.points for o in ind.options}
    if ind.scale and any(s.points is not None for s in ind.scale):
        out["scale"] = {s.level: s.points for s in ind.scale}
    if ind.bands:
        out["bands"] = [unstructure(b) for b in ind.bands]
    if ind.cap is not None:
        out["cap"] = ind.cap
    return _norm(out)  # type: ignore[no-any-return]


def level_figures(level: Level) -> dict[str, Any]:
    """A level's band on the total and its gate, if any."""
    out: dict[str, Any] = {"min": level.min, "max": level.max}
    if level.gate is not None:
        out["gate"] = unstructure(level.gate)
    return _norm(out)  # type: ignore[no-any-return]


# ------------------------------------------------------------------ the status audit

@attrs.frozen
class Entry:
    """One element of one profile: its status, the rows covering it, and the verdict."""

    profile: str | None
    element: str
    status: str
    citation: Citation | None
    rows: list[str]
    why: str
    problem: str | None = None


@attrs.frozen
class StatusAudit:
    framework: str
    entries: list[Entry]
    problems: list[str]

    def official(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "official"]

    def table(self) -> str:
        """What is official and why, then how many figures are derived or unverified."""
        lines = [f"Status audit of {self.framework}: what is official and why",
                 "| profile | element | cites | reference rows | why |",
                 "| --- | --- | --- | --- | --- |"]
        for e in self.official():
            cite = f"{e.citation.doc} {e.citation.clause}" if e.citation else "-"
            lines.append(f"| {e.profile or 'base'} | {e.element} | {cite} | "
                         f"{', '.join(e.rows) or '-'} | {e.why} |")
        counts: dict[str, int] = {}
        for e in self.entries:
            counts[e.status] = counts.get(e.status, 0) + 1
        lines.append("")
        lines.append("elements by status (all profiles): " + ", ".join(
            f"{s} {counts.get(s, 0)}" for s in ("official", "derived", "unverified")))
        if self.problems:
            lines += ["", f"{len(self.problems)} problems:", *(f"- {p}" for p in self.problems)]
        return "\n".join(lines)


def _frameworks(framework: str | Framework,
                profiles: Iterable[str | None] | None) -> list[Framework]:
    base = smesdk.load_framework(framework) if isinstance(framework, str) else framework
    chosen = list(profiles) if profiles is not None else [None, *base.profiles]
    return [base.with_profile(p) for p in chosen]


def _judge(element: str, status: str, note: Text | None, citation: Citation | None,
           figures: dict[str, Any], table: ReferenceTable) -> tuple[list[str], str, str | None]:
    """(covering row ids, why, problem or None) for one element."""
    rows = table.covering(element)
    ids = [r.id for r in rows]
    if status != "official":
        if note is None or not all(text.strip() for _, text in note.items()):
            where = "source.note" if element.startswith("level:") else "status_note"
            return ids, "", (f"{element}: {status} but no {where} says why "
                             "(write it in each of the framework's languages)")
        return ids, note.get("en"), None
    if not rows:
        return ids, "", f"{element}: official but no reference row covers it"
    faults = []
    for row in rows:
        if row.confidence != "high":
            faults.append(f"row {row.id} is {row.confidence} confidence")
        elif citation is None or (row.doc, row.clause) != (citation.doc, citation.clause):
            cited = f"{citation.doc} {citation.clause}" if citation else "nothing"
            faults.append(f"row {row.id} is {row.doc} {row.clause}, the element cites {cited}")
        elif _norm(row.figures) != figures:
            faults.append(f"row {row.id} publishes {_norm(row.figures)}, the spec has {figures}")
        else:
            quote = f": “{row.quote}”" if row.quote else ""
            return ids, f"{row.what.en} ({row.doc} {row.clause}, high){quote}", None
    return ids, "", f"{element}: official but " + "; ".join(faults)


def status_audit(framework: str | Framework, table: ReferenceTable | str | Path, *,
                 profiles: Iterable[str | None] | None = None) -> StatusAudit:
    """Audit every indicator and level of the framework (in each profile) against the table."""
    if not isinstance(table, ReferenceTable):
        table = load_references(table)
    fws = _frameworks(framework, profiles)
    entries: list[Entry] = []
    problems: list[str] = []
    known: set[str] = set()
    for fw in fws:
        items: list[tuple[str, str, Text | None, Citation | None, dict[str, Any]]] = []
        for iid, ind in fw.iter_indicators():
            items.append((iid, ind.status, ind.status_note, ind.source.primary,
                          indicator_figures(fw, iid)))
        for level in fw.spec.levels:
            items.append((f"level:{level.id}", level.status,
                          level.source.primary.note if level.source.primary else None,
                          level.source.primary,
                          level_figures(level)))
        for element, status, note, citation, figures in items:
            known.add(element)
            ids, why, problem = _judge(element, status, note, citation, figures, table)
            if citation is not None and citation.doc not in table.documents:
                problem = problem or (f"{element}: cites document {citation.doc!r}, which the "
                                      "reference table does not declare")
            entries.append(Entry(fw.profile, element, status, citation, ids, why, problem))
            if problem is not None:
                prefix = f"[profile {fw.profile}] " if fw.profile else ""
                problems.append(prefix + problem)
    for row in table.rows:
        for element in row.covers:
            if element not in known:
                problems.append(f"row {row.id}: covers {element!r}, which no profile has")
    return StatusAudit(fws[0].id, entries, list(dict.fromkeys(problems)))


def check_statuses(framework: str | Framework, table: ReferenceTable | str | Path, *,
                   profiles: Iterable[str | None] | None = None) -> StatusAudit:
    """Run :func:`status_audit`, print its table, and fail listing every problem."""
    audit = status_audit(framework, table, profiles=profiles)
    print(audit.table())
    assert not audit.problems, "\n".join(audit.problems)
    return audit


# ------------------------------------------------------------------ clause coverage

def cited_clause(iid: str, ind: Indicator) -> Iterable[str]:
    """The default coverage keys of an indicator: ``"doc clause"`` of each of its citations."""
    del iid
    return [f"{c.doc} {c.clause}" for c in ind.source]


@attrs.frozen
class CoverageRow:
    clause: str
    title: str
    indicators: list[str]
    reason: str | None


@attrs.frozen
class Coverage:
    framework: str
    rows: list[CoverageRow]
    problems: list[str]

    def table(self) -> str:
        lines = [f"Clause coverage of {self.framework}", "| clause | what | asked by |",
                 "| --- | --- | --- |"]
        for r in self.rows:
            asked = ", ".join(r.indicators) if r.indicators else f"not asked: {r.reason}"
            lines.append(f"| {r.clause} | {r.title} | {asked} |")
        if self.problems:
            lines += ["", f"{len(self.problems)} problems:", *(f"- {p}" for p in self.problems)]
        return "\n".join(lines)


def clause_coverage(framework: str | Framework, clauses: Mapping[str, str], *,
                    unasked: Mapping[str, str] | None = None,
                    keys: Callable[[str, Indicator], Iterable[str]] = cited_clause) -> Coverage:
    """Which indicators ask each clause (key -> what it says), written from the source.

    ``keys`` maps an indicator to the clause keys it asks (by default its citation,
    ``"doc clause"``); ``unasked`` gives the written reason for each clause left unasked.
    """
    fw = smesdk.load_framework(framework) if isinstance(framework, str) else framework
    unasked = dict(unasked or {})
    asked: dict[str, list[str]] = {}
    for iid, ind in fw.iter_indicators():
        for key in keys(iid, ind):
            asked.setdefault(key, []).append(iid)
    rows: list[CoverageRow] = []
    problems: list[str] = []
    for clause, title in clauses.items():
        ids = asked.get(clause, [])
        reason = unasked.get(clause)
        if ids and reason is not None:
            problems.append(f"{clause} ({title}): asked by {', '.join(ids)} but also listed "
                            "as unasked; drop the stale reason")
        if not ids and not (reason or "").strip():
            problems.append(f"{clause} ({title}): no indicator asks it and no reason is given")
        rows.append(CoverageRow(clause, title, ids, reason))
    for clause in unasked:
        if clause not in clauses:
            problems.append(f"{clause}: a reason is given for a clause that is not in the list")
    return Coverage(fw.id, rows, problems)


def check_coverage(framework: str | Framework, clauses: Mapping[str, str], *,
                   unasked: Mapping[str, str] | None = None,
                   keys: Callable[[str, Indicator], Iterable[str]] = cited_clause) -> Coverage:
    """Run :func:`clause_coverage`, print its table, and fail listing every problem."""
    cov = clause_coverage(framework, clauses, unasked=unasked, keys=keys)
    print(cov.table())
    assert not cov.problems, "\n".join(cov.problems)
    return cov
