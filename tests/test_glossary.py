"""docs/glossary.md is the one zh ⇄ en wording of levels, dimensions and policy names: every
official framework's texts, and every English report of its examples, follow it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import smesdk
from smesdk.report import render_markdown
from smesdk.text import Text

ROOT = Path(__file__).parents[1]
PAGE = ROOT / "docs" / "glossary.md"


def shipped_frameworks() -> list[str]:
    """Every framework of the official distributions (a spec file under plugins/): the tiered
    and service-institution frameworks too, not only the four oldest."""
    plugins = ROOT / "plugins"
    return sorted(fid for fid, (_, _, file) in smesdk.default_host().catalog().items()
                  if file is not None and Path(file).is_relative_to(plugins))


FRAMEWORKS = shipped_frameworks()
CJK = "[\u4e00-\u9fff]"


def glossary() -> dict[str, list[tuple[str, str]]]:
    """Each "## Section" of the page as its (zh or avoid, en or write) rows."""
    tables: dict[str, list[tuple[str, str]]] = {}
    section = ""
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("| ") and not line.startswith(("| ---", "| zh ", "| avoid ")):
            left, right = (cell.strip() for cell in line.strip("|").split("|"))
            tables.setdefault(section, []).append((left, right))
    return tables


def texts(value: object) -> Iterator[Text]:
    """Every Text inside a spec (attrs classes, lists, mappings)."""
    if isinstance(value, Text):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from texts(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)


def english_problems(en: str) -> list[str]:
    """Policy names left in Chinese without their English, and calques to avoid. A term inside
    a run of Chinese (an enterprise's own N/A reason quoted in an English report) is not
    English text and is left alone."""
    table = glossary()
    out = [f"{zh!r} without {gloss!r}: {en[:90]}" for zh, gloss in table["Policy names"]
           if re.search(f"(?<!{CJK}){re.escape(zh)}(?!{CJK})", en) and gloss.lower() not in en.lower()]
    out += [f"{avoid!r} (write {write!r}): {en[:90]}" for avoid, write in table["Words to avoid"]
            if avoid.lower() in en.lower()]
    return out


def examples(fid: str) -> Iterator[tuple[Path, smesdk.AnswerSet]]:
    """The shipped example answer sets of ``fid``: those naming it, or, naming none, in the
    examples folder of its own distribution (plugins/tiered holds three frameworks')."""
    for path in sorted((ROOT / "plugins").glob("*/examples/*.yaml")):
        answers = smesdk.load_answers(path)
        if (answers.framework or path.parents[1].name) == fid:
            yield path, answers


def test_every_official_framework_is_checked() -> None:
    assert {"management", "digital", "quality-brand", "iso9001", "innovative-sme", "zjtx",
            "little-giant", "service-institution"} <= set(FRAMEWORKS)
    assert "example" not in FRAMEWORKS and "hooktest" not in FRAMEWORKS


def test_the_glossary_has_its_tables() -> None:
    table = glossary()
    assert {"Levels", "Dimensions", "Policy names", "Words to avoid"} <= set(table)
    assert ("规范级", "Standardised") in table["Levels"]
    assert ("专精特新", "specialised, refined, distinctive and innovative") in table["Policy names"]


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_level_and_dimension_names_follow_the_glossary(fid: str) -> None:
    fw = smesdk.load_framework(fid)
    table = glossary()
    problems = []
    for level in fw.spec.levels:
        problems += [f"level {level.title.zh!r} is {level.title.en!r}, wants {en!r}"
                     for zh, en in table["Levels"] if zh in level.title.zh and en not in level.title.en]
    for dim in fw.spec.dimensions:
        problems += [f"dimension {dim.title.zh!r} is {dim.title.en!r}, wants {en!r}"
                     for zh, en in table["Dimensions"] if dim.title.zh == zh and en not in dim.title.en]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_every_english_text_of_a_framework_follows_the_glossary(fid: str) -> None:
    problems = [p for t in texts(smesdk.load_framework(fid).base) for p in english_problems(t.en)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_english_reports_follow_the_glossary(fid: str) -> None:
    problems = []
    shipped = list(examples(fid))
    assert shipped, f"no example of {fid} under plugins/*/examples"
    for path, answers in shipped:
        fw = smesdk.load_framework(fid, answers.profile)
        report = render_markdown(fw.assess(answers), fw, lang="en")
        problems += [f"{path.name}: {p}" for line in report.splitlines()
                     for p in english_problems(line.replace("\\", ""))]
    assert not problems, "\n".join(sorted(set(problems))[:20])


def test_the_checker_notices_a_bare_policy_name_and_a_calque() -> None:
    assert english_problems("专精特新 firms") and english_problems("Managers' special training")
    assert not english_problems("specialised, refined, distinctive and innovative (专精特新) firms")
    assert not english_problems("N/A (尚未启动两化融合评定): left out")   # the firm's own words
