"""Every clause of seed 002 that describes a good institution is asked by an indicator."""

from __future__ import annotations

from smesdk.testing import clause_coverage

#: Written from the document: the clauses on institutions (二（四） the library's criteria,
#: 二（五） capability, 二（七） staff) and those this framework leaves out, with why.
CLAUSES = {
    "002 二（四）": "优质服务机构库：服务能力、服务管理、服务质量、服务满意度",
    "002 二（五）": "质量管理、服务承诺与制度、“六公开”、资质认证、参与标准",
    "002 二（七）": "学习培训、人员交流、绩效考评",
    "002 二（六）": "服务品牌与影响力",
}
UNASKED = {
    "002 二（六）": "publicity and service brands: outreach, not a criterion of the library (二（四）)",
}


def test_every_clause_is_asked_or_says_why():
    report = clause_coverage("service-institution", CLAUSES, unasked=UNASKED)
    assert report.problems == []
