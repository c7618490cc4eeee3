"""Profiles: select, drop, field patches with origins, level replacement, extends, hashes."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest

import smesdk
from smesdk import Framework, SpecError
from smesdk.loading import spec_from_data

T = {"zh": "题", "en": "q"}


def ind(id: str, **kw: Any) -> dict[str, Any]:
    return {"id": id, "title": T, "question": T, "kind": "yesno",
            "source": {"doc": "d", "clause": "1"}, "status": "derived", **kw}


def prof(id: str, **kw: Any) -> dict[str, Any]:
    return {"id": id, "title": {"zh": id, "en": id}, **kw}


SPEC: dict[str, Any] = {
    "id": "pf", "version": "1", "title": T, "description": T,
    "source": {"id": "d", "title": T, "issuer": T},
    "dimensions": [
        {"id": "a", "title": T, "indicators": [ind("s"), ind("y")]},
        {"id": "b", "title": T, "dimensions": [
            {"id": "b1", "title": T, "indicators": [ind("x"), ind("z")]}]},
    ],
    "sets": {"core": ["a.s", "b.b1.x"]},
    "levels": [{"id": "l1", "title": T, "min": 0, "max": 50},
               {"id": "l2", "title": T, "min": 50}],
    "profiles": [
        prof("quick", select=["a.s", "b"]),
        prof("nob", drop=["b"], sets={"core": ["a.s"]}),
        prof("heavy", set={"a": {"weight": 3}, "a.y": {"required": False},
                           "": {"na_cap": 0.5}}),
        prof("child", extends="heavy", set={"a": {"weight": 5}}, drop=["b.b1.z"]),
        prof("grandchild", extends="child", select=["a", "b.b1.x"]),
        prof("strict", levels=[{"id": "only", "title": T, "min": 90}],
             sets={"core": ["a.y"]}),
    ],
}

ALL = {"a.s": True, "a.y": False, "b.b1.x": True, "b.b1.z": False}


@pytest.fixture(scope="module")
def spec() -> smesdk.FrameworkSpec:
    return spec_from_data(SPEC)


def load(spec: smesdk.FrameworkSpec, profile: str | None) -> Framework:
    return Framework.from_spec(spec, profile=profile)


def answers(ans: dict[str, Any]) -> smesdk.AnswerSet:
    return smesdk.answers_from_data({"enterprise": {"name": "e", "size": "small"},
                                     "date": "2026-01-01", "answers": ans})


def test_no_profile_keeps_everything(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, None)
    assert fw.indicator_ids == ["a.s", "a.y", "b.b1.x", "b.b1.z"]
    assert fw.origins == {}
    assert fw.profiles == ["quick", "nob", "heavy", "child", "grandchild", "strict"]
    # a = 1/2, b = b1 = 1/2 -> total 50
    assert fw.assess(answers(ALL)).total == D(50)


def test_select_keeps_ancestors_and_descendants(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, "quick")
    assert fw.indicator_ids == ["a.s", "b.b1.x", "b.b1.z"]
    assert fw.dimension_ids == ["a", "b", "b.b1"]
    assert fw.origins == {"select": "quick"}
    assert fw.profile == "quick"
    # a = s = 1; b = (1 + 0)/2 -> total (1 + 0.5)/2 * 100 = 75
    r = fw.assess(answers({"a.s": True, "b.b1.x": True, "b.b1.z": False}))
    assert r.total == D(75)
    assert r.provenance.profile == "quick"


def test_dropped_answers_are_unknown(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, "nob")
    assert fw.indicator_ids == ["a.s", "a.y"]
    assert fw.origins == {"drop": "nob", "sets.core": "nob"}
    with pytest.raises(smesdk.AnswerError) as info:
        fw.assess(answers(ALL))
    assert sorted(p.path for p in info.value.problems) == ["answers.b.b1.x", "answers.b.b1.z"]


def test_set_patches_fields_and_records_origins(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, "heavy")
    assert fw.origins == {"a.weight": "heavy", "a.y.required": "heavy", "na_cap": "heavy"}
    assert fw.dimension("a").weight == D(3)
    assert fw.indicator("a.y").required is False
    assert fw.spec.na_cap == D("0.5")
    # a = (1 + 0)/2 = 0.5 (a.y unanswered, optional now), b = 1
    # total = (3*0.5 + 1*1)/4 * 100 = 2.5/4*100 = 62.5
    r = fw.assess(answers({"a.s": True, "b.b1.x": True, "b.b1.z": True}))
    assert r.total == D("62.5")
    assert [w.code for w in r.warnings] == ["unanswered"]


def test_extends_chain_applies_parent_first(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, "child")
    # heavy sets weight 3, then child sets 5: the child's value and origin win
    assert fw.dimension("a").weight == D(5)
    assert fw.origins == {"a.weight": "child", "a.y.required": "heavy", "na_cap": "heavy",
                          "drop": "child"}
    assert fw.indicator_ids == ["a.s", "a.y", "b.b1.x"]
    # a = (1 + 0)/2 = 0.5, b = x = 1 -> (5*0.5 + 1)/6*100 = 3.5/6*100 = 58.3333
    r = fw.assess(answers({"a.s": True, "a.y": False, "b.b1.x": True}))
    assert r.total == D("58.3333")


def test_three_level_extends_chain(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, "grandchild")
    assert fw.indicator_ids == ["a.s", "a.y", "b.b1.x"]
    assert fw.dimension("a").weight == D(5)
    assert fw.origins["select"] == "grandchild"
    assert fw.origins["drop"] == "child"


def test_levels_and_sets_replacement(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, "strict")
    assert [lv.id for lv in fw.spec.levels] == ["only"]
    assert fw.spec.sets == {"core": ["a.y"]}
    assert fw.origins == {"levels": "strict", "sets.core": "strict"}
    r = fw.assess(answers(ALL))
    assert r.level is None
    assert r.next_level is not None and r.next_level.level.id == "only"
    # base framework: total 50 -> l2
    base = load(spec, None).assess(answers(ALL))
    assert base.level is not None and base.level.id == "l2"


def test_with_profile_switches(spec: smesdk.FrameworkSpec) -> None:
    fw = load(spec, None).with_profile("quick")
    assert fw.profile == "quick" and fw.indicator_ids == ["a.s", "b.b1.x", "b.b1.z"]


def test_default_profile_is_applied() -> None:
    data = copy.deepcopy(SPEC)
    data["default_profile"] = "nob"
    fw = Framework.from_spec(spec_from_data(data))
    assert fw.profile == "nob"
    assert fw.indicator_ids == ["a.s", "a.y"]


def test_unknown_profile(spec: smesdk.FrameworkSpec) -> None:
    with pytest.raises(SpecError) as info:
        load(spec, "nosuch")
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("profile", "framework 'pf' has no profile 'nosuch' (profiles: child, grandchild, "
                    "heavy, nob, quick, strict)")]


def test_patch_of_unknown_field_is_an_error() -> None:
    data = copy.deepcopy(SPEC)
    data["profiles"].append(prof("bad", set={"a.s": {"colour": "red"}, "a": {"id": "zz"},
                                             "b": {"weight": "heavy"}}))
    with pytest.raises(SpecError) as info:
        Framework.from_spec(spec_from_data(data), profile="bad")
    got = [(p.path, p.message) for p in info.value.problems]
    assert got == [
        ("profiles.bad.set.a.s.colour", "indicator field 'colour' cannot be set"),
        ("profiles.bad.set.a.id", "dimension field 'id' cannot be set"),
        ("profiles.bad.set.b.weight", "expected a number, got 'heavy'"),
    ]
    assert info.value.title == "profile 'bad' cannot be applied:"


def test_profile_referring_to_unknown_ids() -> None:
    data = copy.deepcopy(SPEC)
    data["profiles"] = [prof("p", select=["a.nope"], drop=["zz"], set={"qq": {"weight": 1}},
                             extends="ghost")]
    with pytest.raises(SpecError) as info:
        Framework.from_spec(spec_from_data(data))
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("profiles[0].extends", "unknown profile 'ghost'"),
        ("profiles[0].select[0]", "unknown id 'a.nope'"),
        ("profiles[0].drop[0]", "unknown id 'zz'"),
        ("profiles[0].set", "unknown id 'qq'"),
    ]


def test_circular_extends() -> None:
    data = copy.deepcopy(SPEC)
    data["profiles"] = [prof("p", extends="q"), prof("q", extends="p")]
    with pytest.raises(SpecError) as info:
        Framework.from_spec(spec_from_data(data))
    messages = [p.message for p in info.value.problems]
    assert "profiles extend each other in a circle: p -> q" in messages


def test_resolved_profile_is_validated_again() -> None:
    data = copy.deepcopy(SPEC)
    data["levels"][1]["gate"] = {"indicator": {"id": "b.b1.x", "ge": 100}}
    fw = Framework.from_spec(spec_from_data(data))     # the base is fine
    assert fw.profile is None
    with pytest.raises(SpecError) as info:
        Framework.from_spec(spec_from_data(data), profile="nob")
    assert info.value.title == "profile 'nob' leaves the framework invalid:"
    problems = [(p.path, p.message) for p in info.value.problems]
    assert problems == [("levels[1].gate", "unknown indicator 'b.b1.x'")]


def test_content_hash_differs_between_profiles_and_is_stable(
        spec: smesdk.FrameworkSpec) -> None:
    hashes = {p: load(spec, p).content_hash for p in
              (None, "quick", "nob", "heavy", "child", "grandchild", "strict")}
    assert len(set(hashes.values())) == 7
    assert all(h.startswith("sha256:") and len(h) == 7 + 64 for h in hashes.values())
    # stable: rebuilt from the same data, from a fresh spec, in another order
    again = spec_from_data(copy.deepcopy(SPEC))
    for p in ("strict", "heavy", None):
        assert load(again, p).content_hash == hashes[p]
    # and it covers the resolved content: a changed patch changes the hash
    data = copy.deepcopy(SPEC)
    data["profiles"][2]["set"]["a"]["weight"] = 4
    assert load(spec_from_data(data), "heavy").content_hash != hashes["heavy"]
    assert load(spec_from_data(data), "quick").content_hash == hashes["quick"]
