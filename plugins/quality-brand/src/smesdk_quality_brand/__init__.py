"""smesdk plugin: the Quality, Standards and Brand Special Action for SMEs (framework
``quality-brand``), with the 专精特新 quality-management indicator and 标杆 candidacy."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smesdk import (
    Citation,
    Recommendation,
    Text,
    assessment_scratch,
    for_frameworks,
    hookimpl,
)
from smesdk_quality_brand import benchmark, certificates, zjtx

if TYPE_CHECKING:
    from collections.abc import Callable

    from smesdk import AnswerSet, Framework, Result

FRAMEWORK_ID = "quality-brand"
SPEC_FILE = Path(__file__).parent / "quality-brand.yaml"
ORIGIN = "quality-brand"
GLOSS = "specialised, refined, distinctive and innovative (专精特新)"

__all__ = ["FRAMEWORK_ID", "SPEC_FILE"]


def _candidacy(framework: Framework, result: Result) -> dict[str, Any]:
    """The benchmark candidacy, once per assessment: the advice and the section both need it
    (neither changes it)."""
    scratch = assessment_scratch()
    if "quality-brand.benchmark" not in scratch:
        scratch["quality-brand.benchmark"] = benchmark.compute(framework, result)
    bench: dict[str, Any] = scratch["quality-brand.benchmark"]
    return bench


def _indicator6(framework: Framework, answers: AnswerSet | None,
                result: Result) -> dict[str, Any]:
    """The indicator-6 section, once per assessment where the answers cannot change it."""
    if zjtx.reads_answers(framework):  # an item left out by the profile: read them each time
        return zjtx.compute(answers, result)
    scratch = assessment_scratch()
    if "quality-brand.zjtx" not in scratch:
        scratch["quality-brand.zjtx"] = zjtx.compute(answers, result)
    section: dict[str, Any] = scratch["quality-brand.zjtx"]
    return section


@hookimpl
def smesdk_register_frameworks(register: Callable[[Path], None]) -> None:
    register(SPEC_FILE)


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_enrich_result(framework: Framework, answers: AnswerSet, result: Result
                         ) -> dict[str, Any] | None:
    return {
        zjtx.SECTION: _indicator6(framework, answers, result),
        benchmark.SECTION: _candidacy(framework, result),
        certificates.SECTION: certificates.compute(framework, result),
    }


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_report_sections(framework: Framework, result: Result) -> list[Any] | None:
    from smesdk_quality_brand.sections import sections

    return sections(framework, result)


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_export_facts(framework: Framework, result: Result) -> dict[str, Any] | None:
    section = result.extensions.get(zjtx.SECTION) or zjtx.compute(None, result)
    bench = result.extensions.get(benchmark.SECTION) or benchmark.compute(framework, result)
    return {zjtx.FACT_KEY: section["points"], benchmark.FACT_KEY: bench["candidate"]}


@hookimpl
@for_frameworks(FRAMEWORK_ID)
def smesdk_recommendations(framework: Framework, result: Result, answers: AnswerSet
                           ) -> list[Recommendation] | None:
    out: list[Recommendation] = []
    for warning in result.warnings:
        if warning.code != "expired" or warning.indicator is None:
            continue
        try:
            ind = framework.indicator(warning.indicator)
        except KeyError:
            continue
        gap = next((g for g in result.gaps if g.indicator == warning.indicator), None)
        out.append(Recommendation(
            text=Text(zh=f"「{ind.title.zh}」的证据已过期，按未持有计分：尽快复审换证并更新证据。",
                      en=f"The evidence for '{ind.title.en}' has expired and counts as absent: "
                         "renew it and update the evidence."),
            source=ind.source, indicator=warning.indicator,
            impact=gap.impact if gap is not None else Decimal(0), origin=ORIGIN))
    # With the answers, as the section reads them: a profile may leave an item out of the
    # result, and the advice must not call an item missing that the section shows as met.
    section = _indicator6(framework, answers, result)
    missing = tuple((r["item"], r["title"]["zh"], r["title"]["en"], r["indicator"])
                    for r in section["items"] if not r["met"])
    if section["points"] < zjtx.CAP and missing:
        out.append(_zjtx_advice(section["points"], missing))
    bench = _candidacy(framework, result)
    if not bench["candidate"]:
        out.append(_benchmark_advice(tuple(bench["below_threshold"]), bench["threshold"]))
    return out


@functools.lru_cache(maxsize=1024, typed=True)  # 80 and 80.0 would print differently
def _zjtx_advice(points: Any, missing: tuple[tuple[str, str, str, str], ...]
                 ) -> Recommendation:
    """The advice for indicator 6 at ``points`` with the items (number, zh, en, indicator)
    still missing: the same few recur across firms and the advice is immutable, so each is
    made once."""
    zh = "、".join(f"{item} {title_zh}" for item, title_zh, _, _ in missing)
    en = "; ".join(f"{item} {title_en}" for item, _, title_en, _ in missing)
    return Recommendation(
        text=Text(zh=f"专精特新“质量管理水平”现得 {points} 分（满分5分）："
                     f"再满足以下任一项即可增加分数——{zh}。",
                  en=f"The {GLOSS} indicator 'quality management level' scores "
                     f"{points} of 5: "
                     f"meeting any one more of these raises it — {en}."),
        source=Citation(doc="zjtx", clause="附件2 指标6"),
        indicator=missing[0][3], origin=ORIGIN)


@functools.lru_cache(maxsize=256, typed=True)
def _benchmark_advice(below: tuple[str, ...], threshold: Any) -> Recommendation:
    """The advice to become a benchmark candidate, by the dimensions below ``threshold``
    (made once each, as _zjtx_advice)."""
    names_zh = "、".join(benchmark.TITLES[d]["zh"] for d in below)
    names_en = ", ".join(benchmark.TITLES[d]["en"] for d in below)
    return Recommendation(
        text=Text(zh=f"要成为质量标准品牌标杆候选，需将{names_zh}方面得分提高到"
                     f"{threshold}以上。",
                  en=f"To become a benchmark candidate, raise the {names_en} score(s) to "
                     f"{threshold} or more."),
        source=Citation(doc="003", clause="二"), origin=ORIGIN)
