"""Cell safety: text never becomes a formula on export, and formulas are never read as answers.

A spreadsheet executes text that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or CR
before them, in CSV exports) as a formula: "CSV/formula injection" (the rule lives in
:mod:`smesdk.formulas`). Every text the form writes that starts so is stored as a string
cell with Excel's quote prefix (the invisible leading apostrophe), so Excel shows it as text
and keeps it text when the cell is edited or the sheet saved as CSV. On import a formula cell
is an error; it is never evaluated.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from smesdk.formulas import is_dangerous


def put_text(cell: Any, text: str) -> None:
    """Write ``text`` as a plain string cell, neutralised if a spreadsheet would execute it."""
    cell.value = text
    if isinstance(text, str) and is_dangerous(text):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        cell.quotePrefix = True


def is_formula(cell: Any) -> bool:
    value = cell.value
    return cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula)


def formula_text(cell: Any) -> str:
    value = cell.value
    if isinstance(value, ArrayFormula):
        return str(value.text)
    if isinstance(value, DataTableFormula):
        return "{=TABLE()}"
    return str(value)


def is_error_value(cell: Any) -> bool:
    return bool(cell.data_type == "e")


def shown(value: Any) -> str:
    """A cell value quoted for a message."""
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
