"""How each answer shape looks in an answer cell: drop-down items, hint, writing and reading.

Everything here dispatches on the kind's *shape* (:mod:`smesdk.shapes`), never on its class,
so a plugin kind of a known shape gets the same form as a built-in one. Items of a finite
list are shown by their labels in the form's language (read back in either language, or by
the item's own value). A multi-select is one cell holding the ticked labels separated by ';'
— one column per option would give every sheet a different shape and make the row layout
depend on the widest question, so the fixed eleven columns win; the hint lists the options
and a token says "none of them". Numbers stay numbers; dates are date cells; free text is
checked by the kind itself.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from smesdk.dates import as_date
from smesdk.kinds import AnswerKind
from smesdk.numbers import fmt, frac
from smesdk.questionnaire.cells import shown
from smesdk.questionnaire.labels import all_langs, label, text
from smesdk.shapes import Choice, GridForm, Shape
from smesdk.spec import Indicator
from smesdk.text import Lang, Text

#: Between ticked items: a semicolon (either width), or a line break (Alt+Enter in a cell).
_SEPARATORS = re.compile(r"[;；\r\n]")
#: What people separate items with instead; labels may hold these, so they only drive a hint.
_OTHER_SEPARATORS = re.compile(r"[,，、;；\r\n]")
#: A year-first date in other spellings (2026/3/31, 2026.3.31, 2026年3月31日).
_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
#: Thousands separators in a number (1,234.5): read as text they are no number.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
#: Items listed on one hint line when they are this short in all; longer lists get a line each.
_ONE_LINE = 60


class CellValueError(ValueError):
    """An answer cell that cannot be read; carries the message in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def _items(choices: list[Choice], lang: Lang) -> list[str]:
    """Item labels in ``lang``; a label two items share gets the value appended."""
    labels = [c.label.get(lang) for c in choices]
    return [lab if labels.count(lab) == 1 else f"{lab} ({c.value})"
            for lab, c in zip(labels, choices, strict=True)]


def _is_percent(ind: Indicator, kind: AnswerKind) -> bool:
    unit = kind.unit(ind)
    return unit is not None and unit.en.strip() == "%"


def dropdown(ind: Indicator, kind: AnswerKind, lang: Lang) -> list[str] | None:
    """The drop-down list of an answer cell, or None when the cell is typed in."""
    if kind.shape is Shape.OPTIONS:
        return _items(kind.choices(ind), lang)
    return None


def number_range(ind: Indicator, kind: AnswerKind) -> tuple[str | None, str | None]:
    lo, hi = kind.number_range(ind)
    return (fmt(_dec(lo)) if lo is not None else None, fmt(_dec(hi)) if hi is not None else None)


def range_text(ind: Indicator, kind: AnswerKind, lang: Lang) -> str | None:
    """The allowed numbers in words ("range 0–100", "at least 0"), or None when any is."""
    lo, hi = number_range(ind, kind)
    if lo is not None and hi is not None:
        return label("hint.range", lang, lo=lo, hi=hi)
    if lo is not None:
        return label("hint.min", lang, lo=lo)
    if hi is not None:
        return label("hint.max", lang, hi=hi)
    return None


def _dec(value: Any) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def number_format(kind: AnswerKind) -> str:
    if kind.shape is Shape.BANDS:
        return "General"
    if kind.shape is Shape.DATE:
        return DATE_FORMAT
    return TEXT_FORMAT


def hint(ind: Indicator, kind: AnswerKind, lang: Lang) -> str:
    """What to write in the answer cell, in words."""
    parts: list[str] = []
    shape = kind.shape
    if shape is Shape.OPTIONS:
        items = _items(kind.choices(ind), lang)
        parts.append(label("hint.choice", lang) + ("：" if lang == "zh" else ":"))
        if sum(len(i) for i in items) <= _ONE_LINE:
            parts[0] += " " + " / ".join(items) if lang != "zh" else " / ".join(items)
        else:
            parts += items
    elif shape is Shape.SUBSET:
        choices = kind.choices(ind)
        parts.append(label("hint.multi", lang))
        parts += [item + (label("hint.exclusive", lang) if c.exclusive else "")
                  for item, c in zip(_items(choices, lang), choices, strict=True)]
        if not any(c.exclusive for c in choices):
            parts.append(label("hint.multi_none", lang, none=label("multi.none", lang)))
    elif shape is Shape.BANDS:
        percent = _is_percent(ind, kind)
        parts.append(label("hint.percent" if percent else "hint.number", lang))
        bounds = range_text(ind, kind, lang)
        if bounds is not None:
            parts.append(bounds)
        unit = kind.unit(ind)
        if unit is not None and not percent:
            parts.append(label("hint.unit", lang, unit=unit.get(lang)))
    elif shape is Shape.DATE:
        parts.append(label("hint.date", lang))
    elif shape is Shape.GRID and (form := kind.grid(ind)) is not None:
        parts.append(label("hint.grid", lang))
        parts.append(" / ".join(_items(form.cells, lang)))
    else:
        parts.append(label("hint.text", lang))
    if not ind.required:
        parts[0] += label("hint.optional", lang)
    if ind.fact:
        parts.append(label("hint.fact", lang, fact=ind.fact))
    return "\n".join(parts)


