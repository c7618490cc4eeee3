"""smesdk plugin: the CNCA QMS Certification Uplift Action for micro and small enterprises.

Registers the ``iso9001`` framework (iso9001.yaml) and adds, after scoring:

* ``result.extensions["iso9001"]``: the certification-readiness verdict and its stage gates,
  the 13-step tracker, the 两难、两不、两低 diagnosis, the layered training plan (step 4) and
  the annex-1 good-practice case draft;
* 一企一策 recommendations tied to the problem, the ISO 9001 clause and the step;
* the fact ``iso9001.ready`` (the verdict is ``ready`` or ``certified``);
* the commands ``smesdk iso9001-stats FOLDER`` and ``smesdk iso9001-case FILE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smesdk import for_frameworks, hookimpl
from smesdk_iso9001.diagnosis import diagnose, recommendations, training_plan
from smesdk_iso9001.documents import case_draft, render_statistics, statistics_table
from smesdk_iso9001.engagement import readiness_verdict
from smesdk_iso9001.shared import assessment_reading

__all__ = [
    "FRAMEWORK_ID",
    "SPEC",
    "case_draft",
    "diagnose",
    "readiness_verdict",
    "render_statistics",
    "statistics_table",
    "training_plan",
]

FRAMEWORK_ID = "iso9001"
SPEC = Path(__file__).parent / "iso9001.yaml"


@hookimpl
def smesdk_register_frameworks(register: Any) -> None:
    register(SPEC)


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_recommendations(framework: Any, result: Any) -> list[Any] | None:
    seen = assessment_reading(framework, result)
    return recommendations(framework, result, seen.checks, seen.notices,
                           diagnosis=seen.diagnosis)


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_enrich_result(framework: Any, answers: Any, result: Any) -> dict[str, Any] | None:
    del answers  # everything needed is in the result, parsed
    seen = assessment_reading(framework, result)
    return {
        "iso9001": {
            "certification": seen.verdict,
            "diagnosis": seen.diagnosis,
            "training_plan": training_plan(framework, result),
            "case_draft": case_draft(framework, result, "zh", diagnosis=seen.diagnosis,
                                     step_list=seen.steps),
        }
    }


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_report_sections(framework: Any, result: Any) -> list[Any] | None:
    from smesdk_iso9001.sections import sections

    return sections(result)


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_export_facts(framework: Any, result: Any) -> dict[str, Any] | None:
    verdict = assessment_reading(framework, result).verdict["verdict"]
    return {"iso9001.ready": verdict in ("ready", "certified")}


@hookimpl
def smesdk_register_commands(cli: Any) -> None:
    from smesdk_iso9001.cli import case_command, stats_command

    cli.add_command(stats_command)
    cli.add_command(case_command)
