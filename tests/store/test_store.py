"""The store on SQLite and PostgreSQL: record, history, re-explain, export and import."""

from __future__ import annotations

import json

import attrs
import pytest
import sqlalchemy as sa

import smesdk
from smesdk.framework import Framework
from smesdk.store import open_store


def _firm(answers: smesdk.AnswerSet, **changes: object) -> smesdk.AnswerSet:
    return attrs.evolve(answers, enterprise=attrs.evolve(answers.enterprise, **changes))


def test_record_then_history_and_re_explain(db_url: str, example_fw: Framework,
                                            example_answers: smesdk.AnswerSet) -> None:
    store = open_store(db_url)
    quick = example_fw.with_profile("quick")
    later = attrs.evolve(example_answers, date=example_answers.date.replace(year=2027),
                         answers={k: v for k, v in example_answers.answers.items()
                                  if k in quick.indicator_ids})
    first = store.record(example_fw, example_answers, source="t0.yaml")
    store.record(quick, later, source="t1.yaml")
    store.record(example_fw, _firm(example_answers, name="另一家公司"))

    entries = store.history("示例精密机械有限公司")
    # oldest first; the other firm is not listed
    assert [(e.assessed_on.year, e.profile, e.source) for e in entries] == [
        (2026, None, "t0.yaml"), (2027, "quick", "t1.yaml")]
    # the example's documented hand result: total 72.5, level "standard"
    assert (entries[0].total, entries[0].level) == ("72.5000", "standard")
    assert [e.profile for e in store.history("示例精密机械有限公司", framework="example")] == [
        None, "quick"]
    assert store.history("示例精密机械有限公司", framework="digital") == []

    stored = store.assessment(first.uid[:8])
    assert stored.result == first.result
    assert stored.result.to_json() == first.result.to_json()
    # the snapshot rebuilds the very framework: re-scoring the stored answers gives the same bytes
    again = store.framework(first.result.provenance.content_hash)
    assert again.content_hash == example_fw.content_hash
    assert again.assess(stored.answers).to_json() == first.result.to_json()
    assert store.framework(entries[1].content_hash).profile == "quick"


def test_enterprise_is_found_by_credit_code(db_url: str, example_fw: Framework,
                                            example_answers: smesdk.AnswerSet) -> None:
    store = open_store(db_url)
    code = "91330200MA2XXXXXX1"
    store.record(example_fw, _firm(example_answers, credit_code=code))
    # renamed firm, same credit code: the same enterprise
    store.record(example_fw, _firm(example_answers, credit_code=code, name="新名称有限公司"))
    assert len(store.history(code)) == 2
    assert store.enterprises() == [(code, "示例精密机械有限公司")]


def test_a_failing_batch_writes_nothing(db_url: str, example_fw: Framework,
                                        example_answers: smesdk.AnswerSet) -> None:
    store = open_store(db_url)
    bad = smesdk.answers_from_data({"enterprise": {"name": "x", "size": "small"},
                                    "date": "2026-11-01", "answers": {"strategy.mission": 9}})
    with pytest.raises(smesdk.AnswerError):
        store.record_many([(example_fw, example_answers, None), (example_fw, bad, None)])
    assert store.history("示例精密机械有限公司") == []
    with store.engine.connect() as connection:
        for table in ("enterprises", "answer_sets", "results", "framework_specs"):
            assert connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0


def test_a_result_of_another_framework_is_refused(db_url: str, example_fw: Framework,
                                                  example_answers: smesdk.AnswerSet) -> None:
    store = open_store(db_url)
    quick = example_fw.with_profile("quick")
    quick_result = quick.assess(attrs.evolve(example_answers, answers={
        k: v for k, v in example_answers.answers.items() if k in quick.indicator_ids}))
    with pytest.raises(smesdk.SmesdkError, match="not the framework given"):
        store.record(example_fw, example_answers, result=quick_result)


def test_export_import_round_trip_between_engines(db_url: str, tmp_path: object,
                                                  example_fw: Framework,
                                                  example_answers: smesdk.AnswerSet) -> None:
    source = open_store(f"sqlite:///{tmp_path}/source.sqlite")
    source.record(example_fw, example_answers, source="a.yaml")
    quick = example_fw.with_profile("quick")
    source.record(quick, attrs.evolve(example_answers, answers={
        k: v for k, v in example_answers.answers.items() if k in quick.indicator_ids}))
    lines = list(source.export_lines())
    # two spec snapshots (full and quick), then two assessments
    assert [json.loads(line)["record"] for line in lines] == ["spec", "spec", "assessment",
                                                              "assessment"]
    target = open_store(db_url)
    assert target.import_lines(lines) == (2, 0)
    assert target.import_lines(lines) == (0, 2)  # re-running adds nothing
    assert list(target.export_lines()) == lines   # byte for byte, across engines


def test_a_bad_import_lists_every_line_and_writes_nothing(db_url: str, example_fw: Framework,
                                                          example_answers: smesdk.AnswerSet) -> None:
    source = open_store(db_url)
    source.record(example_fw, example_answers)
    good = list(source.export_lines())
    spec_line, assessment_line = good
    wrong_result = json.loads(assessment_line)
    wrong_result["uid"] = "f" * 32
    wrong_result["result"]["total"] = "not a number"
    extra = json.loads(assessment_line)
    extra["uid"] = "e" * 32
    extra["colour"] = "red"
    target = open_store(db_url.replace("store.sqlite", "other.sqlite")) if db_url.startswith(
        "sqlite") else source
    lines = [spec_line, "{not json", json.dumps(wrong_result), json.dumps(extra), "[1]"]
    with pytest.raises(smesdk.SmesdkError) as caught:
        target.import_lines(lines, file="dump.jsonl")
    where = [p.path.split(":")[0] for p in caught.value.problems]
    assert where == ["line 2", "line 3", "line 4", "line 5"]
    assert all(p.file == "dump.jsonl" for p in caught.value.problems)
    assert "colour" in str(caught.value)
    assert len(target.history("示例精密机械有限公司")) == (0 if target is not source else 1)


def test_missing_snapshot_is_refused(db_url: str, example_fw: Framework,
                                     example_answers: smesdk.AnswerSet, tmp_path: object) -> None:
    source = open_store(f"sqlite:///{tmp_path}/source.sqlite")
    source.record(example_fw, example_answers)
    _, assessment_line = source.export_lines()
    with pytest.raises(smesdk.SmesdkError, match="no framework snapshot sha256:"):
        open_store(db_url).import_lines([assessment_line])


def test_a_result_of_other_answers_is_refused(db_url: str, example_fw: Framework,
                                              example_answers: smesdk.AnswerSet) -> None:
    store = open_store(db_url)
    other = _firm(example_answers, name="另一家公司")
    with pytest.raises(smesdk.SmesdkError, match="another enterprise or date"):
        store.record(example_fw, other, result=example_fw.assess(example_answers))
