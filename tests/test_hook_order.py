"""The host lets pluggy call the hooks: pluggy's order, tryfirst/trylast, and wrappers that wrap.

The expected orders are pluggy's documented rule, not this code's output: implementations
marked ``tryfirst`` run first and ``trylast`` last; among the rest, the plugin registered
last runs first (LIFO). Wrappers run around all of them and see their results, as a list in
call order.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smesdk
from smesdk import PluginHost, Recommendation, Text, hookimpl
from smesdk.engine import score
from smesdk.host import _ranked
from smesdk.testing.strategies import answer_sets

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
SMALL_FIRM = ROOT / "examples/answers/example-small-firm.yaml"


@hookimpl
def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
    register(EXAMPLE)


EXAMPLE_PLUGIN = ("ex", types.SimpleNamespace(smesdk_register_frameworks=smesdk_register_frameworks))


def _advice(name: str) -> Recommendation:
    # impact 0 for every plugin: the stable sort by impact keeps pluggy's call order.
    return Recommendation(text=Text(zh=name, en=name), impact=Decimal(0), origin=name)


def _recommender(name: str, calls: list[str], **opts: Any) -> tuple[str, object]:
    @hookimpl(**opts)
    def smesdk_recommendations(framework, result):  # type: ignore[no-untyped-def]
        calls.append(name)
        return [_advice(name)]

    return name, types.SimpleNamespace(smesdk_recommendations=smesdk_recommendations)


def _host(*plugins: tuple[str, object]) -> PluginHost:
    return PluginHost(plugins=[EXAMPLE_PLUGIN, *plugins], entry_points=False)


def _plugin_advice(result: smesdk.Result) -> list[str]:
    return [r.origin for r in result.recommendations if r.origin != "framework"]


def test_order_is_pluggys_tryfirst_first_then_last_registered_first() -> None:
    calls: list[str] = []
    host = _host(_recommender("first_reg", calls),
                 _recommender("plain", calls),
                 _recommender("wants_first", calls, tryfirst=True))
    fw = host.load_framework("example")
    answers = smesdk.load_answers(SMALL_FIRM)
    result = fw.assess(answers)
    through_host = list(calls)

    calls.clear()
    direct = host.pm.hook.smesdk_recommendations(framework=fw, result=result, answers=answers)
    # tryfirst first; then plain before first_reg, because plain was registered later.
    assert through_host == calls == ["wants_first", "plain", "first_reg"]
    assert [recs[0].origin for recs in direct] == calls
    assert _plugin_advice(result) == ["wants_first", "plain", "first_reg"]


def test_trylast_runs_after_plugins_registered_before_it() -> None:
    calls: list[str] = []
    host = _host(_recommender("plain", calls), _recommender("late", calls, trylast=True))
    host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    assert calls == ["plain", "late"]  # LIFO alone would call "late" first


def _wrapper(seen: list[Any], change: Callable[[list[Any]], list[Any]]) -> tuple[str, object]:
    @hookimpl(wrapper=True)
    def smesdk_recommendations(framework, result):  # type: ignore[no-untyped-def]
        outs = yield
        seen.append([[r.origin for r in out] for out in outs])
        return change(outs)

    return "wrapping", types.SimpleNamespace(smesdk_recommendations=smesdk_recommendations)


def test_a_wrapper_sees_the_others_results_and_can_change_them() -> None:
    calls: list[str] = []
    seen: list[Any] = []

    def drop_plain_add_own(outs: list[Any]) -> list[Any]:
        kept = [out for out in outs if out[0].origin != "plain"]
        return [*kept, [Recommendation(text=Text(zh="包", en="wrapped"), impact=Decimal(0))]]

    # Registered first, yet it wraps: wrappers run around every plain implementation.
    host = _host(_wrapper(seen, drop_plain_add_own),
                 _recommender("plain", calls),
                 _recommender("wants_first", calls, tryfirst=True))
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    assert seen == [[["wants_first"], ["plain"]]]
    # The wrapper's new advice had no origin of its own, so it is stamped with the wrapper's name.
    assert _plugin_advice(result) == ["wants_first", "wrapping"]
    assert not [w for w in result.warnings if w.code == "plugin_failed"]


def test_an_old_style_hookwrapper_can_force_the_result() -> None:
    calls: list[str] = []

    @hookimpl(hookwrapper=True)
    def smesdk_recommendations(framework, result):  # type: ignore[no-untyped-def]
        outcome = yield
        outcome.force_result(list(reversed(outcome.get_result())))

    old = ("old", types.SimpleNamespace(smesdk_recommendations=smesdk_recommendations))
    host = _host(old, _recommender("a", calls), _recommender("b", calls))
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    assert calls == ["b", "a"]
    assert _plugin_advice(result) == ["a", "b"]


def _facts(name: str, facts: dict[str, Any], **opts: Any) -> tuple[str, object]:
    @hookimpl(**opts)
    def smesdk_export_facts(framework, result):  # type: ignore[no-untyped-def]
        return facts

    return name, types.SimpleNamespace(smesdk_export_facts=smesdk_export_facts)


def test_fact_precedence_follows_the_call_order_and_a_clash_is_a_warning() -> None:
    host = _host(_facts("early", {"shared.x": 1, "shared.same": True, "early.only": "e"}),
                 _facts("late", {"shared.x": 2, "shared.same": True}),
                 _facts("first", {"shared.x": 3}, tryfirst=True))
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    # Call order: first (tryfirst), late (registered after early), early.
    assert result.facts["shared.x"] == 3
    assert result.facts["shared.same"] is True and result.facts["early.only"] == "e"
    clashes = sorted(w.message.en for w in result.warnings if w.code == "plugin_failed")
    assert len(clashes) == 2  # the same value twice ("shared.same") is no clash
    assert clashes[0].startswith("plugin early failed in smesdk_export_facts: gives fact "
                                 "'shared.x' a different value than plugin 'first'")
    assert clashes[1].startswith("plugin late failed in smesdk_export_facts: gives fact "
                                 "'shared.x' a different value than plugin 'first'")


def test_a_plugin_cannot_silently_replace_a_fact_the_framework_exports() -> None:
    # example.yaml exports example.level (2 for the small firm, worked in that file).
    host = _host(_facts("meddler", {"example.level": 4}))
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    assert result.facts["example.level"] == 2
    [warning] = [w for w in result.warnings if w.code == "plugin_failed"]
    assert "meddler" in warning.message.en and "'example.level'" in warning.message.en
    assert "framework 'example' (exports)" in warning.message.en


def test_a_wrapper_on_export_facts_decides_precedence_itself() -> None:
    @hookimpl(wrapper=True)
    def smesdk_export_facts(framework, result):  # type: ignore[no-untyped-def]
        outs = yield
        return list(reversed(outs))  # last called wins instead

    umpire = ("umpire", types.SimpleNamespace(smesdk_export_facts=smesdk_export_facts))
    host = _host(umpire, _facts("a", {"shared.x": "a"}), _facts("b", {"shared.x": "b"}))
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    assert result.facts["shared.x"] == "a"  # pluggy calls b then a; the wrapper reversed that


def test_registration_hooks_go_through_pluggy_in_its_order() -> None:
    calls: list[str] = []

    def registrar(name: str, **opts: Any) -> tuple[str, object]:
        @hookimpl(**opts)
        def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
            calls.append(name)

        return name, types.SimpleNamespace(smesdk_register_frameworks=smesdk_register_frameworks)

    PluginHost(plugins=[registrar("one"), registrar("two"), registrar("three", tryfirst=True)],
               entry_points=False)
    assert calls == ["three", "two", "one"]


def test_the_guard_keeps_pluggys_hookimpl_options() -> None:
    # The guard swaps HookImpl.function only: what pluggy orders by stays as declared.
    calls: list[str] = []
    host = _host(_recommender("wants_first", calls, tryfirst=True), _recommender("plain", calls))
    impls = {i.plugin_name: i for i in host.pm.hook.smesdk_recommendations.get_hookimpls()}
    assert impls["wants_first"].tryfirst and not impls["plain"].tryfirst
    assert impls["plain"].argnames == ("framework", "result")


# -- where plugin recommendations go among the engine's ------------------------------------

_IMPACTS = st.sampled_from([Decimal(n) / 4 for n in range(-2, 6)])  # few values: many ties


# A few added to many are put in place, many are sorted in: each way must give the rule.
_FEW_INTO_MANY = st.tuples(st.lists(_IMPACTS, min_size=28, max_size=40),
                           st.lists(_IMPACTS, min_size=1, max_size=3))
_MANY_INTO_FEW = st.tuples(st.lists(_IMPACTS, max_size=12), st.lists(_IMPACTS, min_size=2,
                                                                     max_size=6))


@given(lists=st.one_of(_FEW_INTO_MANY, _MANY_INTO_FEW))
def test_plugin_advice_goes_where_a_stable_sort_by_impact_puts_it(
        lists: tuple[list[Decimal], list[Decimal]]) -> None:
    # The host may put plugin advice in place instead of sorting the whole list again; this
    # is the rule it must give: largest impact first, ties in list order (the engine's first).
    ranked, added = lists
    engine = [Recommendation(text=Text(zh=f"e{i}", en=f"e{i}"), impact=v)
              for i, v in enumerate(sorted(ranked, reverse=True))]
    plugins = [Recommendation(text=Text(zh=f"p{i}", en=f"p{i}"), impact=v, origin="p")
               for i, v in enumerate(added)]
    expected = sorted(engine + plugins, key=lambda r: r.impact, reverse=True)  # stable
    assert [r.text.en for r in _ranked(engine, plugins)] == [r.text.en for r in expected]


@pytest.mark.parametrize("fid", ["management", "digital", "quality-brand", "iso9001"])
@given(data=st.data())
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_engine_ranks_its_advice_largest_impact_first(fid: str, data: st.DataObject) -> None:
    # What _ranked relies on: the engine's own recommendations come largest impact first.
    fw = smesdk.default_host().load_framework(fid)
    impacts = [r.impact for r in score(fw, data.draw(answer_sets(fw))).recommendations]
    assert impacts == sorted(impacts, reverse=True)
