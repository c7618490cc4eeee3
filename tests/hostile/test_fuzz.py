"""Hypothesis fuzz of every reader of outside input: answer files, framework specs, CSV and
JSON Lines rows, and questionnaire cells. Whatever the input, a reader either accepts it or
raises smesdk's own error (which the CLI prints as a message); nothing else escapes, and every
input row is accounted for.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smesdk
from smesdk.convert import parse_text
from smesdk.errors import SmesdkError
from smesdk.loading import answers_from_data, spec_from_data

ROOT = Path(__file__).parents[2]
GOOD = (ROOT / "examples" / "answers" / "example-small-firm.yaml").read_text("utf-8")
SPEC_DATA = json.loads(json.dumps(yaml.safe_load(
    (ROOT / "examples" / "plugins" / "smesdk-example" / "src" / "smesdk_example"
     / "example.yaml").read_text("utf-8")), default=str))
FW = smesdk.load_framework("example")
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.dates().map(dt.date.isoformat))
plain = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)
SYNTAX = string.ascii_letters + string.digits + " \n\t:-[]{},&*!?|>'\"#%@`=.~\\"


def _mutate(text: str, data: st.DataObject) -> str:
    """``text`` with a few random cuts and insertions of YAML/JSON syntax."""
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        text = text[:at] + data.draw(st.text(SYNTAX, max_size=8)) + text[at + cut:]
    return text


def _read_answers(text: str, fmt: str) -> None:
    try:
        answers = answers_from_data(parse_text(text, fmt), fmt)  # type: ignore[arg-type]
        FW.validate_answers(answers)
    except SmesdkError as exc:
        assert exc.render()  # a message, printable


@SLOW
@given(data=st.data(), fmt=st.sampled_from(["yaml", "json"]))
def test_mutated_answer_files_are_read_or_refused(data, fmt):
    text = GOOD if fmt == "yaml" else json.dumps(yaml.safe_load(GOOD), default=str)
    _read_answers(_mutate(text, data), fmt)


@SLOW
@given(value=plain, where=st.sampled_from(["enterprise", "date", "answers", "facts",
                                           "answers.strategy.plan", "enterprise.size",
                                           "facts.cert.iso9001.valid", "profile"]))
def test_answer_files_with_any_value_anywhere_are_read_or_refused(value, where):
    data = json.loads(json.dumps(yaml.safe_load(GOOD), default=str))
    head, _, tail = where.partition(".")
    if tail:
        if isinstance(data[head], dict):
            data[head][tail] = value
    else:
        data[head] = value
    for fmt in ("json", "yaml"):
        text = json.dumps(data, allow_nan=True) if fmt == "json" else yaml.safe_dump(data)
        _read_answers(text, fmt)


@SLOW
@given(text=st.text(max_size=200), fmt=st.sampled_from(["yaml", "json", "toml"]))
def test_any_text_is_parsed_or_refused(text, fmt):
    try:
        parse_text(text, fmt)
    except SmesdkError as exc:
        assert exc.render()


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


SPEC_PATHS = _paths(SPEC_DATA)[1:]


@SLOW
@given(where=st.sampled_from(SPEC_PATHS), value=plain)
def test_framework_specs_with_any_value_anywhere_load_or_are_refused(where, value):
    data = copy.deepcopy(SPEC_DATA)
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    try:
        smesdk.Framework.from_spec(spec_from_data(data), registry=FW.registry)
    except SmesdkError as exc:
        assert exc.render()


pa = pytest.importorskip("pyarrow")

HEADER = "enterprise_id,size,date,strategy.mission,strategy.plan"
cells = st.text(string.printable + "é中\"", max_size=12)


@SLOW
@given(lines=st.lists(st.lists(cells, min_size=0, max_size=7).map(",".join), max_size=12),
       size=st.integers(1, 5))
def test_csv_rows_are_rows_or_error_rows(tmp_path_factory, lines, size):
    from smesdk.batch.readers import CsvSource

    path = tmp_path_factory.mktemp("csv") / "in.csv"
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", "utf-8")
    chunks = list(CsvSource(path).chunks(size))
    numbers = sorted([*(n for c in chunks for n in c.batch.column("__row__").to_pylist()),
                      *(e.row for c in chunks for e in c.errors)])
    assert numbers == list(range(len(numbers)))  # every record once, numbered in order


@SLOW
@given(rows=st.lists(st.one_of(plain.map(lambda v: json.dumps(v, allow_nan=True)),
                               st.text(max_size=30).filter(lambda t: "\n" not in t
                                                           and "\r" not in t)),
                     max_size=8))
def test_jsonl_rows_are_rows_or_error_rows(tmp_path_factory, rows):
    from smesdk.batch.readers import JsonLinesSource

    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    chunks = list(JsonLinesSource(path).chunks(3))
    total = sum(c.rows for c in chunks)
    # a line is a row unless blank in bytes (ASCII whitespace only, as the reader sees it)
    assert total == sum(1 for line in "\n".join(rows).split("\n") if line.encode().strip())


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    from smesdk.questionnaire import write_questionnaire

    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    write_questionnaire(FW, path, lang="en", answers=smesdk.load_answers(
        ROOT / "examples" / "answers" / "example-small-firm.yaml"))
    return path


cell_values = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                        st.floats(allow_nan=False, allow_infinity=False),
                        st.text(max_size=20), st.dates(dt.date(1900, 3, 1)))


@SLOW
@given(changes=st.lists(st.tuples(st.integers(1, 40), st.integers(1, 12), cell_values),
                        min_size=1, max_size=6),
       sheet=st.integers(0, 3))
def test_questionnaire_cells_are_read_or_refused_by_cell(tmp_path_factory, form, changes,
                                                         sheet):
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell

    from smesdk.errors import AnswerError
    from smesdk.questionnaire import read_questionnaire

    wb = load_workbook(form)
    ws = wb.worksheets[sheet]
    for row, col, value in changes:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(ws.cell(row, col), MergedCell):
            continue  # the form spans some texts over A–C: what is typed there lands in A
        ws.cell(row, col).value = value
    path = tmp_path_factory.mktemp("filled") / "f.xlsx"
    wb.save(path)
    try:
        read_questionnaire(path, FW)
    except AnswerError as exc:
        assert all(p.path or p.message for p in exc.problems)
