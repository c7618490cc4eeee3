"""What became of one indicator in one assessment: one enum, its predicates, its precedence.

Every consumer (the per-record engine, the batch scorer, reports, docs) asks this module what
a status means instead of keeping its own set of names.
"""

from __future__ import annotations

from enum import StrEnum

from smesdk.catalogs import Labels
from smesdk.text import Text


class IndicatorStatus(StrEnum):
    """The status of an indicator in a result (``IndicatorResult.status``)."""

    SCORED = "scored"
    NA = "na"
    UNANSWERED = "unanswered"
    NOT_APPLICABLE = "not_applicable"
    PREREQUISITE_UNMET = "prerequisite_unmet"
    UNSCORED = "unscored"
    EXPIRED = "expired"

    @property
    def left_out(self) -> bool:
        """Counted in no denominator: the indicator's score is None."""
        return self in LEFT_OUT

    @property
    def shifting(self) -> bool:
        """Left out in some answer sets and not others (so it changes the layout)."""
        return self in SHIFTING

    @property
    def absent(self) -> bool:
        """No answer of the firm stands behind the indicator's figure."""
        return self in ABSENT

    @property
    def label(self) -> Text:
        """The status in words, for reports and terminal output."""
        return LABELS[self]


S = IndicatorStatus

#: Left out of every denominator.
LEFT_OUT = frozenset({S.NA, S.NOT_APPLICABLE, S.UNSCORED})
#: Left out depending on the answer set (the rest of LEFT_OUT is fixed by the framework).
SHIFTING = frozenset({S.NA, S.NOT_APPLICABLE})
#: No answer stands behind the figure (an unscored indicator may still show one).
ABSENT = frozenset({S.NA, S.NOT_APPLICABLE, S.UNANSWERED, S.PREREQUISITE_UNMET})

#: Which status wins when several apply to one indicator, first first. The engine decides in
#: this order: a rule that excludes the firm beats an unmet prerequisite, which beats whatever
#: the answer itself says (missing, N/A, expired evidence, or a scored value).
PRECEDENCE: tuple[tuple[IndicatorStatus, ...], ...] = (
    (S.NOT_APPLICABLE,),
    (S.PREREQUISITE_UNMET,),
    (S.UNANSWERED, S.NA, S.EXPIRED, S.SCORED, S.UNSCORED),
)

#: Each status in words, from the ``[status]`` table of the core's message catalogs.
LABELS: dict[IndicatorStatus, Text] = {s: Labels("status").text(s.value) for s in S}


#: How the engine's trace note of an unmet prerequisite starts (then the ids, ", "-joined).
PREREQUISITE_NOTE = "prerequisite not met: "


def absent_rule(status: IndicatorStatus, note: str | None) -> Text:
    """The rule text of an indicator with no answer to explain (the trace's ``rule``)."""
    if status is S.NA:
        return Text(zh=f"不适用（{note}），不计入分母", en=f"N/A ({note}): left out")
    if status is S.NOT_APPLICABLE:
        return Text(zh="不适用于该企业类型，不计入", en="does not apply to this firm")
    if status is S.UNANSWERED:
        return Text(zh="未作答，按 0 分计", en="not answered: 0 points")
    if status is S.PREREQUISITE_UNMET:
        # The note is English; the Chinese rule names only the ids it lists.
        ids = (note or "").removeprefix(PREREQUISITE_NOTE).split(", ")
        return Text(zh=f"前提未满足（{'、'.join(ids)}），按 0 分计", en=f"{note}: 0 points")
    if status is S.UNSCORED:
        return Text(zh="不计分", en="not scored")
    return Text(zh="", en="")
