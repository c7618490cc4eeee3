"""The report's own wording, from the core's message catalogs (``[report]``, and the
indicator statuses of ``[status]``). Frameworks bring their own texts."""

from __future__ import annotations

from smesdk.catalogs import Labels
from smesdk.text import Lang

label = Labels("report", "status")
label_text = label.text


def language_name(tag: str, lang: Lang) -> str:
    """The name of language ``tag`` in ``lang``; the tag itself for a language without one."""
    key = f"lang.{tag}"
    return label(key, lang) if key in label else tag


def keys() -> list[str]:
    return label.keys()
