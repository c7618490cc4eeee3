"""The plugin host: loads plugins, collects what they register, isolates their failures."""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from smesdk import hookspecs
from smesdk.errors import PluginError, Problem, SmesdkError, SpecError
from smesdk.framework import Framework
from smesdk.loading import load_spec
from smesdk.registry import Registry
from smesdk.result import Recommendation, Result, Warning
from smesdk.spec import FrameworkSpec
from smesdk.text import Text

if TYPE_CHECKING:
    import click

    from smesdk.answers import AnswerSet

ENTRY_POINT_GROUP = "smesdk"
DISABLE_ENV = "SMESDK_DISABLED_PLUGINS"
TRACE_ENV = "SMESDK_TRACE_PLUGINS"


@attrs.frozen
class PluginFailure:
    """A plugin that could not do its part, and why. Shown by ``smesdk plugins``."""

    plugin: str
    stage: str
    message: str


@attrs.frozen
class _Entry:
    plugin: str
    source: Path | FrameworkSpec


class PluginHost:
    """Loads smesdk plugins and hands out frameworks.

    Built-in kinds, aggregations and level rules come first; then ``plugins`` given here
    (name, module-or-object pairs, for tests and embedding), then the entry points of group
    ``smesdk`` unless ``entry_points=False``. Plugins named in ``SMESDK_DISABLED_PLUGINS``
    (comma-separated) or ``disabled`` are skipped. A plugin that fails to import, names a
    hook that does not exist, or raises in a hook is recorded in :attr:`failures`; the
    others carry on.
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
        self.disabled = set(disabled if disabled is not None else _env_list(DISABLE_ENV))
        self.versions: dict[str, str | None] = {}
        self._entries: list[_Entry] = []
        self._catalog: dict[str, tuple[str, FrameworkSpec, str | None]] | None = None
        self._conflicts: dict[str, list[str]] = {}
        self._cache: dict[tuple[str, str | None], Framework] = {}
        self.trace = bool(os.environ.get(TRACE_ENV))
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
            except Exception as exc:  # a broken plugin must not take the others down
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
        self.versions[name] = version

    def _fail(self, plugin: str, stage: str, exc: BaseException | str) -> None:
        message = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        self.failures.append(PluginFailure(plugin, stage, message))

    def _each(self, hook: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Call each implementation of a hook on its own, so one failure stays contained."""
        caller = getattr(self.pm.hook, hook)
        for impl in caller.get_hookimpls():
            args = {k: kwargs[k] for k in impl.argnames}
            try:
                out = impl.function(**args)
            except Exception as exc:
                self._fail(impl.plugin_name, hook, exc)
                continue
            if self.trace:
                print(f"[smesdk] {impl.plugin_name}.{hook} -> {out!r}", file=sys.stderr)
            yield impl.plugin_name, out

    def _collect(self) -> None:
        tables: list[tuple[str, Callable[[Any, str], None]]] = [
            ("smesdk_register_answer_kinds", self.registry.kinds.add),
            ("smesdk_register_aggregations", self.registry.aggregations.add),
            ("smesdk_register_level_rules", self.registry.level_rules.add),
        ]
        for hook, add in tables:
            for impl in getattr(self.pm.hook, hook).get_hookimpls():

                def register(item: Any, _add: Callable[[Any, str], None] = add,
                             _owner: str = impl.plugin_name) -> None:
                    _add(item, _owner)

                try:
                    impl.function(register=register)
                except SmesdkError as exc:
                    self._fail(impl.plugin_name, hook, exc.render())
                except Exception as exc:
                    self._fail(impl.plugin_name, hook, exc)
        for impl in self.pm.hook.smesdk_register_frameworks.get_hookimpls():
            name = impl.plugin_name

            def add_framework(source: Path | FrameworkSpec | str, _name: str = name) -> None:
                src = Path(source) if isinstance(source, str) else source
                self._entries.append(_Entry(_name, src))

            try:
                impl.function(register=add_framework)
            except Exception as exc:
                self._fail(name, "smesdk_register_frameworks", exc)

    def register_framework(self, source: Path | str | FrameworkSpec, plugin: str = "local") -> None:
        """Register a framework directly (embedding and tests)."""
        src = Path(source) if isinstance(source, str) else source
        self._entries.append(_Entry(plugin, src))
        self._catalog = None
        self._cache.clear()

    def catalog(self) -> dict[str, tuple[str, FrameworkSpec, str | None]]:
        """Framework id -> (plugin, spec, file), parsing registered files on first use."""
        if self._catalog is not None:
            return self._catalog
        catalog: dict[str, tuple[str, FrameworkSpec, str | None]] = {}
        self._conflicts = {}
        self.failures = [f for f in self.failures if f.stage != "framework"]
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
                           f"{' and '.join(repr(o) for o in owners)}; neither is used")
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
                                           f"{' and '.join(self._conflicts[str(name)])}; "
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
        """Run the result hooks: recommendations, then extensions, then exported facts."""
        warnings = list(result.warnings)
        before = len(self.failures)
        recs = list(result.recommendations)
        for plugin, out in self._each("smesdk_recommendations", framework=framework,
                                      result=result):
            for rec in out or []:
                if not isinstance(rec, Recommendation):
                    self._fail(plugin, "smesdk_recommendations", f"returned {type(rec).__name__}")
                    continue
                recs.append(rec if rec.origin != "framework" else attrs.evolve(rec, origin=plugin))
        recs.sort(key=lambda r: -r.impact)
        result = attrs.evolve(result, recommendations=recs)
        sections: dict[str, Any] = dict(result.extensions)
        owners: dict[str, str] = {}
        for plugin, out in self._each("smesdk_enrich_result", framework=framework,
                                      answers=answers, result=result):
            for key, value in (out or {}).items():
                if key in sections:
                    raise PluginError([Problem("", f"result section {key!r} is produced by both "
                                                   f"{owners.get(key, 'smesdk')!r} and {plugin!r}")])
                _check_json(plugin, key, value)
                sections[key] = value
                owners[key] = plugin
        result = attrs.evolve(result, extensions=dict(sorted(sections.items())))
        facts = dict(result.facts)
        for plugin, out in self._each("smesdk_export_facts", framework=framework, result=result):
            for key, value in (out or {}).items():
                _check_json(plugin, key, value)
                facts[key] = value
        for failure in self.failures[before:]:
            warnings.append(Warning("plugin_failed", Text(
                zh=f"插件 {failure.plugin} 在 {failure.stage} 中出错：{failure.message}",
                en=f"plugin {failure.plugin} failed in {failure.stage}: {failure.message}")))
        return attrs.evolve(result, facts=dict(sorted(facts.items())), warnings=warnings)

    def add_commands(self, cli: click.Group) -> None:
        for _ in self._each("smesdk_register_commands", cli=cli):
            pass

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


def _check_json(plugin: str, key: str, value: Any) -> None:
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PluginError([Problem(key, f"plugin {plugin!r} returned data that is not JSON: "
                                        f"{exc}")]) from None


def _env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def _installed() -> set[str]:
    return {ep.name for ep in md.entry_points(group=ENTRY_POINT_GROUP)}
