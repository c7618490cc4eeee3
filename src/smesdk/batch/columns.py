"""The columnar input format: one row per enterprise, one column per indicator.

:func:`row_to_data` is the reference meaning of a row: it builds the plain dict an answer
file would hold, so ``answers_from_data`` + ``Framework.assess`` define the right result for
every row. The compiled scorer must agree with it to the last digit.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from smesdk.enterprise import FIELD_KINDS, model
from smesdk.errors import AnswerError, Problem
from smesdk.shapes import Choice, GridForm, Shape

if TYPE_CHECKING:
    import pyarrow as pa

    from smesdk.framework import Framework
    from smesdk.kinds import AnswerKind
    from smesdk.spec import Indicator

ROW = "__row__"
ENTERPRISE_ID = "enterprise_id"
DATE = "date"
#: Optional enterprise columns, copied into ``enterprise`` (``name`` defaults to the id).
ENTERPRISE_FIELDS = ("name", "size", "industry", "region", "type", "credit_code")
NA_PREFIX = "na:"
FACT_PREFIX = "fact:"
#: Columns of the extra enterprise fields a framework declares: ``enterprise.<field>``.
FIELD_PREFIX = "enterprise."
#: How a multi-select answer is written in one text cell (CSV).
MULTI_SEPARATOR = "|"
#: A grid's answer is one column per cell, ``<id>[<row>][<column>]``: every cell keeps its
#: own type (yes/no, level, option), and a bad cell's error names its column.
_GRID_CELL = re.compile(r"^(?P<iid>[^\[\]]+)\[(?P<row>[^\[\]]+)\]\[(?P<col>[^\[\]]+)\]$")


def grid_cell_column(iid: str, row: str, col: str) -> str:
    """The batch column of one cell of grid ``iid``."""
    return f"{iid}[{row}][{col}]"


def _grid_cell(name: str) -> tuple[str, str, str] | None:
    m = _GRID_CELL.match(name)
    return (m["iid"], m["row"], m["col"]) if m else None

_FIXED = {ROW, ENTERPRISE_ID, DATE, *ENTERPRISE_FIELDS}


def row_to_data(row: Mapping[str, Any], *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The answer-file dict one row stands for; raise AnswerError if the row cannot be one.

    ``as_of`` is the assessment date used when the row has no ``date``. Null cells are left
    out (not answered); a non-null ``na:<id>`` makes that answer N/A with the cell as reason.
    """
    problems: list[Problem] = []
    eid = row.get(ENTERPRISE_ID)
    if eid is None or (isinstance(eid, str) and not eid.strip()):
        problems.append(Problem(ENTERPRISE_ID, "an enterprise id is required"))
    enterprise: dict[str, Any] = {"name": str(eid) if eid is not None else None}
    for field in ENTERPRISE_FIELDS:
        value = row.get(field)
        if value is not None:
            enterprise[field] = value
    if enterprise["name"] is None:
        del enterprise["name"]
    data: dict[str, Any] = {"enterprise": enterprise}
    date = row.get(DATE)
    if date is None:
        date = as_of
    if date is not None:
        data[DATE] = date.isoformat() if isinstance(date, dt.date) else date
    answers: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    grids: dict[str, dict[str, dict[str, Any]]] = {}
    for name, value in row.items():
        if name in _FIXED:
            continue
        cell = _grid_cell(name)
        if cell is not None:  # empty cells too: each is named when others are given
            iid, r, c = cell
            grids.setdefault(iid, {}).setdefault(r, {})[c] = value
        elif name.startswith(FACT_PREFIX):
            if value is not None:
                facts[name[len(FACT_PREFIX):]] = value
        elif name.startswith(FIELD_PREFIX):
            if value is not None:
                enterprise.setdefault("fields", {})[name[len(FIELD_PREFIX):]] = value
        elif name.startswith(NA_PREFIX):
            if value is None:
                continue
            iid = name[len(NA_PREFIX):]
            if row.get(iid) is not None or any(
                    v is not None and (_grid_cell(k) or ("",))[0] == iid for k, v in row.items()):
                problems.append(Problem(name, f"an N/A answer has no value, but {iid} has one"))
            answers[iid] = {"na": True, "reason": value}
        elif value is not None and name not in answers:
            # A mapping in one cell is an answer's value (a grid's, joined from its cells).
            answers[name] = {"value": value} if isinstance(value, dict) else value
    for iid, cells in grids.items():  # a grid with no cell given is not answered
        given = any(v is not None for row_cells in cells.values() for v in row_cells.values())
        if given and iid not in answers:
            answers[iid] = {"value": cells}
    if problems:
        raise AnswerError(problems)
    data["answers"] = answers
    data["facts"] = facts
    return data


