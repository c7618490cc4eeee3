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
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, TypeVar

import cattrs
import yaml
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as make_json_converter
from cattrs.preconf.pyyaml import make_converter as make_yaml_converter
from cattrs.preconf.tomllib import make_converter as make_toml_converter

from smesdk.answers import Answer
from smesdk.dates import as_date
from smesdk.errors import Problem, SmesdkError
from smesdk.numbers import decimal_to_json
from smesdk.spec import FrameworkSpec, Gate

T = TypeVar("T")
Format = Literal["yaml", "json", "toml"]

#: Input files larger than this are refused before parsing (a questionnaire is a few kB).
MAX_INPUT_BYTES = 8 * 1024 * 1024

_SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
_ANSWER_KEYS = {"value", "na", "reason", "evidence"}


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("expected a number, not true/false")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise TypeError(f"expected a number, got {value!r}") from None
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _structure_date(value: object, _: type) -> dt.date:
    parsed = as_date(value)
    if parsed is None:
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise TypeError(f"expected a date (YYYY-MM-DD), got {shown}")
    return parsed


def _structure_str(value: object, _: type) -> str:
    # YAML turns 000 into 0 and 2024-01-01 into a date: say so rather than guess back.
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__} {value!r} (quote it)")


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
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {value!r}")


def configure(converter: cattrs.Converter) -> cattrs.Converter:
    """Apply smesdk's hooks to a (preconf) converter."""
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
    converter.register_structure_hook(
        Gate,
        make_dict_structure_fn(
            Gate, converter, not_=override(rename="not"), _cattrs_forbid_extra_keys=True
        ),
    )
    converter.register_unstructure_hook(
        Gate, make_dict_unstructure_fn(Gate, converter, not_=override(rename="not"))
    )
    # An empty `migrations` (a later addition) is left out, so older specs hash as before.
    converter.register_unstructure_hook(
        FrameworkSpec,
        make_dict_unstructure_fn(FrameworkSpec, converter,
                                 migrations=override(omit_if_default=True)),
    )
    answer_fn = make_dict_structure_fn(Answer, converter, _cattrs_forbid_extra_keys=True)

    def structure_answer(value: object, cls: type) -> Answer:
        # An answer may be written as its bare value, or as a mapping with value/na/evidence.
        if isinstance(value, dict) and value and set(value) <= _ANSWER_KEYS:
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


def _make(fmt: Format) -> cattrs.Converter:
    factory: Callable[..., cattrs.Converter] = {
        "yaml": make_yaml_converter,
        "json": make_json_converter,
        "toml": make_toml_converter,
    }[fmt]
    return configure(factory(forbid_extra_keys=True))


CONVERTERS: dict[Format, cattrs.Converter] = {fmt: _make(fmt) for fmt in ("yaml", "json", "toml")}
converter = CONVERTERS["json"]


_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader (libyaml's when available), refusing duplicate keys."""


def _construct_mapping(loader: _StrictSafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = 1
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    return mapping


_StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def detect_format(path: Path) -> Format:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SmesdkError(
            [Problem("", f"unsupported file type {path.suffix!r} (use .yaml, .json or .toml)",
                     str(path))]
        )
    return fmt


def parse_text(text: str, fmt: Format, *, file: str = "<text>") -> Any:
    """Parse a document's text into plain data, refusing unsafe YAML and duplicate keys."""
    try:
        if fmt == "yaml":
            return yaml.load(text, Loader=_StrictSafeLoader)
        if fmt == "json":
            return json.loads(text, object_pairs_hook=_json_pairs)
        return tomllib.loads(text)
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
    except ValueError as exc:  # duplicate JSON keys
        raise SmesdkError([Problem("", str(exc), file)]) from None


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def read_file(path: Path) -> tuple[Any, Format]:
    """Read and parse a document file, refusing oversized ones before reading them."""
    fmt = detect_format(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SmesdkError([Problem("", f"cannot read file: {exc.strerror}", str(path))]) from None
    if size > MAX_INPUT_BYTES:
        raise SmesdkError(
            [Problem("", f"file is {size} bytes, over the {MAX_INPUT_BYTES}-byte limit", str(path))]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SmesdkError([Problem("", "file is not UTF-8 text", str(path))]) from None
    return parse_text(text, fmt, file=str(path)), fmt


_PATH_RE = re.compile(r"^(?P<msg>.*) @ \$(?P<path>.*)$", re.S)


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
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
    try:
        return CONVERTERS[fmt].structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError) as exc:
        raise SmesdkError(structure_problems(exc, file)) from None


def unstructure(obj: Any) -> Any:
    return converter.unstructure(obj)


def dumps_json(obj: Any, *, indent: int | None = 2) -> str:
    """Canonical JSON: field order as declared, UTF-8 text, a trailing newline."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent) + "\n"
