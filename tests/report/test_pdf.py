"""The PDF report: fonts travel with smesdk and are embedded, Chinese is in the text layer,
no glyph is .notdef, the page count stays bounded, and rendering needs no system font.

The raster check runs poppler's pdftoppm (poppler-utils, installed by .ci/run) under a
fontconfig file that lists no fonts at all, and compares with the rendering under the
machine's own fonts: identical pixels mean nothing was substituted from the system.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

import smesdk
from smesdk.report import ReportError, render_pdf

ROOT = Path(__file__).parents[2]
DIGITAL = ROOT / "plugins/digital/examples/03_level2_blocked_by_scenes.yaml"


def _pdf(path: Path, lang: str = "zh", **kwargs: object) -> bytes:
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework(answers.framework, answers.profile)
    return render_pdf(fw.assess(answers), fw, lang=lang, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def digital_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "digital.pdf"
    path.write_bytes(_pdf(DIGITAL))
    return path


def _fonts(reader: PdfReader) -> dict[str, object]:
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def test_every_font_is_embedded(digital_pdf: Path) -> None:
    fonts = _fonts(PdfReader(digital_pdf))
    assert fonts
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")  # type: ignore[attr-defined]
        inner = descendants[0].get_object() if descendants else font
        descriptor = inner["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} not embedded"


def test_the_text_layer_holds_the_chinese_name_and_page_numbers(digital_pdf: Path) -> None:
    reader = PdfReader(digital_pdf)
    if shutil.which("pdftotext"):      # poppler: what a reader's copy and search see
        raw = subprocess.run(["pdftotext", str(digital_pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
    else:                              # pypdf interleaves NULs when decoding this font's text
        raw = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    text = "".join(raw.split())
    assert "示例智能装备有限公司" in text          # the example's enterprise name
    assert f"第1页/共{len(reader.pages)}页" in text and "sha256:" in text   # footer and stamp


def test_no_glyph_is_notdef(digital_pdf: Path) -> None:
    """fpdf2 writes Identity-H text: two bytes per glyph id; id 0 is .notdef (a box)."""
    reader = PdfReader(digital_pdf)
    ids: set[int] = set()
    for page in reader.pages:
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tj":
                strings = [operands[0]]
            elif op == b"TJ":
                strings = [o for o in operands[0] if isinstance(o, bytes | str)]
            else:
                continue
            for s in strings:
                raw = s if isinstance(s, bytes) else s.get_original_bytes()
                ids |= {int.from_bytes(raw[k:k + 2], "big") for k in range(0, len(raw), 2)}
    assert ids and 0 not in ids


def test_the_digital_example_fits_ten_pages(digital_pdf: Path) -> None:
    assert 2 <= len(PdfReader(digital_pdf).pages) <= 10


def test_a_character_beyond_the_font_is_refused_with_a_message(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(DIGITAL.read_text(encoding="utf-8"))
    data["enterprise"]["name"] = "𠀀记有限公司"          # CJK Extension B: not in GB 2312
    answers = smesdk.answers_from_data(data, "yaml")
    fw = smesdk.load_framework("digital", answers.profile)
    with pytest.raises(ReportError, match="no glyph for '𠀀'"):
        render_pdf(fw.assess(answers), fw)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_rendering_needs_no_system_font(digital_pdf: Path, tmp_path: Path) -> None:
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                     f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>",
                     encoding="utf-8")

    def raster(env: dict[str, str], stem: str) -> bytes:
        subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(digital_pdf),
                        str(tmp_path / stem)], check=True, env=env, capture_output=True)
        return b"".join(p.read_bytes() for p in sorted(tmp_path.glob(f"{stem}*.png")))

    bare = {**os.environ, "FONTCONFIG_FILE": str(empty)}
    listed = subprocess.run(["fc-list"], env=bare, capture_output=True, text=True)
    assert listed.stdout.strip() == "" or listed.returncode != 0   # truly no fonts
    assert raster(bare, "bare") == raster(dict(os.environ), "system")


def test_the_command_writes_a_pdf(tmp_path: Path) -> None:
    from smesdk.testing.cli import invoke

    out = tmp_path / "report.pdf"
    code, output = invoke("report", "management",
                          str(ROOT / "plugins/management/examples/micro_workshop.yaml"),
                          "-o", str(out), "--lang", "en")
    assert code == 0, output
    assert out.read_bytes().startswith(b"%PDF-") and "(pdf," in output


def test_radar_outlines_are_drawn_over_the_filled_result() -> None:
    # The earlier assessment (orange) and the target (green) are outlines; drawn before the
    # result's opaque fill they were hidden under it. They must come after it, one dashed and
    # one dotted (the legend's "- - -" and "···"), so they differ without colour too.
    from io import BytesIO

    from .conftest import ANSWERS, earlier_answers

    fw = smesdk.load_framework("example")
    now, before = fw.assess(smesdk.load_answers(ANSWERS)), fw.assess(earlier_answers())
    reader = PdfReader(BytesIO(render_pdf(now, fw, lang="zh", compare=before, target="advanced")))
    ops = [(op, args) for args, op in ContentStream(reader.pages[0].get_contents(), reader).operations]
    names = [op for op, _ in ops]
    # the filled result: the only closed path painted with fill and stroke ("h B")
    fill = next(k for k in range(len(names) - 1) if names[k:k + 2] == [b"h", b"B"])
    orange, green = [0.851, 0.4667, 0.0235], [0.0157, 0.4706, 0.3412]   # 217,119,6 and 4,120,87
    colour = {k: [round(float(v), 4) for v in args] for k, (op, args) in enumerate(ops) if op == b"RG"}
    at = {name: next(k for k, c in colour.items() if c == rgb) for name, rgb in
          (("earlier", orange), ("target", green))}
    assert fill < at["earlier"] and fill < at["target"]
    dashes = [tuple(float(v) for v in ops[k + 1][1][0]) for k in at.values()]
    assert ops[at["earlier"] + 1][0] == ops[at["target"] + 1][0] == b"d"
    assert dashes[0] != dashes[1] and all(dashes)


NEEDS_PDFTOTEXT = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs poppler's pdftotext")


def _text(pdf: bytes, tmp_path: Path, *options: str) -> str:
    """What poppler's pdftotext reads from ``pdf`` (pages apart by form feeds)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _digital_text(tmp_path: Path, *options: str, lang: str = "zh", **kwargs: object) -> str:
    """pdftotext of the digital firm now (example 3), kwargs given the earlier result as
    ``compare=True`` or the plan to level 3 as ``plan=True``."""
    from .conftest import digital_pair

    fw, before, now = digital_pair()
    if kwargs.pop("compare", False):
        kwargs["compare"] = before
    if kwargs.pop("plan", False):
        kwargs["plan"] = now.plan_to("l3")
    return _text(render_pdf(now, fw, lang=lang, **kwargs), tmp_path, *options)  # type: ignore[arg-type]


