"""The core's conformance checks and property tests for the three tiers, every profile, plus
the core's check of each example's `expected:` total and level."""

from __future__ import annotations

from pathlib import Path

from smesdk.testing import FrameworkSuite

EXAMPLES = Path(__file__).parent.parent / "examples"


class TestInnovativeConformance(FrameworkSuite):
    framework = "innovative-sme"
    examples = str(EXAMPLES / "innovative-*.yaml")


class TestZjtxConformance(FrameworkSuite):
    framework = "zjtx"
    profiles = (None, "guangdong", "innovative_first")
    examples = str(EXAMPLES / "zjtx-*.yaml")


class TestLittleGiantConformance(FrameworkSuite):
    framework = "little-giant"
    examples = str(EXAMPLES / "little-giant-*.yaml")
