"""Reading framework files: YAML safety, duplicate keys, size limit, all structural errors."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

import smesdk
import smesdk.convert
from smesdk import Framework, SmesdkError, SpecError
from smesdk.convert import parse_text
from smesdk.loading import spec_from_data

YAML_SPEC = """\
id: conv
version: "1.0"
title: {zh: 转换, en: Conversion}
description: {zh: 说明, en: Description}
source: {id: "000", title: {zh: 指南, en: Guide}, issuer: {zh: 部, en: Ministry}}
dimensions:
  - id: a
    title: {zh: 甲, en: A}
    indicators:
      - id: p
        title: {zh: 乙, en: P}
        question: {zh: 问, en: Q}
        kind: yesno
        points: 3
        source: {doc: "000", clause: 二}
        status: derived
      - id: n
        title: {zh: 丙, en: N}
        question: {zh: 问, en: Q}
        kind: percent
        bands:
          - {ge: 0, lt: 50, points: 0}
          - {ge: 50, le: 100, points: 1}
        source: {doc: "000", clause: 二}
        status: derived
"""

TOML_SPEC = """\
id = "conv"
version = "1.0"
title = {zh = "转换", en = "Conversion"}
description = {zh = "说明", en = "Description"}
source = {id = "000", title = {zh = "指南", en = "Guide"}, issuer = {zh = "部", en = "Ministry"}}

[[dimensions]]
id = "a"
title = {zh = "甲", en = "A"}

[[dimensions.indicators]]
id = "p"
title = {zh = "乙", en = "P"}
question = {zh = "问", en = "Q"}
kind = "yesno"
points = 3
source = {doc = "000", clause = "二"}
status = "derived"

[[dimensions.indicators]]
id = "n"
title = {zh = "丙", en = "N"}
question = {zh = "问", en = "Q"}
kind = "percent"
bands = [{ge = 0, lt = 50, points = 0}, {ge = 50, le = 100, points = 1}]
source = {doc = "000", clause = "二"}
status = "derived"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(exc: pytest.ExceptionInfo[Any]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in exc.value.problems]


def score(spec: smesdk.FrameworkSpec) -> D:
    answers = smesdk.answers_from_data({"enterprise": {"name": "e", "size": "small"},
                                        "date": "2026-01-01",
                                        "answers": {"a.p": True, "a.n": 40}})
    return Framework.from_spec(spec).assess(answers).total


def test_yaml_spec_loads_and_scores(tmp_path: Path) -> None:
    spec = smesdk.load_spec(write(tmp_path, "conv.yaml", YAML_SPEC))
    assert spec.id == "conv"
    assert spec.dimensions[0].indicators[0].points == D(3)
    # p yes 3/3 = 1, n 40 -> 0 of 1 -> (1 + 0)/2 * 100 = 50
    assert score(spec) == D(50)


def test_json_and_toml_specs_load_the_same(tmp_path: Path) -> None:
    yaml_spec = smesdk.load_spec(write(tmp_path, "conv.yaml", YAML_SPEC))
    data = parse_text(YAML_SPEC, "yaml")
    json_spec = smesdk.load_spec(write(tmp_path, "conv.json",
                                       json.dumps(data, ensure_ascii=False)))
    toml_spec = smesdk.load_spec(write(tmp_path, "conv.toml", TOML_SPEC))
    assert json_spec == yaml_spec
    assert toml_spec == yaml_spec
    assert score(toml_spec) == D(50)
    assert (Framework.from_spec(json_spec).content_hash ==
            Framework.from_spec(toml_spec).content_hash)


def test_yaml_duplicate_keys_are_refused_with_line(tmp_path: Path) -> None:
    # line 14 repeats `kind:` of the indicator p
    text = YAML_SPEC.replace("        kind: yesno\n", "        kind: yesno\n        kind: scale\n",
                             1)
    assert text.splitlines()[13] == "        kind: scale"
    path = write(tmp_path, "dup.yaml", text)
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(path)
    assert problems_of(info) == [("line 14, column 9", "invalid YAML: duplicate key 'kind'")]
    assert info.value.problems[0].file == str(path)


def test_top_level_duplicate_key() -> None:
    with pytest.raises(SmesdkError) as info:
        parse_text("id: a\nversion: '1'\nid: b\n", "yaml")
    assert problems_of(info) == [("line 3, column 1", "invalid YAML: duplicate key 'id'")]


