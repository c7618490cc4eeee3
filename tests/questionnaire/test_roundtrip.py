"""Write a questionnaire, fill it in by code, read it back: the score equals scoring the same
answers directly, for every installed framework and every profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from smesdk import AnswerSet, Framework, default_host
from smesdk.answers import Answer, Evidence
from smesdk.questionnaire import read_questionnaire, write_questionnaire
from smesdk.questionnaire.layout import (
    COL_ANSWER,
    COL_EV_DESCRIPTION,
    COL_EV_EXPIRES,
    COL_EV_REFERENCE,
    COL_NA,
    COL_REASON,
    build_layout,
)
from smesdk.questionnaire.values import to_cell
from smesdk.testing.strategies import answer_sets
from smesdk.text import Lang


def fill(path: Path, fw: Framework, answers: AnswerSet, lang: Lang) -> None:
    """Type an answer set into a blank form cell by cell, as a person would."""
    layout = build_layout(fw, lang)
    wb = load_workbook(path)
    ent, where = answers.enterprise, layout.enterprise
    info = wb[layout.instructions.name]
    sizes = {"zh": {"micro": "微型", "small": "小型", "medium": "中型"},
             "en": {"micro": "micro", "small": "small", "medium": "medium"}}[lang]
    for field, value in (("name", ent.name), ("size", sizes[ent.size]), ("industry", ent.industry),
                         ("region", ent.region), ("credit_code", ent.credit_code),
                         ("date", answers.date), ("assessor", answers.assessor)):
        if value is not None:
            info.cell(*where[field]).value = value
    for sheet in layout.dimensions:
        ws = wb[sheet.name]
        for q in sheet.questions:
            ans = answers.answers.get(q.iid)
            if ans is None:
                continue
            assert ws.cell(q.row, 1).value == q.iid  # the id column names the row
            if ans.na:
                ws.cell(q.row, COL_NA).value = "不适用" if lang == "zh" else "N/A"
                ws.cell(q.row, COL_REASON).value = ans.reason
            else:
                ws.cell(q.row, COL_ANSWER).value = to_cell(fw.indicator(q.iid), fw.kinds[q.iid],
                                                           ans.value, lang)
            if ans.evidence is not None:
                ws.cell(q.row, COL_EV_DESCRIPTION).value = ans.evidence.description
                ws.cell(q.row, COL_EV_REFERENCE).value = ans.evidence.reference
                ws.cell(q.row, COL_EV_EXPIRES).value = ans.evidence.expires
    wb.save(path)


def _fillable(fw: Framework, answers: AnswerSet) -> AnswerSet:
    """A blank cell is no answer, so an empty text answer cannot be told apart from none:
    leave those out (text is unscored; a form simply has no answer there)."""
    import attrs

    kept = {iid: a for iid, a in answers.answers.items()
            if not (fw.kinds[iid].name == "text" and a.value == "" and not a.na)}
    return attrs.evolve(answers, answers=kept)


def _cases() -> list[tuple[str, str | None]]:
    host = default_host()
    out: list[tuple[str, str | None]] = []
    for fid in host.framework_ids():
        out.append((fid, None))
        out += [(fid, p) for p in host.load_framework(fid).profiles]
    return out


CASES = _cases()


def test_every_framework_and_profile_is_covered() -> None:
    ids = {fid for fid, _ in CASES}
    assert {"management", "digital", "quality-brand", "iso9001", "example", "hooktest"} <= ids
    assert ("management", "zjtx") in CASES and ("example", "quick") in CASES


@pytest.mark.parametrize(("fid", "profile"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_round_trip_scores_the_same(tmp_path_factory: pytest.TempPathFactory, fid: str,
                                    profile: str | None, data: st.DataObject) -> None:
    fw = default_host().load_framework(fid, profile)
    answers = _fillable(fw, data.draw(answer_sets(fw)))
    lang: Lang = data.draw(st.sampled_from(["zh", "en"]))
    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    write_questionnaire(fw, path, lang=lang)
    fill(path, fw, answers, lang)
    read = read_questionnaire(path, fw)
    assert fw.assess(read).to_json() == fw.assess(answers).to_json()


def test_round_trip_keeps_evidence_and_na(tmp_path: Path) -> None:
    # The example's training-hours question allows N/A; insurance carries evidence that expired
    # before the assessment date, so it scores as the worst answer (no): 0 of 1 point.
    fw = default_host().load_framework("example")
    from smesdk import load_answers
    base = load_answers(Path(__file__).parents[2] / "examples/answers/example-small-firm.yaml")
    import attrs
    answers = dict(base.answers)
    answers["hr.training_hours"] = Answer(na=True, reason="无员工培训制度要求 / none required")
    answers["hr.insurance"] = Answer(value=True, evidence=Evidence(
        description="社保缴费凭证", reference="凭证 No.12", expires=base.date.replace(year=2026, month=1)))
    fact = base.facts["cert.iso9001.valid"]  # the form has no issuer column: leave it out
    assert fact.evidence is not None
    answers["operations.qms"] = attrs.evolve(fact, evidence=attrs.evolve(fact.evidence, issuer=None))
    filled = attrs.evolve(base, answers=answers, facts={})
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="en")
    fill(path, fw, filled, "en")
    read = read_questionnaire(path, fw)
    assert read.answers["hr.training_hours"] == Answer(na=True, reason="无员工培训制度要求 / none required")
    assert read.answers["hr.insurance"].evidence == Evidence(description="社保缴费凭证",
                                                             reference="凭证 No.12",
                                                             expires=base.date.replace(year=2026, month=1))
    result = fw.assess(read)
    ind = next(i for i in result.indicators if i.id == "hr.insurance")
    assert ind.status == "expired" and ind.points == 0
    assert result.to_json() == fw.assess(filled).to_json()


def test_prefilled_form_reads_back_as_the_answer_set(tmp_path: Path) -> None:
    # examples/answers/example-small-firm.yaml scores 72.5 (worked out by hand in that file).
    from smesdk import load_answers
    fw = default_host().load_framework("example")
    answers = load_answers(Path(__file__).parents[2] / "examples/answers/example-small-firm.yaml")
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="zh", answers=answers)
    result = fw.assess(read_questionnaire(path, fw))
    assert str(result.total) == "72.5000"
