"""标杆 (benchmark) candidacy: strong in all three of quality, standards and brand.

The action aims at 300 quality-standards-brand benchmark cases by 2025 (seed 003, 二) but
publishes no selection rule. Our derived rule: each of the three dimension scores is at least
the framework's ``params.benchmark_threshold`` (80 unless the spec says otherwise).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from smesdk import decimal_to_json

if TYPE_CHECKING:
    from smesdk import Framework, Result

SECTION = "benchmark_candidacy"
FACT_KEY = "quality_brand.benchmark_candidate"
DIMENSIONS = ("quality", "standards", "brand")
DEFAULT_THRESHOLD = Decimal(80)
TITLES = {
    "quality": {"zh": "质量", "en": "Quality"},
    "standards": {"zh": "标准", "en": "Standards"},
    "brand": {"zh": "品牌", "en": "Brand"},
}


def threshold(framework: Framework) -> Decimal:
    raw = framework.spec.params.get("benchmark_threshold", DEFAULT_THRESHOLD)
    return Decimal(str(raw))


@functools.lru_cache(maxsize=64)
def _rule(framework: Framework) -> tuple[Decimal, int | float, str, str]:
    """The threshold, as a number and as JSON, and the rule's texts: the framework's own,
    worked out once per framework."""
    limit = threshold(framework)
    shown = decimal_to_json(limit)
    return (limit, shown,
            f"质量、标准、品牌三方面得分均不低于{shown}（推导口径；专项行动目标为形成300个优秀标杆）",
            f"Quality, standards and brand each score at least {shown} "
            "(derived; the action aims at 300 benchmark cases)")


#: A score as JSON: scores take a few values, and equal values give the same JSON number
#: (whatever their exponent), so each is written once.
_as_json = functools.lru_cache(maxsize=1024)(decimal_to_json)


def compute(framework: Framework, result: Result) -> dict[str, Any]:
    limit, shown, rule_zh, rule_en = _rule(framework)
    found = {item.id: item.score for item in result.dimensions}  # one pass: 3 of a handful
    scores: dict[str, Any] = {}
    below: list[str] = []
    for did in DIMENSIONS:
        score = found.get(did)
        scores[did] = _as_json(score) if score is not None else None
        if score is None or score < limit:
            below.append(did)
    return {
        "title": {"zh": "质量标准品牌标杆候选",
                  "en": "Quality-standards-brand benchmark candidacy"},
        "status": "derived",
        "source": {"doc": "003", "clause": "二"},
        "rule": {"zh": rule_zh, "en": rule_en},
        "threshold": shown,
        "scores": scores,
        "below_threshold": below,
        "candidate": not below,
    }
