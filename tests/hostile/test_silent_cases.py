"""The "silent wrong answer" cases of issue 14 that are library behaviour rather than one CLI
run: one YAML reading with and without libyaml, one formula rule, the questionnaire round
trip keeping the enterprise type and the answers' profile, and separators in options."""

from __future__ import annotations

import copy
import glob
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import smesdk
from smesdk.convert import parse_text
from smesdk.errors import SmesdkError
from smesdk.formulas import DANGEROUS_PATTERN, DANGEROUS_STARTS, neutralised
from smesdk.loading import spec_from_data
from smesdk.yamlsafe import LOADERS

ROOT = Path(__file__).parents[2]
DOCUMENTS = sorted(glob.glob(str(ROOT / "plugins" / "*" / "src" / "*" / "*.yaml"))
                   + glob.glob(str(ROOT / "plugins" / "*" / "examples" / "*.yaml"))
                   + glob.glob(str(ROOT / "examples" / "**" / "*.yaml"), recursive=True))
both = pytest.mark.skipif("libyaml" not in LOADERS, reason="PyYAML built without libyaml")


@both
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: Path(p).name)
def test_every_shipped_document_reads_the_same_with_both_yaml_parsers(path):
    text = Path(path).read_text("utf-8")
    assert parse_text(text, "yaml", yaml_loader="libyaml") == \
        parse_text(text, "yaml", yaml_loader="python")


@both
@pytest.mark.parametrize("text", [
    "a: {b: c?}",  # libyaml: 'c?'; PyYAML: a syntax error
    "a: [x?y]",  # libyaml: 'x?y'; PyYAML: ['x', {'y': None}] or an error
    "a: {label: {zh: 甲, en: What?}}",
    "? [a, b]\n: x",  # a complex key
    "a: &x [1, *x]",  # a recursive alias
])
def test_what_the_parsers_would_read_differently_both_refuse(text):
    for loader in ("libyaml", "python"):
        with pytest.raises(SmesdkError):
            parse_text(text, "yaml", yaml_loader=loader)


@both
def test_quoted_question_marks_read_the_same():
    text = 'a: {b: "c?"}\nb: ["x?y"]\nc: plain? yes\n'
    expected = {"a": {"b": "c?"}, "b": ["x?y"], "c": "plain? yes"}
    for loader in ("libyaml", "python"):
        assert parse_text(text, "yaml", yaml_loader=loader) == expected


def test_one_formula_rule_for_forms_and_csv_outputs():
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "a=b", "ok", "'=x"]
    by_regex = pc.match_substring_regex(pa.array(texts), DANGEROUS_PATTERN).to_pylist()
    assert by_regex == [t.startswith(DANGEROUS_STARTS) for t in texts]
    assert [neutralised(t) for t in texts[:2]] == ["'=1+1", "'+1"]
    assert neutralised("ok") == "ok"


def test_the_questionnaire_keeps_the_enterprise_type_and_the_answers_profile(tmp_path):
    from click.testing import CliRunner

    from smesdk.cli import cli
    from smesdk.questionnaire import form_info, read_questionnaire

    src = ROOT / "plugins" / "management" / "examples" / "zjtx_midsize.yaml"
    answers = smesdk.load_answers(src)
    assert (answers.profile, answers.enterprise.type) == ("zjtx", "zjtx")
    out = tmp_path / "q.xlsx"
    run = CliRunner().invoke(cli, ["questionnaire", "management", "-o", str(out), "--prefill",
                                   str(src), "--lang", "en"])
    assert run.exit_code == 0, run.output
    info = form_info(out)
    assert info.profile == "zjtx"  # no -p given: the answers' own profile
    fw = smesdk.load_framework("management", "zjtx")
    back = read_questionnaire(out, fw)
    assert back.enterprise.type == "zjtx"
    # scored as the file itself is (its header works the total out by hand: 78.6250)
    assert fw.assess(back).total == fw.assess(answers).total == Decimal("78.6250")


def test_a_multi_select_label_with_a_separator_is_refused_by_validation():
    import json

    data = json.loads(json.dumps(yaml.safe_load((
        ROOT / "examples" / "plugins" / "smesdk-example" / "src" / "smesdk_example"
        / "example.yaml").read_text("utf-8")), default=str))
    for where, value in (("label", {"zh": "客户；销售", "en": "CRM"}), ("value", "crm|sales")):
        bad = copy.deepcopy(data)
        bad["dimensions"][2]["indicators"][1]["options"][3][where] = value
        with pytest.raises(smesdk.SpecError, match=r"options\[3\]\.(label\.zh|value): .* holds"):
            smesdk.Framework.from_spec(spec_from_data(bad))


def test_a_form_of_the_earlier_layout_is_refused_by_name(tmp_path):
    from openpyxl import load_workbook

    from smesdk.questionnaire import read_questionnaire, write_questionnaire
    from smesdk.questionnaire.layout import META_SHEET

    fw = smesdk.load_framework("example")
    path = tmp_path / "q.xlsx"
    write_questionnaire(fw, path, lang="en")
    wb = load_workbook(path)
    wb[META_SHEET]["B1"] = "smesdk-questionnaire/1"  # the layout before the enterprise type row
    wb.save(path)
    with pytest.raises(smesdk.AnswerError, match="format smesdk-questionnaire/1, this one reads "
                                                 "smesdk-questionnaire/3"):
        read_questionnaire(path, fw)
