"""The plugin host: loading, isolation of broken plugins, duplicates, disabling, every hook."""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal
from pathlib import Path

import pytest

import smesdk
from smesdk import PluginError, PluginHost, hookimpl

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
SMALL_FIRM = ROOT / "examples/answers/example-small-firm.yaml"


def _module(name: str, **hooks: object) -> types.ModuleType:
    mod = types.ModuleType(name)
    for key, fn in hooks.items():
        setattr(mod, key, fn)
    return mod


def _registers(path: Path) -> object:
    @hookimpl
    def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
        register(path)

    return smesdk_register_frameworks


def test_entry_point_plugins_are_loaded(smesdk_host: PluginHost) -> None:
    # Installed by the test environment: the YAML-only example and the hook test plugin.
    assert {"example", "hooktest"} <= set(smesdk_host.framework_ids())
    info = {p["name"]: p for p in smesdk_host.plugins_info()}
    assert info["example"]["status"] == "ok"
    assert info["example"]["frameworks"] == ["example"]
    assert info["example"]["hooks"] == ["smesdk_register_frameworks"]
    assert info["hooktest"]["version"] == "0.1.0"


def test_yaml_only_plugin_scores(smesdk_host: PluginHost) -> None:
    fw = smesdk_host.load_framework("example")
    answers = smesdk.load_answers(SMALL_FIRM)
    result = fw.assess(answers)
    assert result.total == Decimal("72.5")  # worked by hand in the example file
    assert result.level is not None and result.level.id == "standard"


def test_broken_plugins_do_not_take_others_down() -> None:
    @hookimpl
    def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    @hookimpl
    def smesdk_registr_frameworks(register):  # type: ignore[no-untyped-def] # misspelt hook
        pass

    good = _module("good", smesdk_register_frameworks=_registers(EXAMPLE))
    raising = _module("raising", smesdk_register_frameworks=smesdk_register_frameworks)
    misspelt = _module("misspelt", smesdk_registr_frameworks=smesdk_registr_frameworks)
    host = PluginHost(plugins=[("good", good), ("raising", raising), ("misspelt", misspelt)],
                      entry_points=False)
    assert host.framework_ids() == ["example"]
    failures = {(f.plugin, f.stage) for f in host.failures}
    assert ("raising", "smesdk_register_frameworks") in failures
    assert ("misspelt", "register") in failures  # check_pending: unknown hook is an error
    statuses = {p["name"]: p["status"] for p in host.plugins_info()}
    assert statuses == {"good": "ok", "raising": "failed", "misspelt": "failed"}


def test_duplicate_framework_ids_name_both_plugins() -> None:
    one = _module("one", smesdk_register_frameworks=_registers(EXAMPLE))
    two = _module("two", smesdk_register_frameworks=_registers(EXAMPLE))
    host = PluginHost(plugins=[("one", one), ("two", two)], entry_points=False)
    assert "example" not in host.framework_ids()
    with pytest.raises(PluginError) as err:
        host.load_framework("example")
    assert "'one'" in str(err.value) or "one" in str(err.value)
    assert "two" in str(err.value)
    messages = " ".join(f.message for f in host.failures)
    assert "'one' and 'two'" in messages


def test_disabled_plugins_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMESDK_DISABLED_PLUGINS", "example, hooktest")
    host = PluginHost()
    assert "example" not in host.framework_ids()
    assert "hooktest" not in host.framework_ids()
    statuses = {p["name"]: p["status"] for p in host.plugins_info()}
    assert statuses["example"] == "disabled"


def test_unknown_framework_lists_what_exists(smesdk_host: PluginHost) -> None:
    with pytest.raises(PluginError, match=r"no framework 'nope'.*example"):
        smesdk_host.load_framework("nope")


# -- every hook, through the hooktest plugin (installed as its own distribution) -----------

HOOKTEST_ANSWERS = {
    "enterprise": {"name": "星级测试", "size": "micro"},
    "date": "2026-01-01",
    "answers": {"quality.a": "***", "quality.b": "*****"},
}


def test_plugin_kind_aggregation_and_level_rule(smesdk_host: PluginHost) -> None:
    fw = smesdk_host.load_framework("hooktest")
    result = fw.assess(smesdk.answers_from_data(HOOKTEST_ANSWERS))
    # stars kind: 3 stars -> 2/4, 5 stars -> 4/4; the dimension mean is (0.5 + 1) / 2 = 0.75;
    # root_mean_square over the single dimension: sqrt(0.75^2) = 0.75 -> total 75.
    assert result.indicator("quality.a").points == Decimal(2)
    assert result.total == Decimal(75)
    # first_level_only rule: 75 >= 50 -> passed, and it reports no next level.
    assert result.level is not None and result.level.id == "passed"
    assert result.next_level is None


def test_plugin_kind_rejects_bad_answers(smesdk_host: PluginHost) -> None:
    fw = smesdk_host.load_framework("hooktest")
    data = {**HOOKTEST_ANSWERS, "answers": {"quality.a": "******", "quality.b": "x"}}
    with pytest.raises(smesdk.AnswerError) as err:
        fw.assess(smesdk.answers_from_data(data))
    paths = [p.path for p in err.value.problems]
    assert paths == ["answers.quality.a", "answers.quality.b"]


def test_recommendation_enrich_and_fact_hooks(smesdk_host: PluginHost) -> None:
    fw = smesdk_host.load_framework("hooktest")
    result = fw.assess(smesdk.answers_from_data(HOOKTEST_ANSWERS))
    assert [r.text.en for r in result.recommendations] == ["Earn more stars"]
    assert result.recommendations[0].origin == "hooktest"
    assert result.extensions == {"stars": {"answered": 2, "total": "75.0000"}}
    assert result.facts["hooktest.passed"] is True
    assert smesdk.Result.from_json(result.to_json()) == result


def test_hooks_do_not_fire_for_other_frameworks(smesdk_host: PluginHost) -> None:
    fw = smesdk_host.load_framework("example")
    answers = smesdk.load_answers(SMALL_FIRM)
    result = fw.assess(answers)
    assert "stars" not in result.extensions
    assert "hooktest.passed" not in result.facts


def test_a_failing_result_hook_becomes_a_warning() -> None:
    @hookimpl
    def smesdk_recommendations(framework, result):  # type: ignore[no-untyped-def]
        raise ValueError("no advice today")

    host = PluginHost(plugins=[
        ("ex", _module("ex", smesdk_register_frameworks=_registers(EXAMPLE))),
        ("grumpy", _module("grumpy", smesdk_recommendations=smesdk_recommendations)),
    ], entry_points=False)
    answers = smesdk.load_answers(SMALL_FIRM)
    result = host.load_framework("example").assess(answers)
    assert result.total == Decimal("72.5")  # scores are untouched
    failed = [w for w in result.warnings if w.code == "plugin_failed"]
    assert len(failed) == 1 and "no advice today" in failed[0].message.en


def test_trace_env_prints_hook_calls(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SMESDK_TRACE_PLUGINS", "1")
    host = PluginHost()
    host.load_framework("hooktest").assess(smesdk.answers_from_data(HOOKTEST_ANSWERS))
    err = capsys.readouterr().err
    assert "hooktest.smesdk_enrich_result" in err  # each implementation's return value
    # pluggy's call monitoring: the plugins in call order, then the merged result
    assert "[smesdk] smesdk_enrich_result: calling " in err
    assert "[smesdk] smesdk_enrich_result -> [{'stars'" in err


def test_answers_date_type() -> None:
    answers = smesdk.answers_from_data(HOOKTEST_ANSWERS)
    assert answers.date == dt.date(2026, 1, 1)
