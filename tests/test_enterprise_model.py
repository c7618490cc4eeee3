"""What a framework declares about enterprises: size classes, industry classification, extra
fields, and their use in applicability, per record and in batch.

The framework below is an EU-style one: NACE Rev. 2 sections, a fourth size class (small
mid-caps) and three extra fields. Dimension ``a`` averages yes/no indicators (1 point each,
weight 1), so a total is 100 × (yes answers among the indicators that apply) / (their number).
"""

from __future__ import annotations

import copy
import datetime as dt
import warnings
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import smesdk
from smesdk import AnswerError, Framework, SpecError
from smesdk.batch import check_columns, compile_plan, input_schema, row_to_data, score_batch
from smesdk.batch.answer_rows import answer_set_row
from smesdk.batch.engines import score_chunk
from smesdk.batch.readers import Chunk
from smesdk.batch.stats import Industries, peer_stats
from smesdk.batch.synthetic import synthetic_batch
from smesdk.docs.framework_page import framework_page
from smesdk.enterprise import industries, size_classes
from smesdk.loading import spec_from_data
from smesdk.questionnaire import read_questionnaire, write_questionnaire
from smesdk.testing.strategies import answer_sets

T = {"zh": "题", "en": "q"}


def ind(iid: str, **kw: Any) -> dict[str, Any]:
    return {"id": iid, "title": {"zh": f"题{iid}", "en": f"q {iid}"}, "question": T,
            "kind": "yesno", "source": {"doc": "d", "clause": iid}, "status": "derived", **kw}


SPEC: dict[str, Any] = {
    "id": "eu", "version": "1.0", "title": T, "description": T,
    "source": {"id": "d", "title": T, "issuer": T},
    "enterprise": {
        "sizes": [{"id": "micro"}, {"id": "small"}, {"id": "medium"},
                  {"id": "small-mid-cap", "title": {"zh": "小型中等市值企业",
                                                    "en": "small mid-cap"}}],
        "industries": "nace2",
        "fields": {
            "employees": {"title": {"zh": "员工人数", "en": "employees"}, "kind": "number"},
            "listed": {"title": {"zh": "是否上市", "en": "listed"}, "kind": "yesno"},
            "nuts2": {"title": {"zh": "NUTS 2 地区", "en": "NUTS 2 region"}, "kind": "text"},
        },
    },
    "dimensions": [{"id": "a", "title": {"zh": "维甲", "en": "dim a"}, "indicators": [
        ind("p"),
        ind("big", applies_to={"sizes": ["medium", "small-mid-cap"]}),
        ind("mfg", applies_to={"industries": ["C"]}),
        ind("staff", applies_to={"fields": {"employees": {"ge": 50}}}),
        ind("exchange", applies_to={"fields": {"listed": {"eq": True}}}),
    ]}],
}
DATE = "2026-06-30"
# Enterprise 1: a small mid-cap manufacturer with 250 staff, not listed. p, big, mfg and staff
# apply (exchange does not): yes, no, yes, yes -> 3 / 4 = 75.
ONE = {"enterprise": {"name": "E1", "size": "small-mid-cap", "industry": "C",
                      "fields": {"employees": 250, "listed": False, "nuts2": "DE11"}},
       "date": DATE, "answers": {"a.p": True, "a.big": False, "a.mfg": True, "a.staff": True}}
# Enterprise 2: a listed micro firm in information and communication with 9 staff. p and
# exchange apply: no, yes -> 1 / 2 = 50.
TWO = {"enterprise": {"name": "E2", "size": "micro", "industry": "J",
                      "fields": {"employees": 9, "listed": True}},
       "date": DATE, "answers": {"a.p": False, "a.exchange": True}}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return Framework.from_spec(spec_from_data(SPEC))


def test_declared_sizes_and_classification(fw: Framework) -> None:
    assert list(size_classes(fw.spec)) == ["micro", "small", "medium", "small-mid-cap"]
    assert size_classes(fw.spec)["micro"].en == "micro enterprise"  # the core's name
    assert industries(fw.spec).name("c") == industries(fw.spec).names["C"]
    assert industries(fw.spec).names["C"].en == "Manufacturing"


def test_applicability_by_size_industry_and_fields(fw: Framework) -> None:
    one = fw.assess(smesdk.answers_from_data(ONE))
    assert one.total == D(75)
    assert one.indicator("a.exchange").status == "not_applicable"
    two = fw.assess(smesdk.answers_from_data(TWO))
    assert two.total == D(50)
    assert [i.id for i in two.indicators if i.status == "not_applicable"] == \
        ["a.big", "a.mfg", "a.staff"]