# --- writing ------------------------------------------------------------------------------

def grid_label(form: GridForm, value: Any, lang: Lang) -> str:
    """The cell showing one cell of a parsed grid answer (an item of ``form.cells``)."""
    return _items(form.cells, lang)[form.cells.index(form.item(value))]


def read_grid_cell(form: GridForm, value: Any, lang: Lang) -> Any:
    """The raw value one filled grid cell holds; CellValueError if it is no item."""
    got = _match(form.cells, _numeric_text(value), lang)
    if got is None:
        raise CellValueError(text("err.not_one_of", got=shown(value),
                                  options="/".join(_items(form.cells, lang))))
    return got.value

def _position(ind: Indicator, kind: AnswerKind, choices: list[Choice], value: Any) -> int:
    """Which item a parsed answer is (items hold raw values: parse them to compare)."""
    return [kind.parse(ind, c.value) for c in choices].index(value)


def to_cell(ind: Indicator, kind: AnswerKind, raw: Any, lang: Lang) -> Any:
    """The cell value showing the raw answer ``raw`` (as an answer file would hold it)."""
    value = kind.parse(ind, raw)
    shape = kind.shape
    if shape is Shape.OPTIONS:
        choices = kind.choices(ind)
        return _items(choices, lang)[_position(ind, kind, choices, value)]
    if shape is Shape.SUBSET:
        if not value:
            return label("multi.none", lang)
        choices = kind.choices(ind)
        shown_as = dict(zip((c.value for c in choices), _items(choices, lang), strict=True))
        return "; ".join(shown_as[v] for v in kind.to_json(value))
    if shape is Shape.BANDS:
        return int(value) if value == value.to_integral_value() else value
    if shape is Shape.DATE:
        return value
    return raw if isinstance(raw, str) else str(raw)


# --- reading ------------------------------------------------------------------------------

def _match(choices: list[Choice], got: str, lang: Lang) -> Choice | None:
    """An item by its label in the form's language, then in the labels' other languages,
    then by value; failing those, by the same comparisons ignoring case, character width
    (full-width letters and brackets) and spacing, when that finds exactly one item."""
    got = got.strip()
    others = dict.fromkeys(tag for choice in choices for tag in choice.label.languages)
    langs = (lang, *(x for x in others if x != lang))
    for current in langs:
        for item, choice in zip(_items(choices, current), choices, strict=True):
            if got == item or got == choice.label.get(current):
                return choice
    exact = next((c for c in choices if str(c.value) == got), None)
    if exact is not None:
        return exact
    key = loose(got)
    hits = {id(choice): choice for current in langs
            for item, choice in zip(_items(choices, current), choices, strict=True)
            if key in (loose(item), loose(choice.label.get(current)), loose(str(choice.value)))}
    return next(iter(hits.values())) if len(hits) == 1 else None


