"""smesdk plugin: the Management Uplift Guide for Industrial SMEs (工信厅企业〔2024〕54号).

The framework itself is data (``management.yaml``). The code here adds what the format cannot
say: advice for each failed red line, and for each capability area with gaps the public
services of the guide's section 十一 that fit it (as recommendations and as the ``management``
section of the result's extensions). See :mod:`smesdk_management.services`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smesdk import assessment_scratch, for_frameworks, hookimpl
from smesdk.services import core_vocabulary
from smesdk_management.services import (
    Area,
    areas_weakest_first,
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
    # The service table and the core vocabulary it names are part of the framework: read them
    # with it, not in the middle of its first assessment.
    catalogue()
    core_vocabulary()


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_recommendations(framework: Any, result: Any) -> list[Any] | None:
    areas = _areas(framework, result)
    return (red_line_recommendations(framework, result, areas=areas)
            + service_recommendations(framework, result, areas=areas))


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_report_sections(framework: Any, result: Any) -> list[Any] | None:
    from smesdk_management.sections import sections

    return sections(framework, result)


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_enrich_result(framework: Any, answers: Any, result: Any) -> dict[str, Any] | None:
    return {"management": service_plan(framework, result, areas=_areas(framework, result))}


def _areas(framework: Any, result: Any) -> list[Area]:
    """The areas weakest first, once per assessment: the advice and the section share them
    (the list is only read)."""
    scratch = assessment_scratch()
    if "management.areas" not in scratch:
        scratch["management.areas"] = areas_weakest_first(framework, result)
    areas: list[Area] = scratch["management.areas"]
    return areas
