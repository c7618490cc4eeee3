"""smesdk plugin ``tiered``: the three tiers of 优质中小企业梯度培育管理暂行办法
(工信部企业〔2022〕63号) — 创新型中小企业, 专精特新中小企业 and 专精特新“小巨人”企业.

The frameworks are data (one YAML file each). The hooks add what the format cannot say:
the ``best_of`` aggregation (专精特新 indicator 11 takes the better of its amount and share
routes) and the tier verdict of each result — the route by which the tier is reached, and
what blocks it in plain words with the firm's own figures (see :mod:`smesdk_tiered.verdict`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from smesdk import for_frameworks, hookimpl
from smesdk_tiered import verdict
from smesdk_tiered.best_of import BestOf

if TYPE_CHECKING:
    from collections.abc import Callable

    from smesdk import Aggregation, AnswerSet, Framework, Result

HERE = Path(__file__).parent
#: The three tiers, lowest first: each is the documented prerequisite of the next.
SPEC_FILES = (HERE / "innovative-sme.yaml", HERE / "zjtx.yaml", HERE / "little-giant.yaml")
FRAMEWORK_IDS = ("innovative-sme", "zjtx", "little-giant")

__all__ = ["FRAMEWORK_IDS", "SPEC_FILES"]


@hookimpl
def smesdk_register_frameworks(register: Callable[[Path], None]) -> None:
    for path in SPEC_FILES:
        register(path)


@hookimpl
def smesdk_register_aggregations(register: Callable[[Aggregation], None]) -> None:
    register(BestOf())


@hookimpl
@for_frameworks(*FRAMEWORK_IDS)
def smesdk_enrich_result(framework: Framework, answers: AnswerSet, result: Result
                         ) -> dict[str, Any] | None:
    return {verdict.SECTION: verdict.compute(framework, answers, result)}
