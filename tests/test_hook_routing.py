"""``smesdk.for_frameworks``: the host's guard answers None for a marked implementation on any
other framework without running it; pluggy still calls every implementation in its order, so
tryfirst/trylast and wrappers hold for the rest.

Two frameworks are registered: the example and a copy of it under another id, so the same
answers score under both and only the mark decides.
"""

from __future__ import annotations

import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import smesdk
from smesdk import PluginHost, Recommendation, Text, for_frameworks, hookimpl
from smesdk.report import render_markdown
from smesdk.report.sections import Callout

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
ANSWERS = smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml")


def _module(name: str, **hooks: Any) -> types.ModuleType:
    """A plugin as a real one is: a module."""
    module = types.ModuleType(name)
    module.__dict__.update(hooks)
    return module


@hookimpl
def _register_both(register: Any) -> None:
    register(EXAMPLE)
    register(attrs.evolve(smesdk.load_spec(EXAMPLE), id="copy"))


FRAMEWORKS = ("frameworks", _module("frameworks", smesdk_register_frameworks=_register_both))


def _advice(name: str) -> list[Recommendation]:
    return [Recommendation(text=Text(zh=name, en=name), impact=Decimal(0), origin=name)]


def _recommender(name: str, calls: list[tuple[str, str]], *ids: str, **opts: Any
                 ) -> tuple[str, types.ModuleType]:
    def smesdk_recommendations(framework: Any, result: Any) -> list[Recommendation]:
        calls.append((name, framework.id))
        return _advice(name)

    impl = hookimpl(**opts)(for_frameworks(*ids)(smesdk_recommendations) if ids
                            else smesdk_recommendations)
    return name, _module(name, smesdk_recommendations=impl)


def _host(*plugins: tuple[str, object]) -> PluginHost:
    return PluginHost(plugins=[FRAMEWORKS, *plugins], entry_points=False)


def _origins(result: smesdk.Result) -> list[str]:
    return [r.origin for r in result.recommendations if r.origin != "framework"]


def test_a_marked_implementation_is_called_for_its_frameworks_only() -> None:
    calls: list[tuple[str, str]] = []
    host = _host(_recommender("mine", calls, "example"), _recommender("any", calls))
    assert _origins(host.load_framework("copy").assess(ANSWERS)) == ["any"]
    assert calls == [("any", "copy")]  # "mine" was not even called
    calls.clear()
    # pluggy's order for the rest: the plugin registered last runs first
    assert _origins(host.load_framework("example").assess(ANSWERS)) == ["any", "mine"]
    assert calls == [("any", "example"), ("mine", "example")]
    assert not host.failures


def test_pluggy_order_and_tryfirst_hold_among_the_implementations_called() -> None:
    calls: list[tuple[str, str]] = []
    host = _host(_recommender("early", calls, "example", "copy", tryfirst=True),
                 _recommender("skipped", calls, "example"),
                 _recommender("late", calls, trylast=True),
                 _recommender("plain", calls, "copy"))
    assert _origins(host.load_framework("copy").assess(ANSWERS)) == ["early", "plain", "late"]
    assert ("skipped", "copy") not in calls


def test_a_marked_wrapper_wraps_only_its_frameworks_calls() -> None:
    wrapped: list[str] = []

    @hookimpl(wrapper=True)
    @for_frameworks("example")
    def smesdk_recommendations(framework: Any, result: Any) -> Any:
        outs = yield
        wrapped.append(framework.id)
        return [recs for recs in outs if recs[0].origin != "plain"]

    calls: list[tuple[str, str]] = []
    host = _host(_recommender("plain", calls),
                 ("editor", _module("editor", smesdk_recommendations=smesdk_recommendations)))
    assert _origins(host.load_framework("copy").assess(ANSWERS)) == ["plain"]
    assert _origins(host.load_framework("example").assess(ANSWERS)) == []
    assert wrapped == ["example"]


def test_marked_report_sections_are_collected_for_their_framework_only() -> None:
    @hookimpl
    @for_frameworks("example")
    def smesdk_report_sections(framework: Any, result: Any) -> list[Any]:
        return [Callout(id="note", title=Text(zh="仅示例", en="Example only"),
                        body=Text(zh="正文", en="Body"), status="derived")]

    host = _host(("notes", _module("notes", smesdk_report_sections=smesdk_report_sections)))
    texts = {fid: render_markdown(host.load_framework(fid).assess(ANSWERS),
                                  host.load_framework(fid), lang="en")
             for fid in ("example", "copy")}
    assert "Example only" in texts["example"]
    assert "Example only" not in texts["copy"]


def test_a_mark_on_a_hook_given_no_framework_leaves_the_plugin_out() -> None:
    @hookimpl
    @for_frameworks("example")
    def smesdk_register_commands(cli: Any) -> None:
        raise AssertionError("never registered, never called")

    host = _host(("cmds", _module("cmds", smesdk_register_commands=smesdk_register_commands)))
    assert not host.pm.has_plugin("cmds")
    [failure] = host.failures
    assert failure.plugin == "cmds" and failure.stage == "register"
    assert "smesdk_register_commands" in failure.message and "no framework" in failure.message


