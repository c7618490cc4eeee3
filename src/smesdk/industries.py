"""Industry classifications: the code lists ``enterprise.industry`` may be a code of, named
here once for every report, form, batch and plugin.

The core knows three, as data files in ``smesdk/classifications/`` (``code,zh,en``):

- ``cnca``: the 39 certification industry categories of seed 004, annex 2
  (备注《认证行业分类》), codes "1".."39" — the default; Chinese names the guide's, English
  smesdk's translation;
- ``gbt4754``: the 20 sections (门类) A–T of GB/T 4754-2017 国民经济行业分类;
- ``nace2``: the 21 sections A–U of the EU's NACE Rev. 2 (Chinese names smesdk's translation).

A framework names one in ``enterprise.industries``, or brings its own list
(``enterprise.industry_codes``, see :mod:`smesdk.enterprise`).
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

import attrs

from smesdk.text import Text

#: The classifications the core knows, by name, with their names for people.
KNOWN: dict[str, Text] = {
    "cnca": Text(zh="认证行业分类（39 类）", en="the 39 CNCA certification industry categories"),
    "gbt4754": Text(zh="GB/T 4754-2017 国民经济行业分类门类",
                    en="the GB/T 4754-2017 industry sections"),
    "nace2": Text(zh="NACE Rev. 2 门类", en="the NACE Rev. 2 sections"),
}


@attrs.frozen
class Classification:
    """A list of industry codes with their names."""

    id: str
    title: Text
    names: dict[str, Text]

    def code(self, raw: str) -> str | None:
        """The listed code ``raw`` stands for (spaces, case of letters and leading zeros of a
        number tolerated), or None when it is not one."""
        key = raw.strip()
        if key in self.names:
            return key
        if key.isdigit():
            key = key.lstrip("0") or "0"
        elif key.upper() in self.names:
            key = key.upper()
        return key if key in self.names else None

    def name(self, raw: str | None) -> Text | None:
        """The name of the code ``raw`` stands for (None: not a code of this list)."""
        code = self.code(raw) if raw is not None else None
        return self.names[code] if code is not None else None

    def describe(self) -> str:
        """The list for an error message: its name and a few of its codes."""
        codes = list(self.names)
        shown = ", ".join(codes[:3]) + (f" … {codes[-1]}" if len(codes) > 3 else "")
        return f"{self.title.en} ({shown})"


@functools.cache
def classification(name: str) -> Classification | None:
    """A classification the core knows, read once from its data file (None: unknown name)."""
    title = KNOWN.get(name)
    if title is None:
        return None
    text = resources.files("smesdk.classifications").joinpath(f"{name}.csv").read_text("utf-8")
    names = {row["code"]: Text(zh=row["zh"], en=row["en"])
             for row in csv.DictReader(io.StringIO(text))}
    return Classification(name, title, names)


def _cnca() -> Classification:
    found = classification("cnca")
    assert found is not None
    return found


#: Category number ("1".."39") -> bilingual name (the default classification).
INDUSTRIES: dict[str, Text] = _cnca().names


def industry_name(code: str | None) -> Text | None:
    """The name of CNCA category *code* ("1".."39", leading zeros and spaces tolerated)."""
    return _cnca().name(code)