def _rows(*cases: dict[str, Any], text: bool = False) -> pa.RecordBatch:
    """Input rows of the cases; ``text``: enterprise fields as text cells (as CSV reads them)."""
    rows = []
    for k, case in enumerate(cases):
        ent = case["enterprise"]
        row: dict[str, Any] = {"enterprise_id": f"e{k}", "size": ent["size"],
                               "industry": ent["industry"],
                               "date": dt.date.fromisoformat(case["date"])}
        row.update({f"enterprise.{name}": str(v) if text else v
                    for name, v in ent.get("fields", {}).items()})
        row.update(case["answers"])
        rows.append(row)
    names = list(dict.fromkeys(n for r in rows for n in r))
    schema = input_schema(Framework.from_spec(spec_from_data(SPEC)))
    return pa.RecordBatch.from_pylist(rows, schema=pa.schema(
        [pa.field(n, pa.string()) if text and n.startswith("enterprise.") else schema.field(n)
         for n in names]))


def test_batch_equals_per_record(fw: Framework) -> None:
    plan = compile_plan(fw)
    assert plan.compiled is not None  # fields do not send a framework per record
    for text in (False, True):  # fields as typed columns, and as text cells (as CSV has them)
        out = score_batch(plan, _rows(ONE, TWO, text=text)).to_pylist()
        assert [r["ok"] for r in out] == [True, True]
        assert [D(str(r["total"])) for r in out] == [D(75), D(50)]
    assert plan.per_record_rows == 0  # the compiled path scored them


def test_bad_enterprise_reported_with_locations_at_once(fw: Framework) -> None:
    bad = copy.deepcopy(ONE)
    bad["enterprise"].update(size="huge", industry="18")  # a CNCA code in a NACE framework
    bad["enterprise"]["fields"] = {"employees": "many", "turnover": 5}
    with pytest.raises(AnswerError) as err:
        fw.assess(smesdk.answers_from_data(bad))
    got = {(p.path, p.message.split(" (")[0]) for p in err.value.problems}
    assert got == {
        ("enterprise.size", "unknown size class 'huge'"),
        ("enterprise.industry", "'18' is not a code of the NACE Rev. 2 sections"),
        ("enterprise.fields.employees", "expected a number, got 'many'"),
        ("enterprise.fields.turnover", "unknown enterprise field"),
        ("enterprise.fields.listed", "missing: it decides which indicators apply: a.exchange"),
    }
    # an undeclared field written beside the core ones is refused when the file is read
    flat = copy.deepcopy(TWO)
    flat["enterprise"]["employees"] = 9
    with pytest.raises(AnswerError) as err:
        smesdk.answers_from_data(flat)
    assert [p.path for p in err.value.problems] == ["enterprise"]
    assert "employees" in err.value.problems[0].message


def test_a_field_deciding_applicability_must_be_given(fw: Framework) -> None:
    missing = copy.deepcopy(TWO)
    del missing["enterprise"]["fields"]["employees"]
    with pytest.raises(AnswerError) as err:
        fw.assess(smesdk.answers_from_data(missing))
    assert [(p.path, p.message) for p in err.value.problems] == [
        ("enterprise.fields.employees", "missing: it decides which indicators apply: a.staff")]


def test_batch_rows_with_bad_enterprise_are_error_rows_naming_the_column(fw: Framework) -> None:
    bad = copy.deepcopy(TWO)
    bad["enterprise"]["industry"] = "18"
    bad["enterprise"]["fields"]["employees"] = "many"
    plan = compile_plan(fw)
    out = score_batch(plan, _rows(ONE, bad, text=True)).to_pylist()
    assert plan.per_record_rows == 1  # only the bad row: per record names its problems
    assert out[0]["ok"] and not out[1]["ok"]
    assert "industry: '18' is not a code of the NACE Rev. 2 sections" in out[1]["error"]
    assert "enterprise.employees: expected a number, got 'many'" in out[1]["error"]
    with pytest.raises(AnswerError) as err:
        check_columns(fw, ["enterprise_id", "enterprise.turnover"])
    assert [p.path for p in err.value.problems] == ["enterprise.turnover"]


def test_compiled_scorer_checks_industry_and_custom_sizes() -> None:
    # Without extra fields the compiled scorer runs; it must agree on sizes and codes.
    data = copy.deepcopy(SPEC)
    del data["enterprise"]["fields"]
    data["dimensions"][0]["indicators"] = data["dimensions"][0]["indicators"][:3]
    fw = Framework.from_spec(spec_from_data(data))
    one, two, bad = (copy.deepcopy(c) for c in (ONE, TWO, TWO))
    for case in (one, two, bad):
        del case["enterprise"]["fields"]
    del one["answers"]["a.staff"]
    two["answers"] = {"a.p": False}
    bad["enterprise"]["industry"] = "18"
    bad["answers"] = {"a.p": True}
    plan = compile_plan(fw)
    assert plan.compiled is not None
    out = score_batch(plan, _rows(one, two, bad)).to_pylist()
    # one: p, big, mfg apply: yes, no, yes -> 2/3 = 66.6667; two: p only: no -> 0.
    assert [r["ok"] for r in out] == [True, True, False]
    assert [D(str(r["total"])) for r in out[:2]] == [D("66.6667"), D(0)]
    for case, row in zip((one, two), out, strict=False):
        assert fw.assess(smesdk.answers_from_data(case)).total == D(str(row["total"]))
    assert "industry: '18' is not a code of the NACE Rev. 2 sections" in out[2]["error"]


