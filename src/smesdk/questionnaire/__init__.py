"""Excel questionnaires: write a form an enterprise fills in, read it back as an answer set.

    from smesdk.questionnaire import write_questionnaire, read_questionnaire
    write_questionnaire(fw, "form.xlsx", lang="zh")
    answers = read_questionnaire("form.xlsx", fw)     # AnswerError lists every problem by cell

Modules: :mod:`.layout` (where everything sits), :mod:`.values` (each answer kind in a cell),
:mod:`.cells` (formula-injection safety), :mod:`.write`, :mod:`.read`, :mod:`.labels`.
"""

from __future__ import annotations

from smesdk.questionnaire.read import FormInfo, form_info, is_questionnaire, read_questionnaire
from smesdk.questionnaire.write import write_questionnaire

__all__ = ["FormInfo", "form_info", "is_questionnaire", "read_questionnaire", "write_questionnaire"]
