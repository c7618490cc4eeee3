"""The result hooks share the benchmark candidacy and the indicator-6 section within one
assessment, and what they give equals working each out afresh from the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import smesdk_quality_brand
from smesdk_quality_brand import benchmark, certificates, zjtx

import smesdk

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_candidacy_and_indicator6_are_worked_out_once_per_assessment(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for module, name in ((benchmark, "compute"), (zjtx, "compute")):
        real = getattr(module, name)

        def counted(*args: Any, _real: Any = real, _name: str = module.__name__) -> Any:
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(module, name, counted)
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("quality-brand", profile=answers.profile)
    result = fw.assess(answers)
    once = 1 if not zjtx.reads_answers(fw) else 2  # a profile without an item reads answers
    assert calls.count(benchmark.__name__) == 1
    assert calls.count(zjtx.__name__) == once
    monkeypatch.undo()
    # What the hooks shared is what each function gives from the result alone.
    assert result.extensions[benchmark.SECTION] == benchmark.compute(fw, result)
    assert result.extensions[zjtx.SECTION] == zjtx.compute(answers, result)
    # The certificates, found once per framework: the indicators with a ``cert.`` fact key.
    assert certificates.certificate_ids(fw) == tuple(
        iid for iid, ind in fw.iter_indicators() if (ind.fact or "").startswith("cert."))
    own = [r for r in result.recommendations if r.origin == smesdk_quality_brand.ORIGIN]
    again = smesdk_quality_brand.smesdk_recommendations(fw, result)
    assert sorted(r.text.en for r in own) == sorted(r.text.en for r in again)

