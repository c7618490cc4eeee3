"""The catalogue reader: YAML, CSV and Parquet read alike; every bad row named, all at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import smesdk
from smesdk.errors import SmesdkError
from smesdk.services.catalogue import load_catalogue

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def vocabulary():
    return smesdk.default_host().vocabulary()


def test_the_three_formats_give_the_same_offers(vocabulary, tmp_path):
    from_yaml = load_catalogue(DATA / "catalogue.yaml", vocabulary)
    header = "id,provider,title,services,regions,sizes,industries,price,subsidy,capacity\n"
    lines = [",".join([o.id, o.provider, o.title, "|".join(o.services), "|".join(o.regions),
                       "|".join(o.sizes), "|".join(o.industries),
                       "" if o.price is None else str(o.price),
                       "" if o.subsidy is None else str(o.subsidy),
                       "" if o.capacity is None else str(o.capacity)]) for o in from_yaml]
    (tmp_path / "c.csv").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    assert load_catalogue(tmp_path / "c.csv", vocabulary) == from_yaml
    table = pa.Table.from_pylist([{"id": o.id, "provider": o.provider, "title": o.title,
                                   "services": o.services, "regions": o.regions,
                                   "sizes": "|".join(o.sizes), "industries": o.industries,
                                   "price": None if o.price is None else str(o.price),
                                   "subsidy": None if o.subsidy is None else float(o.subsidy),
                                   "capacity": o.capacity} for o in from_yaml])
    pq.write_table(table, tmp_path / "c.parquet")
    assert load_catalogue(tmp_path / "c.parquet", vocabulary) == from_yaml
    assert from_yaml[0].net_price == Decimal(4000)


def test_every_bad_row_is_reported_with_its_line_and_field(vocabulary, tmp_path):
    (tmp_path / "bad.csv").write_text(
        "id,provider,title,services,price,subsidy,capacity,colour\n"
        "ok,P,T,quality.brand,1,,,\n"
        "x1,,T,quality.brnad,abc,,,red\n"
        "ok,P,T,quality.brand,5,9,1.5,\n"
        "x3,P,T,quality.brand,1,0,-2,,extra\n", encoding="utf-8")
    with pytest.raises(SmesdkError) as err:
        load_catalogue(tmp_path / "bad.csv", vocabulary)
    text = str(err.value)
    assert text.count("colour: unknown") == 1  # named once, as a column, not on every row
    for expected in ("column colour: unknown field",
                     "line 3: provider: required",
                     "line 3: services: unknown service 'quality.brnad'",
                     "line 3: price: expected a number, got 'abc'",
                     "line 4: capacity: expected a whole number of enterprises, got 1.5",
                     "line 4: subsidy: 9 is more than the price 5",
                     "line 5: more cells than the header has columns"):
        assert expected in text
    assert text.count("bad.csv") >= 6


def test_duplicate_ids_and_bad_sizes_in_yaml(vocabulary, tmp_path):
    (tmp_path / "c.yaml").write_text(
        "offers:\n"
        "  - {id: a, provider: P, title: T, services: [quality.brand], sizes: [big]}\n"
        "  - {id: b, provider: P, title: T, services: [quality.brand], industries: ['77']}\n"
        "  - {id: c, provider: P, title: T, services: [quality.brand]}\n"
        "  - {id: c, provider: P, title: T, services: [quality.brand]}\n"
        "  - just text\n", encoding="utf-8")
    with pytest.raises(SmesdkError) as err:
        load_catalogue(tmp_path / "c.yaml", vocabulary)
    text = str(err.value)
    assert "offers[0]: sizes: 'big' is not one of micro, small, medium" in text
    assert "offers[1]: industries: '77' is not an industry category" in text
    assert "offers[3]: id: offer id 'c' is also used at offers[2]" in text
    assert "offers[4]: expected a mapping of fields" in text


@pytest.mark.parametrize("content, message", [
    ("offers: []\n", "holds no offers"),
    ("- a\n", "expected a mapping with one key, offers"),
])
def test_empty_or_misshapen_files(vocabulary, tmp_path, content, message):
    (tmp_path / "c.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(SmesdkError, match=message):
        load_catalogue(tmp_path / "c.yaml", vocabulary)


def test_a_damaged_parquet_file_is_a_message(vocabulary, tmp_path):
    (tmp_path / "c.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(SmesdkError, match="not a readable Parquet file"):
        load_catalogue(tmp_path / "c.parquet", vocabulary)
