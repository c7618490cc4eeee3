"""A scoring plan: a resolved framework compiled once for columnar scoring.

A Plan is picklable (Dask ships it to workers): it travels as the framework's base spec,
registry and profile, and is rebuilt and recompiled on arrival. Plugin result hooks are not
carried; they never change the batch output columns (total, level, dimension scores).
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING, Any

from smesdk.batch.cells import Unsupported
from smesdk.batch.compiled import Compiled
from smesdk.batch.memory import keep_freed_memory
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.tree import ROOT

if TYPE_CHECKING:
    import pyarrow as pa

    from smesdk.registry import Registry
    from smesdk.spec import FrameworkSpec


class Plan:
    """What :func:`smesdk.batch.score.score_batch` needs to score a batch for one framework."""

    def __init__(self, framework: Framework, as_of: dt.date | None = None) -> None:
        self.framework = framework
        self.as_of = as_of
        self.top_dimensions = [d for d in framework.children[ROOT]
                               if framework.nodes[d].dimension is not None]
        self.level_ids = [lv.id for lv in framework.spec.levels]
        self.level_index = {lid: i for i, lid in enumerate(self.level_ids)}
        self._schema: pa.Schema | None = None
        self.warned: set[str] = set()
        #: Rows scored per record so far (fallbacks and rows with problems), for tests and logs.
        self.per_record_rows = 0
        #: The last column names found to fit the framework.
        self.checked_columns: tuple[str, ...] = ()
        self.provenance_columns: list[pa.Array] | None = None
        self.compiled: Compiled | None = None
        keep_freed_memory()
        try:
            self.compiled = Compiled(framework)
        except Unsupported as exc:
            self.warn(str(exc))

    def warn(self, reason: str) -> None:
        """Say once per plan and reason that rows are scored per record."""
        if reason not in self.warned:
            self.warned.add(reason)
            warnings.warn(f"framework {self.framework.id!r}: the batch scorer does not compile "
                          f"{reason}; those rows are scored per record (same results, slower)",
                          stacklevel=3)

    @property
    def output_schema(self) -> pa.Schema:
        """The columns of every batch :func:`score_batch` returns for this plan."""
        if self._schema is None:
            from smesdk.batch.output import output_schema

            self._schema = output_schema(self.top_dimensions)
        return self._schema

    def __reduce__(self) -> tuple[Any, ...]:
        fw = self.framework
        return (_rebuild, (fw.base, fw.registry, fw.profile, fw.plugin, self.as_of,
                           fw.content_hash))

    def __repr__(self) -> str:
        return f"<Plan {self.framework!r} as_of={self.as_of}>"


def compile_plan(framework: Framework, *, as_of: dt.date | None = None) -> Plan:
    """Compile ``framework`` (its profile already applied) for batch scoring.

    ``as_of`` is the assessment date of rows without a ``date`` cell.
    """
    return Plan(framework, as_of)


def _rebuild(base: FrameworkSpec, registry: Registry, profile: str | None, plugin: str | None,
             as_of: dt.date | None, content_hash: str) -> Plan:
    fw = Framework.from_spec(base, registry=registry, profile=profile, plugin=plugin)
    if fw.content_hash != content_hash:  # pragma: no cover - would mean a changed spec class
        raise SmesdkError([f"framework {fw.id!r} rebuilt with a different content hash"])
    return compile_plan(fw, as_of=as_of)
