"""The engagement tracker: the 13 steps of section 五（二） and the guide's stage gates.

Gates (seed 004):

* ``auditors_trained`` — 五（二）8（1）: internal auditors are trained before the audit.
* ``nonconformities_closed`` — 五（二）8（1）–（2）: nonconformities raised by the audit are
  followed up and closed, and the audit results feed the management review, so none may be
  open, and none may be closed after the review.
* ``management_review`` — 五（二）8（2）: the review is held after the internal audit.
* ``readiness`` — derived: the ISO 9001 readiness score reaches ``readiness_min``.

Advisory, never blocking (notices; ``state`` "warning" where something looks wrong):

* ``run_period_short`` / ``run_period_long`` — 五（二）8 says the system runs for a while
  before the internal audit, "一般为3-6个月" (generally 3–6 months): an audit, or a wait,
  outside ``run_months`` is a warning or a notice, not a gate, because the guide says
  "generally";
* ``plan_check`` — 五（二）13 gives the firm its own duty: to check how the uplift plan and
  its measures are carried out. While the system is being built or run, a missing check, or
  one older than ``plan_check_months`` (derived), is a warning.

Certification itself is optional (五（一）注1): not seeking it is reported, never a blocker.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import weakref
from decimal import Decimal
from typing import Any

from smesdk import Result
from smesdk_iso9001 import _read

STATUS_TEXT = {
    "not_started": ("未开始", "not started"),
    "in_progress": ("进行中", "in progress"),
    "done": ("已完成", "done"),
}


@functools.lru_cache(maxsize=4096)  # the same dates recur across firms; dates are immutable
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day *months* calendar months later (the month's last day if it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from *start* to *end* (negative when *end* is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def fmt_number(value: Decimal | None) -> str:
    if value is None:
        return "-"
    if not value.is_finite():  # NaN never equals itself, and sNaN cannot be hashed
        return format(value.normalize(), "f")
    return _fmt_finite(value)


@functools.lru_cache(maxsize=4096, typed=True)
def _fmt_finite(value: Decimal) -> str:
    # Counts and scores take a few values; equal values normalise to the same text.
    return format(value.normalize(), "f")


def _params(framework: Any) -> dict[str, Any]:
    return dict(framework.spec.params or {})


def step_ids(framework: Any) -> list[str]:
    return list(_params(framework).get("steps", []))


#: A step as (number, id, status id, started id, completed id, title zh, title en).
_StepRow = tuple[int, str, str, str, str, str, str]

#: Framework -> its steps: the spec never changes, so the ids and titles are worked out once
#: per framework, not once per result.
_STEP_TABLES: weakref.WeakKeyDictionary[Any, list[_StepRow]] = weakref.WeakKeyDictionary()


def _step_table(framework: Any) -> list[_StepRow]:
    table = _STEP_TABLES.get(framework)
    if table is None:
        table = []
        for n, sid in enumerate(step_ids(framework), start=1):
            base = f"engagement.{sid}"
            try:
                title = framework.dimension(base).title
            except KeyError:
                continue  # left out by the profile
            table.append((n, sid, f"{base}.status", f"{base}.started", f"{base}.completed",
                          title.zh, title.en))
        _STEP_TABLES[framework] = table
    return table


def steps(framework: Any, result: Result) -> list[dict[str, Any]]:
    """Each of the 13 steps with its number, title, status and dates."""
    # 39 look-ups per assessment: by the result's index, the status inline, not by the
    # reader's methods (a method call costs more than the look-up).
    get = _read.reader(result).item
    answered, day_text = _read.ANSWERED, _read.day_text_of
    out = []
    for n, sid, status_id, started_id, completed_id, zh, en in _step_table(framework):
        item = get(status_id)
        status = item.answer if item is not None and item.status in answered else None
        out.append({"step": n, "id": sid, "title": {"zh": zh, "en": en},
                    "status": status or "not_started",
                    "started": day_text(get(started_id)), "completed": day_text(get(completed_id))})
    return out


def enterprise_steps(framework: Any) -> frozenset[int]:
    """The step numbers that give the firm work (``params.enterprise_steps``)."""
    mine = _ENTERPRISE_STEPS.get(framework)
    if mine is None:
        raw = _params(framework).get("enterprise_steps")
        if not isinstance(raw, list) or not all(isinstance(n, int) for n in raw):
            raise ValueError("params.enterprise_steps must list step numbers, e.g. [1, 2, 13]")
        mine = _ENTERPRISE_STEPS[framework] = frozenset(raw)
    return mine


#: Framework -> its enterprise steps, checked once (the spec never changes).
_ENTERPRISE_STEPS: weakref.WeakKeyDictionary[Any, frozenset[int]] = weakref.WeakKeyDictionary()


def current_stage(framework: Any, step_list: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The furthest step the firm works on that is in progress or done."""
    mine = enterprise_steps(framework)
    last: dict[str, Any] | None = None
    for s in step_list:  # the first of the highest number reached, in one pass
        if s["status"] != "not_started" and s["step"] in mine and (
                last is None or s["step"] > last["step"]):
            last = s
    if last is None:
        return None
    return {"step": last["step"], "id": last["id"], "title": last["title"],
            "status": last["status"]}


