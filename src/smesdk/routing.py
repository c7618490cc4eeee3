"""Hook implementations for some frameworks only: :func:`for_frameworks`, and what the host
and its guard read of it (:func:`frameworks_of`).

The hooks given a ``framework`` fire for every framework, and a plugin's implementation
would otherwise begin by answering None for the others. For each framework the host leaves
the plugins so marked for others out of pluggy's call (``PluginHost._caller``); where it
cannot (an unhashable plugin object), the guard (see :mod:`smesdk.hookguard`) answers None
for a marked implementation without calling the plugin. pluggy calls the rest in its order,
wrappers included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Where :func:`for_frameworks` keeps the ids: on the implementation function itself (the
#: host's guard copies a function's attributes onto its guarded twin).
ATTRIBUTE = "smesdk_frameworks"


def for_frameworks(*ids: str) -> Callable[[F], F]:
    """Mark a hook implementation as being for these frameworks only (by id). The host does
    not call it for another framework, as if it had answered None there. Only for the hooks
    given a ``framework``; stack it with ``@smesdk.hookimpl``."""
    if not ids or not all(isinstance(i, str) and i for i in ids):
        raise TypeError(f"for_frameworks takes one or more framework ids, not {ids!r}")
    marked = frozenset(ids)

    def mark(fn: F) -> F:
        setattr(fn, ATTRIBUTE, marked)
        return fn

    return mark


def frameworks_of(fn: Callable[..., Any]) -> frozenset[str] | None:
    """The ids an implementation is marked for; None when it is for every framework."""
    ids = getattr(fn, ATTRIBUTE, None)
    if ids is not None and not isinstance(ids, frozenset):
        raise TypeError(f"{ATTRIBUTE} is set by smesdk.for_frameworks, not by hand ({ids!r})")
    return ids
