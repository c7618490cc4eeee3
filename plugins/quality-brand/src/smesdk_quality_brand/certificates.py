"""The certificate facts of the answer set, with their evidence and whether it was valid.

Certificates are the indicators whose shared fact key starts with ``cert.``. The core already
scores an answer whose evidence expired before the assessment date as the worst answer and
warns ``expired``; this section shows, per certificate answered, what was claimed and what counted.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smesdk import Framework, Result

SECTION = "certificates"


def compute(framework: Framework, result: Result) -> list[dict[str, Any]]:
    index = result.indicators_by_id()
    rows = []
    for iid in certificate_ids(framework):
        res = index[iid]
        if res.status in ("na", "not_applicable", "unanswered", "prerequisite_unmet"):
            continue
        evidence = res.evidence or {}
        rows.append({
            "indicator": iid,
            "status": res.status,
            "counted_as_held": res.status == "scored" and res.answer is True,
            "reference": evidence.get("reference"),
            "issuer": evidence.get("issuer"),
            "expires": evidence.get("expires"),
        })
    return rows


#: Framework -> its certificate indicators: specs never change, so they are found once.
_CERTIFICATES: weakref.WeakKeyDictionary[Framework, tuple[str, ...]] = weakref.WeakKeyDictionary()


def certificate_ids(framework: Framework) -> tuple[str, ...]:
    """The indicators whose shared fact key starts with ``cert.``, in document order."""
    ids = _CERTIFICATES.get(framework)
    if ids is None:
        ids = _CERTIFICATES[framework] = tuple(
            iid for iid, ind in framework.iter_indicators() if (ind.fact or "").startswith("cert."))
    return ids
