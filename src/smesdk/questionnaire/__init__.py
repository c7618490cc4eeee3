"""Excel questionnaires: write a form an enterprise fills in, read it back as an answer set.

    from smesdk.questionnaire import write_questionnaire, read_questionnaire
    write_questionnaire(fw, "form.xlsx", lang="zh")
    answers = read_questionnaire("form.xlsx", fw)     # AnswerError lists every problem by cell

Modules: :mod:`.layout` (where everything sits), :mod:`.values` (each answer kind in a cell),
:mod:`.cells` (formula-injection safety), :mod:`.write`, :mod:`.read`, :mod:`.labels`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from smesdk.questionnaire.detect import is_questionnaire

if TYPE_CHECKING:
    from smesdk.questionnaire.read import FormInfo, form_info, read_questionnaire
    from smesdk.questionnaire.write import write_questionnaire

# openpyxl (and numpy, which it imports when present) cost ~0.25 s: load them on first use, so
# that `import smesdk.cli` and commands that never touch a workbook stay fast.
_LAZY = {"FormInfo": "read", "form_info": "read", "read_questionnaire": "read",
         "write_questionnaire": "write"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

__all__ = ["FormInfo", "form_info", "is_questionnaire", "read_questionnaire", "write_questionnaire"]
