"""The core's conformance checks and property tests, for the base rule and every profile,
plus the core's check of each example's `expected:` total and level."""

from __future__ import annotations

from pathlib import Path

from smesdk.testing import FrameworkSuite


class TestDigitalConformance(FrameworkSuite):
    framework = "digital"
    # manufacturing only restates the base sets; producer_services_2022 combines two
    # profiles already covered (producer_services, other_2022).
    profiles = (None, "edition_2022", "producer_services", "other", "other_2022")
    examples = str(Path(__file__).parent.parent / "examples" / "*.yaml")
    references = str(Path(__file__).parents[1] / "src" / "smesdk_digital" / "references.yaml")