def test_spec_problems_with_locations() -> None:
    bad = copy.deepcopy(SPEC)
    bad["enterprise"]["sizes"].append({"id": "giant"})
    rules = bad["dimensions"][0]["indicators"]
    rules[1]["applies_to"] = {"sizes": ["large"]}
    rules[2]["applies_to"] = {"industries": ["18", "c"]}
    rules[3]["applies_to"] = {"fields": {"turnover": {"ge": 1}, "employees": {"eq": 50}}}
    rules[4]["applies_to"] = {"fields": {"listed": {"ge": 1}}}
    with pytest.raises(SpecError) as err:
        Framework.from_spec(spec_from_data(bad))
    at = "dimensions[0].indicators"
    assert {p.path for p in err.value.problems} == {
        "enterprise.sizes[4].title", f"{at}[1].applies_to.sizes[0]",
        f"{at}[2].applies_to.industries[0]", f"{at}[2].applies_to.industries[1]",
        f"{at}[3].applies_to.fields.turnover", f"{at}[3].applies_to.fields.employees.eq",
        f"{at}[4].applies_to.fields.listed"}
    unknown = copy.deepcopy(SPEC)
    unknown["enterprise"]["industries"] = "isic4"
    with pytest.raises(SpecError) as err:
        Framework.from_spec(spec_from_data(unknown))
    assert [p.path for p in err.value.problems] == ["enterprise.industries"]


def test_a_plugin_brings_its_own_industry_list() -> None:
    data = copy.deepcopy(SPEC)
    data["enterprise"]["industries"] = "sectors"
    data["enterprise"]["industry_codes"] = {"C": {"zh": "制造", "en": "making"},
                                            "J": {"zh": "信息", "en": "information"}}
    fw = Framework.from_spec(spec_from_data(data))
    assert fw.assess(smesdk.answers_from_data(ONE)).total == D(75)
    assert industries(fw.spec).name("J").en == "information"


def test_the_official_frameworks_declare_nothing_and_keep_the_defaults() -> None:
    for fid in smesdk.default_host().framework_ids():
        spec = smesdk.load_framework(fid).spec
        assert spec.enterprise is None
        assert list(size_classes(spec)) == ["micro", "small", "medium"]
        assert industries(spec).id == "cnca" and len(industries(spec).names) == 39


def test_questionnaire_round_trip_with_sizes_and_fields(fw: Framework, tmp_path: Path) -> None:
    answers = smesdk.answers_from_data(ONE)
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="en", answers=answers)
    sheet = load_workbook(path).worksheets[0]
    shown = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, 30)}
    # names, not ids: the size class by its name, each field by its title
    assert shown["Size"] == "small mid-cap"
    hints = {sheet.cell(r, 1).value: sheet.cell(r, 3).value for r in range(1, 30)}
    assert hints["Size"] == "micro / small / medium / small mid-cap"
    assert hints["Industry category"] == "the NACE Rev. 2 sections: A, B, C … U"
    assert (shown["employees"], shown["listed"], shown["NUTS 2 region"]) == (250, False, "DE11")
    again = read_questionnaire(path, fw)
    assert again.enterprise == answers.enterprise
    assert fw.assess(again).total == D(75)


def test_questionnaire_reports_a_bad_field_at_its_cell(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="en", answers=smesdk.answers_from_data(ONE))
    wb = load_workbook(path)
    sheet = wb.worksheets[0]
    row = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "employees")
    industry = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Industry category")
    sheet.cell(row, 2).value = "many"
    sheet.cell(industry, 2).value = "18"
    wb.save(path)
    with pytest.raises(AnswerError) as err:
        read_questionnaire(path, fw)
    got = {(p.path, p.message.split(" (")[0]) for p in err.value.problems}
    assert got == {(f"{sheet.title}!B{row}", "expected a number, got 'many'"),
                   (f"{sheet.title}!B{industry}", "'18' is not a code of the NACE Rev. 2 sections")}


