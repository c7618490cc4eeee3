"""The columnar input format: one row per enterprise, one column per indicator.

:func:`row_to_data` is the reference meaning of a row: it builds the plain dict an answer
file would hold, so ``answers_from_data`` + ``Framework.assess`` define the right result for
every row. The compiled scorer must agree with it to the last digit.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from smesdk.enterprise import FIELD_KINDS, model
from smesdk.errors import AnswerError, Problem
from smesdk.shapes import Shape

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
    for name, value in row.items():
        if name in _FIXED:
            continue
        if name.startswith(FACT_PREFIX):
            if value is not None:
                facts[name[len(FACT_PREFIX):]] = value
        elif name.startswith(FIELD_PREFIX):
            if value is not None:
                enterprise.setdefault("fields", {})[name[len(FIELD_PREFIX):]] = value
        elif name.startswith(NA_PREFIX):
            if value is None:
                continue
            iid = name[len(NA_PREFIX):]
            if row.get(iid) is not None:
                problems.append(Problem(name, f"an N/A answer has no value, but {iid} has one"))
            answers[iid] = {"na": True, "reason": value}
        elif value is not None and name not in answers:
            answers[name] = value
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
        iid = name[len(NA_PREFIX):] if name.startswith(NA_PREFIX) else name
        if iid in ids:
            continue
        close = difflib.get_close_matches(iid, framework.indicator_ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(Problem(name, f"no indicator {iid!r} in framework {framework.id!r}{hint}"))
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
        arrow_type = _arrow_type(framework.kinds[iid], ind)
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
        values = {type(c.value) for c in kind.choices(ind)}
        if values == {bool}:
            return pa.bool_()
        if values == {int}:
            return pa.int64()
        return pa.string()
    return {Shape.SUBSET: pa.list_(pa.string()), Shape.BANDS: pa.float64(),
            Shape.DATE: pa.date32()}.get(shape, pa.string())  # type: ignore[arg-type]


def split_multi(framework: Framework, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Turn text cells of multi-select columns (``a|b``; empty: none ticked) into lists."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = list(batch.columns)
    changed = False
    for i, name in enumerate(batch.schema.names):
        kind = framework.kinds.get(name)
        if kind is None or kind.shape is not Shape.SUBSET:
            continue
        col = arrays[i]
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            split = pc.split_pattern(col, MULTI_SEPARATOR)
            empty = pc.equal(col, "")
            arrays[i] = pc.if_else(empty, pa.scalar([], split.type), split)
            changed = True
    if not changed:
        return batch
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)
