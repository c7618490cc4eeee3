"""How each answer kind looks in an answer cell: drop-down items, hint, writing and reading.

Choices, yes/no and scale levels are shown by their labels in the form's language (read
back in either language, or by the option's own value). A multi-select is one cell holding
the ticked labels separated by ';' — one column per option would give every sheet a
different shape and make the row layout depend on the widest question, so the fixed
eleven columns win; the hint lists the options and a token says "none of them".
Numbers stay numbers; dates are date cells. Kinds from plugins are read as text and
checked by the kind itself.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from smesdk.dates import as_date
from smesdk.kinds import (
    AnswerKind,
    ChoiceKind,
    DateKind,
    MultiKind,
    NumberKind,
    PercentKind,
    ScaleKind,
    TextKind,
    YesNoKind,
    _show,
)
from smesdk.numbers import frac
from smesdk.questionnaire.cells import shown
from smesdk.questionnaire.labels import all_langs, label, text
from smesdk.spec import Indicator, Option
from smesdk.text import LANGS, Lang, Text

_SEPARATORS = re.compile(r"[;；]")
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"


class CellValueError(ValueError):
    """An answer cell that cannot be read; carries the message in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def _yes_no(lang: Lang) -> tuple[str, str]:
    return ("是", "否") if lang == "zh" else ("yes", "no")


def _option_items(options: list[Option], lang: Lang) -> list[str]:
    """Option labels in ``lang``; a label two options share gets the value appended."""
    labels = [o.label.get(lang) for o in options]
    return [lab if labels.count(lab) == 1 else f"{lab} ({o.value})" for lab, o in zip(labels, options,
                                                                                         strict=True)]


def _scale_items(ind: Indicator, lang: Lang) -> list[str]:
    return [f"{s.level} – {s.label.get(lang)}" for s in ind.scale]


def dropdown(ind: Indicator, kind: AnswerKind, lang: Lang) -> list[str] | None:
    """The drop-down list of an answer cell, or None when the cell is typed in."""
    if isinstance(kind, ChoiceKind):
        return _option_items(ind.options, lang)
    if isinstance(kind, YesNoKind):
        return list(_yes_no(lang))
    if isinstance(kind, ScaleKind):
        return _scale_items(ind, lang)
    return None


def number_range(ind: Indicator, kind: NumberKind) -> tuple[str | None, str | None]:
    lo, hi = kind._range(ind)
    return (_show(lo) if lo is not None else None, _show(hi) if hi is not None else None)


def number_format(kind: AnswerKind) -> str:
    if isinstance(kind, NumberKind):
        return "General"
    if isinstance(kind, DateKind):
        return DATE_FORMAT
    return TEXT_FORMAT


def hint(ind: Indicator, kind: AnswerKind, lang: Lang) -> str:
    """What to write in the answer cell, in words."""
    parts: list[str] = []
    if isinstance(kind, ChoiceKind):
        parts.append(label("hint.choice", lang) + "：" if lang == "zh" else label("hint.choice", lang) + ":")
        parts.append(" / ".join(_option_items(ind.options, lang)))
    elif isinstance(kind, YesNoKind):
        parts.append(label("hint.yesno", lang))
    elif isinstance(kind, ScaleKind):
        parts.append(label("hint.scale", lang))
        parts += _scale_items(ind, lang)
    elif isinstance(kind, MultiKind):
        items = _option_items(ind.options, lang)
        parts.append(label("hint.multi", lang))
        parts += [item + (label("hint.exclusive", lang) if o.exclusive else "")
                  for item, o in zip(items, ind.options, strict=True)]
        if not any(o.exclusive for o in ind.options):
            parts.append(label("hint.multi_none", lang, none=label("multi.none", lang)))
    elif isinstance(kind, NumberKind):
        parts.append(label("hint.percent" if isinstance(kind, PercentKind) else "hint.number", lang))
        lo, hi = number_range(ind, kind)
        if lo is not None or hi is not None:
            parts.append(label("hint.range", lang, lo=lo if lo is not None else "−∞",
                               hi=hi if hi is not None else "+∞"))
        if ind.unit is not None and not isinstance(kind, PercentKind):
            parts.append(label("hint.unit", lang, unit=ind.unit.get(lang)))
    elif isinstance(kind, DateKind):
        parts.append(label("hint.date", lang))
    elif isinstance(kind, TextKind):
        parts.append(label("hint.text", lang))
    else:
        parts.append(label("hint.other", lang, kind=kind.name))
        examples = [str(v) for v in kind.samples(ind)[:3]]
        if examples:
            parts.append(", ".join(examples))
    if not ind.required:
        parts[0] += label("hint.optional", lang)
    if ind.fact:
        parts.append(label("hint.fact", lang, fact=ind.fact))
    return "\n".join(parts)


# --- writing ------------------------------------------------------------------------------

