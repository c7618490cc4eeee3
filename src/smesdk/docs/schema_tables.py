"""Field tables of the JSON Schemas in ``specs/``, kept in step with the schemas.

A docs page marks where each schema's tables go::

    <!-- schema-tables: framework -->
    ...generated...
    <!-- /schema-tables -->

:func:`update_schema_tables` regenerates the field, type and required columns from the
schema and carries over the hand-written *meaning* column by (definition, field). A field
new to the schema gets the meaning ``TODO``, which the docs test rejects, so a new field
cannot go undocumented.
"""

from __future__ import annotations

import re
from typing import Any

from smesdk.schema import SCHEMAS

TODO = "TODO"
_BLOCK = re.compile(r"(<!-- schema-tables: (\w+) -->\n)(.*?)(<!-- /schema-tables -->)", re.S)
_ROW = re.compile(r"^\| `([^`]+)` \|.*\| (.*) \|$")
_HEAD = re.compile(r"^### (\w+)$")


def _type(node: dict[str, Any]) -> str:
    """A schema fragment in words, with links to the definitions it names."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    if "anyOf" in node:
        options = node["anyOf"]
        if [o.get("type") for o in options] == ["number", "string"]:
            return "decimal"
        null = {"type": "null"} in options
        rest = [o for o in options if o != {"type": "null"}]
        if len(rest) == 2 and rest[1] == {"not": {"type": "object"}}:
            text = f"{_type(rest[0])} or a bare value"
        else:
            text = " or ".join(_type(o) for o in rest)
        return f"{text} or null" if null else text
    kind = node.get("type")
    if kind == "array":
        return f"list of {_type(node.get('items', {}))}"
    if kind == "object":
        extra = node.get("additionalProperties")
        return f"map of {_type(extra)}" if isinstance(extra, dict) and extra else "map"
    if kind == "string" and node.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if isinstance(kind, str):
        return kind
    return "any"


def _order(schema: dict[str, Any]) -> list[str]:
    """The root definition first, then the others alphabetically."""
    root = schema["$ref"].rsplit("/", 1)[-1]
    return [root, *sorted(n for n in schema["$defs"] if n != root)]


def schema_table(name: str, meanings: dict[tuple[str, str], str] | None = None) -> str:
    """The field tables of schema ``name`` (framework, answers or result) as Markdown."""
    meanings = meanings or {}
    schema = SCHEMAS[name]()
    out: list[str] = []
    for def_name in _order(schema):
        node = schema["$defs"][def_name]
        out += [f"### {def_name}", ""]
        if node.get("description"):
            out += [node["description"].replace("``", "`"), ""]
        required = set(node.get("required", []))
        out += ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
        for field, sub in node.get("properties", {}).items():
            meaning = meanings.get((def_name, field), TODO)
            out.append(f"| `{field}` | {_type(sub)} | {'yes' if field in required else ''} | {meaning} |")
        out.append("")
    return "\n".join(out)


def _meanings(block: str) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    current = ""
    for line in block.splitlines():
        head = _HEAD.match(line)
        if head:
            current = head.group(1)
            continue
        row = _ROW.match(line)
        if row and current:
            found[(current, row.group(1))] = row.group(2)
    return found


def update_schema_tables(page: str) -> str:
    """The page with every marked schema block regenerated, meanings kept."""

    def regen(match: re.Match[str]) -> str:
        table = schema_table(match.group(2), _meanings(match.group(3)))
        return f"{match.group(1)}\n{table}\n{match.group(4)}"

    return _BLOCK.sub(regen, page)


def missing_meanings(page: str) -> list[str]:
    """``Definition.field`` for every row whose meaning is still TODO."""
    out = []
    for match in _BLOCK.finditer(page):
        for (def_name, field), meaning in _meanings(match.group(3)).items():
            if meaning.strip() in ("", TODO):
                out.append(f"{match.group(2)}: {def_name}.{field}")
    return out