#: A check as its parts: (id, state, status, clause, zh message, en message). The texts
#: depend on a few dates and figures that recur across firms, so each row is made once and
#: each result gets its own dict of it (:func:`_as_check`).
_Row = tuple[str, str, str, str, str, str]


def _check(cid: str, state: str, clause: str, zh: str, en: str,
           status: str = "official") -> _Row:
    return cid, state, status, clause, zh, en


def _as_check(row: _Row) -> dict[str, Any]:
    cid, state, status, clause, zh, en = row
    return {"id": cid, "state": state, "status": status, "source": {"doc": "004", "clause": clause},
            "message": {"zh": zh, "en": en}}


Check = dict[str, Any]

#: A step's status that has work under way (while rules or operation is, 五（二）13 applies).
_UNDER_WAY = frozenset(("in_progress", "done"))


@functools.lru_cache(maxsize=64)
def _gate_params(framework: Any) -> tuple[int, int, int, Decimal]:
    """The gates' parameters: the run period's months (min, max), the months after which a
    plan check is stale, and the readiness floor (fixed per framework: read once)."""
    params = _params(framework)
    run = params.get("run_months", {})
    return (int(run.get("min", 3)), int(run.get("max", 6)),
            int(params.get("plan_check_months", 3)),
            Decimal(str(params.get("readiness_min", 60))))