def to_cell(ind: Indicator, kind: AnswerKind, raw: Any, lang: Lang) -> Any:
    """The cell value showing the raw answer ``raw`` (as an answer file would hold it)."""
    value = kind.parse(ind, raw)
    if isinstance(kind, ChoiceKind):
        items = _option_items(ind.options, lang)
        return items[[o.value for o in ind.options].index(value)]
    if isinstance(kind, YesNoKind):
        return _yes_no(lang)[0 if value else 1]
    if isinstance(kind, ScaleKind):
        return _scale_items(ind, lang)[[s.level for s in ind.scale].index(value)]
    if isinstance(kind, MultiKind):
        if not value:
            return label("multi.none", lang)
        shown_as = dict(zip((o.value for o in ind.options), _option_items(ind.options, lang), strict=True))
        return "; ".join(shown_as[v] for v in value)
    if isinstance(kind, NumberKind):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(kind, DateKind):
        return value
    return raw if isinstance(raw, str) else str(raw)


# --- reading ------------------------------------------------------------------------------

def _match_option(options: list[Option], got: str, lang: Lang) -> Option | None:
    """An option by its label in the form's language, then the other's, then by value."""
    got = got.strip()
    for current in (lang, *(x for x in LANGS if x != lang)):
        items = _option_items(options, current)
        for item, opt in zip(items, options, strict=True):
            if got == item or got == opt.label.get(current):
                return opt
    return next((o for o in options if o.value == got), None)


def _numeric_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_cell(ind: Indicator, kind: AnswerKind, value: Any, fmt: str, lang: Lang) -> Any:
    """The raw answer a non-empty answer cell holds, for ``kind.parse``; CellValueError if none."""
    if isinstance(kind, ChoiceKind):
        opt = _match_option(ind.options, _numeric_text(value), lang)
        if opt is None:
            raise CellValueError(text("err.not_one_of", got=shown(value),
                                      options="/".join(_option_items(ind.options, lang))))
        return opt.value
    if isinstance(kind, YesNoKind):
        if isinstance(value, bool):
            return value
        got = str(value).strip().lower()
        if got in {"是", "yes", "true", "y", "有"}:
            return True
        if got in {"否", "no", "false", "n", "无"}:
            return False
        raise CellValueError(text("err.not_one_of", got=shown(value), options="/".join(_yes_no(lang))))
    if isinstance(kind, ScaleKind):
        return _read_level(ind, value, lang)
    if isinstance(kind, MultiKind):
        return _read_multi(ind, value, lang)
    if isinstance(kind, NumberKind):
        return _read_number(kind, value, fmt)
    if isinstance(kind, DateKind):
        return read_date(value)
    if isinstance(kind, TextKind):
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _numeric_text(value)
        raise CellValueError(text("err.text", got=shown(value)))
    return _numeric_text(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _read_level(ind: Indicator, value: Any, lang: Lang) -> int:
    levels = {s.level for s in ind.scale}
    options = "/".join(str(s.level) for s in ind.scale)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in levels:
            return int(value)
    elif isinstance(value, str):
        got = value.strip()
        if re.fullmatch(r"-?\d+", got) and int(got) in levels:
            return int(got)
        for current in LANGS:
            for item, step in zip(_scale_items(ind, current), ind.scale, strict=True):
                if got in (item, step.label.get(current)):
                    return step.level
    raise CellValueError(text("err.level", got=shown(value), options=options))


def _read_multi(ind: Indicator, value: Any, lang: Lang) -> list[str]:
    items = [part.strip() for part in _SEPARATORS.split(_numeric_text(value))]
    items = [i for i in items if i]
    if len(items) == 1 and items[0] in all_langs("multi.none") and \
            _match_option(ind.options, items[0], lang) is None:
        return []
    chosen: list[str] = []
    unknown: list[str] = []
    for item in items:
        opt = _match_option(ind.options, item, lang)
        if opt is None:
            unknown.append(item)
        elif opt.value in chosen:
            raise CellValueError(text("err.twice", got=shown(item)))
        else:
            chosen.append(opt.value)
    if unknown:
        raise CellValueError(text("err.not_among", got=", ".join(shown(u) for u in unknown),
                                  options="; ".join(_option_items(ind.options, lang))))
    return chosen


def _read_number(kind: NumberKind, value: Any, fmt: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise CellValueError(text("err.number", got=shown(value)))
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        raise CellValueError(text("err.number", got=shown(value))) from None
    if not number.is_finite():
        raise CellValueError(text("err.number", got=shown(value)))
    if isinstance(kind, PercentKind) and "%" in fmt and not isinstance(value, str):
        # Excel stores 12.5 % as 0.125: reading it as 0.125 per cent would be a silent wrong score.
        pct = _show(frac(number) * 100)
        raise CellValueError(text("err.percent_format", got=shown(value), pct=pct))
    return number


def read_date(value: Any) -> dt.date:
    day = as_date(value)  # the same reading of dates as answer files
    if day is None:
        raise CellValueError(text("err.date", got=shown(value)))
    return day
