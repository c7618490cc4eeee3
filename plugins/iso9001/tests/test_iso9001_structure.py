"""The framework carries what seed 004 and the ISO 9001 clause structure ask for.

The lists below are written from the guide and from official-indicators.md §4.1, not read
back from the YAML, so a dropped or renamed node fails here.
"""

from __future__ import annotations

import re

import pytest

import smesdk

# Seed 004 五（二）3: 质量意识、生产管理、技术改进、制度建设、质量效益
SURVEY_AREAS = {
    "survey.awareness": "质量意识",
    "survey.production": "生产管理",
    "survey.technical": "技术改进",
    "survey.system": "制度建设",
    "survey.benefit": "质量效益",
}
# Seed 004 五（二）7: 人、机、料、法、环、测
SIX_M = {
    "survey.production.man": "人",
    "survey.production.machine": "机",
    "survey.production.material": "料",
    "survey.production.method": "法",
    "survey.production.environment": "环",
    "survey.production.measurement": "测",
}
# ISO 9001:2015 clauses 4–10 (official-indicators.md §4.1)
CLAUSES = {"iso.c4": "4", "iso.c5": "5", "iso.c6": "6", "iso.c7": "7", "iso.c8": "8",
           "iso.c9": "9", "iso.c10": "10"}
# Seed 004 五（二）1–13
STEPS = ["统筹策划", "宣传培训", "摸底调研", "分层培训", "流程优化", "制度建设", "体系运行",
         "内部审核和管理评审", "认证评价", "指南编制/修订与案例评选", "考核评估", "工作改进",
         "过程监控"]


@pytest.fixture(scope="module")
def fw() -> smesdk.Framework:
    return smesdk.load_framework("iso9001")


def test_survey_areas_present_and_cited(fw: smesdk.Framework) -> None:
    for did, zh in SURVEY_AREAS.items():
        dim = fw.dimension(did)
        assert zh in dim.title.zh and dim.title.en
        assert dim.source is not None and dim.source.primary.doc == "004"
        assert dim.source.primary.clause.startswith("五（二）"), did
        assert dim.indicators, f"{did} has no indicators"
    assert {d.id for d in fw.dimension("survey").dimensions} == {
        k.split(".")[1] for k in SURVEY_AREAS}


def test_six_control_points_present_and_cited(fw: smesdk.Framework) -> None:
    for iid, zh in SIX_M.items():
        ind = fw.indicator(iid)
        assert ind.title.zh.startswith(zh + "："), (iid, ind.title.zh)
        assert ind.source.primary.doc == "004" and ind.source.primary.clause == "五（二）7"
        assert ind.status == "derived"


def test_clauses_4_to_10_present_and_cited_as_derived(fw: smesdk.Framework) -> None:
    assert {d.id for d in fw.dimension("iso").dimensions} == {
        k.split(".")[1] for k in CLAUSES}
    for did, clause in CLAUSES.items():
        dim = fw.dimension(did)
        assert dim.title.zh.startswith(f"第{clause}章")
        assert dim.indicators
        for ind in dim.indicators:
            assert ind.kind == "scale"
            assert [s.level for s in ind.scale] == [1, 2, 3, 4, 5]
            assert ind.source.primary.doc == "iso9001"
            assert ind.source.primary.standard == "ISO 9001:2015 / GB/T 19001-2016"
            # the cited sub-clause belongs to this clause, e.g. 8.5 under clause 8
            assert ind.source.primary.clause.split(".")[0] == clause, (ind.id, ind.source.primary.clause)
            assert ind.status == "derived"
            assert ind.status_note is not None
            assert "ISO 9004" in ind.status_note.en and "CNCA" in ind.status_note.en
    refs = {r.id: r for r in fw.spec.references}
    assert refs["iso9001"].number == "ISO 9001:2015 / GB/T 19001-2016"


def test_all_thirteen_steps_present_cited_and_unscored(fw: smesdk.Framework) -> None:
    eng = fw.dimension("engagement")
    assert eng.scored is False
    assert len(eng.dimensions) == 13
    for n, (dim, zh) in enumerate(zip(eng.dimensions, STEPS, strict=True), start=1):
        assert dim.title.zh == f"步骤{n} {zh}"
        assert dim.source is not None and dim.source.primary.clause == f"五（二）{n}"
        status = fw.indicator(f"engagement.{dim.id}.status")
        assert [o.value for o in status.options] == ["not_started", "in_progress", "done"]
        assert status.source.primary.clause == f"五（二）{n}"
        for d in ("started", "completed"):
            date = fw.indicator(f"engagement.{dim.id}.{d}")
            assert date.kind == "date" and date.required is False and date.within_days is None


def test_every_indicator_cited_with_status_and_both_languages(fw: smesdk.Framework) -> None:
    docs = {"004", "iso9001"}
    count = 0
    for iid, ind in fw.iter_indicators():
        count += 1
        assert ind.source.primary.doc in docs, iid
        assert ind.source.primary.clause, iid
        assert ind.status in ("official", "derived", "unverified"), iid
        for text in (ind.title, ind.question):
            assert text.zh and text.en, iid
            assert re.search(r"[\u4e00-\u9fff]", text.zh), f"{iid}: zh text has no Chinese"
        for opt in ind.options:
            assert opt.label.zh and opt.label.en, iid
        for step in ind.scale:
            assert step.label.zh and step.label.en, iid
    # 18 survey + 28 ISO (one per clause 4.1–10.3) + 13 x 3 step records + 16 engagement
    # details (the 15 of steps 3, 4, 8, 9 and the firm's own plan check of step 13)
    assert count == 18 + 28 + 39 + 16


def test_no_official_points(fw: smesdk.Framework) -> None:
    # CNCA publishes no point scheme: nothing scored may claim to be official.
    for iid, ind in fw.iter_indicators():
        if fw.kinds[iid].is_scored(ind):
            assert ind.status == "derived", iid
    assert all(level.status == "derived" for level in fw.spec.levels)


def test_shared_certificate_fact(fw: smesdk.Framework) -> None:
    assert fw.indicator("engagement.certification.certified").fact == "cert.iso9001.valid"


def test_micro_profile_is_lighter_but_keeps_the_core(fw: smesdk.Framework) -> None:
    micro = smesdk.load_framework("iso9001", profile="micro")
    full = {i for i, _ in fw.iter_indicators()}
    light = {i for i, _ in micro.iter_indicators()}
    assert light < full
    # 13 heavier questions, and the 9 clause questions beyond one or two per chapter
    assert len(full - light) == 13 + 9
    assert set(SIX_M) <= light
    for did in CLAUSES:  # every clause keeps at least one question
        assert micro.dimension(did).indicators
    assert "iso.c9.internal_audit" in light  # the `mature` gate needs it
