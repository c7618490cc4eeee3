"""Reading and writing smesdk documents: YAML, JSON and TOML through cattrs preconf converters.

Every structuring problem in a document is reported at once, one line each, with its path
(``dimensions[2].indicators[0].options: expected a list @ management.yaml``).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import tomllib
from collections.abc import Callable, Hashable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
import yaml
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as make_json_converter
from cattrs.preconf.pyyaml import make_converter as make_yaml_converter
from cattrs.preconf.tomllib import make_converter as make_toml_converter

from smesdk.answers import Answer, Enterprise
from smesdk.dates import as_date
from smesdk.errors import Problem, SmesdkError, short
from smesdk.files import read_limited
from smesdk.jsontext import dumps_indented
from smesdk.numbers import decimal_to_json
from smesdk.result import Recommendation
from smesdk.spec import (
    Applicability,
    Citation,
    Citations,
    Dimension,
    FrameworkSpec,
    Gate,
    Indicator,
    Level,
    LevelCap,
    SourceDocument,
)
from smesdk.text import TAG, Text
from smesdk.yamlsafe import MAX_DEPTH, load_yaml

T = TypeVar("T")
Format = Literal["yaml", "json", "toml"]

#: Input files larger than this are refused before parsing (a questionnaire is a few kB).
MAX_INPUT_BYTES = 8 * 1024 * 1024

_SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
_ANSWER_KEYS = {"value", "na", "reason", "evidence"}
#: Python's own limit on converting digits to an int (sys.get_int_max_str_digits()).
_MAX_DIGITS = 4300


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a number, not true/false")
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise TypeError(f"expected a number, got {short(value)}") from None
    else:
        raise TypeError(f"expected a number, got {type(value).__name__}")
    if not number.is_finite():
        raise TypeError(f"expected a finite number, got {short(value)}")
    return number


def _structure_date(value: object, _: type) -> dt.date:
    parsed = as_date(value)
    if parsed is None:
        shown = short(value) if isinstance(value, str) else type(value).__name__
        raise TypeError(f"expected a date (YYYY-MM-DD), got {shown}")
    return parsed


def _structure_str(value: object, _: type) -> str:
    # YAML turns 000 into 0 and 2024-01-01 into a date: say so rather than guess back.
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__} {short(value)} (quote it)")


def _structure_enum(value: object, tp: type[enum.Enum]) -> enum.Enum:
    try:
        return tp(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in tp)
        raise TypeError(f"expected one of {allowed}, got {value!r}") from None


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise TypeError(f"expected a whole number, got {short(value)}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {short(value)}")


def _structure_text(value: object, _: type) -> Text:
    # Any language keys are accepted here; whether a text has every language its framework
    # declares is a semantic check (smesdk.languages), reported with the text's path.
    if not isinstance(value, dict) or not value:
        raise TypeError("expected a text: language tags and strings, e.g. {en: ..., de: ...}")
    wrong = [f"{short(tag)} is not a language tag (e.g. en, de, zh-Hant)" for tag in value
             if not isinstance(tag, str) or not TAG.match(tag)]
    wrong += [f"{tag}: expected text, got {type(v).__name__} {short(v)}" for tag, v in value.items()
              if isinstance(tag, str) and not isinstance(v, str)]
    if wrong:
        raise TypeError("expected a text: " + "; ".join(wrong))
    return Text(value)


def _is_literal(cls: Any) -> bool:
    return get_origin(cls) is Literal


def _structure_literal(value: object, cls: Any) -> object:
    allowed = get_args(cls)
    if isinstance(value, Hashable) and not isinstance(value, bool) and value in allowed:
        return value
    raise TypeError(f"expected one of {', '.join(map(str, allowed))}, got {short(value)}")


def configure(converter: cattrs.Converter) -> cattrs.Converter:
    """Apply smesdk's hooks to a (preconf) converter."""
    converter.register_structure_hook_func(_is_literal, _structure_literal)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, decimal_to_json)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    converter.register_structure_hook(str, _structure_str)
    # A StrEnum is a str too: registered by class, it is found before the str hook.
    converter.register_structure_hook(enum.StrEnum, _structure_enum)
    converter.register_structure_hook(enum.Enum, _structure_enum)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Text, _structure_text)
    converter.register_unstructure_hook(Text, Text.as_dict)
    # After Text's hooks: the citation functions made here capture them.
    _configure_citations(converter)
    converter.register_structure_hook(
        Gate,
        make_dict_structure_fn(
            Gate, converter, not_=override(rename="not"), _cattrs_forbid_extra_keys=True
        ),
    )
    converter.register_unstructure_hook(
        Gate, make_dict_unstructure_fn(Gate, converter, not_=override(rename="not"))
    )
    # Fields added later stay out of the JSON while unset: byte-identical results (and
    # content hashes) for plugins and specs that do not use them. Registered after Gate's
    # hook, which the generated functions capture.
    converter.register_unstructure_hook(Recommendation, make_dict_unstructure_fn(
        Recommendation, converter, kind=override(omit_if_default=True),
        priority=override(omit_if_default=True), caveat=override(omit_if_default=True)))
    converter.register_unstructure_hook(SourceDocument, make_dict_unstructure_fn(
        SourceDocument, converter, role=override(omit_if_default=True),
        url=override(omit_if_default=True)))
    # Before Indicator's: the generated functions capture the hooks of the fields' types.
    converter.register_unstructure_hook(Applicability, make_dict_unstructure_fn(
        Applicability, converter, fields=override(omit_if_default=True)))
    converter.register_unstructure_hook(Level, make_dict_unstructure_fn(
        Level, converter, min_exclusive=override(omit_if_default=True),
        max_inclusive=override(omit_if_default=True)))
    # Service tags too: only frameworks that tag their nodes change hash. Inner classes first:
    # the generated functions of the outer ones capture them.
    converter.register_unstructure_hook(Indicator, make_dict_unstructure_fn(
        Indicator, converter, rows=override(omit_if_default=True),
        columns=override(omit_if_default=True), cell=override(omit_if_default=True),
        rules=override(omit_if_default=True), services=override(omit_if_default=True)))
    converter.register_unstructure_hook(Dimension, make_dict_unstructure_fn(
        Dimension, converter, services=override(omit_if_default=True)))
    converter.register_unstructure_hook(LevelCap, make_dict_unstructure_fn(
        LevelCap, converter, services=override(omit_if_default=True)))
    converter.register_unstructure_hook(FrameworkSpec, make_dict_unstructure_fn(
        FrameworkSpec, converter, languages=override(omit_if_default=True),
        fallback=override(omit_if_default=True), facts=override(omit_if_default=True),
        set_titles=override(omit_if_default=True), migrations=override(omit_if_default=True),
        enterprise=override(omit_if_default=True)))
    converter.register_unstructure_hook(Enterprise, make_dict_unstructure_fn(
        Enterprise, converter, fields=override(omit_if_default=True)))
    answer_fn = make_dict_structure_fn(Answer, converter, _cattrs_forbid_extra_keys=True)

    def structure_answer(value: object, cls: type) -> Answer:
        # An answer may be written as its bare value, or as a mapping with value/na/evidence.
        if isinstance(value, dict) and value and set(value) <= _ANSWER_KEYS:
            if value.get("na") is True and value.get("value") is not None:
                # Batch rows refuse this too: which of the two was meant cannot be guessed.
                raise TypeError("expected either a value or na: true, not both")
            return answer_fn(value, cls)
        if isinstance(value, dict):
            extra = sorted(set(value) - _ANSWER_KEYS)
            raise TypeError(
                f"unknown answer keys {extra}; an answer is a value or "
                "{value, na, reason, evidence}"
            )
        return Answer(value=value)

    converter.register_structure_hook(Answer, structure_answer)
    return converter


