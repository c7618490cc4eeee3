"""Every shipped example of every official framework, as a reader sees it in Chromium: in
Chinese and English, at 1000 px and 360 px. Outside the technical-details block no raw
key/value dump and no dotted id or option code is visible, the status legend is there, and
every chart label renders at 10 px or more.

Uses the browser fixture and viewports of test_report_browser (Debian's chromium).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import smesdk
from smesdk.report import render_html
from tests.report.test_report_browser import NARROW, PLUGINS, ROOT, WIDE, browser  # noqa: F401

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium")

# The tiered plugin's three frameworks too (its examples name their framework).
EXAMPLES = [(plugin, path.name) for plugin in [*PLUGINS, "tiered"]
            for path in sorted((ROOT / "plugins" / plugin / "examples").glob("*.yaml"))]

# The text a reader sees: every <details> of the trace open, the technical parts hidden
# (they are for checking and integration, collapsed by default).
VISIBLE_TEXT_JS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.technical').forEach(el => { el.style.display = 'none'; });
  return document.body.innerText;
}"""

# Rendered size of each chart text: its font size times the SVG's scale on screen.
SMALLEST_LABEL_JS = """() => {
  let smallest = 1000, which = '';
  for (const svg of document.querySelectorAll('svg.chart')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < smallest) { smallest = px; which = t.textContent; }
    }
  }
  return [smallest, which];
}"""

# A dump looks like "snake_case_key: value" or a JSON brace; an id like a.b or a.b.c.
DUMP = re.compile(r"\b[a-z]+_[a-z_]+:\s|[{}]")
DOTTED = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*){1,}\b")


def _codes(fw: smesdk.Framework) -> re.Pattern[str]:
    """The framework's dotted ids and its option codes that are not plain words."""
    ids = {nid for nid in fw.nodes if "." in nid}
    codes = {o.value for node in fw.nodes.values() if node.indicator is not None
             for o in node.indicator.options if "_" in o.value}
    words = sorted(ids | codes, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, words)) + r")(?![\w.])")


@pytest.mark.parametrize(("plugin", "example"), EXAMPLES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reader_sees_names_statuses_and_readable_charts(browser: Any, plugin: str, example: str,  # noqa: F811
                                                          lang: str, tmp_path: Path) -> None:
    answers = smesdk.load_answers(ROOT / "plugins" / plugin / "examples" / example)
    fw = smesdk.load_framework(answers.framework, answers.profile)
    path = tmp_path / "report.html"
    path.write_text(render_html(fw.assess(answers), fw, lang=lang), encoding="utf-8")  # type: ignore[arg-type]
    codes = _codes(fw)
    page = browser.new_page(viewport=WIDE)
    try:
        page.goto(path.as_uri())
        for viewport in (WIDE, NARROW):
            page.set_viewport_size(viewport)
            smallest, which = page.evaluate(SMALLEST_LABEL_JS)
            assert smallest >= 9.95, f"chart label {which!r} renders at {smallest:.1f} px"
        assert page.locator(".status-legend").is_visible()
        text = page.evaluate(VISIBLE_TEXT_JS)
        assert not DUMP.findall(text), DUMP.findall(text)[:5]
        assert not codes.findall(text), sorted(set(codes.findall(text)))[:10]
        dotted = [m for m in DOTTED.findall(text) if m not in ("e.g", "i.e")]
        assert not dotted, dotted[:10]
    finally:
        page.close()
