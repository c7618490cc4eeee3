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

from smesdk.answers import Answer, AnswerSet, Enterprise, Evidence
from smesdk.errors import AnswerError, PluginError, Problem, SmesdkError, SpecError
from smesdk.framework import Framework
from smesdk.host import PluginHost
from smesdk.loading import answers_from_data, load_answers, load_spec
from smesdk.result import Recommendation, Result
from smesdk.spec import Citation, FrameworkSpec
from smesdk.text import Text

if TYPE_CHECKING:
    from smesdk.suite import SuiteResult

__all__ = [
    "Answer",
    "AnswerError",
    "AnswerSet",
    "Citation",
    "Enterprise",
    "Evidence",
    "Framework",
    "FrameworkSpec",
    "PluginError",
    "PluginHost",
    "Problem",
    "Recommendation",
    "Result",
    "SmesdkError",
    "SpecError",
    "Text",
    "__version__",
    "answers_from_data",
    "assess_all",
    "default_host",
    "hookimpl",
    "load_answers",
    "load_framework",
    "load_spec",
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
