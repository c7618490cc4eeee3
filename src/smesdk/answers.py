"""The answer set: one enterprise's answers, keyed by indicator id or by shared fact key."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

#: The core's size classes (a framework may declare others: smesdk.enterprise).
SizeClass = Literal["micro", "small", "medium"]


@attrs.frozen
class Enterprise:
    """Who is assessed. ``size`` is one of the framework's size classes, ``industry`` a code of
    its industry classification (default: the 39 certification industry categories), and
    ``fields`` the extra fields it declares; the framework checks all three when it scores."""

    name: str
    size: str
    credit_code: str | None = None
    industry: str | None = None
    region: str | None = None
    type: str | None = None
    fields: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Evidence:
    """What supports an answer. An ``expires`` date before the assessment voids the answer."""

    description: str | None = None
    reference: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    expires: dt.date | None = None
    owner: str | None = None


@attrs.frozen
class Answer:
    """One answer. In files it may be written as the bare value; ``na`` needs a ``reason``."""

    value: Any = None
    na: bool = False
    reason: str | None = None
    evidence: Evidence | None = None


@attrs.frozen
class AnswerSet:
    """Everything needed to assess one enterprise against one or more frameworks.

    ``answers`` are keyed by indicator id (strict: an unknown id is an error); ``facts`` by
    fact key (lenient: a fact no framework uses is ignored, so one set serves several).
    """

    enterprise: Enterprise
    date: dt.date
    answers: dict[str, Answer] = attrs.field(factory=dict)
    facts: dict[str, Answer] = attrs.field(factory=dict)
    assessor: str | None = None
    framework: str | None = None
    profile: str | None = None
    notes: str | None = None
    expected: dict[str, Any] = attrs.field(factory=dict)
