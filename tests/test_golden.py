"""The golden results (scripts/golden.py) still come out byte for byte.

They were recorded before the scoring core was redesigned; a difference means a number, a
text or a byte of some result changed. Regenerate them only when an issue says a result
changes (``python scripts/golden.py``), and say which in the commit.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
assert _spec is not None and _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def computed() -> dict[str, str]:
    return golden.compute()


def test_every_golden_file_is_produced(computed: dict[str, str]) -> None:
    on_disk = {str(p.relative_to(golden.GOLDEN)) for p in golden.GOLDEN.rglob("*") if p.is_file()}
    assert set(computed) == on_disk


@pytest.mark.parametrize("name", sorted(str(p.relative_to(ROOT / "tests" / "golden"))
                                        for p in (ROOT / "tests" / "golden").rglob("*")
                                        if p.is_file()))
def test_golden_file_unchanged(computed: dict[str, str], name: str) -> None:
    expected = (golden.GOLDEN / name).read_text(encoding="utf-8")
    got = computed.get(name)
    assert got is not None, f"{name} is no longer produced"
    if got != expected:  # show the first differing line, not 100 kB of JSON
        for i, (a, b) in enumerate(zip(got.splitlines(), expected.splitlines(), strict=False)):
            assert a == b, f"{name}: line {i + 1} differs"
        assert got == expected, f"{name}: length differs"
