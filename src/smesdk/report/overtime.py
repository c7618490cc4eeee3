"""The report's over-time sections, built as typed sections: what changed since an earlier
assessment (:func:`smesdk.compare`) and the plan to a target level (:func:`plan_to_level`).

Both are ordinary :mod:`smesdk.report.sections`, so every format renders them the one way it
renders a plugin's sections.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from smesdk.deltas import DIRECTIONS, Change, Comparison
from smesdk.framework import Framework
from smesdk.plan_words import cite_text, held_text, method_text, phase_text
from smesdk.report.labels import label, label_text
from smesdk.report.sections import Callout, Cell, ReportSection, Table, Tone
from smesdk.spec import Status
from smesdk.text import Text
from smesdk.uplift import UpliftPlan


def _signed(value: Decimal | None) -> Cell:
    from smesdk.report.content import signed

    return None if value is None else signed(value, 2)


def _shown(value: Decimal | None, places: int) -> str:
    from smesdk.report.content import show

    return show(value, places)


def _weakest(statuses: list[str]) -> Status | None:
    from smesdk.report.content import weakest

    return cast("Status | None", weakest(statuses))


def change_table(comparison: Comparison, framework: Framework) -> Table:
    """Total, level, every dimension and each indicator that moved: score before and after,
    points of the total gained or lost, and, when the framework changed and both answer sets
    were re-scored, how much of it is practice and how much model change."""
    from smesdk.report.content import dimension_statuses

    split = comparison.framework_changed and comparison.split
    statuses = dimension_statuses(framework)
    overall = _weakest(list(statuses.values()))
    rows: list[list[Cell]] = []

    def add(change: Change, title: Text, before: Cell, after: Cell, status: str | None) -> None:
        # a level's change is in ranks, not points: only its direction is shown
        rank = change.item == "level"
        row: list[Cell] = [title, before, after, None if rank else _signed(change.points),
                           DIRECTIONS[change.direction]]
        if split:
            row += [None if rank else _signed(change.practice),
                    None if rank else _signed(change.model)]
        rows.append([*row, label_text(status) if status else None])

    # Rounded as the rest of the report shows them: the total to 2 places, scores (percent)
    # to 1, so 37.125 reads 37.13 here as it does beside the level.
    total = comparison.total
    add(total, label_text("total"), _shown(total.before, 2), _shown(total.after, 2), overall)
    lv0, lv1 = comparison.level_before, comparison.level_after
    add(comparison.level, label_text("level"), lv0.title if lv0 else label_text("no_level"),
        lv1.title if lv1 else label_text("no_level"),
        _weakest([lv.status for lv in (lv0, lv1) if lv is not None]))
    for change in comparison.dimensions:
        add(change, framework.names.get(change.id, change.title), _shown(change.before, 1),
            _shown(change.after, 1), statuses.get(change.id))
    moved = [c for c in comparison.indicators if c.direction != "unchanged"]
    for change in moved:
        known = change.id in framework.names
        add(change, framework.names[change.id] if known else change.title,
            _shown(change.before, 1), _shown(change.after, 1),
            framework.indicator(change.id).status if known else None)
    columns = [label_text("item"), label_text("before"), label_text("after"),
               label_text("points_change"), label_text("change")]
    if split:
        columns += [label_text("practice_change"), label_text("model_change")]
    columns.append(label_text("status"))
    unchanged = len(comparison.indicators) - len(moved)
    notes = [label_text("changes_note", unchanged=unchanged)]
    if split:
        notes.append(label_text("split_note"))
    notes += comparison.notes
    return Table(
        id="changes", columns=columns, rows=rows,
        title=label_text("changes_since", date=comparison.before_date),
        numeric=[False, True, True, True, False, *([True, True] if split else []), False],
        note=Text(zh=" ".join(n.zh for n in notes), en=" ".join(n.en for n in notes)))


def plan_sections(plan: UpliftPlan, framework: Framework) -> list[ReportSection]:
    """The plan as a verdict (how many changes, how sure, where they lead) and, when there
    are steps, a table of them in phases, each with its citation, status and points."""
    level = plan.target.title
    title = Text(zh=label("plan_to", "zh", level=level.zh), en=label("plan_to", "en", level=level.en))
    method = method_text(plan)
    from smesdk.report.content import show

    body = label_text("plan_body", count=len(plan.steps), before=show(plan.total_before, 2),
                      after=show(plan.total_after, 2))
    parts = [body, method]
    parts += [b.message for b in plan.blockers]
    if plan.held:
        parts.append(held_text(framework, plan))
    tone: Tone = "success" if plan.reached else "warning"
    verdict = Callout(id="plan", title=title, tone=tone,
                      figure=plan.level_after.title if plan.steps and plan.level_after else None,
                      body=Text(zh="；".join(p.zh for p in parts), en="; ".join(p.en for p in parts)),
                      status=plan.target.status)
    if not plan.steps:
        return [verdict]
    effort = any(s.effort is not None for s in plan.steps)
    rows: list[list[Cell]] = []
    for step in plan.steps:
        row: list[Cell] = [phase_text(step.phase), step.title, step.before, step.after,
                           _signed(step.points)]
        if effort:
            row.append(step.effort)
        rows.append([*row, cite_text(framework, step.source), label_text(step.status)])
    columns = [label_text("phase"), label_text("indicator"), label_text("answer_now"),
               label_text("answer_after"), label_text("points_change"),
               *([label_text("effort")] if effort else []), label_text("cites"),
               label_text("status")]
    steps = Table(id="plan.steps", title=label_text("plan_steps"), columns=columns, rows=rows,
                  numeric=[False, False, False, False, True, *([True] if effort else []),
                           False, False],
                  status=_weakest([s.status for s in plan.steps]))
    return [verdict, steps]
