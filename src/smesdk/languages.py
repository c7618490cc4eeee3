"""What a framework declares about languages, and what follows from it.

A spec lists its ``languages`` (BCP 47 tags; ``[zh, en]`` unless it says otherwise) and may
name a ``fallback`` chain. Every text of the framework must be written in each declared
language (:func:`language_problems`, run by ``smesdk validate`` and the test kit), and a
reader may ask for any declared language (:func:`locale`), which then falls back along the
chain wherever a text (for instance one of the core's own) lacks it.
"""

from __future__ import annotations

import functools
import os
import typing
from collections.abc import Iterator
from typing import Any

import attrs

from smesdk.errors import Problem, SmesdkError
from smesdk.spec import FrameworkSpec
from smesdk.text import TAG, Locale, Text, parents


class LanguageError(SmesdkError):
    """A language the framework does not declare was asked for."""


def locale(spec: FrameworkSpec, lang: str | None = None) -> Locale:
    """The declared language ``lang`` with the spec's fallback chain; without ``lang``, the
    framework's first language. A regional tag of a declared language is read as that
    language (``de-AT`` → ``de``); any other language is refused, naming the declared ones.
    """
    declared = list(spec.languages)
    if lang is None:
        return Locale(declared[0], spec.fallback)
    found = _match(lang, declared)
    if found is None:
        raise LanguageError([Problem(
            "--lang", f"{spec.id} is not written in {lang!r}; its languages are "
                      f"{', '.join(declared)}")])
    return Locale(found, spec.fallback)


def user_locale(spec: FrameworkSpec, lang: str | None) -> Locale:
    """``lang`` when given (see :func:`locale`); else the user's locale (``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``) when the framework declares it, else English when declared,
    else the framework's first language."""
    if lang is not None:
        return locale(spec, lang)
    for wanted in (environment_tag(), "en"):
        found = _match(wanted, list(spec.languages)) if wanted else None
        if found is not None:
            return Locale(found, spec.fallback)
    return locale(spec)


def _match(tag: str, declared: list[str]) -> str | None:
    return next((t for t in (tag, *parents(tag)) if t in declared), None)


def environment_tag() -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            # de_DE.UTF-8 → de-DE; C and POSIX name no language.
            tag = value.split(".")[0].split("@")[0].replace("_", "-")
            return tag if TAG.match(tag) else None
    return None


def texts(obj: Any, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text inside a spec object, with its path in the spec document."""
    for parts, text in _walk(obj, (path,) if path else ()):
        yield _path(parts), text


# The walk keeps a path as its parts and writes it out only for a text it reports: a big
# spec holds about a thousand texts, and loading it runs this check.
def _walk(obj: Any, parts: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Text]]:
    if isinstance(obj, Text):
        yield parts, obj
    elif attrs.has(cls := type(obj)):
        for field, name in _text_fields(cls):
            yield from _walk(getattr(obj, field), (*parts, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, (*parts, i))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk(item, (*parts, str(key)))


def _path(parts: tuple[str | int, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


@functools.cache
def _text_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, name in the document) of the fields of ``cls`` that can hold a Text: the
    walk skips plain data (params, numbers, ids), which is most of a big spec."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, f.name.rstrip("_")) for f in attrs.fields(cls)
                 if _may_hold_text(hints[f.name]))


def _may_hold_text(tp: Any) -> bool:
    if tp is Text or attrs.has(tp):
        return True
    return any(_may_hold_text(arg) for arg in typing.get_args(tp))


def language_problems(spec: FrameworkSpec) -> Iterator[tuple[str, str]]:
    """Every problem with the declared languages and every text not written in one of them."""
    declared = spec.languages
    if not declared:
        yield "languages", "a framework needs at least one language"
    for i, tag in enumerate(declared):
        if not TAG.match(tag):
            yield f"languages[{i}]", f"{tag!r} is not a language tag (e.g. en, de, zh-Hant)"
        elif tag in declared[:i]:
            yield f"languages[{i}]", f"{tag!r} is listed twice"
    for i, tag in enumerate(spec.fallback):
        if tag not in declared:
            yield f"fallback[{i}]", f"{tag!r} is not one of the languages ({', '.join(declared)})"
    wanted = set(declared)
    for parts, text in _walk(spec, ()):
        missing = [t for t in declared if not text.has(t)]
        if missing:
            yield _path(parts), f"no text in {', '.join(missing)}"
        if not wanted.issuperset(text.languages):
            extra = [t for t in text.languages if t not in wanted]
            yield _path(parts), f"text in {', '.join(extra)}, which the framework does not " \
                                f"declare (languages: {', '.join(declared)})"
