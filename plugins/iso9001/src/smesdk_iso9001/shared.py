"""What the result hooks of one assessment share: the step tracker, the stage gates, the
diagnosis and the verdict. The recommendations, the result section and the exported fact all
need them, so they are worked out once per assessment (kept in
:func:`smesdk.assessment_scratch`), not once per hook."""

from __future__ import annotations

from typing import Any

import attrs

from smesdk import Result, assessment_scratch
from smesdk_iso9001.diagnosis import diagnose
from smesdk_iso9001.engagement import gate_checks, readiness_verdict, steps

KEY = "iso9001.shared"


@attrs.frozen
class Shared:
    """One assessment's readings; the hooks only read them (the lists go out in the result)."""

    steps: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    notices: list[dict[str, Any]]
    diagnosis: dict[str, Any]
    verdict: dict[str, Any]


def assessment_reading(framework: Any, result: Result) -> Shared:
    """This assessment's readings, worked out by the first hook that asks."""
    scratch = assessment_scratch()
    found: Shared | None = scratch.get(KEY)
    if found is None:
        step_list = steps(framework, result)
        checks, notices = gate_checks(framework, result)
        found = scratch[KEY] = Shared(
            steps=step_list, checks=checks, notices=notices,
            diagnosis=diagnose(framework, result),
            verdict=readiness_verdict(framework, result, step_list=step_list,
                                      gates=(checks, notices)))
    return found
