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
    again = smesdk_quality_brand.smesdk_recommendations(fw, result, answers)
    assert sorted(r.text.en for r in own) == sorted(r.text.en for r in again)



def test_advice_reads_the_answers_of_an_item_a_profile_leaves_out(tmp_path: Path) -> None:
    # A profile without item A's indicator (the provincial quality award): the section reads
    # the award from the answers, and the advice must agree with it, not list A as missing.
    import shutil

    import yaml

    src = Path(smesdk_quality_brand.__file__).parent
    for name in ("quality-brand.yaml", "references.yaml"):
        shutil.copy(src / name, tmp_path / name)
    spec = yaml.safe_load((tmp_path / "quality-brand.yaml").read_text("utf-8"))
    spec["profiles"].append({"id": "no-award", "title": {"zh": "无质量奖", "en": "No award"},
                             "drop": ["quality.t02.quality_award"]})
    (tmp_path / "quality-brand.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True),
                                                 "utf-8")
    fw = smesdk.default_host().load_framework(tmp_path / "quality-brand.yaml", "no-award")
    assert zjtx.reads_answers(fw)
    example = Path(__file__).parents[1] / "examples" / "benchmark-precision.yaml"
    data = yaml.safe_load(example.read_text("utf-8"))
    # the profile has no such question: the shared fact stands for it (as another
    # framework's assessment would have recorded it)
    award = data["answers"].pop("quality.t02.quality_award")
    assert award["value"] is True
    data.setdefault("facts", {})["award.quality.provincial"] = award
    for item in zjtx.ITEMS[1:]:  # B, C and D not met: 3 points of 5, so there is advice
        for iid, fact in ((item.indicator, item.fact), *item.alternatives):
            data["answers"][iid] = False
            data["facts"].pop(fact, None)
    answers = smesdk.answers_from_data(data)
    result = fw.assess(answers)
    section = result.extensions[zjtx.SECTION]
    item_a = next(row for row in section["items"] if row["item"] == "A")
    assert item_a["met"], "the section reads the award from the answers"
    assert section["points"] == 3  # one item met (3 points each, at most 5)
    (advice,) = [r.text.en for r in result.recommendations
                 if r.origin == smesdk_quality_brand.ORIGIN
                 and "quality management level" in r.text.en]
    assert "scores 3 of 5" in advice
    assert item_a["title"]["en"] not in advice
    # and the advice is what the hook gives with the answers, not without
    again = smesdk_quality_brand.smesdk_recommendations(fw, result, answers)
    own = [r for r in result.recommendations if r.origin == smesdk_quality_brand.ORIGIN]
    assert sorted(r.text.en for r in own) == sorted(r.text.en for r in again)