def gate_checks(framework: Any, result: Result) -> tuple[list[Check], list[Check]]:
    """The stage gates as checks (state pass/fail/pending) and notices that block nothing."""
    min_run, max_run, stale_after, floor = _gate_params(framework)
    on = result.assessed_on
    read = _read.reader(result)
    start = read.day("engagement.operation.started")[0]
    audit = read.day("engagement.audit_review.internal_audit")[0]
    review = read.day("engagement.audit_review.management_review")[0]
    notices: list[Check] = []
    # 1. the run period before the internal audit (the assessment day stands in for a
    # missing audit: only then is it part of the key)
    run = _run_period(start, audit, on if audit is None else None, min_run, max_run)
    if run is not None:
        notices.append(_as_check(run))
    checks = [
        _as_check(_auditors_trained(audit, read.day("engagement.audit_review.auditors_trained")[0])),
        _as_check(_nonconformities_closed(
            audit is not None, read.number("engagement.audit_review.nc_open"),
            read.number("engagement.audit_review.nc_raised"),
            read.day("engagement.audit_review.nc_closed")[0], review)),
        _as_check(_management_review(review, audit)),
    ]
    # 13. the firm's own check of the uplift plan (五（二）13), while the system is built or run
    if (read.answer("engagement.rules.status") in _UNDER_WAY
            or read.answer("engagement.operation.status") in _UNDER_WAY):
        plan = _plan_check(read.day("engagement.monitoring.plan_checked")[0], on, stale_after)
        if plan is not None:
            notices.append(_as_check(plan))
    # 5. readiness score (derived)
    checks.append(_as_check(_readiness(read.dim_score("iso"), floor)))
    return checks, notices


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@functools.lru_cache(maxsize=4096)
def _run_period(start: dt.date | None, audit: dt.date | None, on: dt.date | None,
                min_run: int, max_run: int) -> _Row | None:
    """五（二）8: "一般为3-6个月" is advice, so a notice, never a gate (``on`` is the
    assessment day, given only when no audit is recorded)."""
    clause8 = "五（二）8"
    start_s, audit_s = _iso(start), _iso(audit)
    if start is None and audit is not None:
        return _check(
            "run_period_unknown", "warning", clause8,
            f"已有内部审核（{audit_s}），但未记录体系开始运行的日期（步骤7），无法判断运行时长。",
            f"An internal audit is recorded ({audit_s}) but not the date the system started "
            "running (step 7), so how long it ran is unknown.",
        )
    if start is None:
        return None
    until = audit if audit is not None else on
    assert until is not None  # the caller gives the day when there is no audit
    months = months_between(start, until)
    if audit is not None and audit < add_months(start, min_run):
        return _check(
            "run_period_short", "warning", clause8,
            f"内部审核（{audit_s}）距体系开始运行（{start_s}）仅{months}个月，"
            f"短于指南所说的一般{min_run}–{max_run}个月；请确认运行记录足以支持审核。",
            f"The internal audit ({audit_s}) came only {months} months after the system "
            f"started running ({start_s}), less than the generally {min_run}–{max_run} months "
            "the guide mentions; check that the records of running suffice for the audit.",
        )
    if months > max_run:
        held = "后才内审" if audit is not None else "，尚未内审"
        held_en = ("the internal audit came after" if audit is not None
                   else "no internal audit yet after")
        return _check(
            "run_period_long", "notice", clause8,
            f"体系运行{months}个月{held}，超过一般的{min_run}–{max_run}个月。",
            f"{held_en[0].upper()}{held_en[1:]} {months} months of running, longer than the "
            f"generally {min_run}–{max_run} months.",
        )
    return None


@functools.lru_cache(maxsize=1024)
def _auditors_trained(audit: dt.date | None, trained: dt.date | None) -> _Row:
    """五（二）8（1）: the internal auditors are trained before the audit."""
    clause81 = "五（二）8（1）"
    audit_s, trained_s = _iso(audit), _iso(trained)
    if audit is None:
        if trained is not None:
            return _check(
                "auditors_trained", "pass", clause81,
                f"内审员已于{trained_s}完成内审员培训。",
                f"The internal auditors were trained on {trained_s}.",
            )
        return _check(
            "auditors_trained", "pending", clause81,
            "内审员尚未培训；内部审核前须先参加内审员培训。",
            "The internal auditors are not trained yet; they must be trained before the "
            "internal audit.",
        )
    if trained is None:
        return _check(
            "auditors_trained", "fail", clause81,
            f"已实施内部审核（{audit_s}），但没有内审员培训记录。",
            f"The internal audit was held ({audit_s}) but there is no record of auditor training.",
        )
    if trained > audit:
        return _check(
            "auditors_trained", "fail", clause81,
            f"内审员培训（{trained_s}）晚于内部审核（{audit_s}）。",
            f"The auditors were trained ({trained_s}) after the internal audit ({audit_s}).",
        )
    return _check(
        "auditors_trained", "pass", clause81,
        f"内审员于{trained_s}完成培训，早于内部审核（{audit_s}）。",
        f"The auditors were trained on {trained_s}, before the internal audit ({audit_s}).",
    )


