"""Texts in the languages a framework declares, and the language a reader asks for.

A framework declares its languages (BCP 47 tags such as ``zh``, ``en``, ``de``, ``de-AT``) and,
optionally, a fallback chain. A :class:`Text` holds one string per language; a :class:`Locale`
is the language a reader asked for together with the chain to follow when a text lacks it.
The official frameworks declare ``zh`` and ``en``; ``Text(zh=..., en=...)`` stays the way to
write their texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

#: A language tag (BCP 47), e.g. ``"zh"``, ``"en"``, ``"de-AT"``. A plain tag or a Locale.
Lang = str
#: The languages of the official frameworks, and the default of every spec.
LANGS: tuple[str, ...] = ("zh", "en")
_ZH_EN = list(LANGS)
#: Language, optional script, region or variants: the subset of BCP 47 frameworks use.
TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})*$")


def parents(tag: str) -> tuple[str, ...]:
    """The tag's more general forms, most specific first: ``de-AT-1996`` → ``de-AT``, ``de``."""
    parts = tag.split("-")
    return tuple("-".join(parts[:n]) for n in range(len(parts) - 1, 0, -1))


class Locale(str):
    """A language tag that carries the fallback chain to follow, e.g. ``de`` then ``en``.

    It is a ``str`` so it passes wherever a language tag does (``lang == "zh"`` still holds);
    :meth:`Text.get` and the core's message catalogs follow its :attr:`chain`. Made by
    :func:`smesdk.languages.locale`, which refuses a language the framework does not declare.
    """

    chain: tuple[str, ...]

    def __new__(cls, tag: str, fallback: Iterable[str] = ()) -> Locale:
        self = super().__new__(cls, tag)
        chain = [tag, *parents(tag)]
        chain += [t for t in fallback if t not in chain]
        self.chain = tuple(chain)
        return self


def chain_of(lang: str) -> tuple[str, ...]:
    """The languages to try for ``lang``, in order: its Locale chain, else the tag and parents."""
    return lang.chain if isinstance(lang, Locale) else (lang, *parents(lang))


def _ordered(values: dict[str, str]) -> dict[str, str]:
    # Chinese then English first, as the official frameworks always wrote them: the JSON of
    # every existing text (and so results and content hashes) stays the same.
    ordered = {t: values[t] for t in LANGS if t in values}
    ordered.update((t, v) for t, v in values.items() if t not in ordered)
    return ordered


class Text:
    """A string in each of a framework's languages.

    Three ways to write one: ``Text(zh="总分", en="Total")`` (keywords, also positional
    ``Text("总分", "Total")`` for Chinese then English), ``Text({"en": "Total", "de-AT":
    "Summe"})`` (a mapping, for any tag) or ``Text.of(en="Total", de="Summe")``. ``.zh`` and
    ``.en`` read those two languages (empty when absent); :meth:`get` follows a fallback chain.
    """

    __slots__ = ("_hash", "_values")
    _values: dict[str, str]
    _hash: int  # set on the first hash (see __hash__)

    def __init__(self, first: Mapping[str, str] | str | None = None, second: str | None = None,
                 /, **langs: str) -> None:
        # Built for every trace line the engine writes: keep the common forms cheap.
        values: dict[str, str]
        if first is None:
            values = langs
            if len(values) > 1 and [*values] != _ZH_EN:
                values = _ordered(values)
        elif isinstance(first, str):
            values = {"zh": first} if second is None else {"zh": first, "en": second}
            if langs:
                values = _ordered({**values, **langs})
        elif second is not None:
            raise TypeError("Text(mapping) takes no second positional argument")
        else:
            values = _ordered({**first, **langs})
        object.__setattr__(self, "_values", values)

    @classmethod
    def of(cls, **langs: str) -> Text:
        """A text from keyword languages: ``Text.of(en="Total", de="Summe")``."""
        return cls(langs)

    @classmethod
    def both(cls, zh: str, en: str) -> Text:
        return cls(zh=zh, en=en)

    @property
    def zh(self) -> str:
        return self._values.get("zh", "")

    @property
    def en(self) -> str:
        return self._values.get("en", "")

    @property
    def languages(self) -> tuple[str, ...]:
        """The tags this text has a string for (empty strings included), in order."""
        return tuple(self._values)

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(self._values.items())

    def has(self, lang: str) -> bool:
        """Whether the text is written (not blank) in exactly ``lang``."""
        return bool(self._values.get(lang, "").strip())

    def pick(self, lang: str) -> tuple[str, str, bool]:
        """``(tag, string, in_chain)``: the first language of ``lang``'s chain the text is
        written in; failing that, English, then any language, with ``in_chain`` false."""
        for tag in chain_of(lang):
            if self._values.get(tag):
                return tag, self._values[tag], True
        for tag in ("en", *self._values):
            if self._values.get(tag):
                return tag, self._values[tag], False
        return lang, "", False

    def get(self, lang: str) -> str:
        """The text in ``lang``, following its fallback chain; a language outside the chain is
        marked (``[en] Total``) so a reader sees the text is not in the language asked for."""
        own = self._values.get(lang)
        if own:
            return own
        tag, value, in_chain = self.pick(lang)
        return value if in_chain or not value else f"[{tag}] {value}"

    def replace(self, values: Mapping[str, str] | None = None, /, **langs: str) -> Text:
        """A copy with some languages changed or added: ``title.replace(de="Summe")``."""
        return Text({**self._values, **(values or {}), **langs})

    __replace__ = replace  # copy.replace (Python 3.13)

    def map(self, fn: Callable[[str], str]) -> Text:
        """The same languages, each string passed through ``fn``."""
        return Text({t: fn(v) for t, v in self._values.items()})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Text is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and self._values == other._values

    def __hash__(self) -> int:
        # Kept once worked out (a text never changes): plugins key their memos by titles on
        # every assessment, and a frozenset of the languages cost half a microsecond a time.
        try:
            return self._hash
        except AttributeError:
            found = hash(frozenset(self._values.items()))
            object.__setattr__(self, "_hash", found)
            return found

    def __repr__(self) -> str:
        if all(t.isidentifier() for t in self._values):
            inner = ", ".join(f"{t}={v!r}" for t, v in self._values.items())
            return f"Text({inner})"
        return f"Text({self._values!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (dict(self._values),))


def __getattr__(name: str) -> Any:
    # Labels moved to smesdk.catalogs (the core's message catalogs); kept importable here.
    if name == "Labels":
        from smesdk.catalogs import Labels

        return Labels
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
