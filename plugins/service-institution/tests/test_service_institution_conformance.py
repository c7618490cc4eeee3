"""The core's conformance suite and property tests, for the full framework and `library`."""

from __future__ import annotations

from pathlib import Path

from smesdk.testing import FrameworkSuite


class TestServiceInstitutionConformance(FrameworkSuite):
    framework = "service-institution"
    profiles = (None, "library")
    examples = str(Path(__file__).parents[1] / "examples" / "*.yaml")
    references = str(Path(__file__).parents[1] / "src" / "smesdk_service_institution"
                     / "references.yaml")
