"""Every fixed wording of the questionnaire and its error messages: the ``[questionnaire]``
table of the core's message catalogs."""

from __future__ import annotations

from smesdk.catalogs import Labels

label = Labels("questionnaire")
text = label.text


def all_langs(key: str) -> set[str]:
    """Every language's wording of a label, for reading any of them back."""
    return set(label.text(key).as_dict().values())
