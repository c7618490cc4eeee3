"""Geometry and escaping of the report's SVG charts, checked against figures worked by hand."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from smesdk.report import charts


def test_four_axis_vertices_by_hand() -> None:
    # Centre (150, 150), radius 100; axis 0 points up, the others clockwise (right, down, left).
    # 100 % up -> (150, 150 - 100); 50 % right -> (150 + 50, 150); 0 % -> the centre;
    # 25 % left -> (150 - 25, 150).
    got = charts.radar_vertices([D(100), D(50), D(0), D(25)], 150, 150, 100)
    assert got == [("150.00", "50.00"), ("200.00", "150.00"), ("150.00", "150.00"), ("125.00", "150.00")]


def test_three_axis_vertex_at_120_degrees() -> None:
    # Axis 1 of 3 lies at -90 + 120 = 30 degrees: (cos 30, sin 30) = (0.8660..., 0.5);
    # at 100 % and radius 100 from (0, 0): (86.60, 50.00).
    got = charts.radar_vertices([D(0), D(100), D(0)], 0, 0, 100)
    assert got[1] == ("86.60", "50.00")


def test_values_are_clamped_and_none_is_zero() -> None:
    got = charts.radar_vertices([D(150), None, D(-5), D(0)], 0, 0, 10)
    assert got == [("0.00", "-10.00"), ("0.00", "0.00"), ("0.00", "0.00"), ("0.00", "0.00")]


def _polygon_points(svg: str, series: str) -> list[str]:
    group = re.search(rf'<g class="series series-{series}"[^>]*>.*?<polygon points="([^"]*)"', svg, re.S)
    assert group is not None
    return group.group(1).split()


@pytest.mark.parametrize("n", [3, 5, 16])
def test_radar_has_one_vertex_per_axis(n: int) -> None:
    labels = [f"维度{i}" for i in range(n)]
    svg = charts.radar(labels, [charts.Series("now", [D(50)] * n, "current")], title="t")
    assert f'data-axes="{n}"' in svg
    assert len(_polygon_points(svg, "current")) == n
    assert svg.count('class="vertex"') == n
    assert svg.count('class="axis-label"') == n


def test_zero_scores_put_every_vertex_at_the_centre() -> None:
    # Labels get 12 columns plus 2 for hanging punctuation, 6.6 px each: the viewBox is
    # 2 * (90 + 8 + 14 * 6.6 + 4) = 388.8 wide and 2 * (90 + 8 + 3 * 14 + 4) = 288 high,
    # so the centre is (194.4, 144).
    svg = charts.radar(["a", "b", "c", "d"], [charts.Series("now", [D(0)] * 4, "current")], title="t")
    assert 'viewBox="0 0 388.80 288.00"' in svg
    assert _polygon_points(svg, "current") == ["194.40,144.00"] * 4


def test_second_series_is_drawn_under_the_result() -> None:
    svg = charts.radar(["a", "b", "c"], [charts.Series("now", [D(10)] * 3, "current"),
                                         charts.Series("then", [D(90)] * 3, "compare")], title="t")
    assert svg.index("series-compare") < svg.index("series-current")
    assert len(_polygon_points(svg, "compare")) == 3


def test_fewer_than_three_axes_is_refused() -> None:
    with pytest.raises(ValueError):
        charts.radar(["a", "b"], [charts.Series("now", [D(1), D(2)], "current")], title="t")


def test_long_label_is_cut_with_the_full_text_in_a_tooltip() -> None:
    long = "产品生命周期数字化与供应链协同管理能力"       # 19 wide characters = 38 columns
    lines, cut = charts.fit_label(long, 16, 2)
    # 16 columns hold 8 characters; the second line keeps 7 and the ellipsis.
    assert lines == ["产品生命周期数字", "化与供应链协同…"] and cut
    svg = charts.radar([long, "b", "c"], [charts.Series("now", [D(1)] * 3, "current")], title="t")
    assert f"<title>{long}</title>" in svg


def test_latin_labels_wrap_at_spaces() -> None:
    # "Product lifecycle" is 17 columns, so line 1 is "Product"; "lifecycle digitalisation" is 24,
    # so a third line would be needed: line 2 is cut and marked.
    assert charts.fit_label("Product lifecycle digitalisation", 16, 2) == (["Product", "lifecycle…"], True)
    assert charts.fit_label("Quality  system", 16, 2) == (["Quality system"], False)


def test_closing_punctuation_never_starts_a_line() -> None:
    # "转型资源（可行性" fills 16 columns; "）" hangs on it instead of opening line 2.
    assert charts.fit_label("转型资源（可行性）", 16, 2) == (["转型资源（可行性）"], False)
    # At most 2 columns hang; "）。" is 4, so "性" goes down with the marks (no line
    # starts with "。").
    assert charts.fit_label("转型资源（可行性）。", 16, 2) == (["转型资源（可行", "性）。"], False)


def test_wrap_keeps_figures_whole_and_ends_on_any_width() -> None:
    # 8 columns: "总分" (4) and "+2.50)" (6) cannot share a line; the figure is not split.
    assert charts.wrap("总分 +2.50)", 8) == ["总分", "+2.50)"]
    # Narrower than a character: one a line, and it ends.
    assert charts.wrap("一二 ab", 0.5) == ["一", "二", "a", "b"]


def test_opening_brackets_never_end_a_line() -> None:
    # "Management diagnosis (" would fill 22 of 24 columns; "(" goes down with "十".
    assert charts.fit_label("Management diagnosis (十一（一）)", 22, 3) == (
        ["Management diagnosis", "(十一（一）)"], False)
    # "十一（" fits 6 columns; "（" goes down with "一".
    assert charts.fit_label("十一（一）", 6, 2) == (["十一", "（一）"], False)


def test_a_clause_number_stays_whole() -> None:
    # The guides number clauses "十一（一）" and "四（三）": a line broke inside them
    # ("[000 十" / "一（一）]", "四" / "（三）") in `smesdk match` and the reports.
    # 20 columns: "consulting [000 " takes 16, "十一（一）]" 11 more; "· 9.5" follows it.
    assert charts.wrap("consulting [000 十一（一）] · 9.5 gap points", 20) == [
        "consulting [000", "十一（一）] · 9.5", "gap points"]
    # 28 columns: "四" would fit after "points, " (21 + 2), but not with "（三）)" after it.
    assert charts.wrap("roadmap (0.5 points, 四（三）); Means", 28) == [
        "roadmap (0.5 points,", "四（三）); Means"]


def test_closing_marks_after_a_wide_character_hang_together() -> None:
    # ")" and ";" follow the wide "）": they hang on the line, never open the next one.
    assert charts.fit_label("诊断（十一）); Management", 12, 2) == (
        ["诊断（十一）);", "Management"], False)


def test_a_word_as_long_as_the_line_is_not_split() -> None:
    assert charts.fit_label("Practices below target", 9, 3) == (
        ["Practices", "below", "target"], False)


def test_labels_are_escaped() -> None:
    svg = charts.radar(["<b>&x", "b", "c"], [charts.Series("<i>", [D(1)] * 3, "current")], title="<t>")
    assert "<b>" not in svg and "<i>" not in svg and "<t>" not in svg
    assert "&lt;b&gt;&amp;x" in svg


def test_bar_widths_by_hand() -> None:
    # The bar area is 150 wide for 0-100 %: 50 % -> 75, 12.5 % -> 18.75; no score -> no bar.
    svg = charts.bars([charts.Bar("top", D(50), 0), charts.Bar("sub", D("12.5"), 1),
                       charts.Bar("none", None, 1)], title="t")
    widths = re.findall(r'<rect class="bar"[^>]* width="([^"]+)"', svg)
    assert widths == ["75.00", "18.75"]
    assert svg.count('class="bar-row heading"') == 1


def _label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """Each axis label's box (left, top, right, bottom) in px: text 6.6 px a column, and each
    line from 10 px above its baseline (the cap height at 12 px) to 3 px below it."""
    boxes = []
    for anchor, body in re.findall(r'<text class="axis-label" text-anchor="(\w+)">(.*?)</text>', svg):
        spans = [(float(x), float(y), text) for x, y, text in
                 re.findall(r'<tspan x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</tspan>', body)]
        x = spans[0][0]
        w = max(charts.columns(text) for _, _, text in spans) * charts.COL_PX
        left = {"start": x, "end": x - w, "middle": x - w / 2}[anchor]
        boxes.append((left, min(y for _, y, _ in spans) - 10, left + w, max(y for _, y, _ in spans) + 3))
    return boxes


@pytest.mark.parametrize("n", range(3, 17))
def test_axis_labels_never_overlap(n: int) -> None:
    # Two full lines each ("Clause 10 Performance" wraps after "Clause 10"), and the value.
    labels = [f"Clause {i} Performance" for i in range(n)]
    svg = charts.radar(labels, [charts.Series("now", [D(50)] * n, "current")], title="t")
    boxes = _label_boxes(svg)
    assert len(boxes) == n
    for a in range(n):
        for b in range(a + 1, n):
            (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes[a], boxes[b]
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (a, b, boxes[a], boxes[b])


def _ring_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Each ring value's box, measured as the axis labels are (6.6 px a column, 10 px above
    the baseline, 3 below)."""
    return {text: (float(x), float(y) - 10, float(x) + charts.columns(text) * charts.COL_PX,
                   float(y) + 3)
            for x, y, text in re.findall(r'<text class="ring" x="([\d.]+)" y="([\d.]+)">(\d+)</text>', svg)}


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize("n", range(3, 17))
def test_ring_values_clear_every_vertex_and_axis_label(n: int) -> None:
    # A vertex sitting on a ring, on any axis (axis 0 holds them right below the ring values
    # when drawn on it): one series per score from 0 to 100 in steps of 5, every axis alike.
    labels = [f"维度{i} Performance" for i in range(n)]
    series = [charts.Series(f"s{v}", [D(v)] * n, "current") for v in range(0, 101, 5)]
    svg = charts.radar(labels, series, title="t")
    rings = _ring_boxes(svg)
    # Every ring is labelled where axis 1 leaves room (3 and 4 axes: it points sideways or
    # down); near the centre of a many-axis radar there is none, but the outer two always fit.
    assert sorted(rings, key=int) == (["20", "40", "60", "80", "100"] if n <= 4
                                      else [r for r in sorted(rings, key=int) if r != "20"])
    assert {"80", "100"} <= set(rings)
    vertices = [(float(x) - 3, float(y) - 3, float(x) + 3, float(y) + 3) for x, y in
                re.findall(r'<circle class="vertex" cx="([\d.]+)" cy="([\d.]+)" r="3.00"', svg)]
    assert len(vertices) == 21 * n
    for text, box in rings.items():
        for vertex in vertices:
            assert _apart(box, vertex), (text, box, vertex)
        for label in _label_boxes(svg):
            assert _apart(box, label), (text, box, label)


