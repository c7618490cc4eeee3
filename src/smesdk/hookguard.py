"""Per-plugin isolation of hook implementations, inside pluggy's own call loop.

pluggy calls every implementation itself (order, ``tryfirst``/``trylast``, wrappers). What it
does not do is contain a plugin that raises, calls ``sys.exit()`` or returns data of the wrong
shape: one such plugin would end the whole call. So, once a plugin is registered, each of its
:class:`pluggy.HookImpl` functions is swapped for a guarded one that records the failure,
names the plugin and the hook, and gives back "no contribution" (``None``; for a wrapper, the
result it was handed), so pluggy carries on with the others.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any

import attrs
import pluggy

from smesdk.errors import SmesdkError
from smesdk.routing import frameworks_of


@attrs.frozen
class PluginFailure:
    """A plugin that could not do its part, and why. Shown by ``smesdk plugins``."""

    plugin: str
    stage: str
    message: str


class Refused(Exception):
    """Raised by an :data:`Admit` check: what is wrong with a value a plugin returned."""


Admit = Callable[[str, Any], Any]
"""``admit(plugin, returned)``: the value to pass on, or :class:`Refused` saying what is wrong."""

Record = Callable[[PluginFailure], None]


@attrs.define
class HookCall:
    """What happened during one hook call: who returned what, who failed."""

    hook: str
    returned: list[tuple[str, Any]] = attrs.Factory(list)
    wrappers: list[str] = attrs.Factory(list)
    failures: list[PluginFailure] = attrs.Factory(list)

    def owner(self, out: object) -> str:
        """The plugin that returned ``out`` (or the wrappers that made it)."""
        for plugin, value in self.returned:
            if value is out:
                return plugin
        return " and ".join(self.wrappers) or "a hook wrapper"


_ACTING: contextvars.ContextVar[str | None] = contextvars.ContextVar("smesdk_acting", default=None)
_CALL: contextvars.ContextVar[HookCall | None] = contextvars.ContextVar("smesdk_call", default=None)


def acting_plugin() -> str | None:
    """The plugin whose registration hook (one given a ``register`` function) or wrapper is
    running now; None elsewhere, so a ``register`` function called later is caught."""
    return _ACTING.get()


@contextlib.contextmanager
def _acting(plugin: str) -> Iterator[None]:
    token = _ACTING.set(plugin)
    try:
        yield
    finally:
        _ACTING.reset(token)


class recording:  # used as ``with recording(hook) as call``, like the function it was
    """Collect what the guarded implementations of one hook call return and how they fail.

    A class rather than a generator context manager: every assessment makes three of these,
    and the generator machinery cost more than the hook calls of most plugins."""

    __slots__ = ("call", "token")

    def __init__(self, hook: str) -> None:
        self.call = HookCall(hook)

    def __enter__(self) -> HookCall:
        self.token = _CALL.set(self.call)
        return self.call

    def __exit__(self, *exc: object) -> None:
        _CALL.reset(self.token)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters: a plugin's words or data may be any size."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException, limit: int = 300) -> str:
    """One line saying what a plugin raised, at most ``limit`` characters of it."""
    if isinstance(exc, SystemExit):
        text = f"called sys.exit({exc.code!r})"
    elif isinstance(exc, SmesdkError):
        text = " ".join(exc.render().split())
    else:
        said = " ".join(str(exc).split())
        text = f"{type(exc).__name__}: {said}" if said else type(exc).__name__
    return shorten(text, limit)


def _only_for(guarded: Callable[..., Any], ids: frozenset[str], at: int, *, wrapper: bool
              ) -> Callable[..., Any]:
    """``guarded`` for the frameworks ``ids`` (:func:`smesdk.for_frameworks`); for any other it
    answers None without calling the plugin, and a wrapper hands the results on untouched.
    pluggy passes an implementation its arguments by position, ``framework`` at ``at``."""
    if wrapper:
        @functools.wraps(guarded)
        def only_for_wrapper(*args: Any) -> Generator[None, Any, Any]:
            if args[at].id in ids:
                return (yield from guarded(*args))
            return (yield)

        return only_for_wrapper

    @functools.wraps(guarded)
    def only_for(*args: Any) -> Any:
        return guarded(*args) if args[at].id in ids else None

    return only_for


# KeyboardInterrupt is the person at the terminal, GeneratorExit is Python closing a wrapper:
# neither is the plugin's to swallow. Everything else a plugin raises, SystemExit included,
# is contained.
PASS_THROUGH = (KeyboardInterrupt, GeneratorExit)


class Guard:
    """Wraps the hook implementations of registered plugins so their failures stay contained.

    ``admit`` maps a hook name to the check of one implementation's return value (hooks not
    listed accept anything); ``record`` receives every failure; with ``trace``, each
    implementation's return value is printed to stderr.
    """

    def __init__(self, admit: Mapping[str, Admit], record: Record, *, trace: bool = False) -> None:
        self.admit = admit
        self.record = record
        self.trace = trace

    def install(self, pm: pluggy.PluginManager, name: str) -> None:
        """Guard every hook implementation of the plugin registered as ``name``."""
        plugin = pm.get_plugin(name)
        for caller in pm.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin:
                    # HookImpl.function is what pluggy calls; swapping it keeps pluggy's order,
                    # options and argument handling exactly as they are.
                    object.__setattr__(impl, "function", self._guarded(impl, caller))

    def _fail(self, plugin: str, hook: str, message: str) -> None:
        failure = PluginFailure(plugin, hook, message)
        call = _CALL.get()
        if call is not None:
            call.failures.append(failure)
        self.record(failure)

    def _check(self, plugin: str, hook: str, out: Any) -> tuple[bool, Any]:
        admit = self.admit.get(hook)
        if admit is None:
            return True, out
        try:
            return True, admit(plugin, out)
        except Refused as exc:
            self._fail(plugin, hook, f"returned {exc}; its contribution is left out")
            return False, None

    def _check_all(self, plugin: str, hook: str, outs: Any) -> tuple[bool, Any]:
        """A wrapper's result: the list of every implementation's (admitted) return value."""
        if not isinstance(outs, list):
            self._fail(plugin, hook, f"(a wrapper) returned {type(outs).__name__}, not the list "
                                     "of results it was given; the results are kept as they were")
            return False, None
        admitted = []
        for out in outs:
            ok, value = self._check(plugin, hook, out)
            if not ok:
                return False, None
            if value is not None:
                admitted.append(value)
        return True, admitted

    def _guarded(self, impl: pluggy.HookImpl, caller: pluggy.HookCaller) -> Callable[..., Any]:
        hook = caller.name
        wrapper = impl.wrapper or impl.hookwrapper
        if impl.wrapper:
            guarded = self._new_style_wrapper(impl.function, impl.plugin_name, hook)
        elif impl.hookwrapper:
            guarded = self._old_style_wrapper(impl.function, impl.plugin_name, hook)
        else:
            # Only a register function asks who is acting (acting_plugin); other hooks, the
            # result hooks of every assessment among them, skip setting it (0.2 us a call).
            registers = caller.spec is not None and "register" in caller.spec.argnames
            guarded = self._plain(impl.function, impl.plugin_name, hook, registers=registers)
        ids = frameworks_of(impl.function)  # checked by the host before it installs the guard
        if ids is None:
            return guarded
        return _only_for(guarded, ids, impl.argnames.index("framework"), wrapper=wrapper)

    def _plain(self, fn: Callable[..., Any], plugin: str, hook: str, *,
               registers: bool) -> Callable[..., Any]:
        # Everything the call needs is looked up once here, not on each call: this runs for
        # every plugin on every assessment, most of them answering None.
        admit = self.admit.get(hook)
        trace = self.trace
        fail = self._fail
        enter, leave, current = _ACTING.set, _ACTING.reset, _CALL.get

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            # The acting plugin is set by hand, not with _acting(): a context manager doubled
            # the cost of a call.
            token = enter(plugin) if registers else None
            try:
                out = fn(*args, **kwargs)
            except PASS_THROUGH:
                raise
            except BaseException as exc:
                fail(plugin, hook, describe(exc))
                return None
            finally:
                if token is not None:
                    leave(token)
            if out is None:  # "not my framework": nothing to check or collect
                if trace:
                    print(f"[smesdk] {plugin}.{hook} -> None", file=sys.stderr)
                return None
            if admit is not None:
                try:
                    out = admit(plugin, out)
                except Refused as exc:
                    fail(plugin, hook, f"returned {exc}; its contribution is left out")
                    out = None
            if trace:
                print(f"[smesdk] {plugin}.{hook} -> {out!r}", file=sys.stderr)
            call = current()
            if out is not None and call is not None:
                call.returned.append((plugin, out))
            return out

        return guarded

    def _setup(self, fn: Callable[..., Any], plugin: str, hook: str, args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> Generator[Any, Any, Any] | None:
        """Run a wrapper up to its ``yield``; None (and a recorded failure) if it breaks."""
        with _acting(plugin):
            try:
                gen = fn(*args, **kwargs)
                next(gen)
            except StopIteration:
                self._fail(plugin, hook, "(a wrapper) did not yield; it is left out")
                return None
            except PASS_THROUGH:
                raise
            except BaseException as exc:
                self._fail(plugin, hook, f"{describe(exc)}; the wrapper is left out")
                return None
        call = _CALL.get()
        if call is not None:
            call.wrappers.append(plugin)
        return gen  # type: ignore[no-any-return]

    def _teardown(self, gen: Generator[Any, Any, Any], sent: Any, plugin: str,
                  hook: str) -> tuple[bool, Any]:
        """Resume a wrapper with ``sent``; (True, its return value) or (False, None) if it broke."""
        with _acting(plugin):
            try:
                gen.send(sent)
            except StopIteration as stop:
                return True, stop.value
            except PASS_THROUGH:
                raise
            except BaseException as exc:
                self._fail(plugin, hook, f"{describe(exc)}; the results are kept as they were")
                return False, None
            gen.close()
            self._fail(plugin, hook, "(a wrapper) yielded twice; the results are kept as they were")
            return False, None

    def _new_style_wrapper(self, fn: Callable[..., Any], plugin: str,
                           hook: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Generator[None, Any, Any]:
            gen = self._setup(fn, plugin, hook, args, kwargs)
            try:
                result = yield
            except BaseException:
                # Only what the guards let through gets here (KeyboardInterrupt, pluggy's own
                # errors): close the plugin's wrapper and let it travel on.
                if gen is not None:
                    gen.close()
                raise
            if gen is None:
                return result
            ok, out = self._teardown(gen, result, plugin, hook)
            if ok:
                ok, out = self._check_all(plugin, hook, out)
            return out if ok else result

        return guarded

    def _old_style_wrapper(self, fn: Callable[..., Any], plugin: str,
                           hook: str) -> Callable[..., Any]:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Generator[None, pluggy.Result[Any], None]:
            gen = self._setup(fn, plugin, hook, args, kwargs)
            outcome = yield
            if gen is None:
                return
            if outcome.exception is not None:  # uncontained (see above): nothing to keep
                self._teardown(gen, outcome, plugin, hook)
                return
            before = outcome.get_result()
            ok, _ = self._teardown(gen, outcome, plugin, hook)
            if ok and outcome.exception is not None:
                self._fail(plugin, hook, f"(a wrapper) forced {describe(outcome.exception)}; "
                                         "the results are kept as they were")
                ok = False
            if ok:
                ok, out = self._check_all(plugin, hook, outcome.get_result())
            outcome.force_result(out if ok else before)

        return guarded
