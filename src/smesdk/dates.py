"""Reading dates from documents: YAML gives date objects, JSON gives ISO strings."""

from __future__ import annotations

import datetime as dt


def as_date(value: object) -> dt.date | None:
    """The date ``value`` denotes (a date, a datetime or YYYY-MM-DD text), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
