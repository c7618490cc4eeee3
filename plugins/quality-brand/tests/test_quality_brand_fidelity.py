"""Source fidelity: labels earned, every task asked, the measures the review found missing asked,
citations where the action puts them, and indicator 6 computed with the published figures.

The task list and the measures below are written from seed 003, not read from the spec.
"""

from __future__ import annotations

from pathlib import Path

from smesdk_quality_brand import zjtx

import smesdk
from smesdk.testing import check_coverage, load_references, status_audit

REFERENCES = Path(__file__).parents[1] / "src" / "smesdk_quality_brand" / "references.yaml"

TASKS = {
    "一": "提升质量标准品牌意识", "二": "建立先进质量管理体系", "三": "推广质量管理数字化",
    "四": "提高产品质量水平", "五": "推动产品质量分级", "六": "防控质量风险",
    "七": "增强标准化能力", "八": "支持参与标准制定", "九": "强化标准的融通发展作用",
    "十": "持续推进贯标达标", "十一": "完善品牌管理", "十二": "强化品牌培育",
    "十三": "推动开展质量标准品牌价值评估", "十四": "加强公共服务能力建设",
    "十五": "提高公共服务水平",
}
SERVICE_SIDE = {
    "003 三（十四）": "about test and standards platforms and their capacity: service bodies, "
                    "not firms, are its subject; its measures appear in the advice",
    "003 三（十五）": "about professional service bodies' one-stop services (检测券, "
                    "标准化现场诊断, 品牌培育服务): named in the advice, not scored for firms",
}
# Measures of the tasks that a firm can be asked about, each with the task it belongs to.
MEASURES = {
    "退货": "三（六）",             # 减少退货损失
    "标准创新型企业": "三（七）",     # 争创标准创新型企业
    "领跑者": "三（七）",             # 争创企业标准“领跑者”
    "品牌培育管理体系": "三（十一）",  # 深入开展品牌培育管理体系标准推广实施
}


def test_no_official_label_and_every_other_says_why() -> None:
    audit = status_audit("quality-brand", REFERENCES)
    assert audit.problems == [], audit.table()  # the conformance suite runs it too
    assert audit.official() == []


def test_every_enterprise_task_is_asked_and_the_service_tasks_say_why_not() -> None:
    clauses = {f"003 三（{n}）": title for n, title in TASKS.items()}
    check_coverage("quality-brand", clauses, unasked=SERVICE_SIDE)


def test_the_measures_are_asked_and_cited_to_their_task() -> None:
    fw = smesdk.load_framework("quality-brand")
    for phrase, clause in MEASURES.items():
        asking = [iid for iid, ind in fw.iter_indicators()
                  if phrase in ind.question.zh or phrase in ind.title.zh]
        assert asking, phrase
        assert all(fw.indicator(iid).source.primary.clause == clause for iid in asking), (phrase, asking)


def test_indicator_6_uses_the_published_figures() -> None:
    row = next(r for r in load_references(REFERENCES).rows if r.id == "zjtx_indicator_6")
    assert row.confidence == "high"
    assert (row.figures["points_per_item"], row.figures["cap"]) == (zjtx.POINTS_PER_ITEM, zjtx.CAP)
    assert [i.letter for i in zjtx.ITEMS] == row.figures["items"]
    others = next(r for r in load_references(REFERENCES).rows if r.id == "item_b_others")
    assert [s for s, _ in zjtx.OTHER_QMS] == others.figures["list"]
    assert others.confidence != "high"  # the rule does not list them: derived
