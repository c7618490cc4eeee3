"""The fact vocabulary: docs/facts.md is current, the installed frameworks agree on every
shared fact, and a framework that disagrees on a type, unit or options is refused."""

from __future__ import annotations

from pathlib import Path

import attrs
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.docs.facts_page import facts_page
from smesdk.docs.generate import documented_frameworks
from smesdk.facts import disagreements, vocabulary
from smesdk.text import Text

ROOT = Path(__file__).resolve().parents[1]


def _installed() -> list[smesdk.Framework]:
    host = smesdk.default_host()
    return [host.load_framework(f) for f in documented_frameworks(host)]


def test_facts_page_is_current() -> None:
    page = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    assert page == facts_page(_installed()), "docs/facts.md is stale: run `smesdk docs --all docs`"


def test_the_installed_frameworks_agree_on_every_fact() -> None:
    facts, problems = vocabulary(_installed())
    assert problems == []
    by_key = {f.key: f for f in facts}
    # The two links of 专精特新 to other frameworks: read by zjtx, exported by another.
    assert by_key["digital.level"].exported_by == ("digital",)
    assert ("zjtx", "refinement.digital") in by_key["digital.level"].read_by
    assert by_key["zjtx.quality_management_points"].exported_by == ("quality-brand",)
    assert by_key["zjtx.quality_management_points"].shape.values == (0, 3, 5)
    # One answer, three tiers: the R&D share is read by all of them, as a percentage.
    rd = by_key["finance.rd_share"]
    assert {fw for fw, _ in rd.read_by} == {"innovative-sme", "zjtx", "little-giant"}
    assert rd.shape.type == "number" and rd.shape.unit == Text(zh="%", en="%")


def _with_fact(fid: str, iid: str, **changes: object) -> smesdk.Framework:
    """A copy of an installed framework (under a new id) with one indicator changed."""
    fw = smesdk.load_framework(fid)
    spec = fw.base

    def patch(dims: list) -> list:  # type: ignore[type-arg]
        out = []
        for dim in dims:
            inds = [attrs.evolve(i, **changes) if f"{dim.id}.{i.id}".endswith(iid) else i
                    for i in dim.indicators]
            out.append(attrs.evolve(dim, indicators=inds, dimensions=patch(dim.dimensions)))
        return out

    return smesdk.Framework.from_spec(attrs.evolve(spec, id="clash", dimensions=patch(
        spec.dimensions)), registry=fw.registry)


def test_a_different_unit_is_a_disagreement() -> None:
    # management reads finance.net_profit_margin in %; a framework reading it in 万元 clashes.
    clash = _with_fact("zjtx", "refinement.net_margin", unit=Text(zh="万元", en="10k yuan"))
    problems = disagreements(clash, _installed())
    assert [p.path for p in problems] == ["facts.finance.net_profit_margin"]
    assert "management" in problems[0].message and "10k yuan" in problems[0].message


def test_different_options_are_a_disagreement() -> None:
    fw = smesdk.load_framework("zjtx")
    ind = fw.indicator("innovation.ip")
    clash = _with_fact("zjtx", "innovation.ip", options=ind.options[1:])
    problems = disagreements(clash, _installed())
    assert [p.path for p in problems] == ["facts.ip.main_product"]


def test_validate_refuses_a_spec_that_clashes(tmp_path: Path) -> None:
    folder = ROOT / "examples" / "plugins" / "smesdk-example" / "src" / "smesdk_example"
    source = next(folder.glob("*.yaml")).read_text(encoding="utf-8").replace(
        "id: example\n", "id: example-copy\n", 1)
    assert "fact: cert.iso9001.valid" in source
    fine, clash = tmp_path / "fine.yaml", tmp_path / "clash.yaml"
    fine.write_text(source, encoding="utf-8")
    # A yes/no question reading the net profit margin, which management reads as a number in %.
    clash.write_text(source.replace("fact: cert.iso9001.valid", "fact: finance.net_profit_margin"),
                     encoding="utf-8")
    ok = CliRunner().invoke(cli, ["validate", str(fine)], prog_name="smesdk")
    assert ok.exit_code == 0 and "ok: framework example-copy" in ok.output
    bad = CliRunner().invoke(cli, ["validate", str(clash)], prog_name="smesdk")
    assert bad.exit_code == 1, bad.output
    assert "facts.finance.net_profit_margin" in bad.output and "management" in bad.output
    assert "boolean" in bad.output and "Traceback" not in bad.output
