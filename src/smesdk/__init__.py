"""smesdk: score SMEs against China's official management, digital, quality and QMS frameworks.

The common case::

    import smesdk
    fw = smesdk.load_framework("management", profile="quick")
    result = fw.assess(smesdk.load_answers("answers.yaml"))
    print(result.total, result.level, result.explain("strategy.s1"))
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

from smesdk.aggregations import Aggregation, Child
from smesdk.answers import Answer, AnswerSet, Enterprise, Evidence
from smesdk.dates import as_date
from smesdk.deltas import Comparison, compare
from smesdk.errors import AnswerError, PluginError, Problem, SmesdkError, SpecError
from smesdk.framework import Framework
from smesdk.gates import ScoreView, describe, holds
from smesdk.hookguard import PluginFailure
from smesdk.host import PluginHost, assessment_scratch
from smesdk.kinds import AnswerKind
from smesdk.levels import LevelOutcome, LevelRule, level_ref
from smesdk.loading import answers_from_data, load_answers, load_spec
from smesdk.numbers import decimal_to_json, json_number, json_ratio, round_out
from smesdk.result import (
    Blocker,
    DimensionResult,
    Gap,
    IndicatorResult,
    LevelRef,
    NextLevel,
    Provenance,
    Recommendation,
    Result,
)
from smesdk.result import Warning as ResultWarning
from smesdk.routing import for_frameworks
from smesdk.shapes import Choice, GridForm, ScoringTable, Shape
from smesdk.spec import (
    Citation,
    CountTest,
    Dimension,
    DimensionTest,
    FactTest,
    FrameworkSpec,
    Gate,
    GridLine,
    GridRule,
    Indicator,
    IndicatorTest,
    Level,
    LevelCap,
    Option,
    TotalTest,
)
from smesdk.statuses import IndicatorStatus
from smesdk.text import Lang, Text
from smesdk.uplift import UpliftPlan, plan_to_level

if TYPE_CHECKING:
    from smesdk.suite import SuiteResult

# The public API: what programs and plugins use. docs/api.md lists the public modules; every
# other module is implementation and may change without notice. Names stay importable from
# here when the implementation moves them.
__all__ = [
    "Aggregation",
    "Answer",
    "AnswerError",
    "AnswerKind",
    "AnswerSet",
    "Blocker",
    "Child",
    "Choice",
    "Citation",
    "Comparison",
    "CountTest",
    "Dimension",
    "DimensionResult",
    "DimensionTest",
    "Enterprise",
    "Evidence",
    "FactTest",
    "Framework",
    "FrameworkSpec",
    "Gap",
    "Gate",
    "GridForm",
    "GridLine",
    "GridRule",
    "Indicator",
    "IndicatorResult",
    "IndicatorStatus",
    "IndicatorTest",
    "Lang",
    "Level",
    "LevelCap",
    "LevelOutcome",
    "LevelRef",
    "LevelRule",
    "NextLevel",
    "Option",
    "PluginError",
    "PluginFailure",
    "PluginHost",
    "Problem",
    "Provenance",
    "Recommendation",
    "Result",
    "ResultWarning",
    "ScoreView",
    "ScoringTable",
    "Shape",
    "SmesdkError",
    "SpecError",
    "Text",
    "TotalTest",
    "UpliftPlan",
    "__version__",
    "answers_from_data",
    "as_date",
    "assess_all",
    "assessment_scratch",
    "compare",
    "decimal_to_json",
    "default_host",
    "describe",
    "for_frameworks",
    "holds",
    "hookimpl",
    "json_number",
    "json_ratio",
    "level_ref",
    "load_answers",
    "load_framework",
    "load_spec",
    "plan_to_level",
    "round_out",
]

try:
    __version__ = importlib.metadata.version("smesdk")
except importlib.metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

hookimpl = pluggy.HookimplMarker("smesdk")
"""Decorator marking a plugin's implementation of an smesdk hook."""


@functools.cache
def default_host() -> PluginHost:
    """The process-wide host, loading installed plugins once. Tests build their own."""
    return PluginHost()


def assess_all(answers: AnswerSet | str | Path, frameworks: Iterable[str] | None = None
               ) -> SuiteResult:
    """Score one answer set against every installed framework (or those named), in dependency
    order so each framework's exported facts feed the later ones; see :mod:`smesdk.suite`."""
    from smesdk.suite import assess_all as run

    return run(answers, frameworks)


def load_framework(name: str | Path, profile: str | None = None) -> Framework:
    """A framework by id (from an installed plugin) or by spec file path."""
    return default_host().load_framework(name, profile)
