"""The plugin host: loads plugins, collects what they register, isolates their failures."""

from __future__ import annotations

import contextvars
import importlib.metadata as md
import operator
import os
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from smesdk import hookspecs
from smesdk.aggregations import Aggregation
from smesdk.errors import PluginError, Problem, SmesdkError, SpecError
from smesdk.framework import Framework
from smesdk.hookguard import (
    PASS_THROUGH,
    Guard,
    HookCall,
    PluginFailure,
    acting_plugin,
    describe,
    recording,
)
from smesdk.hookresults import ADMIT, merge_keyed
from smesdk.kinds import AnswerKind
from smesdk.levels import LevelRule
from smesdk.loading import load_spec
from smesdk.registry import Registry
from smesdk.result import Recommendation, Result, Warning, evolved
from smesdk.routing import frameworks_of
from smesdk.services.vocabulary import Service, ServiceArea, Vocabulary, core_vocabulary
from smesdk.spec import FrameworkSpec
from smesdk.text import Text

if TYPE_CHECKING:
    import click

    from smesdk.answers import AnswerSet

ENTRY_POINT_GROUP = "smesdk"
DISABLE_ENV = "SMESDK_DISABLED_PLUGINS"
TRACE_ENV = "SMESDK_TRACE_PLUGINS"


_IMPACT = operator.attrgetter("impact")


def _minus_impact(rec: Recommendation) -> Decimal:
    return -rec.impact


def _ranked(ranked: list[Recommendation], added: list[Recommendation]) -> list[Recommendation]:
    """``ranked + added`` sorted stably by impact, largest first: a recommendation goes after
    every one of at least its impact, the engine's before the plugins', the plugins' in call
    order. ``ranked`` (the engine's) is already largest first (``engine._rank``), so a few
    plugin recommendations are put in place rather than the whole list sorted again (4.4 ->
    1.7 us for management's 80 and 3); many are sorted in with the rest, which is then cheaper
    (about 0.5 us an insertion against 0.05 us per item sorted). tests/test_hook_order.py
    checks both against a full stable sort."""
    if len(added) * 9 >= len(ranked):
        out = list(ranked) + added
        out.sort(key=_IMPACT, reverse=True)  # reverse keeps ties in list order
        return out
    out = list(ranked)
    for rec in sorted(added, key=_IMPACT, reverse=True):
        out.insert(bisect_right(out, -rec.impact, key=_minus_impact), rec)
    return out


#: The scratch mapping of the assessment whose result hooks are running in this context.
_SCRATCH: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "smesdk_assessment_scratch", default=None)


def assessment_scratch() -> dict[Any, Any]:
    """A dict private to the assessment whose result hooks are running now.

    :meth:`PluginHost.after_scoring` opens a fresh one for each assessment and drops it when
    the last result hook returns, so work that several hooks of one assessment need (a
    plugin's recommendations and its result section, say) can be done once. Outside that call
    (a report being rendered, a test calling a hook by hand) this is a new empty dict each
    time: nothing is kept. Key entries by your plugin's name; store values no hook mutates.
    The result grows between the hooks (recommendations, then extensions, then facts), but
    its scores, indicators, gaps and levels do not.
    """
    scratch = _SCRATCH.get()
    return {} if scratch is None else scratch


@attrs.frozen
class _Entry:
    plugin: str
    source: Path | FrameworkSpec


class _Growing:
    """The result of one assessment as the result hooks add to it.

    The first addition copies the engine's result (whoever passed it in keeps theirs); later
    ones set fields of that copy in place, which nothing outside this assessment's hooks has
    seen yet, so an assessment builds one new Result, not one per hook. Plugins are told the
    result grows between the hooks (:func:`assessment_scratch`).
    """

    __slots__ = ("_own", "result")

    def __init__(self, result: Result) -> None:
        self.result = result
        self._own = False

    def set(self, **changes: Any) -> None:
        if not self._own:
            self.result = evolved(self.result, **changes)
            self._own = True
            return
        for name, value in changes.items():
            object.__setattr__(self.result, name, value)  # our own copy (see the class doc)


