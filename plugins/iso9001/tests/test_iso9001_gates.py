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


def test_audit_two_months_after_start_is_flagged() -> None:
    data = _certified_without_certificate()
    a = data["answers"]
    a["engagement.operation.started"] = dt.date(2026, 3, 20)
    a["engagement.audit_review.internal_audit"] = dt.date(2026, 5, 20)  # 2 months later
    cert = _assess(data)
    assert _checks(cert)["run_period"] == "fail"
    assert "run_period" in cert["blockers"]
    assert cert["verdict"] == "not_ready"
    msg = next(c for c in cert["checks"] if c["id"] == "run_period")["message"]
    assert "仅2个月" in msg["zh"] and "3" in msg["en"]


def test_audit_three_months_after_start_passes() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.operation.started"] = dt.date(2026, 2, 20)  # 3 months to 05-20
    cert = _assess(data)
    assert _checks(cert)["run_period"] == "pass"
    assert cert["verdict"] == "ready"
    assert cert["blockers"] == []


def test_audit_after_more_than_six_months_is_a_notice_only() -> None:
    data = _certified_without_certificate()
    data["answers"]["engagement.operation.started"] = dt.date(2025, 10, 1)  # 7 months
    cert = _assess(data)
    assert _checks(cert)["run_period"] == "pass"
    assert [n["id"] for n in cert["notices"]] == ["run_period_long"]
    assert cert["verdict"] == "ready"


def test_system_running_under_three_months_waits() -> None:
    data = _data("02_running_four_months.yaml")
    a = data["answers"]
    for key in ("internal_audit", "auditors_trained", "nc_raised", "nc_open"):
        del a[f"engagement.audit_review.{key}"]
    a["engagement.operation.started"] = dt.date(2026, 8, 15)  # assessed 2026-10-10
    cert = _assess(data)
    check = next(c for c in cert["checks"] if c["id"] == "run_period")
    assert check["state"] == "pending"
    assert "2026-11-15" in check["message"]["en"]
    assert _checks(cert)["auditors_trained"] == "pending"


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
