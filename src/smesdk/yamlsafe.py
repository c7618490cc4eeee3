"""YAML read the same way by libyaml and by pure-Python PyYAML, with bounded work.

Before a document is built, its event stream is checked (libyaml's own scanner when present):

- nesting deeper than :data:`MAX_DEPTH` is refused (deep nesting exhausts the stack);
- aliases may add at most :data:`MAX_ALIAS_NODES` nodes to the document (a "billion laughs"
  file of a few hundred bytes would otherwise expand to gigabytes), and an alias inside its
  own anchor is refused;
- the two parsers disagree about ``?`` inside an unquoted value in ``[ ]`` or ``{ }``
  (libyaml keeps it in the value, PyYAML starts an explicit key): such a value, and explicit
  ``?`` keys, are refused by both, so a file reads the same everywhere.

The loaders also refuse duplicate keys and keys that are not plain values, report an
impossible date (``2026-02-30``) as text so the field that holds it is named, and an
over-long integer as a problem at its line.
"""

from __future__ import annotations

from typing import Any

import yaml

from smesdk.errors import Problem, SmesdkError

#: Deepest nesting of lists and mappings in any document (specs need about a dozen levels).
MAX_DEPTH = 64
#: How many nodes aliases may add to a document beyond what is written out.
MAX_ALIAS_NODES = 100_000


def _refuse(mark: Any, message: str, file: str) -> SmesdkError:
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return SmesdkError([Problem(where, message, file)])


def check_events(text: str, loader: type[Any], file: str) -> None:
    """Refuse what the module docstring lists; other syntax errors are left to the loader."""
    lines = text.split("\n")

    def char_at(mark: Any) -> str:
        line = lines[mark.line] if mark.line < len(lines) else ""
        return line[mark.column] if mark.column < len(line) else ""

    parser = loader(text)
    stack: list[list[Any]] = []  # [anchor, nodes so far, flow style]
    sizes: dict[str, int] = {}
    added = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            size = 0
            if isinstance(event, yaml.CollectionStartEvent):
                if isinstance(event, yaml.MappingStartEvent) and char_at(event.start_mark) == "?":
                    raise _refuse(event.start_mark, "explicit '?' keys are not supported "
                                  "(write 'key: value'; quote a value holding '?')", file)
                if len(stack) >= MAX_DEPTH:
                    raise _refuse(event.start_mark, f"nested more than {MAX_DEPTH} levels deep",
                                  file)
                stack.append([event.anchor, 1, bool(event.flow_style)])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size, _ = stack.pop()
                if anchor is not None:
                    sizes[anchor] = size
            elif isinstance(event, yaml.ScalarEvent):
                if not event.style and stack and stack[-1][2] and "?" in event.value:
                    raise _refuse(event.start_mark, "quote this value: a '?' in an unquoted "
                                  "value inside [ ] or { } is read differently by YAML parsers",
                                  file)
                size = 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                if any(level[0] == event.anchor for level in stack):
                    raise _refuse(event.start_mark, f"alias *{event.anchor} inside its own "
                                  "anchor (a recursive document)", file)
                size = sizes.get(event.anchor or "", 1)
                added += size - 1
                if added > MAX_ALIAS_NODES:
                    raise _refuse(event.start_mark, "aliases expand this document beyond "
                                  f"{MAX_ALIAS_NODES} extra values (an alias bomb?)", file)
            else:
                continue
            if stack:
                stack[-1][1] += size
    finally:
        parser.dispose()


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or mapping",
                key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {str(key)[:60]!r}", key_node.start_mark)
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    return mapping


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    try:
        value: int = loader.construct_yaml_int(node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of {len(str(node.value))} digits is too long",
            node.start_mark) from None
    return value


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        # Not a real date (2026-02-30): keep the text, so the field that wants a date says so.
        return loader.construct_scalar(node)


def strict_loader(base: type[Any]) -> type[yaml.SafeLoader]:
    """A subclass of a safe loader with smesdk's constructors."""
    loader: type[yaml.SafeLoader] = type(f"Strict{base.__name__}", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    return loader


#: The safe loaders: libyaml's (when PyYAML was built with it) and the pure-Python one.
LOADERS: dict[str, type[yaml.SafeLoader]] = {"python": strict_loader(yaml.SafeLoader)}
if hasattr(yaml, "CSafeLoader"):
    LOADERS["libyaml"] = strict_loader(yaml.CSafeLoader)
DEFAULT_LOADER = "libyaml" if "libyaml" in LOADERS else "python"


def load_yaml(text: str, file: str, loader: str | None = None) -> Any:
    """Plain data of a YAML document (every refusal a SmesdkError or a yaml.YAMLError)."""
    cls = LOADERS[loader or DEFAULT_LOADER]
    check_events(text, cls, file)
    return yaml.load(text, Loader=cls)
