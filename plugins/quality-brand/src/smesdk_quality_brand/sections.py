"""The quality-brand plugin's report sections: 专精特新 indicator 6 with its official status,
the benchmark candidacy, and the certificates counted, read from ``result.extensions``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from smesdk import Citation, Text
from smesdk.report.sections import Callout, ReportSection, Table, figure
from smesdk_quality_brand import benchmark, certificates, zjtx

YES, NO = Text(zh="是", en="yes"), Text(zh="否", en="no")


def indicator6(result: Any) -> list[ReportSection]:
    data = result.extensions.get(zjtx.SECTION)
    if not data:
        return []
    src = data["source"]
    head = Callout(
        id="quality-brand.zjtx6", title=Text(**data["title"]), status=data["status"],
        figure=f"{data['points']} / {data['max_points']}",
        body=Text(zh=f"满足 {data['items_met']} 项；{data['rule']['zh']}",
                  en=f"{data['items_met']} item(s) met; {data['rule']['en']}"),
        tone="success" if data["points"] >= data["max_points"] else "info",
        source=Citation(doc=src["doc"], clause=src["clause"]))
    items = Table(
        id="quality-brand.zjtx6.items", title=Text(zh="指标6的四项", en="The four items of indicator 6"),
        status=data["status"],
        columns=[Text(zh="项", en="Item"), Text(zh="内容", en="Requirement"),
                 Text(zh="已满足", en="Met")],
        rows=[[row["item"], Text(**row["title"]), YES if row["met"] else NO]
              for row in data["items"]])
    return [head, items]


def candidacy(framework: Any, result: Any) -> Callout | None:
    data = result.extensions.get(benchmark.SECTION)
    if not data:
        return None
    scores = "、".join(f"{framework.names[d].zh} {figure(Decimal(str(v)), 1)}"
                      for d, v in data["scores"].items())
    scores_en = ", ".join(f"{framework.names[d].en} {figure(Decimal(str(v)), 1)}"
                          for d, v in data["scores"].items())
    verdict = (Text(zh="是候选", en="a candidate") if data["candidate"]
               else Text(zh="尚不是候选", en="not yet a candidate"))
    return Callout(
        id="quality-brand.benchmark", title=Text(**data["title"]), status=data["status"],
        figure=verdict,
        body=Text(zh=f"{data['rule']['zh']}。当前：{scores}。",
                  en=f"{data['rule']['en']}. Now: {scores_en}."),
        tone="success" if data["candidate"] else "info",
        source=Citation(doc=data["source"]["doc"], clause=data["source"]["clause"]))


def certificate_table(framework: Any, result: Any) -> Table | None:
    rows = result.extensions.get(certificates.SECTION) or []
    if not rows:
        return None
    return Table(
        id="quality-brand.certificates", title=Text(zh="证书", en="Certificates"),
        columns=[Text(zh="证书", en="Certificate"), Text(zh="计为持有", en="Counted as held"),
                 Text(zh="有效期至", en="Valid until"), Text(zh="发证机构", en="Issuer")],
        rows=[[framework.names.get(r["indicator"], Text(zh="—", en="—")),
               YES if r["counted_as_held"] else NO, r["expires"], r["issuer"]] for r in rows])


def sections(framework: Any, result: Any) -> list[ReportSection]:
    out = indicator6(result)
    for section in (candidacy(framework, result), certificate_table(framework, result)):
        if section is not None:
            out.append(section)
    return out