def test_a_plugin_object_of_any_kind_may_carry_a_mark() -> None:
    @hookimpl
    @for_frameworks("example")
    def smesdk_export_facts(framework: Any, result: Any) -> dict[str, Any]:
        return {"ns.fact": 1}

    # a SimpleNamespace cannot be hashed; nothing here needs it to be
    host = _host(("ns", types.SimpleNamespace(smesdk_export_facts=smesdk_export_facts)))
    assert host.load_framework("example").assess(ANSWERS).facts["ns.fact"] == 1
    assert "ns.fact" not in host.load_framework("copy").assess(ANSWERS).facts
    assert not host.failures


def test_a_marked_implementation_must_take_the_framework() -> None:
    @hookimpl
    @for_frameworks("example")
    def smesdk_export_facts(result: Any) -> dict[str, Any]:
        raise AssertionError("never registered, never called")

    host = _host(("blind", _module("blind", smesdk_export_facts=smesdk_export_facts)))
    assert not host.pm.has_plugin("blind")
    [failure] = host.failures
    assert "does not take `framework`" in failure.message


def test_a_plugin_that_raises_under_a_mark_is_still_contained() -> None:
    @hookimpl
    @for_frameworks("example")
    def smesdk_export_facts(framework: Any, result: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    host = _host(("boom", _module("boom", smesdk_export_facts=smesdk_export_facts)))
    assert not any(w.code == "plugin_failed" for w in  # not run for copy: nothing to report
                   host.load_framework("copy").assess(ANSWERS).warnings)
    assert any(w.code == "plugin_failed" and "boom" in w.message.en
               for w in host.load_framework("example").assess(ANSWERS).warnings)


@pytest.mark.parametrize("ids", [(), ("",), (3,), ("ok", None)])
def test_for_frameworks_takes_framework_ids_only(ids: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError, match="framework ids"):
        for_frameworks(*ids)


def test_a_mark_set_by_hand_is_refused() -> None:
    @hookimpl
    def smesdk_export_facts(framework: Any, result: Any) -> dict[str, Any]:
        return {}

    smesdk_export_facts.smesdk_frameworks = ["example"]  # type: ignore[attr-defined]
    host = _host(("hand", _module("hand", smesdk_export_facts=smesdk_export_facts)))
    assert not host.pm.has_plugin("hand")
    assert "for_frameworks" in host.failures[0].message


def _plugins(calls: list[tuple[str, str]]) -> list[tuple[str, types.ModuleType]]:
    return [_recommender("early", calls, "example", "copy", tryfirst=True),
            _recommender("mine", calls, "example"),
            _recommender("late", calls, trylast=True),
            _recommender("plain", calls, "copy"),
            _recommender("any", calls)]


def test_plugins_that_cannot_be_hashed_give_the_same_results_in_the_same_order() -> None:
    """The host leaves the plugins marked for other frameworks out of pluggy's call when it
    can (pluggy keeps them in a set); otherwise their guards answer None. Same outcome."""
    as_modules: list[tuple[str, str]] = []
    as_namespaces: list[tuple[str, str]] = []
    hashable = _host(*_plugins(as_modules))
    unhashable = _host(*[(name, types.SimpleNamespace(**{
        k: v for k, v in vars(module).items() if k.startswith("smesdk_")}))
        for name, module in _plugins(as_namespaces)])
    for fid in ("copy", "example", "copy"):
        got = [_origins(host.load_framework(fid).assess(ANSWERS))
               for host in (hashable, unhashable)]
        assert got[0] == got[1]
        if fid == "copy":
            assert got[0] == ["early", "any", "plain", "late"]
    assert as_modules == as_namespaces
    assert ("mine", "copy") not in as_modules


def test_a_plugin_put_on_the_plugin_manager_directly_is_still_called() -> None:
    calls: list[tuple[str, str]] = []
    host = _host(*_plugins(calls))
    fw = host.load_framework("copy")
    assert "direct" not in _origins(fw.assess(ANSWERS))

    @hookimpl
    def smesdk_recommendations(framework: Any, result: Any) -> list[Recommendation]:
        return _advice("direct")

    # unguarded, and a SimpleNamespace, which pluggy cannot hash against the plugins it
    # leaves out: the host then calls the hook whole, as before it left any out
    host.pm.register(types.SimpleNamespace(smesdk_recommendations=smesdk_recommendations))
    assert "direct" in _origins(fw.assess(ANSWERS))
    assert "direct" in _origins(fw.assess(ANSWERS))
    assert ("mine", "copy") not in calls


def test_a_module_put_on_the_plugin_manager_directly_is_called_too() -> None:
    calls: list[tuple[str, str]] = []
    host = _host(*_plugins(calls))
    fw = host.load_framework("copy")
    fw.assess(ANSWERS)  # the host's caller for "copy", leaving "mine" out, is made here
    host.pm.register(_recommender("direct", calls)[1])
    assert _origins(fw.assess(ANSWERS)) == ["early", "direct", "any", "plain", "late"]
    assert ("mine", "copy") not in calls