def _configure_citations(converter: cattrs.Converter) -> None:
    """``source`` is one citation or a list of them, read into one form (:class:`Citations`)
    and written back the way it came: nothing as null, one as a mapping (so specs and results
    that cite one clause keep their bytes and content hash), several as a list."""
    citation_fn = make_dict_structure_fn(Citation, converter, _cattrs_forbid_extra_keys=True)
    unstructure_citation = make_dict_unstructure_fn(
        Citation, converter, role=override(omit_if_default=True))

    def structure_citations(value: object, _: type) -> Citations:
        if value is None:
            return Citations()
        if isinstance(value, dict):
            return Citations((citation_fn(value, Citation),))
        if isinstance(value, list):
            return Citations(converter.structure(value, list[Citation]))
        raise TypeError(f"expected a citation or a list of citations, got {short(value)}")

    def unstructure_citations(value: Citations) -> Any:
        if not value:
            return None
        if len(value) == 1:
            return unstructure_citation(value[0])
        return [unstructure_citation(c) for c in value]

    converter.register_structure_hook(Citation, citation_fn)
    converter.register_unstructure_hook(Citation, unstructure_citation)
    converter.register_structure_hook(Citations, structure_citations)
    converter.register_unstructure_hook(Citations, unstructure_citations)


def _make(fmt: Format) -> cattrs.Converter:
    factory: Callable[..., cattrs.Converter] = {
        "yaml": make_yaml_converter,
        "json": make_json_converter,
        "toml": make_toml_converter,
    }[fmt]
    return configure(factory(forbid_extra_keys=True))


CONVERTERS: dict[Format, cattrs.Converter] = {fmt: _make(fmt) for fmt in ("yaml", "json", "toml")}
converter = CONVERTERS["json"]


def detect_format(path: Path) -> Format:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SmesdkError(
            [Problem("", f"unsupported file type {path.suffix!r} (use .yaml, .json or .toml)",
                     str(path))]
        )
    return fmt