@NEEDS_PDFTOTEXT
def test_chinese_paragraphs_break_where_a_reader_expects(tmp_path: Path) -> None:
    # quality-brand's advice lines end in "(总分 +2.50)" and "（专项行动三（五））": fpdf2's
    # character wrap broke them inside a figure ("+2.5" / "0)") and put "）" at a line's start.
    text = _text(_pdf(ROOT / "plugins/quality-brand/examples/expired-certificate.yaml"), tmp_path)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    figure = re.compile(r"[+-]?\d+(?:\.\d+)?")
    assert len(re.findall(r"\+\d+\.\d\d\)", text)) > 20     # the gains are there
    whole = [m for ln in lines for m in figure.findall(ln)]
    assert whole == figure.findall(" ".join(lines)), "a figure was broken across lines"
    assert [ln for ln in lines if ln[0] in "）》」』】〕、。，；：！？)]},.;:!?"] == []


@NEEDS_PDFTOTEXT
def test_short_cells_of_a_fitted_table_stay_whole(tmp_path: Path) -> None:
    # The plan's steps: columns sized by their longest word were one hanzi wide, so
    # "工艺设计" read "工艺设" / "计", the header "总分增减" one character a line, "官方" split.
    text = _digital_text(tmp_path, plan=True)
    start = text.index("改进步骤")
    steps = text[start:text.index("业务场景等级", start)]   # the steps table alone
    lines = [ln.strip() for ln in steps.splitlines()]
    for word in ("工艺设计", "售后服务", "总分增减", "官方"):
        assert any(word in ln for ln in lines), word


