"""Batch demand by service × region equals the per-enterprise matches summed.

Worked by hand from tests/services/data/firms.csv (framework svc-hand, see test_match.py):
E1 (邢台) is the hand-worked firm: testing_voucher 40, training 35, certification 30,
compliance 20, labour 0 with the red line. E2 (邢台) scores full marks: no service. E3 (石家庄)
answers cert no (gap 30), control none (20), training none (30), insurance yes: testing_voucher
30 + 20 = 50, certification 30, training 30. E4 has no size: an error row.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.services.catalogue import load_catalogue
from smesdk.services.demand import demand, enterprise_matches

DATA = Path(__file__).parent / "data"
XT, SJZ = "河北省邢台市", "河北省石家庄市"


def _run():
    host = smesdk.default_host()
    fw = host.load_framework(DATA / "tagged.yaml")
    offers = load_catalogue(DATA / "catalogue.yaml", host.vocabulary())
    return fw, host.vocabulary(), demand(fw, host.vocabulary(), DATA / "firms.csv", offers)


def test_demand_by_service_and_region_worked_by_hand():
    _, _, table = _run()
    got = {(r.service, r.region): (r.enterprises, r.gap_points, r.red_lines) for r in table.rows}
    assert got == {
        ("rights.compliance", XT): (1, Decimal(20), 0),
        ("rights.labour", XT): (1, Decimal(0), 1),
        ("management.training", XT): (1, Decimal(35), 0),
        ("management.training", SJZ): (1, Decimal(30), 0),
        ("quality.testing_voucher", XT): (1, Decimal(40), 0),
        ("quality.testing_voucher", SJZ): (1, Decimal(50), 0),
        ("quality.certification", XT): (1, Decimal(30), 0),
        ("quality.certification", SJZ): (1, Decimal(30), 0),
    }
    assert table.enterprises == 3
    assert [(p.row, p.enterprise_id) for p in table.problems] == [(3, "E4")]
    assert "size" in table.problems[0].message
    # Supply: testing vouchers in 邢台 from b-voucher (邢台, no capacity given) and f-voucher
    # (every region, capacity 3): 2 offers, capacity unknown; in 石家庄 only f-voucher.
    supply = {(r.service, r.region): (r.offers, r.capacity) for r in table.rows}
    assert supply[("quality.testing_voucher", XT)] == (2, None)
    assert supply[("quality.testing_voucher", SJZ)] == (1, 3)


def test_demand_is_the_sum_of_the_per_enterprise_matches():
    fw, vocabulary, table = _run()
    summed: dict[tuple[str, str | None], list] = {}
    for item in enterprise_matches(fw, vocabulary, DATA / "firms.csv"):
        if not isinstance(item, tuple):
            continue
        _, _, region, matches = item
        for m in matches:
            cell = summed.setdefault((m.service, region), [0, Decimal(0)])
            cell[0] += 1
            cell[1] += m.gap_points
    assert {(r.service, r.region): [r.enterprises, r.gap_points] for r in table.rows} == summed
    # ... and the per-enterprise matches are those of assessing each enterprise on its own.
    one = fw.assess(smesdk.load_answers(DATA / "firm.yaml")).matched_services(fw)
    rows = {r.service: r.gap_points for r in table.rows if r.region == XT}
    assert {m.service: m.gap_points for m in one} == rows


def test_demand_file_from_the_command_line(tmp_path):
    out = tmp_path / "demand.csv"
    res = CliRunner().invoke(cli, ["match", str(DATA / "tagged.yaml"), str(DATA / "firms.csv"),
                                   "--catalog", str(DATA / "catalogue.yaml"),
                                   "--demand", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "8 rows (service × region) from 3 enterprises, 1 rows with errors" in res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["service"] == "rights.compliance" and rows[0]["service_zh"]
    assert sum(Decimal(r["gap_points"]) for r in rows) == 20 + 35 + 30 + 40 + 50 + 30 + 30
    parquet = tmp_path / "demand.parquet"
    res = CliRunner().invoke(cli, ["match", str(DATA / "tagged.yaml"), str(DATA / "firms.csv"),
                                   "--demand", str(parquet)])
    assert res.exit_code == 0, res.output
    table = pq.read_table(parquet).to_pylist()
    assert [(r["service"], r["region"], r["enterprises"]) for r in table] == [
        (r["service"], r["region"], int(r["enterprises"])) for r in rows]


def test_a_folder_of_answer_files_gives_the_same_demand_as_the_csv(tmp_path):
    fw, vocabulary, from_csv = _run()
    text = (DATA / "firm.yaml").read_text("utf-8")
    (tmp_path / "E1.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "E3.yaml").write_text(
        text.replace("small", "medium").replace('"18"', '"19"').replace("邢台", "石家庄")
        .replace("quality.control: some", "quality.control: none")
        .replace("people.training: some", "people.training: none")
        .replace('people.insurance: "no"', 'people.insurance: "yes"'), encoding="utf-8")
    offers = load_catalogue(DATA / "catalogue.yaml", vocabulary)
    from_folder = demand(fw, vocabulary, tmp_path, offers)
    assert from_folder.rows == from_csv.rows and from_folder.enterprises == 2
