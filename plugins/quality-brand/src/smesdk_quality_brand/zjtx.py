"""专精特新中小企业认定标准, indicator 6 (质量管理水平), computed exactly as published.

Published rule (工信部企业〔2022〕63号, annex 2, indicator 6; H confidence in the project's
reference notes): 3 points for each item met, capped at 5 points. The items are
A 省级以上质量奖, B 质量管理体系认证 (ISO 9001 or similar), C 自主品牌, D 参与制修订标准.

In this framework each item is a yes/no indicator (and shared fact). An item is met when
its indicator was answered "yes" with evidence that had not expired on the assessment date;
an expired certificate counts as absent, as does N/A or no answer. Item B reads "ISO9001等"
(ISO 9001 *and the like*) without listing the others, so it is also met by the sector QMS
certificate of ``quality.t02.cert_qms_other``; which certificates count there is this
plugin's list (``OTHER_QMS``, marked derived).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from smesdk import Text

if TYPE_CHECKING:
    from smesdk import AnswerSet, Framework, IndicatorResult, Result

POINTS_PER_ITEM = 3
CAP = 5
FACT_KEY = "zjtx.quality_management_points"
SECTION = "zjtx_quality_management"
SOURCE = {"doc": "zjtx", "clause": "附件2 指标6", "number": "工信部企业〔2022〕63号"}

_YES = {"yes", "y", "true", "是", "有"}


@attrs.frozen
class Item:
    letter: str
    indicator: str
    fact: str
    title: Text
    #: other (indicator, fact) pairs that also meet the item
    alternatives: tuple[tuple[str, str], ...] = ()


#: Quality-management-system certifications accepted for item B besides ISO 9001: the rule
#: says "ISO9001等" and does not enumerate, so this list is derived (sector QMS standards
#: built on ISO 9001).
OTHER_QMS: tuple[tuple[str, Text], ...] = (
    ("IATF 16949", Text(zh="汽车行业", en="automotive")),
    ("ISO 13485", Text(zh="医疗器械", en="medical devices")),
    ("GJB 9001C", Text(zh="武器装备", en="defence equipment")),
    ("AS9100", Text(zh="航空航天", en="aerospace")),
    ("ISO/TS 22163", Text(zh="轨道交通", en="railway")),
    ("TL 9000", Text(zh="电信", en="telecommunications")),
)


ITEMS: tuple[Item, ...] = (
    Item("A", "quality.t02.quality_award", "award.quality.provincial",
         Text(zh="省级以上质量奖", en="Provincial-or-higher quality award")),
    Item("B", "quality.t02.cert_qms", "cert.iso9001.valid",
         Text(zh="建立质量管理体系，获得ISO9001等认证证书",
              en="Quality management system certified to ISO 9001 or similar"),
         (("quality.t02.cert_qms_other", "cert.qms_other.valid"),)),
    Item("C", "brand.t11.own_brand", "brand.own_brand",
         Text(zh="拥有自主品牌", en="Owns a brand of its own")),
    Item("D", "standards.t08.drafted", "standards.drafted",
         Text(zh="参与制修订标准", en="Took part in drafting standards")),
)


def points_for(items_met: int) -> int:
    """The published rule: 3 points per item met, capped at 5."""
    if not 0 <= items_met <= len(ITEMS):
        raise ValueError(f"between 0 and {len(ITEMS)} items can be met, not {items_met}")
    return min(CAP, POINTS_PER_ITEM * items_met)


def _is_yes(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in _YES


#: How one item's status is chosen from its indicators': the first found in this order.
_PRECEDENCE = ("met", "expired", "no", "na", "unanswered")


def item_status(item: Item, answers: AnswerSet | None, result: Result | None) -> str:
    """'met', 'no', 'expired', 'na' or 'unanswered' for one item (met by any of its indicators)."""
    index = result.indicators_by_id() if result is not None else None
    return _item_status(item, answers, result, index)


def _item_status(item: Item, answers: AnswerSet | None, result: Result | None,
                 index: Mapping[str, IndicatorResult] | None) -> str:
    if not item.alternatives:  # one indicator: its status is the item's
        return _one_status(item.indicator, item.fact, answers, result, index)
    found = {_one_status(iid, fact, answers, result, index)
             for iid, fact in ((item.indicator, item.fact), *item.alternatives)}
    return next(s for s in _PRECEDENCE if s in found)


def _one_status(indicator: str, fact: str, answers: AnswerSet | None,
                result: Result | None, index: Mapping[str, IndicatorResult] | None) -> str:
    ind = index.get(indicator) if index is not None else None
    if result is not None and ind is not None:
        if ind.status == "scored":
            return "met" if ind.answer is True else "no"
        if ind.status == "unscored":  # an alternative that adds no points of its own
            if ind.answer is not True:
                return "no"
            given = (ind.evidence or {}).get("expires")
            if isinstance(given, str):
                given = dt.date.fromisoformat(given)
            lapsed = isinstance(given, dt.date) and given < result.assessed_on
            return "expired" if lapsed else "met"
        if ind.status == "expired":
            return "expired"
        return "na" if ind.status in ("na", "not_applicable") else "unanswered"
    # The indicator is not in this (profiled) framework: read the answer set directly.
    if answers is None:
        return "unanswered"
    ans = answers.answers.get(indicator) or answers.facts.get(fact)
    if ans is None:
        return "unanswered"
    if ans.na:
        return "na"
    expires: dt.date | None = ans.evidence.expires if ans.evidence else None
    if expires is not None and expires < answers.date:
        return "expired"
    return "met" if _is_yes(ans.value) else "no"


def reads_answers(framework: Framework) -> bool:
    """Whether :func:`compute` reads the answer set for this framework: only for an item
    indicator the framework (its profile) leaves out of the result."""
    reads = _READS_ANSWERS.get(framework)
    if reads is None:
        reads = _READS_ANSWERS[framework] = not all(
            iid in framework.names
            for item in ITEMS for iid in (item.indicator, *(a for a, _ in item.alternatives)))
    return reads


#: Framework -> :func:`reads_answers` (asked by each hook; a framework never changes).
_READS_ANSWERS: weakref.WeakKeyDictionary[Framework, bool] = weakref.WeakKeyDictionary()


def compute(answers: AnswerSet | None, result: Result | None = None) -> dict[str, Any]:
    """The indicator-6 section: each item, how many are met, and the points."""
    index = result.indicators_by_id() if result is not None else None
    rows = []
    for item in ITEMS:
        status = _item_status(item, answers, result, index)
        rows.append({
            "item": item.letter,
            "title": {"zh": item.title.zh, "en": item.title.en},
            "indicator": item.indicator,
            "status": status,
            "met": status == "met",
        })
    met = sum(1 for r in rows if r["met"])
    return {
        "title": {"zh": "专精特新中小企业认定指标6：质量管理水平",
                  "en": "Criteria for specialised, refined, distinctive and innovative (专精特新) "
                        "SMEs, indicator 6: quality management level"},
        "status": "official",
        "source": dict(SOURCE),
        "rule": {"zh": "每满足一项得3分，最高5分", "en": "3 points per item met, capped at 5"},
        "items": rows,
        "items_met": met,
        "points": points_for(met),
        "max_points": CAP,
    }


def applies(framework: Framework) -> bool:
    return framework.id == "quality-brand"
