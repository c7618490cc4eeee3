"""Walking a framework's dimension tree with full ids and document paths."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from smesdk.spec import Dimension, FrameworkSpec, Indicator

ROOT = ""


@attrs.frozen
class Node:
    """One dimension or indicator, with its full id and its path in the spec document."""

    id: str
    parent: str
    path: str
    dimension: Dimension | None = None
    indicator: Indicator | None = None

    @property
    def is_indicator(self) -> bool:
        return self.indicator is not None

    @property
    def local_id(self) -> str:
        return self.id.rsplit(".", 1)[-1]


def full_id(parent: str, local: str) -> str:
    return f"{parent}.{local}" if parent else local


def walk(spec: FrameworkSpec) -> Iterator[Node]:
    """Every node, parents before children, in document order."""
    yield from _walk_dims(spec.dimensions, ROOT, "")


def _walk_dims(dims: list[Dimension], parent: str, base: str) -> Iterator[Node]:
    for i, dim in enumerate(dims):
        fid = full_id(parent, dim.id)
        path = f"{base}dimensions[{i}]"
        yield Node(fid, parent, path, dimension=dim)
        yield from _walk_dims(dim.dimensions, fid, f"{path}.")
        for j, ind in enumerate(dim.indicators):
            yield Node(full_id(fid, ind.id), fid, f"{path}.indicators[{j}]", indicator=ind)


def indicators(spec: FrameworkSpec) -> Iterator[tuple[str, Indicator]]:
    for node in walk(spec):
        if node.indicator is not None:
            yield node.id, node.indicator