class PluginHost:
    """Loads smesdk plugins and hands out frameworks.

    Built-in kinds, aggregations and level rules come first; then ``plugins`` given here
    (name, module-or-object pairs, for tests and embedding), then the entry points of group
    ``smesdk`` in name order, unless ``entry_points=False``. Plugins named in
    ``SMESDK_DISABLED_PLUGINS`` (comma-separated) or ``disabled`` are skipped. pluggy calls
    the hooks (``self.pm.hook.<name>``), in its order. A plugin that fails to import, names a
    hook that does not exist, raises inside a hook or returns something the hook does not
    take is recorded in :attr:`failures`; the others carry on (see docs/hooks.md).
    """

    def __init__(
        self,
        *,
        plugins: Iterable[tuple[str, object]] = (),
        entry_points: bool = True,
        disabled: Iterable[str] | None = None,
    ) -> None:
        self.pm = pluggy.PluginManager("smesdk")
        self.pm.add_hookspecs(hookspecs)
        self.registry = Registry.builtin()
        self.failures: list[PluginFailure] = []
        self._seen: set[PluginFailure] = set()
        self.disabled = set(disabled if disabled is not None else _env_list(DISABLE_ENV))
        self.versions: dict[str, str | None] = {}
        self._entries: list[_Entry] = []
        self._catalog: dict[str, tuple[str, FrameworkSpec, str | None]] | None = None
        self._conflicts: dict[str, list[str]] = {}
        self._cache: dict[tuple[str, str | None], Framework] = {}
        #: (hook, framework id) -> pluggy's caller of the hook for that framework (_caller).
        self._callers: dict[tuple[str, str], pluggy.HookCaller] = {}
        self._services: list[Service | ServiceArea] = []
        self._vocabulary: Vocabulary | None = None
        self.trace = bool(os.environ.get(TRACE_ENV))
        self._guard = Guard(ADMIT, self._record, trace=self.trace)
        if self.trace:
            self.pm.add_hookcall_monitoring(_trace_before, _trace_after)
        for name, plugin in plugins:
            self._add(name, plugin, None)
        if entry_points:
            self._load_entry_points()
        self._collect()

    # -- loading -------------------------------------------------------------------------

    def _load_entry_points(self) -> None:
        for ep in sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in self.disabled or self.pm.has_plugin(ep.name):
                continue
            version = ep.dist.version if ep.dist is not None else None
            try:
                module = ep.load()
            except PASS_THROUGH:
                raise
            except BaseException as exc:  # a broken plugin, even one calling sys.exit(), stays out
                self._fail(ep.name, "import", exc)
                continue
            self._add(ep.name, module, version)

    def _add(self, name: str, plugin: object, version: str | None) -> None:
        if name in self.disabled:
            return
        try:
            self.pm.register(plugin, name=name)
            self.pm.check_pending()
        except Exception as exc:
            if self.pm.has_plugin(name):
                self.pm.unregister(name=name)
            self._fail(name, "register", exc)
            return
        problem = self._marks_problem(name)
        if problem is not None:
            self.pm.unregister(name=name)
            self._fail(name, "register", problem)
            return
        self._guard.install(self.pm, name)
        self.versions[name] = version
        self._callers.clear()

    def _marks_problem(self, name: str) -> str | None:
        """What is wrong with the plugin's :func:`smesdk.for_frameworks` marks, if anything.
        The guard honours a mark by the ``framework`` the implementation is given, so a mark
        on a hook given none, or on an implementation not naming it, cannot be honoured: the
        plugin is left out rather than called for frameworks it relies on the mark to skip."""
        plugin = self.pm.get_plugin(name)
        for caller in self.pm.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is not plugin:
                    continue
                try:
                    ids = frameworks_of(impl.function)
                except TypeError as exc:
                    return str(exc)
                if ids is None:
                    continue
                if caller.spec is None or "framework" not in caller.spec.argnames:
                    return f"for_frameworks marks {caller.name}, which is given no framework"
                if "framework" not in impl.argnames:
                    return (f"for_frameworks marks an implementation of {caller.name} that does "
                            "not take `framework`")
        return None

    def _fail(self, plugin: str, stage: str, exc: BaseException | str) -> None:
        self._record(PluginFailure(plugin, stage, exc if isinstance(exc, str) else describe(exc)))

    def _record(self, failure: PluginFailure) -> None:
        # Once per distinct failure: a plugin failing on every row of a batch is one entry.
        if failure not in self._seen:
            self._seen.add(failure)
            self.failures.append(failure)

    def _call(self, hook: str, **kwargs: Any) -> tuple[list[Any], HookCall]:
        """pluggy calls the hook; the record says who returned what and who failed."""
        framework = kwargs.get("framework")
        whole = getattr(self.pm.hook, hook)
        caller = whole if framework is None else \
            self._callers.get((hook, framework.id)) or self._caller(hook, framework.id)
        with recording(hook) as call:
            try:
                outs: list[Any] = caller(**kwargs)
            except TypeError:
                if caller is whole:
                    raise
                # pluggy hashes each plugin against those left out before calling any: a
                # plugin put on self.pm directly since, that cannot be hashed, lands here.
                self._callers.clear()
                outs = whole(**kwargs)
        return outs, call

    def _caller(self, hook: str, framework_id: str) -> pluggy.HookCaller:
        """pluggy's caller of ``hook`` without the plugins whose every implementation of it
        is marked for other frameworks than ``framework_id`` (:func:`smesdk.for_frameworks`):
        their guards would answer None without calling them, and each still cost pluggy a
        call (6-8 us an assessment over the official plugins). pluggy keeps the order of
        the rest, and of plugins registered later. When some plugin cannot be hashed
        (pluggy keeps the plugins it leaves out in a set), the whole caller is kept: the
        guards still answer None for the others."""
        whole: pluggy.HookCaller = getattr(self.pm.hook, hook)
        declines: dict[int, bool] = {}  # id(plugin) -> every implementation of it declines
        plugins: dict[int, object] = {}
        for impl in whole.get_hookimpls():
            ids = frameworks_of(impl.function)
            key = id(impl.plugin)
            declines[key] = declines.get(key, True) and ids is not None and framework_id not in ids
            plugins[key] = impl.plugin
        left_out = [plugins[key] for key, every in declines.items() if every]
        try:
            caller = self.pm.subset_hook_caller(hook, left_out) if left_out else whole
        except TypeError:  # an unhashable plugin object (a SimpleNamespace, say)
            caller = whole
        self._callers[(hook, framework_id)] = caller
        return caller

    def _collect(self) -> None:
        """Run the registration hooks; a plugin whose hook fails registers nothing in it."""
        tables: list[tuple[str, Any, Callable[[Any, str], None]]] = [
            ("smesdk_register_answer_kinds", AnswerKind, self.registry.kinds.add),
            ("smesdk_register_aggregations", Aggregation, self.registry.aggregations.add),
            ("smesdk_register_level_rules", LevelRule, self.registry.level_rules.add),
            ("smesdk_register_frameworks", Path | str | FrameworkSpec, self._add_entry),
            ("smesdk_services", Service | ServiceArea, self._add_service),
        ]
        for hook, expected, add in tables:
            offered: list[tuple[str, Any]] = []

            def register(item: Any, _hook: str = hook, _expected: Any = expected,
                         _offered: list[tuple[str, Any]] = offered) -> None:
                plugin = acting_plugin()
                if plugin is None:
                    raise PluginError([Problem("", f"the register function of {_hook} was "
                                                   "called after the hook returned")])
                if not isinstance(item, _expected):
                    raise PluginError([Problem("", f"registered a {type(item).__name__}, not "
                                                   f"{_type_name(_expected)}")])
                _offered.append((plugin, item))

            _, call = self._call(hook, register=register)
            failed = {f.plugin for f in call.failures}
            for plugin, item in offered:  # pluggy's call order: the first to claim a name keeps it
                if plugin in failed:
                    continue
                try:
                    add(item, plugin)
                except SmesdkError as exc:
                    self._fail(plugin, hook, exc.render())

    def _add_entry(self, source: Path | str | FrameworkSpec, plugin: str) -> None:
        self._entries.append(_Entry(plugin, Path(source) if isinstance(source, str) else source))

    def _add_service(self, item: Service | ServiceArea, plugin: str) -> None:
        try:
            self.vocabulary().extended([item])
        except SmesdkError as exc:
            raise PluginError([Problem("", f"{type(item).__name__} {item.id!r}: {p.message}")
                               for p in exc.problems]) from None
        self._services.append(item)
        self._vocabulary = None

    def vocabulary(self) -> Vocabulary:
        """The service vocabulary: smesdk's own, then what plugins registered."""
        if self._vocabulary is None:
            self._vocabulary = core_vocabulary().extended(self._services)
        return self._vocabulary

    def register_framework(self, source: Path | str | FrameworkSpec, plugin: str = "local") -> None:
        """Register a framework directly (embedding and tests)."""
        self._add_entry(source, plugin)
        self._catalog = None
        self._cache.clear()

    def catalog(self) -> dict[str, tuple[str, FrameworkSpec, str | None]]:
        """Framework id -> (plugin, spec, file), parsing registered files on first use."""
        if self._catalog is not None:
            return self._catalog
        catalog: dict[str, tuple[str, FrameworkSpec, str | None]] = {}
        self._conflicts = {}
        self.failures = [f for f in self.failures if f.stage != "framework"]
        self._seen = set(self.failures)
        for entry in self._entries:
            file = str(entry.source) if isinstance(entry.source, Path) else None
            try:
                spec = (_cached_spec(entry.source) if isinstance(entry.source, Path)
                        else entry.source)
            except SmesdkError as exc:
                self._fail(entry.plugin, "framework", exc.render())
                continue
            if spec.id in catalog or spec.id in self._conflicts:
                owners = self._conflicts.setdefault(spec.id, [catalog.pop(spec.id)[0]]
                                                    if spec.id in catalog else [])
                owners.append(entry.plugin)
                self._fail(entry.plugin, "framework",
                           f"framework id {spec.id!r} is registered by both "
                           f"{' and '.join(repr(o) for o in sorted(owners))}; neither is used")
                continue
            catalog[spec.id] = (entry.plugin, spec, file)
        self._catalog = dict(sorted(catalog.items()))
        return self._catalog

    # -- frameworks ----------------------------------------------------------------------

    def framework_ids(self) -> list[str]:
        return list(self.catalog())

    def load_framework(self, name: str | Path, profile: str | None = None) -> Framework:
        """A framework by id (from a plugin) or by spec file path, with an optional profile."""
        path = Path(name)
        if isinstance(name, Path) or path.suffix.lower() in {".yaml", ".yml", ".json", ".toml"}:
            spec = load_spec(path)
            return Framework.from_spec(spec, registry=self.registry, profile=profile,
                                       plugin="file", hooks=self, file=str(path))
        key = (str(name), profile)
        if key in self._cache:
            return self._cache[key]
        catalog = self.catalog()
        if name in self._conflicts:
            raise PluginError([Problem("", f"framework id {name!r} is registered by "
                                           f"{' and '.join(sorted(self._conflicts[str(name)]))}; "
                                           "disable one of them (SMESDK_DISABLED_PLUGINS)")])
        if name not in catalog:
            known = ", ".join(catalog) or "none installed"
            raise PluginError([Problem("", f"no framework {name!r} (available: {known})")])
        plugin, spec, file = catalog[str(name)]
        try:
            fw = Framework.from_spec(spec, registry=self.registry, profile=profile,
                                     plugin=plugin, hooks=self, file=file)
        except SpecError as exc:
            raise SpecError(exc.problems, title=exc.title) from None
        self._cache[key] = fw
        return fw

    # -- after scoring -------------------------------------------------------------------

    def after_scoring(self, framework: Framework, answers: AnswerSet, result: Result) -> Result:
        """Run the result hooks: recommendations, then extensions, then exported facts.

        Each plugin's contribution is checked on its own; one that fails is left out and
        becomes a ``plugin_failed`` warning on the result naming the plugin and the hook.
        The hooks share one :func:`assessment_scratch`, private to this assessment.
        """
        token = _SCRATCH.set({})
        try:
            return self._run_result_hooks(framework, answers, result)
        finally:
            _SCRATCH.reset(token)

    def _run_result_hooks(self, framework: Framework, answers: AnswerSet,
                          result: Result) -> Result:
        # A result changes only where a plugin added something: most plugins answer None
        # for frameworks not their own, and the engine's lists and mappings are already in
        # the order given here (recommendations by impact, sections and facts by key).
        failures: list[PluginFailure] = []
        grown = _Growing(result)
        outs, call = self._call("smesdk_recommendations", framework=framework,
                                result=grown.result, answers=answers)
        failures += call.failures
        if outs:
            grown.set(recommendations=_ranked(result.recommendations,
                                              [rec for out in outs for rec in out]))

        outs, call = self._call("smesdk_enrich_result", framework=framework, answers=answers,
                                result=grown.result)
        failures += call.failures
        if outs:
            sections, clashes = merge_keyed(result.extensions, "smesdk", outs, call,
                                            "result section")
            failures += clashes
            grown.set(extensions=dict(sorted(sections.items())))

        outs, call = self._call("smesdk_export_facts", framework=framework, result=grown.result)
        failures += call.failures
        if outs:
            facts, clashes = merge_keyed(result.facts, f"framework {framework.id!r} (exports)",
                                         outs, call, "fact")
            failures += clashes
            grown.set(facts=dict(sorted(facts.items())))
        if failures:
            warnings = list(result.warnings)
            for failure in failures:
                self._record(failure)
                warnings.append(Warning("plugin_failed", Text(
                    zh=f"插件 {failure.plugin} 在 {failure.stage} 中出错：{failure.message}",
                    en=f"plugin {failure.plugin} failed in {failure.stage}: {failure.message}")))
            grown.set(warnings=warnings)
        return grown.result

    def add_commands(self, cli: click.Group) -> None:
        self._call("smesdk_register_commands", cli=cli)

    # -- introspection -------------------------------------------------------------------

    def plugins_info(self) -> list[dict[str, Any]]:
        """Every plugin seen: name, version, hooks, frameworks, and failures (the JSON shape
        of ``smesdk plugins --json``)."""
        catalog = self.catalog()
        names = sorted({n for n, _ in self.pm.list_name_plugin()} |
                       {f.plugin for f in self.failures} | (self.disabled & _installed()))
        out = []
        for name in names:
            plugin = self.pm.get_plugin(name)
            hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or []) if plugin else []
            out.append({
                "name": name,
                "version": self.versions.get(name),
                "status": "disabled" if name in self.disabled else
                          ("failed" if any(f.plugin == name for f in self.failures) else "ok"),
                "hooks": hooks,
                "frameworks": sorted(fid for fid, (p, _, _) in catalog.items() if p == name),
                "errors": [f"{f.stage}: {f.message}" for f in self.failures if f.plugin == name],
            })
        return out