def loose(text: str) -> str:
    """``text`` as compared loosely: width-folded (NFKC), case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _numeric_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_cell(ind: Indicator, kind: AnswerKind, value: Any, fmt: str, lang: Lang) -> Any:
    """The raw answer a non-empty answer cell holds, for ``kind.parse``; CellValueError if none."""
    shape = kind.shape
    if shape is Shape.OPTIONS:
        choices = kind.choices(ind)
        choice = _match(choices, _numeric_text(value), lang)
        if choice is not None:
            return choice.value
        try:  # a spelling the kind itself accepts (是/有/true for yes, a level's number …)
            kind.parse(ind, value)
            return value
        except ValueError:
            pass
        raise CellValueError(text("err.not_one_of", got=shown(value),
                                  options="/".join(_items(choices, lang))))
    if shape is Shape.SUBSET:
        return _read_multi(ind, kind.choices(ind), value, lang)
    if shape is Shape.BANDS:
        return _read_number(_is_percent(ind, kind), value, fmt)
    if shape is Shape.DATE:
        return read_date(value)
    if isinstance(value, str):
        return value.strip()  # spaces around a typed text are no part of the answer
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _numeric_text(value)
    raise CellValueError(text("err.text", got=shown(value)))


def _read_multi(ind: Indicator, choices: list[Choice], value: Any, lang: Lang) -> list[Any]:
    items = [part.strip() for part in _SEPARATORS.split(_numeric_text(value))]
    items = [i for i in items if i]
    if len(items) == 1 and loose(items[0]) in {loose(n) for n in all_langs("multi.none")} and \
            _match(choices, items[0], lang) is None:
        return []
    chosen: list[Any] = []
    unknown: list[str] = []
    for item in items:
        choice = _match(choices, item, lang)
        if choice is None:
            unknown.append(item)
        elif choice.value in chosen:
            raise CellValueError(text("err.twice", got=shown(item)))
        else:
            chosen.append(choice.value)
    if unknown:
        raise CellValueError(_separator_hint(choices, str(value), lang) or text(
            "err.not_among", got=", ".join(shown(u) for u in unknown),
            options="; ".join(_items(choices, lang))))
    return chosen


def _separator_hint(choices: list[Choice], value: str, lang: Lang) -> Text | None:
    """The message for items that are all known but separated by commas (or 、): the cell
    written as it should be, or None when splitting so does not give known items."""
    parts = [p.strip() for p in _OTHER_SEPARATORS.split(value) if p.strip()]
    found = [_match(choices, p, lang) for p in parts]
    if len(parts) < 2 or any(c is None for c in found):
        return None
    labels = dict(zip((c.value for c in choices), _items(choices, lang), strict=True))
    fixed = "; ".join(labels[c.value] for c in found if c is not None)
    return text("err.separator", got=shown(value), fixed=fixed)


def _read_number(percent: bool, value: Any, fmt: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise CellValueError(text("err.number", got=shown(value)))
    if isinstance(value, str):
        number = _number_text(percent, value)
    else:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise CellValueError(text("err.number", got=shown(value)))
    if percent and "%" in fmt and not isinstance(value, str):
        # Excel stores 12.5 % as 0.125: reading it as 0.125 per cent would be a silent wrong score.
        pct = fmt_number(frac(number) * 100)
        raise CellValueError(text("err.percent_format", got=shown(value), pct=pct))
    return number


def _number_text(percent: bool, value: str) -> Decimal:
    """A number typed as text: full-width digits, point and sign read as their ASCII forms
    (the same number); a per cent sign or thousands separators refused, with the number to
    enter instead (what "45%" meant in a cell of another kind is not ours to guess)."""
    plain = unicodedata.normalize("NFKC", value).strip().replace("−", "-")
    try:
        return Decimal(plain)
    except InvalidOperation:
        pass
    bare = plain.rstrip("%").strip()
    if percent and bare != plain and _is_decimal(bare):
        raise CellValueError(text("err.percent_sign", got=shown(value), pct=bare))
    if _THOUSANDS.fullmatch(plain):
        raise CellValueError(text("err.number_as", got=shown(value), number=plain.replace(",", "")))
    raise CellValueError(text("err.number", got=shown(value)))


def _is_decimal(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def fmt_number(value: Any) -> str:
    return fmt(_dec(value))


def read_date(value: Any) -> dt.date:
    """A date cell, or ISO text (the same reading of dates as answer files); other spellings
    are refused, naming the ISO form when the text is year-first and so unambiguous."""
    plain = unicodedata.normalize("NFKC", value) if isinstance(value, str) else value
    day = as_date(plain)
    if day is not None:
        return day
    found = _YEAR_FIRST.fullmatch(plain.strip()) if isinstance(plain, str) else None
    if found is not None:
        try:
            iso = dt.date(*(int(g) for g in found.groups())).isoformat()
        except ValueError:
            pass
        else:
            raise CellValueError(text("err.date_as", got=shown(value), iso=iso))
    raise CellValueError(text("err.date", got=shown(value)))
