"""Names, not codes: sets by their titles in blockers, enterprise fields by label, answers by
option label; an unknown set title is refused."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import smesdk
from smesdk.errors import SpecError
from smesdk.report import render_markdown
from smesdk.text import Text

ROOT = Path(__file__).parents[2]


def test_blockers_name_sets_by_their_titles() -> None:
    answers = smesdk.load_answers(ROOT / "plugins/digital/examples/03_level2_blocked_by_scenes.yaml")
    fw = smesdk.load_framework("digital", answers.profile)
    result = fw.assess(answers)
    zh = render_markdown(result, fw, lang="zh")
    en = render_markdown(result, fw, lang="en")
    # 6 of the 16 scenes are at level 3 or above; level 3 asks for 8 (digital.yaml, level l3)
    assert "16个业务场景中至少 8 项等级 ≥ 3（当前 6 项" in zh and "「scenes」" not in zh
    assert "at least 8 of the 16 business scenes with level ≥ 3 (now 6" in en
    assert " of scenes with " not in en


def test_enterprise_fields_and_answers_by_label() -> None:
    answers = smesdk.load_answers(ROOT / "plugins/management/examples/zjtx_midsize.yaml")
    fw = smesdk.load_framework("management", answers.profile)
    md = render_markdown(fw.assess(answers), fw, lang="zh")
    # industry "18" is category 18 of the certification industry list; type zjtx; size medium
    assert "| 行业 | 机械及设备 |" in md and "| 企业类型 | 专精特新中小企业 |" in md
    assert "| 企业规模 | 中型企业 |" in md and "| 行业 | 18 |" not in md
    assert "zjtx" not in md.split("## 出处标记")[0]   # only the provenance stamp may name ids


def test_a_title_for_an_unknown_set_is_refused() -> None:
    spec = smesdk.load_framework("digital").base
    bad = attrs.evolve(spec, set_titles={**spec.set_titles, "scenez": Text(zh="错", en="typo")})
    with pytest.raises(SpecError, match=r"set_titles\.scenez: no set 'scenez'"):
        smesdk.Framework.from_spec(bad, registry=smesdk.load_framework("digital").registry)
