"""`smesdk match` for one enterprise: the hand-worked ranking of test_match.py, as printed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from smesdk.cli import cli

DATA = Path(__file__).parent / "data"
ARGS = ["match", str(DATA / "tagged.yaml"), str(DATA / "firm.yaml")]


def test_services_and_offers_in_order():
    res = CliRunner().invoke(cli, [*ARGS, "--catalog", str(DATA / "catalogue.yaml"),
                                   "--lang", "en"])
    assert res.exit_code == 0, res.output
    out = res.output
    order = ["1. Labour dispute mediation", "2. Testing and verification (testing vouchers)",
             "3. Training of managers and staff", "4. One-stop metrology",
             "5. Legal and compliance advice", "1. 丙机构 — 劳动用工体检", "2. 己机构 — 检测券",
             "3. 乙机构 — 检测券", "4. 甲机构 — 认证辅导",
             "丁机构 — 培训: for a medium-sized enterprise only, not a small enterprise"]
    places = [out.index(item) for item in order]
    assert places == sorted(places)
    assert "40 gap points (derived)" in out and "red line: Social insurance paid" in out


def test_json_gives_exact_figures():
    res = CliRunner().invoke(cli, [*ARGS, "--catalog", str(DATA / "catalogue.yaml"), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [(s["service"], s["gap_points"]) for s in data["services"]][:3] == [
        ("rights.labour", 0), ("quality.testing_voucher", 40), ("management.training", 35)]
    assert [o["offer"]["id"] for o in data["offers"]] == ["c-labour", "f-voucher", "b-voucher",
                                                         "a-cert"]


def test_without_a_catalogue_only_the_services():
    res = CliRunner().invoke(cli, [*ARGS, "--lang", "zh"])
    assert res.exit_code == 0, res.output
    unwrapped = "".join(res.output.split())  # lines wrap within 80 columns
    assert "  1. 劳动争议协商调解" in res.output and "缺口40分" in unwrapped
    assert "可提供服务的机构" not in res.output


def test_a_bad_catalogue_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "c.csv").write_text("id,provider,title,services\nx,,T,nope\n", encoding="utf-8")
    res = CliRunner().invoke(cli, [*ARGS, "--catalog", str(tmp_path / "c.csv")])
    assert res.exit_code == 1
    assert "line 2: provider: required" in res.output
    assert "line 2: services: unknown service 'nope'" in res.output
    assert "Traceback" not in res.output


def test_a_folder_needs_demand(tmp_path):
    res = CliRunner().invoke(cli, ["match", str(DATA / "tagged.yaml"), str(tmp_path)])
    assert res.exit_code == 1
    assert "--demand" in res.output
