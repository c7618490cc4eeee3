"""The core's conformance checks and hypothesis property tests, on the full framework and
on the `quick` profile; plus the examples' expected results through the core's checker."""

from __future__ import annotations

from pathlib import Path

from smesdk.testing import FrameworkSuite

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class TestQualityBrandConformance(FrameworkSuite):
    framework = "quality-brand"
    profiles = (None, "quick")
    examples = str(EXAMPLES / "*.yaml")
    references = str(Path(__file__).parents[1] / "src" / "smesdk_quality_brand" / "references.yaml")
