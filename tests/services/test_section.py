"""The report's "services that would help" section: typed, ranked like matched_services()."""

from __future__ import annotations

from pathlib import Path

import smesdk
from smesdk.report.sections import RankedList
from smesdk.services.section import services_sections

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[2]


def test_a_ranked_list_in_the_order_worked_out_by_hand():
    fw = smesdk.load_framework(DATA / "tagged.yaml")
    result = fw.assess(smesdk.load_answers(DATA / "firm.yaml"))
    [section] = services_sections(fw, result)
    assert isinstance(section, RankedList) and section.status == "derived"
    # test_match.py: labour (red line, 0), testing vouchers 40, training 35, certification 30,
    # compliance 20.
    assert [(i.text.en.split(" (")[0], i.badge.en) for i in section.items] == [
        ("Labour dispute mediation", "0 pts"),
        ("Testing and verification", "40 pts"),
        ("Training of managers and staff", "35 pts"),
        ("One-stop metrology, standards and certification", "30 pts"),
        ("Legal and compliance advice and training", "20 pts")]
    assert section.items[0].detail.zh == "底线：依法缴纳五险一金"
    assert section.items[1].detail.en == ("Quality certificate (30 points, 五（三）); "
                                          "Quality control (10 points, 五（三）)")


def test_an_untagged_framework_gets_no_section():
    fw = smesdk.load_framework("example")
    result = fw.assess(smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml"))
    assert services_sections(fw, result) == []


def test_the_report_shows_it(tmp_path):
    from click.testing import CliRunner

    from smesdk.cli import cli

    out = tmp_path / "r.md"
    res = CliRunner().invoke(cli, ["report", str(DATA / "tagged.yaml"), str(DATA / "firm.yaml"),
                                   "-o", str(out), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    text = out.read_text("utf-8")
    assert "可弥补差距的服务" in text
    assert text.index("劳动争议协商调解") < text.index("检验检测与试验验证（检测券）")
