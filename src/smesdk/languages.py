"""What a framework declares about languages, and what follows from it.

A spec lists its ``languages`` (BCP 47 tags; ``[zh, en]`` unless it says otherwise) and may
name a ``fallback`` chain. Every text of the framework must be written in each declared
language (:func:`language_problems`, run by ``smesdk validate`` and the test kit), and a
reader may ask for any declared language (:func:`locale`), which then falls back along the
chain wherever a text (for instance one of the core's own) lacks it.
"""

from __future__ import annotations

import os
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
    if isinstance(obj, Text):
        yield path, obj
    elif attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            name = field.name.rstrip("_")
            yield from texts(getattr(obj, field.name), f"{path}.{name}" if path else name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from texts(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from texts(item, f"{path}.{key}")


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
    for path, text in texts(spec):
        missing = [t for t in declared if not text.has(t)]
        if missing:
            yield path, f"no text in {', '.join(missing)}"
        extra = [t for t in text.languages if t not in declared]
        if extra:
            yield path, f"text in {', '.join(extra)}, which the framework does not declare " \
                        f"(languages: {', '.join(declared)})"