@NEEDS_PDFTOTEXT
def test_a_short_table_is_not_split_across_pages(tmp_path: Path) -> None:
    # With an earlier assessment and a target the radar and its legend leave room at the
    # foot of page 1 for the dimension table's header and one row; the other four went on
    # page 2. Its five rows (foundation 35.15 / 50.00 ... resources 5.44 / 9.00) share a page.
    pages = _digital_text(tmp_path, compare=True, target="l3").split("\f")

    def page_of(text: str) -> int:
        return next(k for k, page in enumerate(pages) if text in page)

    assert page_of("35.15 / 50.00") == page_of("5.44 / 9.00")


@NEEDS_PDFTOTEXT
def test_the_dimension_table_shows_the_change_as_the_html_does(tmp_path: Path) -> None:
    # Digital foundation: 35.15 / 50 = 70.3 % now, 17.25 / 50 = 34.5 % a year earlier
    # (example 2's hand computation): +35.80, in a "变化" column beside the earlier score.
    text = _digital_text(tmp_path, "-layout", compare=True)
    row = next(ln for ln in text.splitlines() if "35.15 / 50.00" in ln)
    assert row.split()[-2:] == ["34.5", "+35.80"]


@NEEDS_PDFTOTEXT
def test_dimension_table_headings_keep_their_words(tmp_path: Path) -> None:
    # Seven columns with the earlier score, the change and the target: at fixed shares
    # "Earlier assessment" printed as "assessme" / "nt".
    text = _digital_text(tmp_path, lang="en", compare=True, target="l3")
    words = set(text.split())
    assert {"Earlier", "assessment", "Change", "Target"} <= words
    assert "assessme" not in words


def test_a_firm_name_longer_than_a_page_is_cut_not_fatal() -> None:
    # fpdf2 cannot draw a table row taller than a page: a 5,000-character name raised
    # ValueError ("too high ... on a single page"), a traceback in the CLI, a 500 over HTTP.
    answers = smesdk.load_answers(DIGITAL)
    # 300,000 characters: the text was broken into lines whole (12 s) and kept in full in the
    # document's metadata.
    answers = attrs.evolve(answers, enterprise=attrs.evolve(answers.enterprise,
                                                            name="某" * 300_000))
    fw = smesdk.load_framework(answers.framework, answers.profile)
    reader = PdfReader(io.BytesIO(render_pdf(fw.assess(answers), fw, lang="zh")))
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert "…" in text  # the title and the profile's cell, each cut where it would not fit
    assert text.count("某") < 5000
    assert reader.metadata is not None and len(reader.metadata.title or "") <= 401


@NEEDS_PDFTOTEXT
def test_the_score_line_does_not_say_level_twice(tmp_path: Path) -> None:
    text = _text(_pdf(ROOT / "plugins/management/examples/zjtx_midsize.yaml", "en"), tmp_path)
    assert "Total 78.63 / 100 · Level 4 — Optimising (derived)" in text
    # The ladder's ranges ("90+", "75–90") are of the total: the column said "Points /
    # maximum", as the dimension table's does.
    ladder = text[text.index("Level 4 — Optimising (derived)"):text.index("Level 5 — Leading")]
    assert "Total range" in ladder and "Points / maximum" not in ladder
