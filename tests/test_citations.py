"""Several citations per node, each with its role, and source documents with their address.

The framework below is small on purpose: one indicator whose question comes from one
document and whose scoring from another, read by every surface that shows citations.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import smesdk
from smesdk import Framework, SpecError
from smesdk.convert import dumps_json, unstructure
from smesdk.docs.framework_page import framework_page
from smesdk.explain import indicator_trace
from smesdk.loading import spec_from_data
from smesdk.report import render_html, render_markdown
from smesdk.spec import Citation, Citations

T = {"zh": "题", "en": "q"}
TWO = [{"doc": "dma", "clause": "Q4", "role": "question"},
       {"doc": "jrc", "clause": "Annex 1, table 3", "role": "scoring"}]
SPEC: dict[str, Any] = {
    "id": "cites", "version": "1.0", "title": T, "description": T,
    "source": {"id": "dma", "title": {"zh": "数字成熟度评估", "en": "Digital Maturity Assessment"},
               "issuer": {"zh": "欧盟委员会", "en": "European Commission"}, "date": "2023-05-01",
               "url": "https://example.eu/dma.pdf"},
    "references": [{"id": "jrc", "title": {"zh": "评分方法", "en": "Scoring method"},
                    "issuer": {"zh": "联合研究中心", "en": "Joint Research Centre"}}],
    "dimensions": [{
        "id": "a", "title": {"zh": "维甲", "en": "dim a"},
        "source": {"doc": "dma", "clause": "Module 2"},
        "indicators": [
            {"id": "x", "title": {"zh": "题x", "en": "q x"}, "question": T, "kind": "yesno",
             "source": TWO, "status": "derived"},
            {"id": "y", "title": {"zh": "题y", "en": "q y"}, "question": T, "kind": "yesno",
             "source": {"doc": "dma", "clause": "Q5"}, "status": "derived"}]}],
}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return Framework.from_spec(spec_from_data(SPEC))


def test_one_form_inside_and_the_primary_citation(fw: Framework) -> None:
    x, y = fw.indicator("a.x"), fw.indicator("a.y")
    assert isinstance(x.source, Citations) and isinstance(y.source, Citations)
    assert [(c.doc, c.role) for c in x.source] == [("dma", "question"), ("jrc", "scoring")]
    assert x.source.primary == Citation("dma", "Q4", role="question")  # the first listed
    assert y.source == (Citation("dma", "Q5"),)
    # Built in code, one citation is accepted as it always was.
    assert Citations((Citation("d", "1"),)) == smesdk.spec.as_citations(Citation("d", "1"))


def test_written_back_the_way_it_came(fw: Framework) -> None:
    data = unstructure(fw.spec)
    inds = data["dimensions"][0]["indicators"]
    assert inds[0]["source"] == [{"standard": None, "note": None, **c} for c in TWO]
    assert inds[1]["source"] == {"doc": "dma", "clause": "Q5", "standard": None, "note": None}
    assert data["source"]["url"] == "https://example.eu/dma.pdf"
    assert "url" not in data["references"][0]  # unset: left out, so old specs keep their hash
    again = spec_from_data(json.loads(dumps_json(fw.spec)))
    assert again == fw.spec


def test_result_and_explain_carry_every_citation(fw: Framework) -> None:
    answers = smesdk.answers_from_data({"enterprise": {"name": "E", "size": "small"},
                                        "date": "2026-06-30",
                                        "answers": {"a.x": True, "a.y": False}})
    result = fw.assess(answers)
    item = result.indicator("a.x")
    assert [c.clause for c in item.source] == ["Q4", "Annex 1, table 3"]
    assert indicator_trace(item).splitlines()[0] == \
        "a.x [question: dma Q4; scoring: jrc Annex 1, table 3]"
    assert indicator_trace(item, "zh").splitlines()[0] == \
        "a.x [题目：dma Q4; 评分：jrc Annex 1, table 3]"
    # one citation without a role reads as before
    assert indicator_trace(result.indicator("a.y")).splitlines()[0] == "a.y [dma Q5]"

    md = render_markdown(result, fw, lang="en")
    assert "question: *Digital Maturity Assessment* Q4; scoring: *Scoring method* " \
           "Annex 1, table 3" in md
    # the sources list: title, publisher (issuer), date, address
    assert "| Digital Maturity Assessment, European Commission, 2023-05-01, " \
           "<https://example.eu/dma.pdf> |" in md
    html = render_html(result, fw, lang="en")
    assert '<a href="https://example.eu/dma.pdf">' in html
    assert "scoring:" in html


def test_docs_page_lists_roles_and_address(fw: Framework) -> None:
    page = framework_page(fw, "en")
    assert "question: dma Q4; scoring: jrc Annex 1, table 3" in page
    assert "<https://example.eu/dma.pdf>" in page


def test_every_citation_problem_at_once_with_its_path() -> None:
    bad = copy.deepcopy(SPEC)
    bad["references"][0]["url"] = "file:///etc/passwd"
    ind = bad["dimensions"][0]["indicators"][0]
    ind["source"] = [{"doc": "dma", "clause": "Q4"},
                     {"doc": "nowhere", "clause": " ", "role": "scoring"}]
    bad["dimensions"][0]["indicators"][1]["source"] = []
    with pytest.raises(SpecError) as err:
        Framework.from_spec(spec_from_data(bad))
    got = {(p.path, p.message.split(" (")[0].split(",")[0]) for p in err.value.problems}
    base = "dimensions[0].indicators"
    assert got == {
        ("references[0].url", "'file:///etc/passwd' is not a web address"),
        (f"{base}[0].source[0].role", "each of several citations needs its role"),
        (f"{base}[1].source", "an indicator needs at least one citation"),
        (f"{base}[0].source[1].doc", "cites document 'nowhere'"),
        (f"{base}[0].source[1].clause", "a citation needs its clause"),
    }


def test_unknown_role_is_refused_at_reading() -> None:
    bad = copy.deepcopy(SPEC)
    bad["dimensions"][0]["indicators"][0]["source"][1]["role"] = "inspiration"
    with pytest.raises(SpecError) as err:
        spec_from_data(bad)
    assert [p.path for p in err.value.problems] == \
        ["dimensions[0].indicators[0].source[1].role"]
