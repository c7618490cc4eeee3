"""``smesdk.assessment_scratch()``: one dict per assessment, shared by its result hooks only.

A plugin keeps in it what its recommendations, result section and facts all need, so it must
be the same dict across the hooks of one assessment and never another assessment's: not the
previous one's, not a nested one's, not one running at the same time in another thread.
"""

from __future__ import annotations

import threading
import types
from pathlib import Path
from typing import Any

import pytest

import smesdk
from smesdk import PluginHost, hookimpl

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
SMALL_FIRM = ROOT / "examples/answers/example-small-firm.yaml"


@hookimpl
def _register(register: Any) -> None:
    register(EXAMPLE)


def _framework(**hooks: Any) -> smesdk.Framework:
    plugin = types.SimpleNamespace(smesdk_register_frameworks=_register, **hooks)
    return PluginHost(plugins=[("scratchy", plugin)], entry_points=False).load_framework("example")


def test_outside_the_result_hooks_each_call_is_a_new_empty_dict() -> None:
    first = smesdk.assessment_scratch()
    first["kept?"] = True
    assert smesdk.assessment_scratch() == {}
    assert smesdk.assessment_scratch() is not first


def test_the_hooks_of_one_assessment_share_one_dict_and_the_next_starts_empty() -> None:
    seen: list[tuple[str, dict[Any, Any]]] = []

    @hookimpl
    def smesdk_recommendations(result: Any) -> None:
        scratch = smesdk.assessment_scratch()
        seen.append(("recommendations", dict(scratch)))
        scratch["scratchy.total"] = str(result.total)

    @hookimpl
    def smesdk_enrich_result() -> None:
        seen.append(("enrich", dict(smesdk.assessment_scratch())))

    @hookimpl
    def smesdk_export_facts() -> dict[str, Any]:
        return {"scratchy.total": smesdk.assessment_scratch()["scratchy.total"]}

    fw = _framework(smesdk_recommendations=smesdk_recommendations,
                    smesdk_enrich_result=smesdk_enrich_result,
                    smesdk_export_facts=smesdk_export_facts)
    answers = smesdk.load_answers(SMALL_FIRM)
    first, second = fw.assess(answers), fw.assess(answers)
    # The example firm's total is 72.5 (docs/hooks.md works it out from the spec's weights).
    assert first.facts["scratchy.total"] == second.facts["scratchy.total"] == "72.5000"
    assert seen == [("recommendations", {}), ("enrich", {"scratchy.total": "72.5000"}),
                    ("recommendations", {}), ("enrich", {"scratchy.total": "72.5000"})]


def test_a_nested_assessment_has_its_own_scratch_and_the_outer_one_is_restored() -> None:
    inner: list[Any] = []

    @hookimpl
    def smesdk_recommendations(framework: Any) -> None:
        scratch = smesdk.assessment_scratch()
        scratch["scratchy.depth"] = len(inner)
        if not inner:  # assess again from inside the outer assessment's first hook
            inner.append(None)
            inner[0] = framework.assess(smesdk.load_answers(SMALL_FIRM))

    @hookimpl
    def smesdk_export_facts() -> dict[str, Any]:
        return {"scratchy.depth": smesdk.assessment_scratch()["scratchy.depth"]}

    fw = _framework(smesdk_recommendations=smesdk_recommendations,
                    smesdk_export_facts=smesdk_export_facts)
    outer = fw.assess(smesdk.load_answers(SMALL_FIRM))
    assert inner[0].facts["scratchy.depth"] == 1
    assert outer.facts["scratchy.depth"] == 0


def test_assessments_running_at_once_in_threads_do_not_see_each_others_scratch() -> None:
    # Both threads write their name, then wait until the other has written too, then read:
    # with one dict for both, one of them would read the other's name.
    both_written = threading.Barrier(2, timeout=30)

    @hookimpl
    def smesdk_recommendations() -> None:
        smesdk.assessment_scratch()["scratchy.thread"] = threading.current_thread().name
        both_written.wait()

    @hookimpl
    def smesdk_export_facts() -> dict[str, Any]:
        return {"scratchy.thread": smesdk.assessment_scratch()["scratchy.thread"]}

    fw = _framework(smesdk_recommendations=smesdk_recommendations,
                    smesdk_export_facts=smesdk_export_facts)
    answers = smesdk.load_answers(SMALL_FIRM)
    results: dict[str, smesdk.Result] = {}

    def run() -> None:
        results[threading.current_thread().name] = fw.assess(answers)

    threads = [threading.Thread(target=run, name=name) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert {name: r.facts["scratchy.thread"] for name, r in results.items()} == {
        "left": "left", "right": "right"}
    assert not [w for r in results.values() for w in r.warnings if w.code == "plugin_failed"]


def test_the_scratch_is_closed_even_when_an_assessment_is_interrupted() -> None:
    @hookimpl
    def smesdk_recommendations() -> None:
        smesdk.assessment_scratch()["scratchy.left"] = "behind"
        raise KeyboardInterrupt  # not contained by the host: Ctrl-C stops the command

    fw = _framework(smesdk_recommendations=smesdk_recommendations)
    with pytest.raises(KeyboardInterrupt):
        fw.assess(smesdk.load_answers(SMALL_FIRM))
    assert smesdk.assessment_scratch() == {}
