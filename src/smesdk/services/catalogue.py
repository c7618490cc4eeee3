"""A platform's catalogue of offers: who provides which services, where, for whom, at what cost.

One offer per row, in YAML/JSON (a list under ``offers:``), CSV (a header line; lists joined
by ``|`` in one cell, as batch inputs write them) or Parquet (lists as list columns or as
``|``-joined text). Every bad row is reported with its place (file, row, field), all at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, get_args

import attrs

from smesdk.answers import SizeClass
from smesdk.convert import read_file
from smesdk.errors import Problem, SmesdkError, short
from smesdk.files import read_limited, require_regular
from smesdk.industries import industry_name
from smesdk.services.vocabulary import Vocabulary

#: A catalogue is a platform's list of offers, not a database: a bound that keeps a wrong file
#: from exhausting memory.
MAX_BYTES = 64 * 1024 * 1024
LIST_SEPARATOR = "|"
SIZES: tuple[str, ...] = get_args(SizeClass)


@attrs.frozen
class Offer:
    """One service product of one provider. Empty ``regions``/``sizes``/``industries``: all.

    ``price`` and ``subsidy`` are in yuan per enterprise; ``capacity`` is how many
    enterprises the offer can take (None: not limited).
    """

    id: str
    provider: str
    title: str
    services: list[str]
    regions: list[str] = attrs.field(factory=list)
    sizes: list[str] = attrs.field(factory=list)
    industries: list[str] = attrs.field(factory=list)
    price: Decimal | None = None
    subsidy: Decimal | None = None
    capacity: int | None = None

    @property
    def net_price(self) -> Decimal | None:
        """What the enterprise pays: price less subsidy (None when no price is given)."""
        if self.price is None:
            return None
        return self.price - (self.subsidy or Decimal(0))


_FIELDS = {f.name for f in attrs.fields(Offer)}
_REQUIRED = ("id", "provider", "title", "services")
_LISTS = ("services", "regions", "sizes", "industries")


def _text_list(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(LIST_SEPARATOR) if p.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        value = repr(value)
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise ValueError
    return number


def _unknown(names: Any) -> list[tuple[str, str]]:
    return [(name, f"unknown field (known: {', '.join(sorted(_FIELDS))})")
            for name in sorted(set(names) - _FIELDS, key=str)]


def _offer(row: Mapping[str, Any], vocabulary: Vocabulary) -> tuple[Offer | None, list[tuple[str, str]]]:
    """The offer a row stands for, or the (field, message) pairs of everything wrong with it."""
    problems: list[tuple[str, str]] = _unknown(row)
    values: dict[str, Any] = {}
    for name in _REQUIRED:
        value = row.get(name)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            problems.append((name, "required"))
    for name in ("id", "provider", "title"):
        value = row.get(name)
        if value is not None and not isinstance(value, str | int):
            problems.append((name, f"expected text, got {short(value)}"))
        elif value is not None:
            values[name] = str(value).strip()
    for name in _LISTS:
        items = _text_list(row.get(name))
        if items is None:
            problems.append((name, f"expected a list of text or text joined by "
                                   f"{LIST_SEPARATOR!r}, got {short(row.get(name))}"))
            continue
        values[name] = items
    for sid in values.get("services", []):
        if sid not in vocabulary:
            problems.append(("services", f"unknown service {sid!r} (see docs/services.md)"))
    for size in values.get("sizes", []):
        if size not in SIZES:
            problems.append(("sizes", f"{size!r} is not one of {', '.join(SIZES)}"))
    for code in values.get("industries", []):
        if industry_name(code) is None:
            problems.append(("industries", f"{code!r} is not an industry category (1–39)"))
    for name in ("price", "subsidy", "capacity"):
        value = row.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            number = _number(value)
        except (ValueError, InvalidOperation):
            problems.append((name, f"expected a number, got {short(value)}"))
            continue
        assert number is not None
        if number < 0:
            problems.append((name, f"must not be negative, got {number}"))
        elif name == "capacity" and number != number.to_integral_value():
            problems.append((name, f"expected a whole number of enterprises, got {number}"))
        else:
            values[name] = int(number) if name == "capacity" else number
    price, subsidy = values.get("price"), values.get("subsidy")
    if subsidy is not None and price is not None and subsidy > price:
        problems.append(("subsidy", f"{subsidy} is more than the price {price}"))
    if problems:
        return None, problems
    return Offer(**values), []


def _rows(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, row) pairs: ``offers[3]`` for documents, ``line 5``/``row 4`` for tables. A
    table's unknown columns are reported once, as ``columns``, and left out of its rows."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = read_limited(path, MAX_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SmesdkError([Problem("", "file is not UTF-8 text", str(path))]) from None
        reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\0extra")
        yield "columns", list(reader.fieldnames or [])
        for record in reader:
            if not any(v for k, v in record.items() if k != "\0extra"):
                continue  # a blank line is not a row
            yield f"line {reader.line_num}", record
        return
    if suffix in (".parquet", ".pq"):
        require_regular(path)
        if path.stat().st_size > MAX_BYTES:
            raise SmesdkError([Problem("", f"larger than the {MAX_BYTES // 2**20} MiB limit of a "
                                           "catalogue", str(path))])
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise SmesdkError([Problem("", "reading Parquet needs pyarrow: "
                                           "pip install 'smesdk[batch]'", str(path))]) from None
        try:
            table = pq.read_table(path)
        except Exception as exc:  # pyarrow's errors have no common base for a damaged file
            raise SmesdkError([Problem("", f"not a readable Parquet file ({exc})",
                                       str(path))]) from None
        yield "columns", table.column_names
        for k, record in enumerate(table.to_pylist()):
            yield f"row {k + 1}", record
        return
    data, _ = read_file(path)
    offers = data.get("offers") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) != {"offers"} or not isinstance(offers, list):
        raise SmesdkError([Problem("", "expected a mapping with one key, offers: a list of "
                                       "offers", str(path))])
    for k, record in enumerate(offers):
        yield f"offers[{k}]", record


def load_catalogue(path: str | Path, vocabulary: Vocabulary) -> list[Offer]:
    """Every offer of the file, or SmesdkError listing every bad row and field at once."""
    path = Path(path)
    offers: list[Offer] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    columns: set[str] = set()
    for where, record in _rows(path):
        if where == "columns":
            problems += [Problem(f"column {name}", message, str(path))
                         for name, message in _unknown(record)]
            columns = set(record) - _FIELDS
            continue
        if not isinstance(record, Mapping):
            problems.append(Problem(where, f"expected a mapping of fields, got {short(record)}",
                                    str(path)))
            continue
        if "\0extra" in record:
            problems.append(Problem(where, "more cells than the header has columns", str(path)))
            continue
        offer, found = _offer({k: v for k, v in record.items() if k not in columns}, vocabulary)
        problems += [Problem(f"{where}: {name}", message, str(path)) for name, message in found]
        if offer is None:
            continue
        if offer.id in seen:
            problems.append(Problem(f"{where}: id", f"offer id {offer.id!r} is also used at "
                                                    f"{seen[offer.id]}", str(path)))
            continue
        seen[offer.id] = where
        offers.append(offer)
    if problems:
        raise SmesdkError(problems, title=f"the catalogue {path} has problems")
    if not offers:
        raise SmesdkError([Problem("", "the catalogue holds no offers", str(path))])
    return offers
