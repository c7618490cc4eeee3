"""The core's message catalogs: complete in zh and en, and a language without a catalog
falls back along the reader's chain to English, never to a crash or an empty label."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from smesdk.catalogs import BASE, Labels, catalog, languages
from smesdk.report.labels import label as report_label
from smesdk.text import Locale, Text

LOCALES = Path(__file__).parents[1] / "src" / "smesdk" / "locales"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _keys(tag: str) -> set[tuple[str, str]]:
    data = tomllib.loads((LOCALES / f"{tag}.toml").read_text(encoding="utf-8"))
    return {(table, key) for table, keys in data.items() for key in keys}


def test_the_core_ships_zh_and_en() -> None:
    assert {"zh", "en"} <= set(languages()) and languages()[0] == BASE


@pytest.mark.parametrize("tag", sorted(p.stem for p in LOCALES.glob("*.toml")))
def test_every_catalog_has_exactly_the_keys_of_the_english_one(tag: str) -> None:
    # Read from the files themselves (not through the lookup, which would fall back).
    missing = _keys(BASE) - _keys(tag)
    extra = _keys(tag) - _keys(BASE)
    assert not missing, f"{tag}.toml lacks {sorted(missing)}"
    assert not extra, f"{tag}.toml has keys en.toml does not: {sorted(extra)}"


@pytest.mark.parametrize("tag", sorted(p.stem for p in LOCALES.glob("*.toml")))
def test_every_wording_is_written_and_keeps_the_placeholders(tag: str) -> None:
    own, base = catalog(tag), catalog(BASE)
    assert own is not None and base is not None
    for table, keys in base.items():
        for key, english in keys.items():
            wording = own[table][key]
            assert wording.strip(), f"{tag}: [{table}] {key} is empty"
            assert set(PLACEHOLDER.findall(wording)) == set(PLACEHOLDER.findall(english)), \
                f"{tag}: [{table}] {key} has other placeholders than English"


def test_a_missing_key_in_one_language_fails_the_check(tmp_path: Path) -> None:
    # The completeness check above must be able to fail: drop one key from a copy.
    text = (LOCALES / "zh.toml").read_text(encoding="utf-8")
    broken = tmp_path / "zh.toml"
    broken.write_text(re.sub(r"(?m)^total = .*\n", "", text, count=1), encoding="utf-8")
    data = tomllib.loads(broken.read_text(encoding="utf-8"))
    keys = {(table, key) for table, ks in data.items() for key in ks}
    assert _keys(BASE) - keys == {("report", "total")}


def test_lookup_in_each_language_and_along_the_chain() -> None:
    assert report_label("total", "zh") == "总分"
    assert report_label("total", "en") == "Total"
    # No German catalog: German falls back along the chain, then to English, the base.
    assert catalog("de") is None
    assert report_label("total", Locale("de", ("en",))) == "Total"
    assert report_label("total", "de") == "Total"
    # A regional tag uses its language's catalog: zh-Hant-TW -> zh.
    assert report_label("total", "zh-TW") == "总分"
    assert report_label("page_of", Locale("de"), page=2, pages=5) == "page 2 of 5"


def test_text_holds_every_catalog_language() -> None:
    assert report_label.text("total") == Text(zh="总分", en="Total")
    assert report_label.text("gain", value="+2") == Text(zh="总分 ++2", en="total ++2")


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        Labels("report")("no_such_label", "en")
    with pytest.raises(KeyError):
        Labels("report").text("no_such_label")