def test_ring_values_are_drawn_over_the_polygons() -> None:
    # Painted after the series (SVG paints in document order), so a polygon's line never
    # covers a ring value; the halo that keeps them legible is in the report's CSS.
    svg = charts.radar(["a", "b", "c"], [charts.Series("now", [D(80)] * 3, "current")], title="t")
    assert svg.rindex('class="series') < svg.index('<text class="ring"')
    css = (Path(charts.__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
    assert re.search(r"text\.ring \{[^}]*paint-order: stroke; stroke: #fff", css)


def test_a_hyphenated_word_breaks_after_its_hyphen() -> None:
    # "Decision-making" (15 columns) cannot fit 12: it breaks after "Decision-" (9), not
    # inside a word ("Decision-mak" / "ing"); "management" does not fit line 2 either: cut.
    assert charts.fit_label("Decision-making management", 12, 2) == (["Decision-", "making…"], True)
    # A date or a negative figure is not a hyphenated word.
    assert charts.wrap("2026-11-01 -5", 10) == ["2026-11-01", "-5"]


def test_bar_labels_wrap_to_a_second_line_before_they_are_cut() -> None:
    # "Clear strategic positioning" is 27 columns; a sub-dimension (indented 12 px, so
    # 22 - 1 = 21 columns) takes it on two lines, its row 22 + 14 = 36 px high, the next row
    # starting below it; the chart is 22 + 36 + 22 rows + 24 for the axis = 104 high.
    svg = charts.bars([charts.Bar("Strategic management", D(50), 0),
                       charts.Bar("Clear strategic positioning", D(50), 1),
                       charts.Bar("Training", D(50), 1)], title="t")
    assert 'viewBox="0 0 360.40 104.00"' in svg
    rows = re.findall(r'<g class="bar-row[^"]*"><title>[^<]*</title><text>(.*?)</text>', svg)
    spans = [re.findall(r'y="([\d.]+)">([^<]*)</tspan>', row) for row in rows]
    assert [[t for _, t in s] for s in spans] == [["Strategic management"],
                                                   ["Clear strategic", "positioning"], ["Training"]]
    assert "…" not in svg
    # each row's text below the last line of the row above (12 px text, 14 px lines)
    baselines = [[float(y) for y, _ in s] for s in spans]
    assert baselines[1][0] - baselines[0][-1] >= charts.LINE_PX
    assert baselines[2][0] - baselines[1][-1] >= charts.LINE_PX
    # the bar of the two-line row is centred in its 36 px (22 to 58): 40 - 11 + 4 = 33
    assert re.findall(r'<rect class="bar" x="[\d.]+" y="([\d.]+)"', svg) == ["4.00", "33.00", "62.00"]
