"""The enterprise report's "services that would help" section, from matched_services()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smesdk.errors import SmesdkError
from smesdk.report.sections import Callout, Item, RankedList, ReportSection
from smesdk.services.match import gap_text, is_tagged
from smesdk.text import Text

if TYPE_CHECKING:
    from smesdk.framework import Framework
    from smesdk.result import Result

SECTION_ID = "services"
TITLE = Text(zh="可弥补差距的服务", en="Services that would help")
SHOWN = 10
SHOWN_INDICATORS = 3


def services_sections(framework: Framework, result: Result) -> list[ReportSection]:
    """One ranked list: each service with the gap points it addresses and the indicators and
    red lines behind it; nothing for a framework that tags no services."""
    if not is_tagged(framework):
        return []
    try:
        needs = result.matched_services(framework)
    except SmesdkError as exc:
        return [Callout(id=SECTION_ID, title=TITLE, tone="warning",
                        body=Text(zh=f"无法匹配服务：{exc}", en=f"services cannot be matched: {exc}"))]
    if not needs:
        return []
    from smesdk.report.content import weakest

    items = []
    for need in needs[:SHOWN]:
        items.append(Item(
            text=Text(zh=f"{need.title.zh}（{need.area_title.zh}，{need.source.doc} {need.source.clause}）",
                      en=f"{need.title.en} ({need.area_title.en}, {need.source.doc} {need.source.clause})"),
            detail=need.why(SHOWN_INDICATORS),
            badge=Text(zh=f"{gap_text(need.gap_points)}分", en=f"{gap_text(need.gap_points)} pts")))
    hidden = len(needs) - len(items)
    return [RankedList(
        id=SECTION_ID, title=TITLE, items=items,
        status=weakest(n.status for n in needs),  # type: ignore[arg-type]
        note=Text(
            zh="按各服务可弥补的缺口分（所标记指标距满分所差的总分）排序；涉及未达底线的服务排在最前。"
               "服务与指标的对应为本工具的解读（推导）。"
               + (f"另有{hidden}项见 smesdk match。" if hidden else ""),
            en="Ranked by the gap points each service addresses (the points of the total its "
               "tagged indicators miss); services that lift a failed red line come first. Which "
               "service fits which indicator is this tool's reading (derived)."
               + (f" {hidden} more: see smesdk match." if hidden else "")))]
