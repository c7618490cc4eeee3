"""The hooks smesdk plugins implement. Hooks register objects; classes do the work.

Implement them in a module registered under the ``smesdk`` entry-point group, decorated
with :data:`smesdk.hookimpl`. pluggy passes only the arguments an implementation names,
so new arguments can be added here without breaking plugins.

pluggy calls the hooks, in its order: ``tryfirst`` implementations first, ``trylast`` last,
otherwise the plugin registered last first; ``wrapper=True`` implementations wrap the rest.
A plugin that raises or returns what a hook does not take is left out of that call, with a
warning (docs/hooks.md, "When a plugin misbehaves").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from smesdk.aggregations import Aggregation
    from smesdk.answers import AnswerSet
    from smesdk.framework import Framework
    from smesdk.kinds import AnswerKind
    from smesdk.levels import LevelRule
    from smesdk.report.sections import ReportSection
    from smesdk.result import Recommendation, Result
    from smesdk.services.vocabulary import Service, ServiceArea
    from smesdk.spec import FrameworkSpec

hookspec = pluggy.HookspecMarker("smesdk")


@hookspec
def smesdk_register_frameworks(register: Callable[[Path | FrameworkSpec], None]) -> None:
    """Register frameworks: call ``register`` with a spec file path or a FrameworkSpec.

    Fires when a :class:`smesdk.PluginHost` loads its plugins. Files are parsed
    lazily, the first time the framework is used.

    :param register: call once per framework.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_register_answer_kinds(register: Callable[[AnswerKind], None]) -> None:
    """Register answer kinds (subclasses of :class:`smesdk.AnswerKind`).

    Fires when the host loads its plugins, before any framework is validated.

    :param register: call once per kind instance; a name already taken is refused.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_register_aggregations(register: Callable[[Aggregation], None]) -> None:
    """Register aggregation methods (subclasses of :class:`smesdk.Aggregation`).

    Fires when the host loads its plugins, before any framework is validated.

    :param register: call once per method instance; a name already taken is refused.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_register_level_rules(register: Callable[[LevelRule], None]) -> None:
    """Register level rules (subclasses of :class:`smesdk.LevelRule`).

    Fires when the host loads its plugins. A framework picks its rule by ``level_rule``.

    :param register: call once per rule instance; a name already taken is refused.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_recommendations(framework: Framework, result: Result, answers: AnswerSet
                           ) -> list[Recommendation] | None:
    """Add recommendations to a result.

    Fires after scoring, once per assessment, for every framework: return None for
    frameworks you do not handle. Returned items are merged and ordered by impact (equal
    impacts keep pluggy's call order); one without an ``origin`` gets the plugin's name.

    :param framework: the resolved framework that scored the answers.
    :param result: the result so far (gaps, levels and built-in recommendations included).
    :param answers: the answer set scored, for advice on answers a profile leaves out of the
        result (as ``smesdk_enrich_result`` gets it). An implementation names it only if it
        reads it.

    .. versionadded:: 0.1
    .. versionchanged:: unreleased ``answers``.
    """


@hookspec
def smesdk_enrich_result(
    framework: Framework, answers: AnswerSet, result: Result
) -> dict[str, Any] | None:
    """Add framework-specific sections to ``result.extensions``.

    Fires after scoring and after :func:`smesdk_recommendations`. Return a mapping of
    section name to JSON-compatible data, or None. The first plugin called keeps a section
    name; another giving it different data is left out, with a warning.

    :param framework: the resolved framework.
    :param answers: the answer set that was scored.
    :param result: the result so far.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_report_sections(framework: Framework, result: Result) -> list[ReportSection] | None:
    """Add typed sections (tables, ranked lists, callouts, ladders, grids, charts) to reports.

    Fires when a report is rendered (HTML, Markdown, terminal, PDF), for every framework:
    return None for frameworks you do not handle. Each item must be one of the types of
    :mod:`smesdk.report.sections`; anything else is refused with a message naming the plugin.

    :param framework: the resolved framework that scored the result.
    :param result: the finished result (extensions and facts included).

    .. versionadded:: 0.2
    """


@hookspec
def smesdk_export_facts(framework: Framework, result: Result) -> dict[str, Any] | None:
    """Export computed facts (``result.facts``) for other frameworks to read.

    Fires after scoring, after :func:`smesdk_enrich_result`. Return {fact key: JSON value}.
    The framework's own ``exports:`` come first, then plugins in pluggy's call order; the
    first to give a key keeps it, and a different value for it later is left out, with a
    warning.

    :param framework: the resolved framework.
    :param result: the result so far.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``smesdk`` command line.

    Fires when the ``smesdk`` command starts, before arguments are parsed.

    :param cli: the top-level click group; call ``cli.add_command(...)``.

    .. versionadded:: 0.1
    """


@hookspec
def smesdk_services(register: Callable[[Service | ServiceArea], None]) -> None:
    """Add services (:class:`smesdk.services.Service`) and service areas to the vocabulary.

    Fires when the host loads its plugins. Frameworks may then tag their indicators,
    dimensions and red lines with the new ids, and catalogues may offer them. An id already
    taken (by smesdk or an earlier plugin) or a service in an unknown area is refused.

    :param register: call once per service or area; register an area before its services.

    .. versionadded:: 0.3
    """