def parse_text(text: str, fmt: Format, *, file: str = "<text>",
               yaml_loader: str | None = None) -> Any:
    """Parse a document's text into plain data, refusing unsafe YAML, duplicate keys, deep
    nesting and alias bombs (see :mod:`smesdk.yamlsafe`). ``yaml_loader`` picks ``libyaml``
    or ``python`` (default: libyaml when present); both read every accepted file the same."""
    too_deep = False
    try:
        if fmt == "yaml":
            return load_yaml(text, file, yaml_loader)
        data = json.loads(text, object_pairs_hook=_json_pairs) if fmt == "json" else \
            tomllib.loads(text)
    except RecursionError:
        too_deep = True
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SmesdkError([Problem(where, f"invalid YAML: {exc.problem}", file)]) from None
    except yaml.YAMLError as exc:
        raise SmesdkError([Problem("", f"invalid YAML: {exc}", file)]) from None
    except json.JSONDecodeError as exc:
        raise SmesdkError(
            [Problem(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}", file)]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SmesdkError([Problem("", f"invalid TOML: {exc}", file)]) from None
    except ValueError as exc:  # duplicate JSON keys, over-long numbers
        message = str(exc)
        if message.startswith("Exceeds the limit"):  # Python's words name its internals
            message = f"invalid {fmt.upper()}: a number of more than {_MAX_DIGITS} digits"
        raise SmesdkError([Problem("", message, file)]) from None
    # Fewer brackets than the limit cannot nest past it: the walk only for documents that might.
    if too_deep or not (text.count("[") + text.count("{") <= MAX_DEPTH
                        or nesting_within(data, MAX_DEPTH)):
        raise SmesdkError([Problem("", f"nested more than {MAX_DEPTH} levels deep", file)])
    if fmt == "json" and _SURROGATE_ESCAPE.search(text):
        places = lone_surrogates(data)
        if places:
            raise SmesdkError([Problem(where, "holds a lone surrogate escape (\\ud800 to "
                                       "\\udfff), which is no character: write the text as "
                                       "UTF-8, or escape both halves of a pair", file)
                               for where in places])
    return data


#: JSON's escapes can name half of a UTF-16 pair alone, which no UTF-8 text can hold (YAML
#: and TOML refuse it while parsing): a result holding one could not be written out.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def lone_surrogates(data: object) -> list[str]:
    """The paths of the keys and texts in ``data`` holding a lone surrogate, in order."""
    found: list[str] = []
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                found.append(path)
        elif isinstance(value, dict):
            for key, child in reversed(value.items()):
                shown = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
                stack.append((f"{path}.{shown}" if path else shown, child))
                stack.append((path, key))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(value))))
    return found


def nesting_within(data: Any, limit: int) -> bool:
    """Whether lists and mappings in ``data`` nest at most ``limit`` deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)] if isinstance(data, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth >= limit:
            return False
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))
    return True


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate key {key[:60]!r}")
    return out


def read_file(path: Path) -> tuple[Any, Format]:
    """Read and parse a document file: a regular file of at most MAX_INPUT_BYTES."""
    fmt = detect_format(path)
    data = read_limited(path, MAX_INPUT_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SmesdkError([Problem("", "file is not UTF-8 text", str(path))]) from None
    return parse_text(text, fmt, file=str(path)), fmt


_PATH_RE = re.compile(r"^(?P<msg>.*) @ \$(?P<path>.*)$", re.S)


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        names = sorted(f if isinstance(f, str) else short(f) for f in exc.extra_fields)
        return f"unknown field(s): {', '.join(names)}"
    if isinstance(exc, AttributeError) and type_ is not None and attrs.has(type_):
        return "expected a mapping of fields"  # cattrs asked a text or number for its .keys()
    if isinstance(exc, TypeError | ValueError) and str(exc):
        msg = str(exc)
        if msg.startswith(("expected", "unknown")):
            return msg
    return cattrs.v.format_exception(exc, type_)


def structure_problems(exc: Exception, file: str | None) -> list[Problem]:
    """Turn a cattrs structuring failure into one Problem per underlying error."""
    problems = []
    for line in cattrs.transform_error(exc, path="$", format_exception=_format_exception):
        match = _PATH_RE.match(line)
        if match:
            path = match["path"].lstrip(".")
            problems.append(Problem(path, match["msg"], file))
        else:
            problems.append(Problem("", line, file))
    return problems


def structure(data: Any, cls: type[T], fmt: Format = "json", *, file: str | None = None) -> T:
    """Structure plain data into ``cls``, raising SmesdkError with every problem found."""
    if not isinstance(data, dict):
        got = "nothing" if data is None else type(data).__name__
        raise SmesdkError([Problem("", f"expected a mapping at the top level, got {got}", file)])
    if not nesting_within(data, MAX_DEPTH):  # data built in code skips the file checks
        raise SmesdkError([Problem("", f"nested more than {MAX_DEPTH} levels deep", file)])
    try:
        return CONVERTERS[fmt].structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError) as exc:
        raise SmesdkError(structure_problems(exc, file)) from None


def unstructure(obj: Any) -> Any:
    return converter.unstructure(obj)


def dumps_json(obj: Any, *, indent: int | None = 2) -> str:
    """Canonical JSON: field order as declared, UTF-8 text, a trailing newline."""
    data = unstructure(obj)
    if indent is None:
        return json.dumps(data, ensure_ascii=False) + "\n"
    return dumps_indented(data, indent) + "\n"
