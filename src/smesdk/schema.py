"""JSON Schemas (draft 2020-12) of smesdk's documents, generated from the attrs classes.

``python -m smesdk.schema specs/`` rewrites the checked-in copies; a test fails when they
drift from the code.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from smesdk.answers import Answer, AnswerSet
from smesdk.result import Result
from smesdk.spec import Citation, Citations, FrameworkSpec, Gate
from smesdk.text import TAG, Text

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_RENAMES: dict[type, dict[str, str]] = {Gate: {"not_": "not"}}
_NUMBER = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}
#: A text: one string per language tag. zh and en are listed so that tools complete them; any
#: other BCP 47 tag is allowed. Which languages a text needs is the framework's ``languages``.
_TEXT: dict[str, Any] = {
    "type": "object",
    "description": "A string in each language the framework declares (`languages`), keyed by "
                   "BCP 47 tag.",
    "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
    "patternProperties": {TAG.pattern: {"type": "string"}},
    "minProperties": 1,
    "additionalProperties": False,
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def type_schema(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is Any:
            return {}
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is Decimal:
            return dict(_NUMBER)
        if tp is dt.date:
            return {"type": "string", "format": "date"}
        if origin is typing.Literal:
            return {"enum": list(args)}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            inner = (self.type_schema(options[0]) if len(options) == 1
                     else {"anyOf": [self.type_schema(a) for a in options]})
            return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
        if origin is list:
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(args[1])}
        if tp is Text:
            self.defs["Text"] = _TEXT
            return {"$ref": "#/$defs/Text"}
        if tp is Citations:  # one citation, or several each with its role (smesdk.convert)
            one = self.ref(Citation)
            return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1},
                              {"type": "null"}]}
        if attrs.has(tp):
            return self.ref(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.object_schema(cls)
        ref = {"$ref": f"#/$defs/{name}"}
        if cls is Answer:  # an answer may be written as its bare value
            return {"anyOf": [ref, {"not": {"type": "object"}}]}
        return ref

    def object_schema(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        renames = _RENAMES.get(cls, {})
        props: dict[str, Any] = {}
        required = []
        for field in attrs.fields(cls):
            key = renames.get(field.name, field.name)
            props[key] = self.type_schema(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(key)
        doc = (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        out: dict[str, Any] = {"type": "object"}
        if doc:
            out["description"] = " ".join(doc.split())
        out["properties"] = props
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out


def schema_for(cls: type, name: str, title: str) -> dict[str, Any]:
    builder = _Builder()
    root = builder.ref(cls)
    return {
        "$schema": DRAFT,
        "$id": f"https://smesdk.readthedocs.io/specs/{name}.schema.json",
        "title": title,
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }


def framework_schema() -> dict[str, Any]:
    return schema_for(FrameworkSpec, "framework", "smesdk framework specification")


def answers_schema() -> dict[str, Any]:
    return schema_for(AnswerSet, "answers", "smesdk answer set")


def result_schema() -> dict[str, Any]:
    return schema_for(Result, "result", "smesdk assessment result")


SCHEMAS = {"framework": framework_schema, "answers": answers_schema, "result": result_schema}


def render(name: str) -> str:
    return json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(render(name), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "specs")):
        print(written)
