"""Formula injection: text a spreadsheet would run as a formula, and how smesdk defuses it.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before them) as a formula: "CSV/formula injection". Input such as an
enterprise id ``=HYPERLINK(...)`` must come out as text. Every surface applies this one rule:
the questionnaire stores such text as a string cell with Excel's quote prefix; CSV outputs of
``smesdk batch`` and ``smesdk stats`` put an apostrophe before it (the OWASP advice), which a
spreadsheet shows as text and which a reader strips with one ``removeprefix("'")``.
"""

from __future__ import annotations

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The same rule as an RE2 regular expression, for columnar outputs (built from the tuple).
DANGEROUS_PATTERN = "^[" + "".join({"\t": r"\t", "\r": r"\r", "-": r"\-"}.get(c, c)
                                   for c in DANGEROUS_STARTS) + "]"
QUOTE = "'"


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_STARTS)


def neutralised(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet will not execute."""
    return QUOTE + text if is_dangerous(text) else text
