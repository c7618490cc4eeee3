"""The stage gates of 五（二）8–9 behave as the guide says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from smesdk_iso9001.engagement import add_months, months_between

import smesdk

EXAMPLES = Path(__file__).parents[1] / "examples"


def _data(name: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _assess(data: dict[str, Any]) -> dict[str, Any]:
    answers = smesdk.answers_from_data(data, "yaml")
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    return fw.assess(answers).extensions["iso9001"]["certification"]


def _checks(cert: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["state"] for c in cert["checks"]}


def _certified_without_certificate() -> dict[str, Any]:
    # Example 3 passes every gate; drop its certificate to see the readiness verdict.
    data = _data("03_certified_micro.yaml")
    data["facts"] = {}
    return data


def test_month_arithmetic() -> None:
    assert add_months(dt.date(2026, 6, 1), 3) == dt.date(2026, 9, 1)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert months_between(dt.date(2026, 6, 1), dt.date(2026, 10, 10)) == 4
    assert months_between(dt.date(2026, 6, 15), dt.date(2026, 9, 14)) == 2
    assert months_between(dt.date(2026, 6, 15), dt.date(2026, 9, 15)) == 3


def _notices(cert: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in cert["notices"]}


def test_audit_two_months_after_start_is_a_warning_not_a_gate() -> None:
    # 五（二）8 says the system runs "一般为3-6个月" (generally 3–6 months) before the audit:
    # advice, so a short run is shown as a warning and blocks nothing.
    data = _certified_without_certificate()
    a = data["answers"]
    a["engagement.operation.started"] = dt.date(2026, 3, 20)
    a["engagement.audit_review.internal_audit"] = dt.date(2026, 5, 20)  # 2 months later
    cert = _assess(data)
    assert "run_period" not in _checks(cert)
    assert cert["blockers"] == [] and cert["verdict"] == "ready"
    warning = _notices(cert)["run_period_short"]
    assert warning["state"] == "warning"
    assert "仅2个月" in warning["message"]["zh"] and "generally 3–6" in warning["message"]["en"]
    # and the user sees it among the recommendations, cited, as a warning
    answers = smesdk.answers_from_data(data, "yaml")
    result = smesdk.load_framework("iso9001", profile=answers.profile).assess(answers)
    shown = [r for r in result.recommendations if r.text.en.startswith("[Warning]")]
    assert [r.source.primary.clause for r in shown if r.source] == ["五（二）8"]
    assert shown[0].text.zh.startswith("【提示】内部审核")


def test_audit_three_months_after_start_has_no_warning() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.operation.started"] = dt.date(2026, 2, 20)  # 3 months to 05-20
    cert = _assess(data)
    assert "run_period_short" not in _notices(cert)
    assert cert["verdict"] == "ready"
    assert cert["blockers"] == []


def test_audit_after_more_than_six_months_is_a_notice_only() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.operation.started"] = dt.date(2025, 10, 1)  # 7 months
    cert = _assess(data)
    assert [n["id"] for n in cert["notices"]] == ["run_period_long"]
    assert cert["notices"][0]["state"] == "notice"
    assert cert["verdict"] == "ready"


def test_system_running_under_three_months_does_not_wait_on_a_gate() -> None:
    data = _data("02_running_four_months.yaml")
    a = data["answers"]
    for key in ("internal_audit", "auditors_trained", "nc_raised", "nc_open"):
        del a[f"engagement.audit_review.{key}"]
    a["engagement.operation.started"] = dt.date(2026, 8, 15)  # assessed 2026-10-10
    cert = _assess(data)
    assert "run_period" not in _checks(cert) and "run_period_short" not in _notices(cert)
    assert _checks(cert)["auditors_trained"] == "pending"


def test_audit_without_a_start_date_is_a_warning() -> None:
    data = _certified_without_certificate()
    del data["answers"]["engagement.operation.started"]
    cert = _assess(data)
    assert _notices(cert)["run_period_unknown"]["state"] == "warning"
    assert cert["blockers"] == []


def test_the_firms_own_plan_check_of_step_13() -> None:
    # 五（二）13: the firm checks how the uplift plan is carried out; example 3 did so on
    # 2026-11-20 (assessed 2026-12-01), so there is nothing to say.
    data = _certified_without_certificate()
    assert "plan_check" not in _notices(_assess(data))
    del data["answers"]["engagement.monitoring.plan_checked"]
    missing = _notices(_assess(data))["plan_check"]
    assert missing["state"] == "warning" and missing["source"]["clause"] == "五（二）13"
    data["answers"]["engagement.monitoring.plan_checked"] = dt.date(2026, 8, 31)  # > 3 months
    stale = _notices(_assess(data))["plan_check"]
    assert stale["status"] == "derived" and "2026-08-31" in stale["message"]["en"]
    assert _assess(data)["blockers"] == []


def test_auditors_trained_after_the_audit_is_flagged() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.audit_review.auditors_trained"] = dt.date(2026, 5, 25)
    cert = _assess(data)
    assert _checks(cert)["auditors_trained"] == "fail"
    assert cert["blockers"] == ["auditors_trained"]


def test_audit_without_trained_auditors_is_flagged() -> None:
    data = _certified_without_certificate()
    del data["answers"]["engagement.audit_review.auditors_trained"]
    assert _checks(_assess(data))["auditors_trained"] == "fail"


def test_open_nonconformities_block() -> None:
    cert = _assess(_data("02_running_four_months.yaml"))
    assert _checks(cert)["nonconformities_closed"] == "fail"


def test_nonconformities_closed_after_review_are_flagged() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.audit_review.nc_closed"] = dt.date(2026, 6, 20)  # review 06-15
    cert = _assess(data)
    assert _checks(cert)["nonconformities_closed"] == "fail"
    assert cert["blockers"] == ["nonconformities_closed"]


def test_review_before_audit_is_flagged() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.audit_review.management_review"] = dt.date(2026, 5, 1)
    data["answers"]["engagement.audit_review.nc_closed"] = dt.date(2026, 4, 30)
    cert = _assess(data)
    assert _checks(cert)["management_review"] == "fail"


def test_certification_is_optional() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.certification.seeking"] = False
    cert = _assess(data)
    assert cert["verdict"] == "ready"          # not seeking is never a blocker
    assert cert["seeking_certification"] is False
    assert "certification_optional" in [n["id"] for n in cert["notices"]]


def test_certificate_fact_gives_certified() -> None:
    cert = _assess(_data("03_certified_micro.yaml"))
    assert cert["verdict"] == "certified"
    assert set(_checks(cert).values()) == {"pass"}


@pytest.mark.parametrize("ready", [True, False])
def test_low_readiness_blocks(ready: bool) -> None:
    data = _certified_without_certificate()
    if not ready:  # every ISO answer at level 1 -> readiness 0
        for key in list(data["answers"]):
            if key.startswith("iso."):
                data["answers"][key] = 1
    cert = _assess(data)
    assert (_checks(cert)["readiness"] == "pass") is ready
