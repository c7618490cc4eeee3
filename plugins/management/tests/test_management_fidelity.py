"""Source fidelity: no label claims more than the guide publishes; all 30 items are asked.

The item list is written from seed 000 (sections 二–十), not read from the spec.
"""

from __future__ import annotations

from pathlib import Path

from smesdk.testing import check_coverage, load_references, status_audit

REFERENCES = Path(__file__).parents[1] / "src" / "smesdk_management" / "references.yaml"

ITEMS = {
    "二（一）": "明确战略定位", "二（二）": "明晰市场定位", "二（三）": "塑造企业文化",
    "三（一）": "保障关键岗位人员配备", "三（二）": "完善薪酬制度", "三（三）": "完善培训体系",
    "三（四）": "增强员工福利",
    "四（一）": "塑造创新文化", "四（二）": "加强产品创新", "四（三）": "加强知识产权管理",
    "四（四）": "鼓励客户参与",
    "五（一）": "实施精益生产", "五（二）": "推进生产智能化", "五（三）": "强化质量管理",
    "五（四）": "注重绿色生产", "五（五）": "加强应急管理",
    "六（一）": "加强供应商管理", "六（二）": "加强库存和物流管理",
    "七（一）": "加强资质管理", "七（二）": "加强客户关系管理", "七（三）": "加强营销渠道管理",
    "八（一）": "加强现金流管理", "八（二）": "加强成本和预算管理", "八（三）": "加强内控内审",
    "八（四）": "加强融资管理",
    "九（一）": "规范企业治理", "九（二）": "推进数字化应用", "九（三）": "加强决策支持",
    "十（一）": "提升公共关系", "十（二）": "注重社会声誉和责任",
}


def test_nothing_is_official_and_every_label_says_why() -> None:
    audit = status_audit("management", REFERENCES)
    assert audit.problems == [], audit.table()  # the conformance suite runs it too
    assert audit.official() == []


def test_all_thirty_items_are_asked() -> None:
    check_coverage("management", {f"000 {c}": t for c, t in ITEMS.items()})


def test_the_reference_table_has_a_row_per_item_with_the_guides_words() -> None:
    rows = {r.clause: r for r in load_references(REFERENCES).rows if r.id.startswith("item_")}
    assert set(rows) == set(ITEMS)
    for clause, title in ITEMS.items():
        assert rows[clause].what.zh == title and rows[clause].quote, clause
