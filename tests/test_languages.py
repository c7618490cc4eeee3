"""Languages as data: Text in any language, declared languages checked everywhere, --lang
along the declared fallback chain (issue 18, point 1)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.convert import parse_text, unstructure
from smesdk.languages import LanguageError, locale, user_locale
from smesdk.loading import spec_from_data
from smesdk.text import Locale, Text

DMA = Path(__file__).parent / "frameworks" / "dma" / "dma.yaml"
EXAMPLE = Path(__file__).parents[1] / "examples" / "plugins" / "smesdk-example" / "src" / \
    "smesdk_example" / "example.yaml"


def _dma_data() -> Any:
    return parse_text(DMA.read_text(encoding="utf-8"), "yaml")


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(smesdk.SpecError) as info:
        smesdk.Framework.from_spec(spec_from_data(data, "yaml"))
    return [(p.path, p.message) for p in info.value.problems]


# --- Text --------------------------------------------------------------------------------

def test_text_keeps_the_zh_en_forms_and_takes_any_language() -> None:
    both = Text(zh="总分", en="Total")
    assert both == Text("总分", "Total") == Text({"en": "Total", "zh": "总分"})
    assert (both.zh, both.en) == ("总分", "Total")
    assert Text.of(en="Total", de="Summe").as_dict() == {"en": "Total", "de": "Summe"}
    assert Text({"de-AT": "Summe"}).languages == ("de-AT",)
    assert Text.of(en="Total", de="Summe").zh == ""  # no Chinese: empty, not an error
    # Chinese then English first, whatever the order written: results keep their JSON.
    assert list(Text(en="Total", zh="总分").as_dict()) == ["zh", "en"]
    assert hash(both) == hash(Text(en="Total", zh="总分"))
    assert pickle.loads(pickle.dumps(both)) == both
    assert both.replace(de="Summe").as_dict() == {"zh": "总分", "en": "Total", "de": "Summe"}
    with pytest.raises(AttributeError):
        both.zh = "x"  # type: ignore[misc]


def test_get_follows_the_chain_and_marks_only_outside_it() -> None:
    text = Text.of(en="Total", de="Summe")
    assert text.get("de") == "Summe"
    assert text.get("de-AT") == "Summe"                       # the tag's language
    assert Text.of(en="Total").get(Locale("de", ["en"])) == "Total"   # along the chain
    assert Text.of(en="Total").get("de") == "[en] Total"      # outside it: marked
    assert Text(zh="战略", en="").get("en") == "[zh] 战略"      # as before for zh/en
    assert Text(zh="", en="").get("en") == ""


def test_a_locale_is_the_tag_itself_with_its_chain() -> None:
    lang = Locale("de-AT", ["en"])
    assert lang == "de-AT" and f"{lang}" == "de-AT"
    assert lang.chain == ("de-AT", "de", "en")
    assert pickle.loads(pickle.dumps(lang)).chain == lang.chain


# --- declared languages ------------------------------------------------------------------

def test_an_english_and_german_framework_validates_without_chinese() -> None:
    fw = smesdk.Framework.from_spec(smesdk.load_spec(DMA))
    assert fw.spec.languages == ["en", "de"] and fw.spec.fallback == ["en"]
    assert fw.spec.title.zh == ""


def test_every_missing_text_is_reported_with_its_path_at_once() -> None:
    data = _dma_data()
    del data["dimensions"][0]["title"]["de"]
    data["dimensions"][2]["indicators"][1]["options"][3]["label"]["de"] = " "
    data["levels"][1]["title"]["fr"] = "Moyen"
    data["fallback"] = ["en", "it"]
    assert sorted(_problems(data)) == sorted([
        ("dimensions[0].title", "no text in de"),
        ("dimensions[2].indicators[1].options[3].label", "no text in de"),
        ("levels[1].title", "text in fr, which the framework does not declare "
                            "(languages: en, de)"),
        ("fallback[1]", "'it' is not one of the languages (en, de)"),
    ])


def test_the_languages_themselves_are_checked() -> None:
    data = _dma_data()
    data["languages"] = ["en", "de", "EN", "de"]
    problems = _problems(data)
    assert ("languages[2]", "'EN' is not a language tag (e.g. en, de, zh-Hant)") in problems
    assert ("languages[3]", "'de' is listed twice") in problems


def test_an_english_only_framework_is_valid() -> None:
    data = _dma_data()
    data["languages"], data["fallback"] = ["en"], []

    def english_only(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"en", "de"}:
                return {"en": value["en"]}
            return {k: english_only(v) for k, v in value.items()}
        if isinstance(value, list):
            return [english_only(v) for v in value]
        return value

    fw = smesdk.Framework.from_spec(spec_from_data(english_only(data), "yaml"))
    assert locale(fw.spec) == "en"


def test_the_default_languages_leave_the_content_hash_alone() -> None:
    # Writing the default out must hash the same as leaving it out: the official plugins
    # keep their hashes (and the goldens their bytes).
    data = parse_text(EXAMPLE.read_text(encoding="utf-8"), "yaml")
    plain = smesdk.Framework.from_spec(spec_from_data(data, "yaml"))
    explicit = copy.deepcopy(data)
    explicit["languages"] = ["zh", "en"]
    written = smesdk.Framework.from_spec(spec_from_data(explicit, "yaml"))
    assert "languages" not in unstructure(written.spec)
    assert written.content_hash == plain.content_hash
    other = copy.deepcopy(data)
    other["languages"] = ["en", "zh"]
    assert smesdk.Framework.from_spec(spec_from_data(other, "yaml")).content_hash != \
        plain.content_hash


# --- asking for a language ---------------------------------------------------------------

def test_locale_accepts_declared_languages_and_refuses_others() -> None:
    spec = smesdk.load_spec(DMA)
    assert locale(spec, "de").chain == ("de", "en")
    assert locale(spec, "de-CH") == "de"           # a regional tag reads as its language
    assert locale(spec) == "en"                    # the first declared
    with pytest.raises(LanguageError) as info:
        locale(spec, "zh")
    assert str(info.value.problems[0]) == \
        "--lang: dma is not written in 'zh'; its languages are en, de"


def test_without_lang_the_user_locale_is_used_when_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = smesdk.load_spec(DMA)
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "de_AT.UTF-8")
    assert user_locale(spec, None) == "de"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")      # not declared: English
    assert user_locale(spec, None) == "en"
    monkeypatch.setenv("LANG", "C")
    assert user_locale(spec, None) == "en"


def test_the_cli_refuses_an_undeclared_language_naming_the_declared_ones() -> None:
    answers = DMA.parent / "examples" / "01_average.yaml"
    run = CliRunner().invoke(cli, ["assess", str(DMA), str(answers), "--lang", "fr"])
    assert run.exit_code == 1
    assert "dma is not written in 'fr'; its languages are en, de" in run.output
    run = CliRunner().invoke(cli, ["show", "example", "--lang", "de"])
    assert run.exit_code == 1 and "example is not written in 'de'; its languages are zh, en" \
        in run.output
