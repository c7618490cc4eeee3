"""A plugin using every smesdk hook, installed as its own distribution by the test setup.

It adds an answer kind (``stars``: 1–5 stars, points = stars - 1), an aggregation
(``root_mean_square``), a level rule (``median_band``), a recommendation source, result
sections, a typed report section, an exported fact and a CLI command, plus a framework that
uses all three of the registered behaviours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from math import isqrt
from pathlib import Path
from typing import Any

import click

from smesdk import (
    Aggregation,
    AnswerKind,
    Child,
    Choice,
    FrameworkSpec,
    Indicator,
    LevelOutcome,
    LevelRule,
    Recommendation,
    ScoreView,
    Shape,
    Text,
    hookimpl,
    level_ref,
)


class StarsKind(AnswerKind):
    name = "stars"
    shape = Shape.OPTIONS

    def choices(self, ind: Indicator) -> list[Choice]:
        return [Choice("*" * n, Text(zh=f"{n} 星", en=f"{n} stars")) for n in range(1, 6)]

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if isinstance(raw, str) and raw and set(raw) == {"*"} and len(raw) <= 5:
            return len(raw)
        raise ValueError(f"expected one to five stars like '***', got {raw!r}")

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        return Fraction(value - 1)

    def max_points(self, ind: Indicator) -> Fraction:
        return Fraction(4)

    def explain(self, ind: Indicator, value: Any) -> Text:
        return Text(zh=f"{value} 星，得 {value - 1} 分", en=f"{value} stars: {value - 1} points")

    def ladder(self, ind: Indicator) -> list[Any]:
        return ["*" * n for n in range(1, 6)]

    def level(self, ind: Indicator, value: Any) -> Fraction | None:
        return Fraction(value)

    def to_json(self, value: Any) -> Any:
        return "*" * value


class RootMeanSquare(Aggregation):
    """sqrt(mean(score^2)), rounded down to 1/10000 so it stays an exact Fraction."""

    name = "root_mean_square"

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        mean_sq = sum((c.score * c.score for c in children), Fraction(0)) / len(children)
        scaled = mean_sq * 10**8
        return Fraction(isqrt(scaled.numerator // scaled.denominator), 10**4)


class FirstLevelOnly(LevelRule):
    """Reached the first level when the total is at least its min; nothing else."""

    name = "first_level_only"
    reads = frozenset({"total"})  # the batch may decide once per distinct total

    def decide(self, spec: FrameworkSpec, view: ScoreView) -> LevelOutcome:
        first = spec.levels[0]
        reached = view.total >= Fraction(str(first.min))
        return LevelOutcome(level_ref(spec, first) if reached else None, None, [])


@hookimpl
def smesdk_register_answer_kinds(register):  # type: ignore[no-untyped-def]
    register(StarsKind())


@hookimpl
def smesdk_register_aggregations(register):  # type: ignore[no-untyped-def]
    register(RootMeanSquare())


@hookimpl
def smesdk_register_level_rules(register):  # type: ignore[no-untyped-def]
    register(FirstLevelOnly())


@hookimpl
def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
    register(Path(__file__).with_name("hooktest.yaml"))


@hookimpl
def smesdk_recommendations(framework, result):  # type: ignore[no-untyped-def]
    if framework.id != "hooktest":
        return None
    return [Recommendation(text=Text(zh="多拿几颗星", en="Earn more stars"), impact=result.total,
                           origin="hooktest")]


@hookimpl
def smesdk_enrich_result(framework, answers, result):  # type: ignore[no-untyped-def]
    if framework.id != "hooktest":
        return None
    return {"stars": {"answered": len(answers.answers), "total": str(result.total)}}


@hookimpl
def smesdk_report_sections(framework, result):  # type: ignore[no-untyped-def]
    if framework.id != "hooktest":
        return None
    from smesdk.report.sections import Callout

    stars = sum(1 for item in result.indicators if item.status == "scored")
    return [Callout(id="stars", title=Text(zh="星级小结", en="Star summary"),
                    body=Text(zh=f"已评 {stars} 项", en=f"{stars} items rated"),
                    figure=result.total, status="derived")]


@hookimpl
def smesdk_export_facts(framework, result):  # type: ignore[no-untyped-def]
    if framework.id != "hooktest":
        return None
    return {"hooktest.passed": result.level is not None}


@click.command("hello")
@click.option("--name", default="world")
def hello(name: str) -> None:
    """Say hello (a command added by the hooktest plugin)."""
    click.echo(f"hello {name} from hooktest")


@hookimpl
def smesdk_register_commands(cli):  # type: ignore[no-untyped-def]
    cli.add_command(hello)
