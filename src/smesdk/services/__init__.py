"""Public services for SMEs: a vocabulary of services, which of them close an enterprise's
gaps, and which concrete offers of a platform's catalogue deliver them (docs/services.md).

::

    result = smesdk.load_framework("management").assess(answers)
    for need in result.matched_services():
        print(need.title.en, need.gap_points)
"""

from __future__ import annotations

from smesdk.services.match import IndicatorGap, RedLine, ServiceMatch, matched_services
from smesdk.services.vocabulary import Service, ServiceArea, Vocabulary, core_vocabulary

__all__ = [
    "IndicatorGap",
    "RedLine",
    "Service",
    "ServiceArea",
    "ServiceMatch",
    "Vocabulary",
    "core_vocabulary",
    "matched_services",
]
