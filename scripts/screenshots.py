"""Regenerate docs/images/report-<framework>.png and report-<framework>-sections.png: each
official framework's first example, rendered as an HTML report (zh) and photographed in
Debian's headless Chromium.

    .venv/bin/pip install playwright      # the Python package only: the browser is /usr/bin/chromium
    .venv/bin/python scripts/screenshots.py [--lang zh|en] [--out docs/images]

The first picture runs from the top of the report to the end of the dimension table (profile,
status legend, level ladder, radar); the second shows the plugin's typed sections (at most
1,600 px of them). Never runs `playwright install`; no network is needed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import smesdk
from smesdk.report import render_html

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ["management", "digital", "quality-brand", "iso9001"]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 800})
        for plugin in PLUGINS:
            example = sorted((ROOT / "plugins" / plugin / "examples").glob("*.yaml"))[0]
            answers = smesdk.load_answers(example)
            fw = smesdk.load_framework(plugin, answers.profile)
            html = Path(tmp) / f"{plugin}.html"
            html.write_text(render_html(fw.assess(answers), fw, lang=args.lang), encoding="utf-8")
            page.goto(html.as_uri())
            bottom = page.evaluate(
                "document.querySelector('.dimension-table').getBoundingClientRect().bottom + scrollY")
            shot = args.out / f"report-{plugin}.png"
            page.screenshot(path=str(shot), full_page=True,
                            clip={"x": 0, "y": 0, "width": 900, "height": bottom + 16})
            print(f"{shot}: {example.relative_to(ROOT)}, {shot.stat().st_size} bytes")
            box = page.evaluate("(() => { const b = document.querySelector('#analysis')"
                                ".getBoundingClientRect(); return [b.top + scrollY, b.height]; })()")
            shot = args.out / f"report-{plugin}-sections.png"
            page.screenshot(path=str(shot), full_page=True,
                            clip={"x": 0, "y": box[0] - 8, "width": 900, "height": min(box[1], 1600) + 16})
            print(f"{shot}: {shot.stat().st_size} bytes")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
