"""Labels: the one lookup of fixed wordings used by every output (a plugin's own zh/en
table here; the core's catalogs in tests/test_catalogs.py)."""

from __future__ import annotations

import pytest

from smesdk.catalogs import Labels
from smesdk.text import Text

LABEL = Labels({"total": ("总分", "Total"), "left": ("还差 {n} 分", "{n} points to go"),
                "brace": ("{x}", "{x}")})


def test_lookup_in_each_language() -> None:
    assert LABEL("total", "zh") == "总分"
    assert LABEL("total", "en") == "Total"
    assert LABEL.text("total") == Text(zh="总分", en="Total")


def test_placeholders_are_filled_only_when_values_are_given() -> None:
    assert LABEL("left", "zh", n=3) == "还差 3 分"
    assert LABEL.text("left", n="2.5") == Text(zh="还差 2.5 分", en="2.5 points to go")
    assert LABEL("brace", "en") == "{x}"  # a wording with braces but no values stays as it is


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        LABEL("nope", "en")
