"""The core's conformance checks and Hypothesis property tests (bounds, monotonicity, N/A,
round trip, determinism) for the base framework and the profiles that change it."""

from __future__ import annotations

from pathlib import Path

import pytest

import smesdk
from smesdk.testing import FrameworkSuite, conformance_problems

EXAMPLES = str(Path(__file__).resolve().parents[1] / "examples" / "*.yaml")
ALL_PROFILES = (None, "quick", "full", "innovative", "zjtx", "little_giant", "other")


class TestManagementConformance(FrameworkSuite):
    framework = "management"
    # `full` and `other` change nothing; `innovative` is covered through zjtx → little_giant.
    profiles = (None, "quick", "zjtx", "little_giant")
    examples = EXAMPLES
    references = str(Path(__file__).parents[1] / "src" / "smesdk_management" / "references.yaml")


@pytest.mark.parametrize("profile", ALL_PROFILES, ids=[p or "base" for p in ALL_PROFILES])
def test_every_profile_is_conformant(profile: str | None) -> None:
    fw = smesdk.load_framework("management", profile)
    assert conformance_problems(fw) == []