def _nonconformities_closed(audited: bool, still_open: Decimal | None, raised: Decimal | None,
                            closed: dt.date | None, review: dt.date | None) -> _Row:
    """五（二）8（1）–（2）: none may be open, and none closed after the review."""
    if audited and still_open is not None and still_open > 0:
        return _nonconformities_counted(True, still_open)
    if audited and raised is not None and raised > 0 and closed is None:
        return _nonconformities_counted(False, raised)
    return _nonconformities_dated(audited, closed, review)


@functools.lru_cache(maxsize=256)
def _nonconformities_counted(still_open: bool, count: Decimal) -> _Row:
    """Some still open, or some raised with no closing date: keyed by the count, since equal
    counts write the same text (fmt_number normalises)."""
    n = fmt_number(count)
    if still_open:
        return _check(
            "nonconformities_closed", "fail", _CLAUSE_NC,
            f"尚有{n}项内审不符合未关闭，须在管理评审前整改并验证。",
            f"Internal-audit nonconformities still open: {n}; they must be corrected and "
            "verified before the management review.",
        )
    return _check(
        "nonconformities_closed", "fail", _CLAUSE_NC,
        f"内审开具{n}项不符合，但未记录关闭日期。",
        f"The audit raised {n} nonconformities but no closing date is recorded.",
    )


@functools.lru_cache(maxsize=1024)
def _nonconformities_dated(audited: bool, closed: dt.date | None,
                           review: dt.date | None) -> _Row:
    if not audited:
        return _check(
            "nonconformities_closed", "pending", _CLAUSE_NC,
            "内部审核尚未实施；审核发现的不符合须在管理评审前整改关闭。",
            "No internal audit yet; the nonconformities it raises must be closed before the "
            "management review.",
        )
    if review is not None and closed is not None and closed > review:
        return _check(
            "nonconformities_closed", "fail", _CLAUSE_NC,
            f"不符合项关闭日期（{_iso(closed)}）晚于管理评审（{_iso(review)}）。",
            f"The nonconformities were closed ({_iso(closed)}) after the management review "
            f"({_iso(review)}).",
        )
    return _check(
        "nonconformities_closed", "pass", _CLAUSE_NC,
        "内审不符合项均已关闭。",
        "Every internal-audit nonconformity is closed.",
    )


_CLAUSE_NC = "五（二）8（1）（2）"


@functools.lru_cache(maxsize=1024)
def _management_review(review: dt.date | None, audit: dt.date | None) -> _Row:
    """五（二）8（2）: the management review is held after the internal audit."""
    clause82 = "五（二）8（2）"
    review_s = _iso(review)
    if review is None:
        return _check(
            "management_review", "pending", clause82,
            "尚未进行管理评审；须在内部审核完成后由最高管理者组织。",
            "No management review yet; top management holds it after the internal audit.",
        )
    if audit is None or review < audit:
        return _check(
            "management_review", "fail", clause82,
            f"管理评审（{review_s}）早于内部审核或没有内部审核记录。",
            f"The management review ({review_s}) comes before any recorded internal audit.",
        )
    return _check(
        "management_review", "pass", clause82,
        f"管理评审于{review_s}在内部审核之后实施。",
        f"The management review was held on {review_s}, after the internal audit.",
    )


@functools.lru_cache(maxsize=4096)
def _plan_check(checked: dt.date | None, on: dt.date, stale_after: int) -> _Row | None:
    """五（二）13, while the system is built or run: no check of the plan, or a stale one."""
    if checked is None:
        return _check(
            "plan_check", "warning", "五（二）13",
            "尚无企业自查提升解决方案及其措施落实情况的记录（步骤13中企业的职责）。",
            "No record of the firm checking how the uplift plan and its measures are carried "
            "out (the firm's own duty in step 13).",
        )
    if add_months(checked, stale_after) < on:
        checked_s = _iso(checked)
        return _check(
            "plan_check", "warning", "五（二）13",
            f"企业最近一次自查提升方案落实情况是在{checked_s}，已超过{stale_after}个月（本SDK设定）。",
            f"The firm last checked how the uplift plan is carried out on {checked_s}, more than "
            f"{stale_after} months ago (a period set by smesdk).",
            status="derived",
        )
    return None