def test_json_duplicate_keys_are_refused() -> None:
    with pytest.raises(SmesdkError) as info:
        parse_text('{"id": "a", "id": "b"}', "json")
    assert problems_of(info) == [("", "duplicate key 'id'")]


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!python/object:pathlib.Path {}",
])
def test_unsafe_yaml_tags_are_refused(tmp_path: Path, tag: str) -> None:
    path = write(tmp_path, "evil.yaml", YAML_SPEC.replace('version: "1.0"', f"version: {tag}"))
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(path)
    [(where, message)] = problems_of(info)
    assert where == "line 2, column 10"
    assert message.startswith("invalid YAML: could not determine a constructor for the tag")


def test_oversize_file_is_refused_before_parsing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "conv.yaml", YAML_SPEC)
    size = path.stat().st_size
    monkeypatch.setattr(smesdk.convert, "MAX_INPUT_BYTES", size - 1)
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(path)
    assert problems_of(info) == [
        ("", f"file is over the {size - 1}-byte limit")]
    monkeypatch.setattr(smesdk.convert, "MAX_INPUT_BYTES", size)   # exactly at the limit: ok
    assert smesdk.load_spec(path).id == "conv"


def test_oversize_answers_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "a.yaml", "enterprise: {name: e, size: small}\ndate: 2026-01-01\n")
    monkeypatch.setattr(smesdk.convert, "MAX_INPUT_BYTES", 10)
    with pytest.raises(smesdk.AnswerError) as info:
        smesdk.load_answers(path)
    assert info.value.problems[0].message.endswith("over the 10-byte limit")


def test_every_structural_error_is_listed_with_its_path() -> None:
    data = parse_text(YAML_SPEC, "yaml")
    inds = data["dimensions"][0]["indicators"]
    inds[1]["kind"] = 5                           # not text
    inds[0]["weight"] = "heavy"                   # not a number
    del inds[0]["status"]                         # missing
    inds[1]["colour"] = "red"                     # unknown field
    data["dimensions"][0]["indicators"][1]["bands"][0]["points"] = True
    data["levels"] = [{"id": "l1", "title": {"zh": "一", "EN": "one"}, "min": 0}]
    with pytest.raises(SpecError) as info:
        spec_from_data(data, "yaml", file="conv.yaml")
    assert sorted(problems_of(info)) == sorted([
        ("dimensions[0].indicators[0].weight", "expected a number, got 'heavy'"),
        ("dimensions[0].indicators[0].status", "required field missing"),
        ("dimensions[0].indicators[1].kind", "expected text, got int 5 (quote it)"),
        ("dimensions[0].indicators[1].bands[0].points", "expected a number, not true/false"),
        ("dimensions[0].indicators[1]", "unknown field(s): colour"),
        # Which languages a text needs is checked against the spec's `languages`
        # (tests/test_languages.py); the form of a language tag is checked here.
        ("levels[0].title", "expected a text: 'EN' is not a language tag (e.g. en, de, zh-Hant)"),
    ])
    assert {p.file for p in info.value.problems} == {"conv.yaml"}
    rendered = str(info.value)
    assert "dimensions[0].indicators[1].kind: expected text, got int 5 (quote it) @ conv.yaml" \
        in rendered.splitlines()


def test_yaml_numbers_where_text_is_expected_are_not_guessed() -> None:
    data = parse_text(YAML_SPEC.replace('id: "000"', "id: 000"), "yaml")
    with pytest.raises(SpecError) as info:
        spec_from_data(data)
    assert problems_of(info) == [("source.id", "expected text, got int 0 (quote it)")]


def test_other_file_problems(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(write(tmp_path, "conv.txt", YAML_SPEC))
    assert problems_of(info) == [("", "unsupported file type '.txt' (use .yaml, .json or "
                                      ".toml)")]
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(bad)
    assert problems_of(info) == [("", "file is not UTF-8 text")]
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(write(tmp_path, "list.yaml", "- 1\n- 2\n"))
    assert problems_of(info) == [("", "expected a mapping at the top level, got list")]
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(write(tmp_path, "empty.yaml", ""))
    assert problems_of(info) == [("", "expected a mapping at the top level, got nothing")]
    with pytest.raises(SpecError) as info:
        smesdk.load_spec(tmp_path / "missing.yaml")
    assert problems_of(info)[0][1].startswith("cannot read file")


def test_invalid_json_and_toml_report_where() -> None:
    with pytest.raises(SmesdkError) as info:
        parse_text('{"id": "a",\n  "x": }', "json")
    assert problems_of(info)[0][0] == "line 2, column 8"
    assert problems_of(info)[0][1].startswith("invalid JSON:")
    with pytest.raises(SmesdkError) as info:
        parse_text("id = \n", "toml")
    assert problems_of(info)[0][1].startswith("invalid TOML:")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + YAML_SPEC.encode("utf-8"))
    assert smesdk.load_spec(path).id == "conv"
