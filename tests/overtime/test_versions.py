"""framework-diff and migrate on the synthetic v1 -> v2m of the example (see conftest.v2m_data)."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import attrs
import pytest
import yaml

import smesdk
from smesdk.deltas import compare
from smesdk.framework import Framework
from smesdk.migrate import migrate_answers
from smesdk.spec_diff import diff_frameworks
from smesdk.testing.cli import invoke

from .conftest import ANSWERS, EXAMPLE_SPEC, ROOT


@pytest.fixture
def t0_with_notes(t0: smesdk.AnswerSet) -> smesdk.AnswerSet:
    return attrs.evolve(t0, answers={**t0.answers, "operations.notes": smesdk.Answer("新厂房")})


def test_framework_diff_lists_every_change_by_stable_id(v1: Framework, v2m: Framework) -> None:
    d = diff_frameworks(v1, v2m)
    got = {(c.kind, c.item, c.id, tuple(c.fields)) for c in d.changes}
    # every change conftest.v2m_data makes, and nothing else
    assert got == {
        ("added", "indicator", "hr.contracts", ()),
        ("removed", "indicator", "operations.notes", ()),
        ("renamed", "indicator", "operations.realtime", ()),
        ("reweighted", "dimension", "strategy", ("weight",)),
        ("reworded", "indicator", "strategy.mission", ("title",)),
        ("reworded", "indicator", "strategy.plan", ("options.label",)),
        ("rebanded", "indicator", "strategy.plan", ("options",)),
        ("reworded", "indicator", "hr.training_hours", ("title", "unit")),
        ("rebanded", "indicator", "hr.training_hours", ("bands",)),
        ("reworded", "indicator", "operations.systems", ("options.label",)),
        ("rebanded", "indicator", "operations.systems", ("options",)),
        ("relevelled", "level", "standard", ("max",)),
        # the gate names the renamed indicator, so it changed too
        ("relevelled", "level", "advanced", ("gate", "min")),
    }
    assert d.of("renamed")[0].old_id == "operations.monitoring"
    assert diff_frameworks(v1, v1).changes == []


def test_profiles_are_compared_too(v1: Framework) -> None:
    d = diff_frameworks(v1, v1.with_profile("innovative"))
    assert [(c.kind, c.id, c.fields) for c in d.changes] == [
        ("reweighted", "operations", ["weight"])]


def test_migrate_carries_what_it_can_and_lists_the_rest(
        v2m: Framework, t0_with_notes: smesdk.AnswerSet) -> None:
    moved = migrate_answers(t0_with_notes, v2m, "1.0.0")
    a = {k: v.value for k, v in moved.answers.answers.items()}
    assert a == {
        "strategy.mission": 3,
        "hr.insurance": True,
        "hr.training_hours": 1.5,                   # 12 hours x 0.125 = 1.5 days
        "operations.realtime": 60,                  # renamed
        "operations.systems": ["erp", "crm_scm"],   # option renamed
        "operations.qms_audit": t0_with_notes.answers["operations.qms_audit"].value,
    }
    assert [(n.indicator, n.reason.en) for n in moved.not_carried] == [
        ("strategy.plan", "option 'partly' has no counterpart in the new version: ask again"),
        ("operations.notes", "the notes field was removed"),
    ]
    assert moved.needs_answer == ["strategy.plan", "hr.contracts"]
    # answered the two, the migrated set scores under v2m: strategy mean(3/4, 2/2) = 87.5,
    # hr mean(1, 1.5 days -> 1/2, 1) = 83.3333, operations (4 + 3 + 2)/10 = 90
    done = attrs.evolve(moved.answers, answers={
        **moved.answers.answers, "strategy.plan": smesdk.Answer("yes"),
        "hr.contracts": smesdk.Answer(True)})
    result = v2m.assess(done)
    assert result.total == D("86.9444")  # (87.5 + 83.3333 + 90) / 3 = 260.8333/3, rounded once


def test_migrate_refuses_an_undeclared_version(v2m: Framework, t0: smesdk.AnswerSet) -> None:
    with pytest.raises(smesdk.SmesdkError, match=r"no answer migration from version 0\.9.*1\.0\.0"):
        migrate_answers(t0, v2m, "0.9")


def test_a_migration_naming_unknown_indicators_is_a_spec_error(tmp_path: Path) -> None:
    from .conftest import v2m_data

    data = v2m_data()
    data["migrations"][0]["renamed"]["operations.monitoring"] = "operations.nope"
    data["migrations"][0]["rescaled"]["hr.nope"] = {"factor": 2}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(smesdk.SpecError) as caught:
        smesdk.load_framework(path)
    paths = [p.path for p in caught.value.problems]
    assert paths == ["migrations[0].renamed.operations.monitoring", "migrations[0].rescaled.hr.nope"]


def test_compare_across_versions_uses_the_declared_migration(
        v1: Framework, v2m: Framework, t0: smesdk.AnswerSet) -> None:
    moved = migrate_answers(t0, v2m, "1.0.0")
    a1 = attrs.evolve(moved.answers, answers={
        **moved.answers.answers, "strategy.plan": smesdk.Answer("yes"),
        "hr.contracts": smesdk.Answer(True)})
    c = compare(v1.assess(t0), v2m.assess(a1), answers=(t0, a1), frameworks=(v1, v2m))
    # T0' = T0 migrated, plan and contracts counted at their worst (no, no):
    # strategy mean(3/4, 0) = 37.5, hr mean(1, 1/2, 0) = 50, operations 90
    # -> (37.5 + 50 + 90)/3 = 59.1667; T1 = 86.9444 (test above)
    assert c.total.model == D("59.1667") - D("72.5")
    assert c.total.practice == D("86.9444") - D("59.1667")
    assert {(x.indicator, x.what) for x in c.carried} == {
        ("strategy.plan", "dropped"), ("strategy.plan", "assumed worst"),
        ("hr.contracts", "assumed worst")}


def test_cli(v2m_file: Path, tmp_path: Path) -> None:
    code, out = invoke("framework-diff", str(EXAMPLE_SPEC), str(v2m_file), "--json")
    assert code == 0, out
    assert len(json.loads(out)["changes"]) == 13
    code, out = invoke("framework-diff", "example", str(v2m_file), "--lang", "en")
    assert "Key processes monitored in real time [indicator operations.monitoring → " \
           "operations.realtime]" in " ".join(out.split())  # lines wrap within 80 columns
    target = tmp_path / "t0-v2.yaml"
    code, out = invoke("migrate", str(ANSWERS), "--to", str(v2m_file), "-o", str(target),
                       "--lang", "en")
    assert code == 0, out
    assert "needs an answer: Labour contracts [hr.contracts]" in out
    assert "not carried: Goals broken down [strategy.plan] — option 'partly'" in out
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["answers"]["hr.training_hours"] == 1.5 and "expected" not in written
    code, out = invoke("migrate", str(ANSWERS), "--to", "example")
    assert code == 1 and "declares migrations from no version: give --from" in out


def test_digital_2022_to_2024_level_rule() -> None:
    """The real two-edition case, as far as the published 2022 items allow: the digital
    plugin's edition_2022 profile keeps the indicators and replaces only the levels (the 2022
    notice's bands 20/40/60/80, no gates); the 2024 edition keeps the bands and adds the
    scene-count gates. So only the four levels change: their gates (re-levelled) and their
    citation and status (2022 notice, derived -> 2024 index)."""
    old = smesdk.load_framework("digital", "edition_2022")
    new = smesdk.load_framework("digital")
    d = diff_frameworks(old, new)
    assert sorted((c.kind, c.item, c.id, tuple(c.fields)) for c in d.changes) == sorted(
        [("relevelled", "level", lv, ("gate",)) for lv in ("l1", "l2", "l3", "l4")]
        + [("changed", "level", lv, ("source", "status")) for lv in ("l1", "l2", "l3", "l4")])
    # The example blocked by scenes: 70.15 points is level 3 by the 2022 bands (60-80) but
    # level 2 under 2024's gates. Same answers, so the whole change is model change.
    answers = smesdk.load_answers(ROOT / "plugins/digital/examples/03_level2_blocked_by_scenes.yaml")
    c = compare(old.assess(answers), new.assess(answers), answers=(answers, answers),
                frameworks=(old, new))
    assert (c.total.points, c.total.model, c.total.practice) == (D(0), D(0), D(0))
    assert c.level_before is not None and c.level_after is not None
    assert (c.level_before.id, c.level_after.id) == ("l3", "l2")
    assert (c.level.model, c.level.practice) == (D(-1), D(0))
    assert c.carried == []


def test_framework_diff_names_the_kind_of_item_in_chinese(v2m_file: Path) -> None:
    code, out = invoke("framework-diff", "example", str(v2m_file), "--lang", "zh")
    assert code == 0, out
    # hr.contracts is an indicator v2 adds, strategy a dimension it re-weights (conftest)
    assert "劳动合同 [指标 hr.contracts]" in out and "[维度 strategy]" in out
    assert "indicator" not in out and "dimension" not in out
