"""A misbehaving plugin is left out with a warning naming it and the hook; the rest carries on.

Every case assesses the example framework's small-firm answers beside one well-behaved
plugin: the score stays 72.5 (worked by hand in example.yaml), the good plugin's contribution
is there, the bad one's is not, and exactly one ``plugin_failed`` warning names both the bad
plugin and the hook. The last test runs the real ``smesdk assess`` with such plugins installed
as entry points and checks there is no traceback.
"""

from __future__ import annotations

import enum
import json
import math
import os
import subprocess
import sys
import textwrap
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import smesdk
from smesdk import AnswerKind, PluginHost, Recommendation, Shape, Text, hookimpl

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
SMALL_FIRM = ROOT / "examples/answers/example-small-firm.yaml"
HOOKS = ("smesdk_recommendations", "smesdk_enrich_result", "smesdk_export_facts")


@hookimpl
def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
    register(EXAMPLE)


@hookimpl
def good_recommendations(framework, result):  # type: ignore[no-untyped-def]
    return [Recommendation(text=Text(zh="好", en="good"), origin="good")]


@hookimpl
def good_enrich(framework, answers, result):  # type: ignore[no-untyped-def]
    return {"good": {"ok": True}}


@hookimpl
def good_facts(framework, result):  # type: ignore[no-untyped-def]
    return {"good.ok": True}


GOOD = types.SimpleNamespace(
    smesdk_register_frameworks=smesdk_register_frameworks,
    smesdk_recommendations=good_recommendations,
    smesdk_enrich_result=good_enrich,
    smesdk_export_facts=good_facts,
)


def _assess_with(bad: object) -> tuple[smesdk.Result, list[str]]:
    # The bad plugin is registered last, so pluggy calls it before the good one.
    host = PluginHost(plugins=[("good", GOOD), ("bad", bad)], entry_points=False)
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    assert result.total == Decimal("72.5")
    assert any(r.origin == "good" for r in result.recommendations)
    assert result.extensions["good"] == {"ok": True}
    assert result.facts["good.ok"] is True
    return result, [w.message.en for w in result.warnings if w.code == "plugin_failed"]


def _looped() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _bad(hook: str, body: Any) -> object:
    """A plugin whose ``hook`` implementation runs ``body()`` and returns what it gives."""
    def recommendations(framework, result):  # type: ignore[no-untyped-def]
        return body()

    def enrich(framework, answers, result):  # type: ignore[no-untyped-def]
        return body()

    def facts(framework, result):  # type: ignore[no-untyped-def]
        return body()

    fn = {"smesdk_recommendations": recommendations, "smesdk_enrich_result": enrich,
          "smesdk_export_facts": facts}[hook]
    return types.SimpleNamespace(**{hook: hookimpl(fn)})


def _raise() -> Any:
    raise ValueError("no luck today")


def _exit() -> Any:
    sys.exit(3)


@pytest.mark.parametrize("hook", HOOKS)
@pytest.mark.parametrize(("body", "says"), [
    (_raise, "ValueError: no luck today"),
    (_exit, "called sys.exit(3)"),
    (lambda: "advice", "returned a str"),
], ids=["raises", "sys.exit", "wrong type"])
def test_a_failing_hook_is_left_out_with_a_warning(hook: str, body: Any, says: str) -> None:
    _, failed = _assess_with(_bad(hook, body))
    assert len(failed) == 1
    assert failed[0].startswith(f"plugin bad failed in {hook}: {says}")


