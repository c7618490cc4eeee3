"""What the result hooks may return, and how several plugins' answers are merged.

Each ``admit_*`` checks one implementation's return value (raising :class:`Refused` with what
is wrong) and normalises it; :func:`merge_keyed` merges mappings in pluggy's call order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from smesdk.hookguard import HookCall, PluginFailure, Refused, shorten
from smesdk.result import Recommendation


def admit_recommendations(plugin: str, out: Any) -> list[Recommendation] | None:
    """None, or a list of Recommendations; those without an origin get the plugin's name."""
    if out is None:
        return None
    if not isinstance(out, list | tuple):
        raise Refused(f"a {type(out).__name__}, not a list of Recommendation")
    for i, rec in enumerate(out):
        if not isinstance(rec, Recommendation):
            raise Refused(f"a list whose item {i} is a {type(rec).__name__}, not a Recommendation")
    return [rec if rec.origin != "framework" else attrs.evolve(rec, origin=plugin) for rec in out]


def admit_json_mapping(plugin: str, out: Any) -> dict[str, Any] | None:
    """None, or a mapping of text keys to plain JSON data (no NaN, no sets, no objects)."""
    if out is None:
        return None
    if not isinstance(out, Mapping):
        raise Refused(f"a {type(out).__name__}, not a mapping of names to JSON data")
    for key, value in out.items():
        if not isinstance(key, str):
            raise Refused(f"a key of type {type(key).__name__} ({_short(key)}), not text")
        if _plain(value):
            continue
        try:
            json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            raise Refused(f"data under {_short(key)} that is not JSON "
                          f"({shorten(str(exc), 80)})") from None
    return dict(out)


def _plain(value: Any) -> bool:
    """True when ``value`` is built only of dicts with text keys, lists, text (str enums
    too), ints, bools, None and finite floats, so ``json.dumps`` would take it. Anything else
    (a tuple, NaN, a loop) is False and left to ``json.dumps`` to judge and explain: this walk
    only spares encoding each plugin's section, which took most of a large one's check."""
    kind = type(value)
    try:
        if kind is dict:
            # One pass over the items, not one over the keys and one over the values.
            for key, item in value.items():
                if type(key) is not str:
                    return False
                kind = type(item)
                if kind is str or kind is int or kind is bool or item is None or (
                        kind is float and item - item == 0.0):  # finite: not inf, not NaN
                    continue  # the common leaves, without a call
                if not _plain(item):
                    return False
            return True
        if kind is list:
            for item in value:
                kind = type(item)
                if kind is str or kind is int or kind is bool or item is None or (
                        kind is float and item - item == 0.0):
                    continue
                if not _plain(item):
                    return False
            return True
    except RecursionError:  # a loop, or nesting too deep: json.dumps says which
        return False
    if kind is float:
        return bool(value - value == 0.0)  # inf - inf and NaN - NaN are NaN
    # json writes a str subclass's (a str enum's) own text
    return kind is int or kind is bool or value is None or isinstance(value, str)


def merge_keyed(base: Mapping[str, Any], base_owner: str, outs: list[dict[str, Any]],
                call: HookCall, what: str) -> tuple[dict[str, Any], list[PluginFailure]]:
    """Merge ``outs`` (pluggy's results, in call order) into ``base``.

    The first to give a key keeps it: ``base`` (the framework's own), then the plugins in the
    order pluggy calls them (``tryfirst`` first; among equals, the one registered last). A
    later plugin giving the same value again is harmless; a different value is left out and
    reported as that plugin's failure, naming both.
    """
    merged = dict(base)
    failures = []
    for i, out in enumerate(outs):
        for key, value in out.items():
            if key not in merged:
                merged[key] = value
            elif _canonical(merged[key]) != _canonical(value):
                # Who gave it first is worked out only here: clashes are rare, merges are not.
                first = base_owner if key in base else next(
                    f"plugin {call.owner(earlier)!r}" for earlier in outs[:i] if key in earlier)
                failures.append(PluginFailure(call.owner(out), call.hook, (
                    f"gives {what} {key!r} a different value than {first}; the value of "
                    f"{first} is kept (it comes first in the hook call order)")))
    return merged, failures


def _canonical(value: Any) -> str:
    # json, not ==: True == 1 in Python, but they are different facts.
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _short(value: object) -> str:
    return shorten(repr(value), 40)


ADMIT: dict[str, Callable[[str, Any], Any]] = {
    "smesdk_recommendations": admit_recommendations,
    "smesdk_enrich_result": admit_json_mapping,
    "smesdk_export_facts": admit_json_mapping,
}
