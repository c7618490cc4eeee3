"""Which services close an enterprise's gaps: a result read against its framework's tags.

An indicator's *gap points* are the points of the total it is missing: its ``share`` (what it
would contribute at full marks) minus its ``contribution``, both as the result records them,
so the figures can be checked from a result's JSON alone. Indicators that do not count towards
the total (no share: not scored, N/A, left out by the profile) have none.

A service is tagged on an indicator directly or on a dimension above it (a dimension's tag
applies to every indicator beneath it); each indicator counts once per service however many
of these tags name it. A service's gap points are the sum over its indicators with a gap. A
failed red line (``result.caps``) tagged with a service adds that red line to it: services
that lift a red line come first, since a red line caps the level whatever the points; then
more gap points first; then the vocabulary's order.
"""

from __future__ import annotations

import weakref
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from smesdk.errors import Problem, SmesdkError
from smesdk.numbers import fmt_near
from smesdk.spec import Citation, Status
from smesdk.text import Text

if TYPE_CHECKING:
    from smesdk.framework import Framework
    from smesdk.result import Result
    from smesdk.services.vocabulary import Vocabulary


def gap_text(points: Decimal) -> str:
    """Gap points as people read them: two places, trailing zeros dropped ("9.5", not the
    "9.4999" that adding rounded gaps gives); the JSON keeps every place."""
    return fmt_near(points, 2)


@attrs.frozen
class IndicatorGap:
    """One indicator behind a service: its gap in points of the total, and its clause."""

    indicator: str
    title: Text
    gap: Decimal
    source: Citation
    status: Status


@attrs.frozen
class RedLine:
    """A failed red line a service helps to lift."""

    id: str
    title: Text
    source: Citation | None = None


@attrs.frozen
class ServiceMatch:
    """A service an enterprise needs, with the gaps and red lines behind it.

    ``status`` is the weakest status of its indicators: the gap points are official only
    when every indicator's points are.
    """

    service: str
    title: Text
    area: str
    area_title: Text
    source: Citation
    gap_points: Decimal
    indicators: list[IndicatorGap]
    red_lines: list[RedLine]
    status: Status

    def why(self, shown: int = 3) -> Text:
        """The first ``shown`` indicators (gap, clause) and every red line behind the service."""
        top = self.indicators[:shown]
        more = len(self.indicators) - len(top)
        zh = ["、".join(f"{g.title.zh}（{gap_text(g.gap)}分，{g.source.clause}）" for g in top)
              + (f"等{len(self.indicators)}项" if more else "")] if top else []
        en = ["; ".join(f"{g.title.en} ({gap_text(g.gap)} points, {g.source.clause})"
                        for g in top)
              + (f" and {more} more" if more else "")] if top else []
        zh += [f"底线：{line.title.zh}" for line in self.red_lines]
        en += [f"red line: {line.title.en}" for line in self.red_lines]
        return Text(zh="；".join(zh), en="; ".join(en))


def tag_problems(framework: Framework, vocabulary: Vocabulary) -> list[Problem]:
    """Service ids in the framework's tags that the vocabulary does not know."""
    out = []
    for nid, node in framework.nodes.items():
        item = node.indicator or node.dimension
        assert item is not None
        out += [Problem(f"{framework.id}: {nid}", f"unknown service {sid!r}", node.path)
                for sid in item.services if sid not in vocabulary]
    for k, cap in enumerate(framework.spec.level_caps):
        out += [Problem(f"{framework.id}: red line {cap.id}", f"unknown service {sid!r}",
                        f"level_caps[{k}]") for sid in cap.services if sid not in vocabulary]
    return out


#: Tags by framework, worked out once: a demand run matches every row against the same one.
_TAGS: weakref.WeakKeyDictionary[Framework, dict[str, list[str]]] = weakref.WeakKeyDictionary()


def indicator_services(framework: Framework) -> dict[str, list[str]]:
    """Indicator id -> its services (own tags, then those of its dimensions, outermost last)."""
    found = _TAGS.get(framework)
    if found is None:
        found = _TAGS[framework] = _indicator_services(framework)
    return found


def _indicator_services(framework: Framework) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for nid, node in framework.nodes.items():
        if node.indicator is None:
            continue
        found = list(node.indicator.services)
        parent = node.parent
        while parent in framework.nodes:
            dim = framework.nodes[parent].dimension
            assert dim is not None
            found += dim.services
            parent = framework.nodes[parent].parent
        if found:
            out[nid] = list(dict.fromkeys(found))
    return out


def is_tagged(framework: Framework) -> bool:
    """Whether the framework tags anything with services."""
    return bool(indicator_services(framework)) or any(
        cap.services for cap in framework.spec.level_caps)


def matched_services(result: Result, framework: Framework,
                     vocabulary: Vocabulary) -> list[ServiceMatch]:
    """The services the result's gaps and failed red lines call for, ranked (module doc)."""
    if result.provenance.content_hash != framework.content_hash:
        raise SmesdkError([Problem("", (
            f"the result was scored by {result.provenance.framework} "
            f"{result.provenance.version} with content hash {result.provenance.content_hash}, "
            f"not by the installed framework ({framework.content_hash}); assess again"))])
    problems = tag_problems(framework, vocabulary)
    if problems:
        raise SmesdkError(problems, title="the framework tags services that are not in the "
                                          "vocabulary")
    gaps: dict[str, list[IndicatorGap]] = {}
    for iid, services in indicator_services(framework).items():
        trace = result.indicator(iid)
        if trace.share is None or trace.contribution is None:
            continue
        missing = trace.share - trace.contribution
        if missing <= 0:
            continue
        spec = framework.nodes[iid].indicator
        assert spec is not None
        # the primary citation (an indicator has at least one: validate)
        gap = IndicatorGap(iid, spec.title, missing, trace.source[0], spec.status)
        for sid in services:
            gaps.setdefault(sid, []).append(gap)
    caps = {cap.id: cap for cap in framework.spec.level_caps}
    lines: dict[str, list[RedLine]] = {}
    for blocker in result.caps:
        cap = caps.get(blocker.ref or "")
        if cap is None:
            continue
        for sid in cap.services:
            lines.setdefault(sid, []).append(RedLine(cap.id, cap.title, cap.source.primary))
    from smesdk.report.content import weakest

    out = []
    for sid in set(gaps) | set(lines):
        service = vocabulary.service(sid)
        area = vocabulary.area(service.area)
        found = sorted(gaps.get(sid, []), key=lambda g: -g.gap)  # stable: framework order
        out.append(ServiceMatch(
            service=sid, title=service.title, area=area.id, area_title=area.title,
            source=service.source, gap_points=sum((g.gap for g in found), Decimal(0)),
            indicators=found, red_lines=lines.get(sid, []),
            status=weakest(g.status for g in found) or "derived",  # type: ignore[arg-type]
        ))
    out.sort(key=lambda m: (not m.red_lines, -m.gap_points, vocabulary.order(m.service)))
    return out