@pytest.mark.parametrize(("hook", "value", "says"), [
    ("smesdk_recommendations", [{"text": "not a Recommendation"}], "item 0 is a dict"),
    ("smesdk_recommendations", {"x": 1}, "a dict, not a list of Recommendation"),
    ("smesdk_enrich_result", {"bad": {1, 2}}, "data under 'bad' that is not JSON"),
    ("smesdk_enrich_result", {"bad": math.nan}, "data under 'bad' that is not JSON"),
    ("smesdk_enrich_result", {"bad": {"deep": [1, {"x": -math.inf}]}}, "that is not JSON"),
    ("smesdk_enrich_result", {"bad": _looped()}, "Circular reference detected"),
    ("smesdk_enrich_result", {("a", "b"): 1}, "a key of type tuple"),
    ("smesdk_export_facts", {"bad.when": object()}, "data under 'bad.when' that is not JSON"),
    ("smesdk_export_facts", ["bad.x", 1], "a list, not a mapping"),
])
def test_wrong_or_non_json_data_is_left_out_whole(hook: str, value: Any, says: str) -> None:
    result, failed = _assess_with(_bad(hook, lambda: value))
    assert len(failed) == 1 and failed[0].startswith(f"plugin bad failed in {hook}: returned")
    assert says in failed[0]
    assert "bad" not in result.extensions
    assert not [k for k in result.facts if k.startswith("bad.")]
    assert json.loads(result.to_json())["total"] == 72.5  # the result still serialises


def test_data_json_takes_though_not_plain_types_is_kept_as_json_writes_it() -> None:
    # json.dumps takes tuples, subclasses of int and str, and non-text keys inside a section;
    # so does the check (a fast walk decides only the plain cases, json.dumps the rest).
    odd = {"tuple": (1, 2), "flag": enum.IntEnum("Flag", "ON").ON, "inner": {1: "one"},
           "status": smesdk.IndicatorStatus.SCORED}
    result, failed = _assess_with(_bad("smesdk_enrich_result", lambda: {"odd": odd}))
    assert not failed
    assert json.loads(result.to_json())["extensions"]["odd"] == {
        "tuple": [1, 2], "flag": 1, "inner": {"1": "one"}, "status": "scored"}


def test_a_section_two_plugins_give_differently_keeps_the_first_called() -> None:
    rival = _bad("smesdk_enrich_result", lambda: {"good": {"ok": False}})
    host = PluginHost(plugins=[("good", GOOD), ("rival", rival)], entry_points=False)
    result = host.load_framework("example").assess(smesdk.load_answers(SMALL_FIRM))
    # rival was registered last, so pluggy calls it first: its section is kept.
    assert result.extensions["good"] == {"ok": False}
    [warning] = [w.message.en for w in result.warnings if w.code == "plugin_failed"]
    assert warning.startswith("plugin good failed in smesdk_enrich_result: gives result "
                              "section 'good' a different value than plugin 'rival'")


def test_a_huge_message_is_cut_short() -> None:
    def shout() -> Any:
        raise ValueError("A" * 1_000_000)

    _, failed = _assess_with(_bad("smesdk_recommendations", shout))
    assert failed[0].startswith("plugin bad failed in smesdk_recommendations: ValueError: AAA")
    assert len(failed[0]) < 400 and failed[0].endswith("…")


def test_a_keyboard_interrupt_is_not_swallowed() -> None:
    def interrupt() -> Any:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _assess_with(_bad("smesdk_export_facts", interrupt))


