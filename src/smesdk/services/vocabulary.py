"""The service vocabulary: service areas and services, with stable ids, as data.

The core's list is ``vocabulary.yaml`` beside this module (the areas of seed 002 二（二） and
the services the guides name); plugins add theirs through the ``smesdk_services`` hook.
Frameworks tag indicators, dimensions and red lines with these ids (``services:``), and a
platform's catalogue of offers names them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import attrs

from smesdk.convert import read_file, structure
from smesdk.errors import Problem, SmesdkError
from smesdk.spec import Citation
from smesdk.text import Text

FILE = Path(__file__).with_name("vocabulary.yaml")


@attrs.frozen
class ServiceArea:
    """A service priority of seed 002 二（二）; ``uncovered`` says why no indicator reveals it."""

    id: str
    title: Text
    source: Citation
    uncovered: Text | None = None


@attrs.frozen
class Service:
    """One kind of service a provider can offer, in one area, cited to where it is named."""

    id: str
    area: str
    title: Text
    source: Citation
    description: Text | None = None


@attrs.frozen
class _File:
    documents: dict[str, Text]
    areas: list[ServiceArea]
    services: list[Service]


class Vocabulary:
    """Areas and services in their published order; look-ups refuse unknown ids."""

    def __init__(self, documents: dict[str, Text], areas: list[ServiceArea],
                 services: list[Service]) -> None:
        self.documents = documents
        self.areas = areas
        self.services = services
        problems = _problems(self)
        if problems:
            raise SmesdkError(problems, title="the service vocabulary is inconsistent")
        self._by_id = {s.id: s for s in services}
        self._areas = {a.id: a for a in areas}
        self._order = {s.id: k for k, s in enumerate(services)}

    def service(self, id: str) -> Service:
        found = self._by_id.get(id)
        if found is None:
            raise SmesdkError([Problem("", f"no service {id!r} in the service vocabulary")])
        return found

    def area(self, id: str) -> ServiceArea:
        found = self._areas.get(id)
        if found is None:
            raise SmesdkError([Problem("", f"no service area {id!r} in the service vocabulary")])
        return found

    def __contains__(self, id: object) -> bool:
        return id in self._by_id

    def order(self, id: str) -> int:
        """The service's place in the vocabulary: the last tie-break of every ranking."""
        self.service(id)
        return self._order[id]

    def extended(self, items: Iterable[Service | ServiceArea]) -> Vocabulary:
        """This vocabulary with plugins' areas and services after its own (a plugin's
        services cite its own documents, which the plugin's framework lists)."""
        extra = list(items)
        return Vocabulary(
            documents=self.documents,
            areas=self.areas + [a for a in extra if isinstance(a, ServiceArea)],
            services=self.services + [s for s in extra if isinstance(s, Service)],
        )


def _problems(vocab: Vocabulary) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    areas = {a.id for a in vocab.areas}
    for k, area in enumerate(vocab.areas):
        if area.id in seen:
            out.append(Problem(f"areas[{k}].id", f"area id {area.id!r} is used twice"))
        seen.add(area.id)
    for k, item in enumerate(vocab.services):
        if item.id in seen:
            out.append(Problem(f"services[{k}].id", f"id {item.id!r} is used twice"))
        seen.add(item.id)
        if item.area not in areas:
            out.append(Problem(f"services[{k}].area", f"no service area {item.area!r}"))
    return out


def load_vocabulary(path: Path = FILE) -> Vocabulary:
    """A vocabulary file, with every problem and its place at once."""
    data, fmt = read_file(path)
    raw = structure(data, _File, fmt, file=str(path))
    unknown = [Problem(f"services[{k}].source.doc", f"no document {s.source.doc!r}", str(path))
               for k, s in enumerate(raw.services) if s.source.doc not in raw.documents]
    if unknown:
        raise SmesdkError(unknown)
    try:
        return Vocabulary(documents=raw.documents, areas=raw.areas, services=raw.services)
    except SmesdkError as exc:
        raise SmesdkError([attrs.evolve(p, file=str(path)) for p in exc.problems],
                          title=exc.title) from None


@functools.cache
def core_vocabulary() -> Vocabulary:
    """smesdk's own vocabulary (``vocabulary.yaml``), without plugins' additions."""
    return load_vocabulary()
