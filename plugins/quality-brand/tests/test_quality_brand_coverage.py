"""The framework covers every enterprise-facing task of the action with cited indicators.

The task list below is written from the seed text (003, 三、重点任务), not read from the spec.
"""

from __future__ import annotations

import re

import pytest

import smesdk

# 三、重点任务 (一)–(十三) are enterprise-facing; (十四)–(十五) are about service bodies.
ENTERPRISE_TASKS = {
    "一": "提升质量标准品牌意识",
    "二": "建立先进质量管理体系",
    "三": "推广质量管理数字化",
    "四": "提高产品质量水平",
    "五": "推动产品质量分级",
    "六": "防控质量风险",
    "七": "增强标准化能力",
    "八": "支持参与标准制定",
    "九": "强化标准的融通发展作用",
    "十": "持续推进贯标达标",
    "十一": "完善品牌管理",
    "十二": "强化品牌培育",
    "十三": "推动开展质量标准品牌价值评估",
}
SERVICE_TASKS = {"十四", "十五"}

# Where each task belongs among the four top-level dimensions (from the issue).
TASK_AREA = {
    "一": "awareness",
    "二": "quality", "三": "quality", "四": "quality", "五": "quality", "六": "quality",
    "七": "standards", "八": "standards", "九": "standards", "十": "standards",
    "十一": "brand", "十二": "brand", "十三": "brand",
}

CLAUSE = re.compile(r"^三（([一二三四五六七八九十]+)）$")


@pytest.fixture(scope="module")
def fw() -> smesdk.Framework:
    return smesdk.load_framework("quality-brand")


def _task_of(ind) -> str | None:
    if ind.source.primary.doc != "003":
        return None
    m = CLAUSE.match(ind.source.primary.clause)
    return m.group(1) if m else None


def test_every_enterprise_task_has_a_cited_scored_indicator(fw):
    covered: dict[str, list[str]] = {}
    for iid, ind in fw.iter_indicators():
        task = _task_of(ind)
        if task is not None and ind.scored:
            covered.setdefault(task, []).append(iid)
    missing = sorted(set(ENTERPRISE_TASKS) - set(covered))
    assert not missing, f"tasks without a cited indicator: {missing}"
    assert len(ENTERPRISE_TASKS) == 13


def test_tasks_sit_in_their_area(fw):
    for iid, ind in fw.iter_indicators():
        task = _task_of(ind)
        if task is not None:
            assert iid.split(".")[0] == TASK_AREA[task], (iid, task)


def test_service_tasks_are_not_scored_as_enterprise_indicators(fw):
    for iid, ind in fw.iter_indicators():
        assert _task_of(ind) not in SERVICE_TASKS, iid


def test_four_top_level_dimensions_and_thirteen_task_dimensions(fw):
    tops = [d.id for d in fw.spec.dimensions]
    assert tops == ["awareness", "quality", "standards", "brand"]
    subs = {f"{d.id}.{s.id}": s for d in fw.spec.dimensions for s in d.dimensions}
    assert len(subs) == 13
    # Each task sub-dimension cites its own task, and its title starts with the task number.
    for task, title in ENTERPRISE_TASKS.items():
        hits = [s for s in subs.values()
                if s.source and s.source.primary.clause == f"三（{task}）"]
        assert len(hits) == 1, task
        assert hits[0].title.zh == f"（{task}）{title}", hits[0].title.zh


def test_every_indicator_cites_a_known_document_and_has_a_status(fw):
    docs = {fw.spec.source.id, *(r.id for r in fw.spec.references)}
    assert fw.spec.source.id == "003"
    for iid, ind in fw.iter_indicators():
        assert ind.source.primary.doc in docs, iid
        assert ind.source.primary.clause.strip(), iid
        assert ind.status in ("official", "derived", "unverified"), iid
        # No number in this framework is published by the action itself.
        assert ind.status == "derived", iid


def test_every_user_facing_text_is_bilingual(fw):
    def texts(ind):
        yield ind.title
        yield ind.question
        yield from (o.label for o in ind.options)
        yield from (s.label for s in ind.scale)
        for t in (ind.evidence, ind.recommendation, ind.status_note, ind.unit):
            if t is not None:
                yield t

    for iid, ind in fw.iter_indicators():
        for t in texts(ind):
            assert t.zh.strip() and t.en.strip(), iid
            assert re.search(r"[\u4e00-\u9fff]", t.zh), (iid, t.zh)
    for lv in fw.spec.levels:
        assert lv.title.zh and lv.title.en and lv.description is not None
        assert lv.description.zh and lv.description.en


def test_every_scored_indicator_recommends_a_cited_measure(fw):
    for iid, ind in fw.iter_indicators():
        if not ind.scored:
            continue
        assert ind.recommendation is not None, iid
        # The advice names the clause of the action it paraphrases.
        assert "三（" in ind.recommendation.zh and "三（" in ind.recommendation.en, iid


def test_the_action_s_named_measures_appear_in_the_advice(fw):
    advice = " ".join(ind.recommendation.zh for _, ind in fw.iter_indicators()
                      if ind.recommendation is not None)
    for measure in ("检测券", "标准化现场诊断", "品牌培育", "千企百城", "巡回问诊",
                    "领跑者", "质量管理体系认证提升行动"):
        assert measure in advice, measure


def test_fact_keys_are_shared_as_agreed(fw):
    facts = {iid: ind.fact for iid, ind in fw.iter_indicators() if ind.fact}
    assert facts["quality.t02.cert_qms"] == "cert.iso9001.valid"
    assert facts["brand.t11.own_brand"] == "brand.own_brand"
    assert facts["standards.t08.drafted"] == "standards.drafted"
    # Task 十's list of management systems, each a certificate fact.
    certs = {f for f in facts.values() if f.startswith("cert.")}
    # Plus the sector QMS certificates that also meet 专精特新 indicator 6 item B.
    assert certs == {"cert.iso9001.valid", "cert.qms_other.valid", "cert.iso14001.valid",
                     "cert.iso45001.valid", "cert.iso28000.valid", "cert.iso50001.valid",
                     "cert.gbt23001.valid", "cert.gbt29490.valid"}
    for iid, ind in fw.iter_indicators():
        if ind.fact and ind.fact.startswith("cert."):
            assert ind.kind == "yesno" and ind.evidence is not None, iid


def test_levels_are_a_derived_ladder(fw):
    levels = fw.spec.levels
    assert [lv.id for lv in levels] == ["l1", "l2", "l3", "l4"]
    assert [int(lv.min) for lv in levels] == [20, 40, 60, 80]
    assert all(lv.status == "derived" for lv in levels)
