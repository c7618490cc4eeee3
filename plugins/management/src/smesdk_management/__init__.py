"""smesdk plugin: the Management Uplift Guide for Industrial SMEs (工信厅企业〔2024〕54号).

The framework itself is data (``management.yaml``). The code here adds what the format cannot
say: advice for each failed red line, and for each capability area with gaps the public
services of the guide's section 十一 that fit it (as recommendations and as the ``management``
section of the result's extensions). See :mod:`smesdk_management.services`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smesdk import hookimpl
from smesdk_management.services import (
    catalogue,
    red_line_recommendations,
    service_plan,
    service_recommendations,
)

FRAMEWORK_ID = "management"
SPEC = Path(__file__).parent / "management.yaml"

__all__ = ["FRAMEWORK_ID", "SPEC"]


@hookimpl
def smesdk_register_frameworks(register: Any) -> None:
    register(SPEC)
    catalogue()  # the service table is part of the framework: read with it, not mid-assessment


@hookimpl
def smesdk_recommendations(framework: Any, result: Any) -> list[Any] | None:
    if framework.id != FRAMEWORK_ID:
        return None
    return red_line_recommendations(framework, result) + service_recommendations(framework, result)


@hookimpl
def smesdk_report_sections(framework: Any, result: Any) -> list[Any] | None:
    if framework.id != FRAMEWORK_ID:
        return None
    from smesdk_management.sections import sections

    return sections(framework, result)


@hookimpl
def smesdk_enrich_result(framework: Any, answers: Any, result: Any) -> dict[str, Any] | None:
    if framework.id != FRAMEWORK_ID:
        return None
    return {"management": service_plan(framework, result)}
