"""The core's own wording (report, questionnaire, terminal and docs labels, indicator
statuses), one message catalog per language: ``src/smesdk/locales/<tag>.toml``.

Each file holds one table per vocabulary (``[report]``, ``[questionnaire]`` …) of keys to
wordings with ``{name}`` placeholders. English is the base: every key is in ``en.toml``, and
a label falls back along the reader's chain (a :class:`~smesdk.text.Locale`) and then to
English, so a framework in a language the core has no catalog for still reads whole, with
the core's labels in English. ``docs/concepts.md`` (Languages) says how to add a language.

Plain TOML files rather than gettext: the wordings are keyed, short and placeholder-filled,
and a catalog is read as it is written (no compile step, nothing to keep in step with a
``.mo`` file); a test checks every catalog holds exactly the keys of the English one.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from smesdk.text import Lang, Text, chain_of

#: Every key exists in this catalog; the last language of every chain.
BASE = "en"


@functools.cache
def catalog(tag: str) -> dict[str, dict[str, str]] | None:
    """The catalog of language ``tag`` (its tables by name), or None when there is none."""
    path = resources.files("smesdk") / "locales" / f"{tag}.toml"
    if not path.is_file():
        return None
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages the core has a catalog for, English first."""
    tags = sorted(p.name[:-5] for p in (resources.files("smesdk") / "locales").iterdir()
                  if p.name.endswith(".toml"))
    return (BASE, *(t for t in tags if t != BASE))


class Labels:
    """Fixed wordings looked up by key, with ``{name}`` placeholders.

    ``Labels("report")`` reads the ``[report]`` table of the catalogs (several names: looked
    up in that order); ``Labels({"total": ("总分", "Total")})`` is a plugin's own zh/en table::

        label = Labels("report")
        label("total", "en")       # "Total"
        label.text("total")        # Text(zh="总分", en="Total")
    """

    def __init__(self, *tables: str | dict[str, tuple[str, str]]) -> None:
        self._names = [t for t in tables if isinstance(t, str)]
        self._own = {key: Text(zh=zh, en=en) for table in tables if isinstance(table, dict)
                     for key, (zh, en) in table.items()}

    def _wording(self, key: str, tag: str) -> str | None:
        if key in self._own:
            return self._own[key].as_dict().get(tag) or None
        found = catalog(tag)
        for name in self._names:
            if found is not None and key in found.get(name, {}):
                return found[name][key]
        return None

    def __contains__(self, key: str) -> bool:
        base = catalog(BASE) or {}
        return key in self._own or any(key in base.get(name, {}) for name in self._names)

    def keys(self) -> list[str]:
        base = catalog(BASE) or {}
        return [*self._own, *(k for name in self._names for k in base.get(name, {}))]

    def __call__(self, key: str, lang: Lang, /, **values: object) -> str:
        for tag in (*chain_of(lang), BASE):
            wording = self._wording(key, tag)
            if wording is not None:
                return wording.format(**values) if values else wording
        raise KeyError(key)

    def text(self, key: str, /, **values: object) -> Text:
        """The wording in every language that has it."""
        tags = self._own[key].languages if key in self._own else languages()
        found = {t: w for t in tags if (w := self._wording(key, t)) is not None}
        if not found:
            raise KeyError(key)
        return Text({t: w.format(**values) if values else w for t, w in found.items()})
