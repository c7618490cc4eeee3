"""The service vocabulary: coverage of 二（二）, known tags everywhere, the plugin hook."""

from __future__ import annotations

import pytest

import smesdk
from smesdk import Citation, PluginHost, Text, hookimpl
from smesdk.services import Service, ServiceArea, core_vocabulary
from smesdk.services.match import indicator_services, tag_problems

OFFICIAL = ("management", "digital", "quality-brand", "iso9001", "innovative-sme", "zjtx",
            "little-giant")
#: The seven service priorities of seed 002 二（二）, in the document's order.
AREAS_OF_002 = ["法律政策宣贯落实", "优质企业梯度培育", "链式融通创新", "融资融智促进",
                "质量标准品牌提升", "国际交流合作", "合法权益保护"]


def test_the_areas_are_those_of_002_section_2_2():
    vocab = core_vocabulary()
    assert [a.title.zh for a in vocab.areas] == AREAS_OF_002
    assert {(a.source.doc, a.source.clause) for a in vocab.areas} == {("002", "二（二）")}


def test_every_area_reaches_an_indicator_of_an_official_framework_or_says_why():
    vocab = smesdk.default_host().vocabulary()
    tagged: set[str] = set()
    for fid in OFFICIAL:
        fw = smesdk.load_framework(fid)
        for services in indicator_services(fw).values():
            tagged.update(vocab.service(s).area for s in services)
    missing = [a.id for a in vocab.areas if a.id not in tagged and a.uncovered is None]
    assert missing == []


@pytest.mark.parametrize("fid", smesdk.default_host().framework_ids())
def test_every_installed_framework_tags_only_known_services(fid):
    fw = smesdk.load_framework(fid)
    assert tag_problems(fw, smesdk.default_host().vocabulary()) == []


def test_the_services_the_other_guides_name_are_there():
    vocab = core_vocabulary()
    cited = {(s.source.doc, s.title.zh) for s in vocab.services}
    for doc, words in [("003", "检测券"), ("003", "标准化现场诊断"), ("003", "品牌"),
                       ("001", "诊断评估"), ("001", "人才培训"), ("001", "工程监理"),
                       ("001", "MES"), ("000", "管理诊断"), ("000", "管理咨询"),
                       ("000", "管理评价"), ("000", "培训")]:
        assert any(d == doc and words in title for d, title in cited), (doc, words)


def test_a_plugin_extends_the_vocabulary_and_a_taken_id_is_refused():
    class Adds:
        @hookimpl
        def smesdk_services(self, register):
            register(ServiceArea(id="green", title=Text(zh="绿色", en="Green"),
                                 source=Citation(doc="x", clause="1")))
            register(Service(id="green.audit", area="green", title=Text(zh="节能诊断", en="Audit"),
                             source=Citation(doc="x", clause="1")))

    class Clashes:
        @hookimpl
        def smesdk_services(self, register):
            register(Service(id="quality.brand", area="quality", title=Text(zh="品牌", en="B"),
                             source=Citation(doc="x", clause="1")))
            register(Service(id="odd.one", area="nowhere", title=Text(zh="无", en="None"),
                             source=Citation(doc="x", clause="1")))

    host = PluginHost(plugins=[("adds", Adds()), ("clashes", Clashes())], entry_points=False)
    vocab = host.vocabulary()
    assert vocab.service("green.audit").area == "green"
    assert vocab.order("green.audit") == len(core_vocabulary().services)
    messages = [f.message for f in host.failures if f.plugin == "clashes"]
    assert any("'quality.brand' is used twice" in m for m in messages)
    assert any("no service area 'nowhere'" in m for m in messages)
    assert "odd.one" not in vocab


def test_the_vocabulary_page_is_current():
    from pathlib import Path

    from smesdk.docs.generate import SERVICES_PAGE, documented_frameworks
    from smesdk.docs.services_page import services_page

    host = smesdk.default_host()
    page = (Path(__file__).parents[2] / "docs" / SERVICES_PAGE).read_text(encoding="utf-8")
    fresh = services_page(host.vocabulary(),
                          (host.load_framework(f) for f in documented_frameworks(host)))
    assert page == fresh, "docs/service-vocabulary.md is stale: run `smesdk docs --all docs`"