def _readiness(readiness: Decimal | None, floor: Decimal) -> _Row:
    """The ISO 9001 readiness score against the floor set by smesdk (derived). Not cached:
    scores vary too much across firms for a cache to pay."""
    if readiness is None:
        return _check(
            "readiness", "pending", "五（二）9",
            "ISO 9001准备程度尚未评估。", "ISO 9001 readiness has not been assessed.",
            status="derived",
        )
    if readiness >= floor:
        return _check(
            "readiness", "pass", "五（二）9",
            f"ISO 9001准备程度{fmt_number(readiness)}分，达到{fmt_number(floor)}分。",
            f"ISO 9001 readiness is {fmt_number(readiness)}, at least {fmt_number(floor)}.",
            status="derived",
        )
    return _check(
        "readiness", "fail", "五（二）9",
        f"ISO 9001准备程度{fmt_number(readiness)}分，低于{fmt_number(floor)}分（本SDK设定）。",
        f"ISO 9001 readiness is {fmt_number(readiness)}, below the {fmt_number(floor)} set "
        "by smesdk.",
        status="derived",
    )


def readiness_verdict(framework: Any, result: Result, *,
                      step_list: list[Check] | None = None,
                      gates: tuple[list[Check], list[Check]] | None = None) -> dict[str, Any]:
    """Certification readiness: the verdict, the checks, what blocks it, and the stage.

    ``step_list`` and ``gates`` are :func:`steps` and :func:`gate_checks` of this result when
    the caller has them already (they are not changed here); otherwise they are worked out.
    """
    if step_list is None:
        step_list = steps(framework, result)
    checks, notices = gates if gates is not None else gate_checks(framework, result)
    notices = list(notices)  # the caller's list stays as it was
    blockers = [c for c in checks if c["state"] in ("fail", "pending")]
    read = _read.reader(result)
    certified = read.answer("engagement.certification.certified") is True
    seeking = read.answer("engagement.certification.seeking")
    if certified:
        verdict = "certified"
        text = {"zh": "企业已持有有效的质量管理体系认证证书，"
                      "可借提升行动完善体系运行、提高认证有效性。",
                "en": "The firm holds a valid QMS certificate; the action can still improve how "
                      "the system runs and make the certification more effective."}
    elif not blockers:
        verdict = "ready"
        text = {"zh": "各阶段关口均已满足，可向认证机构申请质量管理体系认证（认证为可选项）。",
                "en": "Every stage gate is met; the firm may apply to a certification body "
                      "(certification is optional)."}
    else:
        verdict = "not_ready"
        text = {"zh": f"尚不具备申请认证的条件：{len(blockers)}项待解决。",
                "en": f"Not ready to apply for certification: {len(blockers)} items to resolve."}
    if seeking is False and not certified:
        notices.append(_as_check(_CERTIFICATION_OPTIONAL))
    start = read.day("engagement.operation.started")[0]
    return {
        "verdict": verdict,
        "message": text,
        "seeking_certification": seeking if isinstance(seeking, bool) else None,
        "stage": current_stage(framework, step_list),
        "months_running": max(months_between(start, result.assessed_on), 0) if start else None,
        "blockers": [c["id"] for c in blockers],
        "checks": checks,
        "notices": notices,
        "steps": step_list,
    }


_CERTIFICATION_OPTIONAL = _check(
    "certification_optional", "notice", "五（一）注1",
    "企业暂不申请认证；认证为可选项，不影响提升行动的开展。",
    "The firm does not intend to seek certification; certification is optional and "
    "does not affect the action.",
)