def test_answer_file_rows_carry_the_fields(fw: Framework) -> None:
    # A folder of answer files becomes batch rows: the fields travel as enterprise.<field>.
    answers = smesdk.answers_from_data(ONE)
    row = answer_set_row(answers, "e1")
    assert {k: v for k, v in row.items() if k.startswith("enterprise.")} == {
        "enterprise.employees": 250, "enterprise.listed": False, "enterprise.nuts2": "DE11"}
    back = smesdk.answers_from_data(row_to_data(row))
    assert back.enterprise.fields == answers.enterprise.fields
    assert fw.assess(back).total == D(75)


def test_results_carry_the_fields_and_stats_group_by_them(fw: Framework) -> None:
    # Four enterprises: E1 and E2 above, and copies with the industry written "c" and "C".
    third, fourth = copy.deepcopy(ONE), copy.deepcopy(TWO)
    third["enterprise"]["industry"] = "c"  # the same NACE section as "C"
    fourth["enterprise"]["industry"] = "C"
    fourth["answers"]["a.mfg"] = True  # applies now (section C)
    batch = _rows(ONE, TWO, third, fourth)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results, errors = score_chunk(compile_plan(fw), Chunk(0, 0, batch))
    assert errors.num_rows == 0
    table = pa.Table.from_batches([results])
    assert table.column("enterprise.listed").to_pylist() == ["false", "true", "false", "true"]
    # By a field: the two listed enterprises against the two others.
    by_listed = peer_stats(table, ["enterprise.listed"], min_cohort=1).cohorts.to_pylist()
    assert [(c["enterprise.listed"], c["members"]) for c in by_listed] == [("false", 2),
                                                                          ("true", 2)]
    nace = Industries(industries(fw.spec), "en")
    by_industry = peer_stats(table, ["industry"], min_cohort=1, industries=nace).cohorts
    assert [(c["industry"], c["industry_name"], c["members"])
            for c in by_industry.to_pylist()] == [("C", "Manufacturing", 3),
                                                   ("J", "Information and communication", 1)]


@given(data=st.data())
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
def test_the_test_kit_generates_enterprises_that_fit(fw: Framework, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(fw))
    assert answers.enterprise.size in size_classes(fw.spec)
    assert set(answers.enterprise.fields) == {"employees", "listed", "nuts2"}
    fw.assess(answers)  # raises if the enterprise did not fit


def test_synthetic_batches_fit_and_equal_per_record(fw: Framework) -> None:
    batch = synthetic_batch(fw, 40, seed=3)
    plan = compile_plan(fw)
    out = score_batch(plan, batch).to_pylist()
    assert plan.per_record_rows == 0
    assert all(r["ok"] for r in out), [r["error"] for r in out if not r["ok"]][:3]
    for row, got in zip(batch.to_pylist(), out, strict=True):
        expected = fw.assess(smesdk.answers_from_data(row_to_data(row)))
        assert D(str(got["total"])) == expected.total


def test_docs_page_shows_the_declarations(fw: Framework) -> None:
    page = framework_page(fw, "en")
    assert "| Size classes | `micro` micro enterprise (微型企业), `small` small enterprise " \
           "(小型企业), `medium` medium-sized enterprise (中型企业), `small-mid-cap` small " \
           "mid-cap (小型中等市值企业) |" in page
    assert "| Industry classification | `nace2` the NACE Rev. 2 sections |" in page
    assert "| Extra enterprise fields | `employees` employees (员工人数) (number) |" in page
    assert "applies to employees ≥ 50" in page
    assert "applies to listed = true" in page


def test_compiled_fields_agree_with_per_record_on_every_kind_of_cell(fw: Framework) -> None:
    # Every mix of field cells the kinds read or refuse, missing ones included, typed and as
    # text: each row's output equals per-record scoring, and only rows per record would
    # refuse go per record (they become error rows naming the field).
    import itertools

    from tests.batch.test_equality import check, expected

    employees = [None, 0, 49, 50, 50.5, "50", " 51 ", "many", True]
    listed = [None, True, False, "yes", "否", "maybe"]
    nuts2 = [None, "DE11", " ", 5]
    rows = []
    for i, (e, li, nu) in enumerate(itertools.product(employees, listed, nuts2)):
        row = {"enterprise_id": f"F{i}", "size": "small-mid-cap", "industry": "C",
               "date": DATE, "a.p": True, "a.big": False, "a.mfg": True, "a.staff": True,
               "a.exchange": False}
        for name, value in (("employees", e), ("listed", li), ("nuts2", nu)):
            if value is not None:
                row[f"enterprise.{name}"] = value
        rows.append(row)
    oks = [expected(fw, row)["ok"] for row in rows]
    assert 0 < sum(oks) < len(rows)  # both scored rows and error rows
    for typing in ("natural", "text", "coded"):
        assert check(fw, rows, typing) == 0, typing
