"""Report benchmark: rendering each official framework's first example as HTML and Markdown.

Run: `python benchmarks/report_bench.py`. Figures (median of repeated runs), not tests; the
first HTML render also compiles the Jinja2 template, reported separately.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import smesdk
from smesdk import Framework, Result
from smesdk.report import render_html, render_markdown

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ["management", "digital", "quality-brand", "iso9001"]


def _median_ms(render: Callable[..., str], result: Result, fw: Framework, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render(result, fw)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    first = True
    for plugin in PLUGINS:
        example = sorted((ROOT / "plugins" / plugin / "examples").glob("*.yaml"))[0]
        answers = smesdk.load_answers(example)
        fw = smesdk.load_framework(plugin, answers.profile)
        result = fw.assess(answers)
        if first:
            start = time.perf_counter()
            render_html(result, fw)
            print(f"first HTML render (template compile): {(time.perf_counter() - start) * 1000:.1f} ms")
            first = False
        html_ms = _median_ms(render_html, result, fw)
        md_ms = _median_ms(render_markdown, result, fw)
        size = len(render_html(result, fw).encode("utf-8"))
        print(f"{plugin:14} {len(result.indicators):3} indicators  html {html_ms:6.1f} ms "
              f"({size // 1024} KiB)  md {md_ms:5.1f} ms")


if __name__ == "__main__":
    main()
