"""smesdk plugin ``digital``: the 2024 SME digital-level index and the SME Digital
Transformation Guide's evaluate-plan-implement-optimise loop.

The framework itself is data (``digital.yaml``); the hooks below add what the format
cannot express: the priority matrix of guide 二（一）, the scenes blocking the next level
by name, a re-assessment baseline for guide 二（五）, and the glossary's product advice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smesdk import assessment_scratch, for_frameworks, hookimpl
from smesdk_digital import analysis

__all__ = ["SPEC_PATH"]

SPEC_PATH = Path(__file__).parent / "digital.yaml"


@hookimpl
def smesdk_register_frameworks(register: Any) -> None:
    register(SPEC_PATH)


@hookimpl
@for_frameworks(analysis.FRAMEWORK_ID)
def smesdk_enrich_result(framework: Any, answers: Any, result: Any) -> dict[str, Any] | None:
    return analysis.enrich(framework, answers, result, _levels(framework, result))


@hookimpl
@for_frameworks(analysis.FRAMEWORK_ID)
def smesdk_report_sections(framework: Any, result: Any) -> list[Any] | None:
    from smesdk_digital.sections import sections

    return sections(framework, result)


@hookimpl
@for_frameworks(analysis.FRAMEWORK_ID)
def smesdk_recommendations(framework: Any, result: Any) -> list[Any] | None:
    return analysis.recommendations(framework, result, _levels(framework, result))


def _levels(framework: Any, result: Any) -> dict[str, int | None]:
    """The scene levels, read once per assessment for the advice and the sections alike."""
    scratch = assessment_scratch()
    if "digital.scene_levels" not in scratch:
        scratch["digital.scene_levels"] = analysis.scene_levels(framework, result)
    levels: dict[str, int | None] = scratch["digital.scene_levels"]
    return levels
