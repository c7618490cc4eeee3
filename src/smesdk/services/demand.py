"""Demand by service × region over a whole enterprise file: the 精准配置 view of a platform.

Each row of a batch input (Parquet, CSV, JSON Lines or a folder of answer files, read by the
batch readers) is assessed per record and matched (:meth:`smesdk.Result.matched_services`);
demand is the sum of those matches: per service and region, the enterprises that need the
service and their gap points. Beside it, the catalogue's supply there: the offers of the
service open to that region and their capacity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from smesdk.errors import AnswerError, SmesdkError
from smesdk.services.catalogue import Offer
from smesdk.services.match import ServiceMatch, matched_services

if TYPE_CHECKING:
    from smesdk.framework import Framework
    from smesdk.services.vocabulary import Vocabulary


@attrs.frozen
class DemandRow:
    """One service in one region (None: enterprises that give no region)."""

    service: str
    region: str | None
    enterprises: int
    gap_points: Decimal
    red_lines: int
    offers: int
    capacity: int | None


@attrs.frozen
class RowProblem:
    row: int
    enterprise_id: str | None
    message: str


@attrs.frozen
class Demand:
    rows: list[DemandRow]
    enterprises: int
    problems: list[RowProblem]


def enterprise_matches(framework: Framework, vocabulary: Vocabulary, source: str | Path,
                       as_of: dt.date | None = None
                       ) -> Iterator[tuple[int, str | None, str | None, list[ServiceMatch]]
                                     | RowProblem]:
    """(row, enterprise id, region, matches) for every input row, or its problem."""
    from smesdk.batch.columns import ROW, check_columns, row_error, row_to_data, split_multi
    from smesdk.batch.formats import open_source
    from smesdk.batch.readers import AnswerFolderSource
    from smesdk.engine import score
    from smesdk.loading import answers_from_data

    # The input is read exactly as `smesdk batch` reads it: the same column check, multi-select
    # text cells split the same way, answer files checked against the framework.
    reader = open_source(source)
    if isinstance(reader, AnswerFolderSource):
        reader.framework = framework
    names = reader.column_names()
    if names is not None:
        check_columns(framework, names)
    for chunk in reader.chunks():
        for err in chunk.errors:
            yield RowProblem(err.row, err.enterprise_id, err.message)
        for row in split_multi(framework, chunk.batch).to_pylist():
            number = int(row[ROW])
            eid = row.get("enterprise_id")
            try:
                answers = answers_from_data(row_to_data(row, as_of=as_of))
                # The engine alone, as the batch's per-record path: the result hooks add advice,
                # extensions and facts, none of which matching reads, at 4-5x the time.
                result = score(framework, answers)
            except AnswerError as exc:
                yield RowProblem(number, None if eid is None else str(eid),
                                 row_error(exc.problems))
                continue
            yield (number, answers.enterprise.name if eid is None else str(eid),
                   answers.enterprise.region, matched_services(result, framework, vocabulary))


def supply(offers: list[Offer], service: str, region: str | None) -> tuple[int, int | None]:
    """Offers of ``service`` open to ``region`` and their capacity (None if any is unlimited)."""
    found = [o for o in offers if service in o.services
             and (not o.regions or (region is not None and region in o.regions))]
    capacities = [o.capacity for o in found]
    total = None if any(c is None for c in capacities) else sum(c for c in capacities if c)
    return len(found), total


def demand(framework: Framework, vocabulary: Vocabulary, source: str | Path,
           offers: list[Offer], as_of: dt.date | None = None) -> Demand:
    """Demand by service × region, summed over the enterprises' matches (module doc)."""
    cells: dict[tuple[str, str | None], list[Decimal | int]] = {}
    problems: list[RowProblem] = []
    count = 0
    for item in enterprise_matches(framework, vocabulary, source, as_of):
        if isinstance(item, RowProblem):
            problems.append(item)
            continue
        count += 1
        _, _, region, matches = item
        for match in matches:
            cell = cells.setdefault((match.service, region), [0, Decimal(0), 0])
            cell[0] += 1
            cell[1] += match.gap_points
            cell[2] += 1 if match.red_lines else 0
    if count == 0 and problems:
        raise SmesdkError([f"row {p.row}: {p.message}" for p in problems[:20]],
                          title=f"no row of {source} could be assessed")
    rows = []
    for (sid, region), (n, points, lines) in sorted(
            cells.items(), key=lambda kv: (vocabulary.order(kv[0][0]), kv[0][1] is None,
                                           kv[0][1] or "")):
        n_offers, capacity = supply(offers, sid, region)
        rows.append(DemandRow(sid, region, int(n), Decimal(points), int(lines), n_offers,
                              capacity))
    return Demand(rows, count, sorted(problems, key=lambda p: p.row))


COLUMNS = ("service", "service_zh", "service_en", "area", "region", "enterprises", "gap_points",
           "red_lines", "offers", "capacity")


def demand_records(table: Demand, vocabulary: Vocabulary) -> list[dict[str, object]]:
    """The rows as plain records, names beside ids; gap points as exact decimal text."""
    out: list[dict[str, object]] = []
    for row in table.rows:
        service = vocabulary.service(row.service)
        out.append({"service": row.service, "service_zh": service.title.zh,
                    "service_en": service.title.en, "area": service.area, "region": row.region,
                    "enterprises": row.enterprises, "gap_points": str(row.gap_points),
                    "red_lines": row.red_lines, "offers": row.offers, "capacity": row.capacity})
    return out


def write_demand(table: Demand, vocabulary: Vocabulary, path: str | Path) -> None:
    """CSV (spreadsheet-safe text cells) or Parquet, by suffix; written whole, then renamed."""
    import csv
    import os

    path = Path(path)
    records = demand_records(table, vocabulary)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise SmesdkError([f"{path}: write demand to a .csv or .parquet file"])
    part = path.with_name(f".{path.name}.part")
    try:
        if suffix == ".csv":
            with open(part, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(COLUMNS)
                for rec in records:
                    writer.writerow([_cell(rec[c]) for c in COLUMNS])
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = pa.schema([(c, pa.int64() if c in ("enterprises", "red_lines", "offers",
                                                          "capacity") else pa.string())
                                for c in COLUMNS])
            pq.write_table(pa.Table.from_pylist(records, schema=schema), part)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise SmesdkError([f"{path}: cannot write ({exc.strerror or exc})"]) from None


def _cell(value: object) -> object:
    from smesdk.formulas import neutralised

    if value is None:
        return ""
    return neutralised(value) if isinstance(value, str) else value