_SPEC_CACHE: dict[tuple[str, int, int], FrameworkSpec] = {}


def _cached_spec(path: Path) -> FrameworkSpec:
    """Parse a registered spec file once per process (specs are immutable values)."""
    try:
        stat = path.stat()
    except OSError:
        return load_spec(path)  # reports the missing file as a SpecError
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _SPEC_CACHE:
        _SPEC_CACHE[key] = load_spec(path)
    return _SPEC_CACHE[key]


def _trace_before(hook: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
    order = ", ".join(impl.plugin_name for impl in reversed(impls))  # pluggy calls from the end
    print(f"[smesdk] {hook}: calling {order or 'no plugin'}", file=sys.stderr)


def _trace_after(outcome: pluggy.Result[Any], hook: str, impls: Sequence[pluggy.HookImpl],
                 kwargs: Mapping[str, Any]) -> None:
    shown = (f"raised {describe(outcome.exception)}" if outcome.exception is not None
             else repr(outcome.get_result()))
    print(f"[smesdk] {hook} -> {shown}", file=sys.stderr)


def _type_name(expected: Any) -> str:
    names = [t.__name__ for t in getattr(expected, "__args__", (expected,))]
    return " or ".join(names)


def _env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def _installed() -> set[str]:
    return {ep.name for ep in md.entry_points(group=ENTRY_POINT_GROUP)}