def column_of(path: str, message: str = "") -> str:
    """The input column a per-record problem path points at."""
    head, _, rest = path.partition(".")
    if head == "answers" and rest:
        return NA_PREFIX + rest if message.startswith("N/A") else rest
    if head == "facts" and rest:
        return FACT_PREFIX + rest
    if head == "enterprise" and rest.startswith("fields."):
        return FIELD_PREFIX + rest[len("fields."):]
    if head == "enterprise" and rest:
        return ENTERPRISE_ID if rest == "name" else rest
    return path


def row_error(problems: Iterable[Problem]) -> str:
    """All problems of one row as one line, each led by its column."""
    return "; ".join(f"{column_of(p.path, p.message)}: {p.message}" if p.path else p.message
                     for p in problems)


def column_problems(framework: Framework, names: Iterable[str]) -> list[Problem]:
    """Problems with a table's column names, found before any row is scored."""
    names = list(names)
    problems: list[Problem] = []
    if ENTERPRISE_ID not in names:
        problems.append(Problem(ENTERPRISE_ID, "the input has no enterprise_id column"))
    ids = set(framework.indicator_ids)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(Problem(name, "column appears twice"))
        seen.add(name)
        if name in _FIXED or name.startswith(FACT_PREFIX):
            continue
        if name.startswith(FIELD_PREFIX):
            declared = model(framework.spec).fields
            if name[len(FIELD_PREFIX):] not in declared:
                problems.append(Problem(name, f"no enterprise field {name[len(FIELD_PREFIX):]!r} "
                                              f"in framework {framework.id!r} (it declares: "
                                              f"{', '.join(declared) or 'none'})"))
            continue
        cell = _grid_cell(name)
        iid = cell[0] if cell else name[len(NA_PREFIX):] if name.startswith(NA_PREFIX) else name
        form = framework.kinds[iid].grid(framework.indicator(iid)) if iid in ids else None
        if cell is not None and form is not None:
            problems += _cell_problems(name, form, cell[1], cell[2])
            continue
        if cell is not None and iid in ids:
            problems.append(Problem(name, f"{iid!r} is no grid: its answer is one column {iid!r}"))
            continue
        if form is not None and name == iid:
            problems.append(Problem(name, f"{iid!r} is a grid: give one column per cell, "
                                          f"{grid_cell_column(iid, '<row>', '<column>')}"))
            continue
        if iid in ids:
            continue
        close = difflib.get_close_matches(iid, framework.indicator_ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(Problem(name, f"no indicator {iid!r} in framework {framework.id!r}{hint}"))
    return problems


def _cell_problems(name: str, form: GridForm, row: str, col: str) -> list[Problem]:
    rows = [str(r.value) for r in form.rows]
    columns = [str(c.value) for c in form.columns]
    problems = []
    if row not in rows:
        problems.append(Problem(name, f"no row {row!r} (rows: {', '.join(rows)})"))
    if col not in columns:
        problems.append(Problem(name, f"no column {col!r} (columns: {', '.join(columns)})"))
    return problems


def check_columns(framework: Framework, names: Iterable[str]) -> None:
    """Raise AnswerError listing every problem with the column names (see column_problems)."""
    problems = column_problems(framework, names)
    if problems:
        raise AnswerError(problems, title=f"the input columns do not fit framework {framework.id!r}:")


def input_schema(framework: Framework) -> pa.Schema:
    """The columns an input may have for ``framework``, with their natural Arrow types.

    Readers of typed formats may use other types the per-record parsers accept (e.g. a number
    as int, decimal or text); text readers (CSV) should read every column as text, since
    parsing a cell is part of scoring it and a bad cell must become an error row.
    """
    import pyarrow as pa

    fields = [pa.field(ENTERPRISE_ID, pa.string(), nullable=False)]
    fields += [pa.field(name, pa.string()) for name in ENTERPRISE_FIELDS]
    fields += [pa.field(FIELD_PREFIX + name, getattr(pa, FIELD_KINDS[field.kind].arrow)())
               for name, field in model(framework.spec).fields.items()]
    fields.append(pa.field(DATE, pa.date32()))
    facts: dict[str, pa.DataType] = {}
    for iid, ind in framework.iter_indicators():
        kind = framework.kinds[iid]
        form = kind.grid(ind)
        if form is not None:
            cell_type = _items_type(form.cells)
            fields += [pa.field(grid_cell_column(iid, r.value, c.value), cell_type)
                       for r in form.rows for c in form.columns]
            arrow_type = pa.null()
        else:
            arrow_type = _arrow_type(kind, ind)
            fields.append(pa.field(iid, arrow_type))
        if ind.na_allowed:
            fields.append(pa.field(NA_PREFIX + iid, pa.string()))
        if ind.fact:
            facts.setdefault(ind.fact, arrow_type)
    fields += [pa.field(FACT_PREFIX + key, t) for key, t in facts.items()]
    return pa.schema(fields)


def _arrow_type(kind: AnswerKind, ind: Indicator) -> pa.DataType:
    """The natural column type of an answer, by its shape (items by their values' type)."""
    import pyarrow as pa

    shape = kind.shape
    if shape is Shape.OPTIONS:
        return _items_type(kind.choices(ind))
    return {Shape.SUBSET: pa.list_(pa.string()), Shape.BANDS: pa.float64(),
            Shape.DATE: pa.date32()}.get(shape, pa.string())  # type: ignore[arg-type]


def _items_type(choices: list[Choice]) -> pa.DataType:
    """The column type of one item of a finite list, by its values' type."""
    import pyarrow as pa

    values = {type(c.value) for c in choices}
    if values == {bool}:
        return pa.bool_()
    if values == {int}:
        return pa.int64()
    return pa.string()


def join_grids(framework: Framework, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Each grid's cell columns as one column ``<id>`` of row → column → cell mappings.

    The column is dictionary-encoded over the distinct answers of the batch (a grid's rows
    repeat a few cell combinations), so the compiled scorer parses each distinct answer once
    with the kind itself; a row with no cell given is a missing answer. Cells stay raw: what
    they mean is the kind's business, on every path.
    """
    import numpy as np
    import pyarrow as pa

    from smesdk.batch.cells import distinct
    from smesdk.batch.grouping import group_rows

    cells: dict[str, dict[tuple[str, str], int]] = {}
    for i, name in enumerate(batch.schema.names):
        cell = _grid_cell(name)
        if cell is not None:
            cells.setdefault(cell[0], {})[(cell[1], cell[2])] = i
    if not cells:
        return batch
    drop = {i for where in cells.values() for i in where.values()}
    arrays = [c for i, c in enumerate(batch.columns) if i not in drop]
    names = [n for i, n in enumerate(batch.schema.names) if i not in drop]
    n = batch.num_rows
    for iid, where in cells.items():
        if not n:
            arrays.append(pa.nulls(0))
            names.append(iid)
            continue
        keys = list(where)
        coded = [distinct(batch.column(where[k])) for k in keys]
        first, inverse = group_rows([codes for codes, _ in coded])
        answers: list[dict[str, dict[str, Any]]] = []
        for at in first.tolist():
            answer: dict[str, dict[str, Any]] = {}
            for (row, col), (codes, values) in zip(keys, coded, strict=True):
                code = int(codes[at])
                answer.setdefault(row, {})[col] = values[code] if code >= 0 else None
            answers.append(answer)
        none = np.ones(n, dtype=bool)
        for codes, _ in coded:
            none &= codes < 0
        indices = pa.array(inverse.reshape(-1).astype(np.int32), pa.int32(), mask=none)
        arrays.append(pa.DictionaryArray.from_arrays(indices, pa.array(answers)))
        names.append(iid)
    return pa.RecordBatch.from_arrays(arrays, names=names)


def split_multi_text(col: pa.Array) -> pa.Array:
    """Text cells of one multi-select column (``a|b``; empty: none ticked) as lists."""
    import pyarrow as pa
    import pyarrow.compute as pc

    split = pc.split_pattern(col, MULTI_SEPARATOR)
    return pc.if_else(pc.equal(col, ""), pa.scalar([], split.type), split)


def split_multi(framework: Framework, batch: pa.RecordBatch, *, coded: bool = False
                ) -> pa.RecordBatch:
    """Turn text cells of multi-select columns (``a|b``; empty: none ticked) into lists; with
    ``coded``, dictionary-coded text too (the compiled scorer reads that by distinct value,
    per-record scoring needs the lists)."""
    import pyarrow as pa

    arrays = list(batch.columns)
    changed = False
    for i, name in enumerate(batch.schema.names):
        kind = framework.kinds.get(name)
        if kind is None or kind.shape is not Shape.SUBSET:
            continue
        col = arrays[i]
        if coded and pa.types.is_dictionary(col.type):
            col = col.dictionary_decode()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            arrays[i] = split_multi_text(col)
            changed = True
    if not changed:
        return batch
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)
