"""Plain-text traces: how each number of a result was reached."""

from __future__ import annotations

from smesdk.citations import bracketed
from smesdk.numbers import fmt
from smesdk.result import DimensionResult, IndicatorResult, Result
from smesdk.text import Lang


def indicator_trace(item: IndicatorResult, lang: Lang = "en") -> str:
    zh = lang == "zh"
    answer = "—" if item.answer is None else item.answer
    parts = [
        f"{item.id}{bracketed(item.source, lang)}",
        f"  {'答案' if zh else 'answer'}: {answer}",
        f"  {'规则' if zh else 'rule'}: {item.rule.get(lang)}",
        f"  {'得分' if zh else 'points'}: {fmt(item.points)} / {fmt(item.max_points)}"
        + (f" = {fmt(item.score)}%" if item.score is not None else ""),
        f"  {'权重' if zh else 'weight'}: {fmt(item.weight)}"
        + (f"; {'占总分' if zh else 'share of total'} {fmt(item.share)}" if item.share else ""),
    ]
    if item.contribution is not None:
        parts.append(f"  {'贡献' if zh else 'contribution'}: {fmt(item.contribution)}")
    if item.note:
        parts.append(f"  {'说明' if zh else 'note'}: {item.note}")
    return "\n".join(parts)


def dimension_line(item: DimensionResult, lang: Lang = "en") -> str:
    zh = lang == "zh"
    score = "—" if item.score is None else fmt(item.score)
    line = (f"{item.id} {item.title.get(lang)}: {'得分' if zh else 'score'} {score} "
            f"({fmt(item.points)}/{fmt(item.max_points)} {'分' if zh else 'points'}, "
            f"{item.aggregation})")
    if item.contribution is not None:
        line += f" → {'贡献' if zh else 'contribution'} {fmt(item.contribution)}"
    return line


def explain(result: Result, id: str | None = None, lang: Lang = "en") -> str:
    """Trace one indicator, a dimension and everything under it, or the whole result."""
    prefix = "" if id is None else id
    dims = [d for d in result.dimensions if _under(d.id, prefix)]
    inds = [i for i in result.indicators if _under(i.id, prefix)]
    if not dims and not inds:
        raise KeyError(f"no dimension or indicator {id!r} in this result")
    lines = []
    if id is None:
        total = "总分" if lang == "zh" else "total"
        lines.append(f"{total}: {fmt(result.total)}")
    lines += [dimension_line(d, lang) for d in dims]
    lines += [indicator_trace(i, lang) for i in inds]
    return "\n".join(lines)


def _under(nid: str, prefix: str) -> bool:
    return not prefix or nid == prefix or nid.startswith(prefix + ".")