@pytest.mark.parametrize(("wrapper", "says"), [
    ("raise_before", "RuntimeError: before; the wrapper is left out"),
    ("raise_after", "RuntimeError: after; the results are kept as they were"),
    ("no_yield", "did not yield"),
    ("exit_after", "called sys.exit(1); the results are kept as they were"),
    ("wrong_type", "returned a str, not a list of Recommendation"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else "")
def test_a_failing_wrapper_leaves_the_results_as_they_were(wrapper: str, says: str) -> None:
    def raise_before(framework, result):  # type: ignore[no-untyped-def]
        raise RuntimeError("before")
        yield

    def raise_after(framework, result):  # type: ignore[no-untyped-def]
        yield
        raise RuntimeError("after")

    def no_yield(framework, result):  # type: ignore[no-untyped-def]
        return
        yield

    def exit_after(framework, result):  # type: ignore[no-untyped-def]
        yield
        sys.exit(1)

    def wrong_type(framework, result):  # type: ignore[no-untyped-def]
        outs = yield
        return [*outs, "advice"]

    fns = {f.__name__: f for f in (raise_before, raise_after, no_yield, exit_after, wrong_type)}
    bad = types.SimpleNamespace(smesdk_recommendations=hookimpl(wrapper=True)(fns[wrapper]))
    _, failed = _assess_with(bad)
    assert len(failed) == 1
    assert failed[0].startswith("plugin bad failed in smesdk_recommendations:")
    assert says in failed[0]


def test_an_old_style_wrapper_that_breaks_the_result_is_undone() -> None:
    @hookimpl(hookwrapper=True)
    def smesdk_export_facts(framework, result):  # type: ignore[no-untyped-def]
        outcome = yield
        outcome.force_result([{"bad.x": {1}}])

    result, failed = _assess_with(types.SimpleNamespace(smesdk_export_facts=smesdk_export_facts))
    assert len(failed) == 1 and "data under 'bad.x' that is not JSON" in failed[0]
    assert "bad.x" not in result.facts


def test_a_failing_registration_registers_nothing_of_that_plugin() -> None:
    class Half(AnswerKind):
        name = "half"
        shape = Shape.TEXT

    @hookimpl
    def smesdk_register_answer_kinds(register):  # type: ignore[no-untyped-def]
        register(Half())
        raise RuntimeError("second kind broke")

    @hookimpl
    def smesdk_register_aggregations(register):  # type: ignore[no-untyped-def]
        register("root_mean_square")

    @hookimpl
    def smesdk_register_level_rules(register):  # type: ignore[no-untyped-def]
        sys.exit(0)

    bad = types.SimpleNamespace(smesdk_register_answer_kinds=smesdk_register_answer_kinds,
                                smesdk_register_aggregations=smesdk_register_aggregations,
                                smesdk_register_level_rules=smesdk_register_level_rules)
    host = PluginHost(plugins=[("good", GOOD), ("bad", bad)], entry_points=False)
    assert "half" not in host.registry.kinds
    failures = {f.stage: f.message for f in host.failures if f.plugin == "bad"}
    assert failures == {
        "smesdk_register_answer_kinds": "RuntimeError: second kind broke",
        "smesdk_register_aggregations": "registered a str, not Aggregation",
        "smesdk_register_level_rules": "called sys.exit(0)",
    }
    assert host.framework_ids() == ["example"]  # the good plugin is unaffected
    assert {p["name"]: p["status"] for p in host.plugins_info()} == {"bad": "failed", "good": "ok"}


def test_a_register_function_kept_and_called_in_a_result_hook_is_refused() -> None:
    # Registration is over once its hook returns; a plugin calling the register function it
    # kept, from a hook of an assessment, is told so instead of registering nothing silently.
    class Late(AnswerKind):
        name = "late"
        shape = Shape.TEXT

    kept: list[Any] = []

    @hookimpl
    def smesdk_register_answer_kinds(register):  # type: ignore[no-untyped-def]
        kept.append(register)

    @hookimpl
    def smesdk_recommendations(framework, result):  # type: ignore[no-untyped-def]
        kept[0](Late())
        return []

    late = types.SimpleNamespace(smesdk_register_answer_kinds=smesdk_register_answer_kinds,
                                 smesdk_recommendations=smesdk_recommendations)
    _, said = _assess_with(late)
    assert said == ["plugin bad failed in smesdk_recommendations: the register "
                    "function of smesdk_register_answer_kinds was called after the hook "
                    "returned"]


def test_a_name_two_plugins_register_goes_to_the_first_called() -> None:
    def registrar(tag: str) -> object:
        class Stars(AnswerKind):
            name = "stars"
            shape = Shape.TEXT
            owner = tag

        @hookimpl
        def smesdk_register_answer_kinds(register):  # type: ignore[no-untyped-def]
            register(Stars())

        return types.SimpleNamespace(smesdk_register_answer_kinds=smesdk_register_answer_kinds)

    host = PluginHost(plugins=[("one", registrar("one")), ("two", registrar("two"))],
                      entry_points=False)
    kind = host.registry.kinds.get("stars")
    assert kind is not None and kind.owner == "two"  # type: ignore[attr-defined]
    [failure] = host.failures
    assert (failure.plugin, failure.stage) == ("one", "smesdk_register_answer_kinds")
    assert "already registered by 'two'" in failure.message


def test_one_failure_per_distinct_problem_however_many_assessments() -> None:
    host = PluginHost(plugins=[("good", GOOD), ("bad", _bad("smesdk_export_facts", _raise))],
                      entry_points=False)
    fw = host.load_framework("example")
    answers = smesdk.load_answers(SMALL_FIRM)
    for _ in range(3):
        assert len([w for w in fw.assess(answers).warnings if w.code == "plugin_failed"]) == 1
    assert [f.stage for f in host.failures] == ["smesdk_export_facts"]


# -- the real command line, with misbehaving plugins installed as entry points --------------

_PLUGINS = {
    "bad_raise": """
        @hookimpl
        def smesdk_recommendations(framework, result):
            raise ValueError("no advice")
    """,
    "bad_exit": """
        @hookimpl
        def smesdk_enrich_result(framework, answers, result):
            sys.exit(3)

        @hookimpl
        def smesdk_register_commands(cli):
            sys.exit(4)
    """,
    "bad_import": """
        sys.exit(5)
    """,
    "bad_type": """
        @hookimpl
        def smesdk_recommendations(framework, result):
            return "advice"
    """,
    "bad_json": """
        @hookimpl
        def smesdk_export_facts(framework, result):
            return {"bad.when": {1, 2}}
    """,
}


def _install(site: Path) -> dict[str, str]:
    """Plugins importable from ``site`` with entry points, as pip would leave them."""
    for name, body in _PLUGINS.items():
        (site / f"{name}.py").write_text("import sys\nfrom smesdk import hookimpl\n"
                                         + textwrap.dedent(body), encoding="utf-8")
    info = site / "smesdk_bad-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: smesdk-bad\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[smesdk]\n" + "".join(f"{n.replace('_', '-')} = {n}\n" for n in _PLUGINS))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    env.pop("SMESDK_DISABLED_PLUGINS", None)
    return env


def _smesdk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from smesdk.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_smesdk_assess_with_misbehaving_plugins_gives_warnings_not_a_traceback(
        tmp_path: Path) -> None:
    env = _install(tmp_path)
    out = _smesdk(env, "assess", "example", str(SMALL_FIRM), "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    result = smesdk.Result.from_json(out.stdout)
    assert result.total == Decimal("72.5")
    failed = sorted(w.message.en.split(":")[0] for w in result.warnings
                    if w.code == "plugin_failed")
    assert failed == ["plugin bad-exit failed in smesdk_enrich_result",
                      "plugin bad-json failed in smesdk_export_facts",
                      "plugin bad-raise failed in smesdk_recommendations",
                      "plugin bad-type failed in smesdk_recommendations"]

    text = _smesdk(env, "assess", "example", str(SMALL_FIRM), "--lang", "en")
    assert text.returncode == 0 and "Traceback" not in text.stderr + text.stdout
    assert "plugin bad-raise failed in smesdk_recommendations" in text.stdout

    listed = json.loads(_smesdk(env, "plugins", "--json").stdout)
    errors = {p["name"]: p["errors"] for p in listed if p["name"] in {"bad-exit", "bad-import"}}
    assert errors == {"bad-exit": ["smesdk_register_commands: called sys.exit(4)"],
                      "bad-import": ["import: called sys.exit(5)"]}
