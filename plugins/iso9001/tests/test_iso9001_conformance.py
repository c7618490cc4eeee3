"""The core's conformance suite and property tests, for the full framework and `micro`."""

from __future__ import annotations

from pathlib import Path

from smesdk.testing import FrameworkSuite


class TestIso9001Conformance(FrameworkSuite):
    framework = "iso9001"
    profiles = (None, "micro")
    examples = str(Path(__file__).parents[1] / "examples" / "*.yaml")
    references = str(Path(__file__).parents[1] / "src" / "smesdk_iso9001" / "references.yaml")
