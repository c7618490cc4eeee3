"""Small SVG charts for the report: a radar of dimension scores and bars of sub-dimensions.

Everything is computed here, so the report needs no chart library and no script. Values are
percentages (0-100, None = no score). Coordinates are geometry, not scores: they are floats
rounded to 2 decimals, which a browser draws identically. Labels are fitted to a fixed
width by display columns (a Chinese character is two columns) and wrapped or cut with "…";
the full text stays in a ``<title>`` tooltip.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs
from markupsafe import Markup, escape

# Radar layout, in SVG user units (px at 100%). Small enough (under 400 wide) that a phone
# (about 340 px of content at 360 px) scales it by more than 0.83, so 12 px text stays >= 10 px.
RADIUS = 90.0
LABEL_GAP = 8.0
LABEL_COLS = 12            # display columns per label line
COL_PX = 6.6               # width of one column at font-size 12, rounded up for Latin text
LINE_PX = 14.0
LABEL_LINES = 2            # label lines, plus one line for the value
RINGS = (20, 40, 60, 80, 100)
RING_DX = 6.0              # ring values start this far right of axis 0: clear of its vertices
VERTEX_R = 3.0
MARGIN = 4.0

# Bar chart layout: under 400 wide too, for the same reason.
BAR_LABEL_COLS = 22
BAR_LABEL_PX = (BAR_LABEL_COLS + 2) * COL_PX + 8
BAR_PX = 150.0
BAR_VALUE_PX = 44.0
BAR_ROW_PX = 22.0
BAR_INDENT_PX = 12.0
BAR_LABEL_LINES = 2


def columns(text: str) -> int:
    """Display columns: East Asian wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def longest_word(text: str) -> int:
    """The display columns of ``text``'s longest unbreakable run: a Latin word, or one
    CJK character (Chinese text breaks between any two)."""
    best = run = 0
    for ch in text:
        if ch.isspace():
            run = 0
        elif columns(ch) == 2:
            run, best = 0, max(best, 2)
        else:
            run += 1
            best = max(best, run)
    return best


# Never at the start of a line (禁则): it hangs past the width instead, by at most 2 columns.
_CLOSING = frozenset("）》」』】〕、。，；：！？…)]},.;:!?")
HANG_COLS = 2
# Never at the end of a line: it goes down with what it opens.
_OPENING = frozenset("（《「『【〔([{")
# Chinese numerals: the guides number their clauses with them ("四（三）", "十一（一）").
_NUMERALS = frozenset("〇一二三四五六七八九十百")


def _tokens(text: str) -> list[str]:
    """Break points: each wide character alone, Latin words with their trailing space, and
    a hyphen between two letters ("Decision-" "making"; never in "2026-11-01" or "-5")."""
    out: list[str] = []
    word = ""
    for k, ch in enumerate(text):
        if columns(ch) == 2:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " " or (ch == "-" and word[:-1][-1:].isalpha() and text[k + 1:k + 2].isalpha()):
                out.append(word)
                word = ""
    if word:
        out.append(word)
    glued: list[str] = []
    for token in out:
        if glued and (glued[-1][-1] in _OPENING or (  # "(十" and "（一" break as one
                glued[-1][-1] in _NUMERALS and token[0] in _NUMERALS | _OPENING)):
            glued[-1] += token  # a clause number ("十一（一）") stays whole too
        else:
            glued.append(token)
    return glued


def wrap(text: str, width: float, measure: Callable[[str], float] = columns,
         hang: float = HANG_COLS) -> list[str]:
    """``text`` broken into lines no wider than ``width`` by ``measure`` (display columns, or
    a PDF font's millimetres): between CJK characters and at spaces, never inside a Latin
    word or a number unless it is longer than a line, never before closing punctuation (it
    hangs past ``width`` by up to ``hang``, or takes the word before it down with it) nor
    after opening punctuation."""
    lines: list[str] = []
    toks: list[str] = []          # the current line, token by token
    for token in _tokens(" ".join(text.split())):
        line = "".join(toks)
        # a word longer than a line is split (its trailing space does not count: a word
        # exactly as long as the line is not split before that space)
        while token.strip() and measure(token.rstrip()) > width:
            # at least a character on a line of its own, however narrow the width
            head = _take(token, width - measure(line), measure) or ("" if line else token[0])
            if len(head) > 1 and head[-1] in _OPENING:  # "十一（" / "一）": the bracket goes down
                head = head[:-1]
            if not head:
                lines.append(line.rstrip())
                toks, line = [], ""
                continue
            lines.append((line + head).rstrip())
            toks, line, token = [], "", token[len(head):]
        mark = token.rstrip()
        if toks and mark and set(mark) <= _CLOSING:
            if measure(line + mark) <= width + hang:
                toks.append(token)     # closing punctuation hangs rather than start a line
                continue
            # too much to hang ("））。"): the last word goes down with the marks
            k = len(toks) - 1
            while k > 0 and set(toks[k].rstrip()) <= _CLOSING:
                k -= 1
            if k > 0:
                lines.append("".join(toks[:k]).rstrip())
                toks = [*toks[k:], token]
                continue
        if measure(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            toks = [token.lstrip() if not lines[-1] else token]
        else:
            toks.append(token)
    line = "".join(toks)
    if line.strip():
        lines.append(line.rstrip())
    return [ln for ln in lines if ln] or [""]


def fit_label(text: str, max_cols: int, max_lines: int) -> tuple[list[str], bool]:
    """Wrap ``text`` into at most ``max_lines`` lines of ``max_cols``; True if it was cut.

    Closing punctuation may hang past ``max_cols`` (by up to HANG_COLS) rather than start a line.
    """
    lines = wrap(text, max_cols)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    kept[-1] = _take(kept[-1], max_cols - 1).rstrip() + "…"
    return kept, True


def _take(text: str, room: float, measure: Callable[[str], float] = columns) -> str:
    """The longest start of ``text`` that ``measure`` puts within ``room``."""
    out = ""
    for ch in text:
        if measure(out + ch) > room:
            break
        out += ch
    return out


def _num(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _pct(value: Decimal | None) -> float:
    if value is None:
        return 0.0
    return min(max(float(value), 0.0), 100.0)


def radar_vertices(values: Sequence[Decimal | None], cx: float, cy: float,
                   radius: float) -> list[tuple[str, str]]:
    """One vertex per axis: axis 0 points up, the others follow clockwise.

    A value v (percent, clamped to 0-100, None as 0) lies at distance radius * v / 100 from
    the centre along its axis. Returned as formatted coordinates, as they appear in the SVG.
    """
    n = len(values)
    out = []
    for i, value in enumerate(values):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * _pct(value) / 100
        out.append((_num(cx + r * math.cos(angle)), _num(cy + r * math.sin(angle))))
    return out


@attrs.frozen
class Series:
    """One polygon of the radar. ``css`` names its style (current, compare, target)."""

    name: str
    values: list[Decimal | None]
    css: str


def _fmt_pct(value: Decimal | None) -> str:
    # One decimal, halves away from zero like every number smesdk shows.
    if value is None:
        return "—"
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"


def radar(labels: Sequence[str], series: Sequence[Series], *, title: str) -> Markup:
    """A radar chart; the first series is the result, drawn filled, the others as outlines."""
    n = len(labels)
    if n < 3:
        raise ValueError("a radar needs at least 3 axes")
    label_w = (LABEL_COLS + HANG_COLS) * COL_PX
    width = 2 * (RADIUS + LABEL_GAP + label_w + MARGIN)
    first = series[0].values if series else [None] * n
    placed = _spread([_AxisLabel.place(i, n, label, value)
                      for i, (label, value) in enumerate(zip(labels, first, strict=True))])
    # Room above and below the centre: the usual, or more where spread labels need it.
    half = RADIUS + LABEL_GAP + (LABEL_LINES + 1) * LINE_PX + MARGIN
    above = max(half, max(-p.top for p in placed) + MARGIN)
    height = above + max(half, max(p.bottom for p in placed) + MARGIN)
    cx, cy = width / 2, above
    out = [f'<svg class="chart radar" xmlns="http://www.w3.org/2000/svg" role="img" '
           f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" '
           f'height="{_num(height)}" data-axes="{n}" aria-label="{escape(title)}">',
           f"<title>{escape(title)}</title>", '<g class="grid">']
    for ring in RINGS:
        pts = radar_vertices([Decimal(ring)] * n, cx, cy, RADIUS)
        out.append(f'<polygon points="{_points(pts)}"/>')
    for x, y in radar_vertices([Decimal(100)] * n, cx, cy, RADIUS):
        out.append(f'<line x1="{_num(cx)}" y1="{_num(cy)}" x2="{x}" y2="{y}"/>')
    out.append("</g>")
    for index, s in reversed(list(enumerate(series))):   # the result is drawn last, on top
        pts = radar_vertices(s.values, cx, cy, RADIUS)
        out.append(f'<g class="series series-{escape(s.css)}" data-series="{index}">'
                   f'<title>{escape(s.name)}</title>')
        out.append(f'<polygon points="{_points(pts)}"/>')
        for (x, y), label, value in zip(pts, labels, s.values, strict=True):
            out.append(f'<circle class="vertex" cx="{x}" cy="{y}" r="{_num(VERTEX_R)}">'
                       f"<title>{escape(s.name)} · {escape(label)}: {_fmt_pct(value)}</title></circle>")
        out.append("</g>")
    # The ring values go on top of the polygons (a white halo keeps them legible over a
    # line), beside axis 0 rather than on it, where that axis's vertices sit.
    out.append('<g class="rings">')
    out += [f'<text class="ring" x="{_num(cx + RING_DX)}" y="{_num(cy - RADIUS * ring / 100 + 10)}">'
            f"{ring}</text>" for ring in RINGS if _ring_fits(ring, n)]
    out.append("</g>")
    out.append('<g class="labels">')
    out += [p.svg(cx, cy) for p in placed]
    out.append("</g></svg>")
    return Markup("\n".join(out))


def _ring_fits(ring: int, n: int) -> bool:
    """Whether ring ``ring``'s value fits between axis 0 and axis 1 (and their vertices): near
    the centre of a radar with many axes there is no room, and the outer rings say enough."""
    angle = 2 * math.pi / n            # axis 1, clockwise from axis 0
    if angle >= math.pi / 2:
        return True                    # axis 1 points sideways or down: nothing in the way
    # The value's bottom edge lies 10 px below the ring (its baseline) plus the descent;
    # axis 1 is nearest to it there.
    height = RADIUS * ring / 100 - 10 - _DESCENT
    right = RING_DX + columns(str(ring)) * COL_PX + VERTEX_R
    return height > 0 and right <= height * math.tan(angle)


def _points(pts: list[tuple[str, str]]) -> str:
    return " ".join(f"{x},{y}" for x, y in pts)


#: A label line's extent around its baseline at the 12 px font: the cap height above, the
#: descenders below.
_ASCENT, _DESCENT = 10.0, 3.0


@attrs.define
class _AxisLabel:
    """An axis label's lines and where they go, relative to the chart's centre."""

    label: str
    lines: list[str]
    anchor: str
    x: float
    first: float  # the first line's baseline
    width: float

    @classmethod
    def place(cls, i: int, n: int, label: str, value: Decimal | None) -> _AxisLabel:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        x = (RADIUS + LABEL_GAP) * cos
        y = (RADIUS + LABEL_GAP) * sin
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lines, _ = fit_label(label, LABEL_COLS, LABEL_LINES)
        lines.append(_fmt_pct(value))
        # Lines grow away from the chart: upwards above it, downwards below, centred at the
        # sides. An axis 30 degrees off the horizontal (12 axes) is a side one: its sine is
        # 0.5 give or take the last bit, which must not decide.
        if sin < -0.5 - 1e-9:
            first = y - (len(lines) - 1) * LINE_PX
        elif sin > 0.5 + 1e-9:
            first = y + LINE_PX * 0.8
        else:
            first = y - (len(lines) - 1) * LINE_PX / 2 + 4
        return cls(label, lines, anchor, x, first, max(map(columns, lines)) * COL_PX)

    @property
    def left(self) -> float:
        return {"start": self.x, "end": self.x - self.width}.get(self.anchor,
                                                                  self.x - self.width / 2)

    @property
    def top(self) -> float:
        return self.first - _ASCENT

    @property
    def bottom(self) -> float:
        return self.first + (len(self.lines) - 1) * LINE_PX + _DESCENT

    def overlap(self, other: _AxisLabel) -> float:
        """How far the two overlap vertically, if they overlap at all (else 0)."""
        if self.left + self.width <= other.left or other.left + other.width <= self.left:
            return 0.0
        return max(0.0, min(self.bottom, other.bottom) - max(self.top, other.top))

    def svg(self, cx: float, cy: float) -> str:
        spans = []
        for k, line in enumerate(self.lines):
            cls = ' class="value"' if k == len(self.lines) - 1 else ""
            spans.append(f'<tspan x="{_num(cx + self.x)}" y="{_num(cy + self.first + k * LINE_PX)}"'
                         f"{cls}>{escape(line)}</tspan>")
        return (f'<text class="axis-label" text-anchor="{self.anchor}"><title>'
                f"{escape(self.label)}</title>" + "".join(spans) + "</text>")


def _spread(labels: list[_AxisLabel]) -> list[_AxisLabel]:
    """Labels moved apart where they overlap (many axes, long names): of two that do, the one
    farther from the horizontal through the centre moves on, away from it, a pixel clear.
    The chart grows to hold them. Bounded: a layout that has not cleared by then is kept."""
    for _ in range(4 * len(labels)):
        moved = False
        for a, b in itertools.combinations(labels, 2):
            gap = a.overlap(b)
            if gap:
                far = a if abs(a.top + a.bottom) >= abs(b.top + b.bottom) else b
                step = gap + 1  # a pixel between them
                far.first += step if far.top + far.bottom >= 0 else -step
                moved = True
        if not moved:
            break
    return labels


@attrs.frozen
class Bar:
    """One row of the bar chart; depth 0 rows are group headings."""

    label: str
    value: Decimal | None
    depth: int = 1
    marker: Decimal | None = None


def bars(rows: Sequence[Bar], *, title: str, marker_name: str | None = None) -> Markup:
    """Horizontal bars (0-100) with the value at the end; ``marker`` draws a tick (e.g. earlier).

    A label wraps to a second line (its row grows by a line) before it is cut: one line of
    22 columns left "Clear strategic…" of an English name."""
    width = BAR_LABEL_PX + BAR_PX + BAR_VALUE_PX
    labels = [fit_label(row.label, BAR_LABEL_COLS - int(BAR_INDENT_PX * row.depth / COL_PX),
                        BAR_LABEL_LINES)[0] for row in rows]
    tops = list(itertools.accumulate((BAR_ROW_PX + (len(lines) - 1) * LINE_PX for lines in labels),
                                     initial=0.0))
    height = tops[-1] + 24
    x0 = BAR_LABEL_PX
    out = [f'<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" role="img" '
           f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" '
           f'height="{_num(height)}" aria-label="{escape(title)}">', f"<title>{escape(title)}</title>",
           '<g class="grid">']
    for tick in (0, 25, 50, 75, 100):
        x = x0 + BAR_PX * tick / 100
        out.append(f'<line x1="{_num(x)}" y1="0" x2="{_num(x)}" y2="{_num(height - 18)}"/>'
                   f'<text class="tick" x="{_num(x)}" y="{_num(height - 4)}" text-anchor="middle">'
                   f"{tick}</text>")
    out.append("</g>")
    for row, lines, top, bottom in zip(rows, labels, tops[:-1], tops[1:], strict=True):
        y = (top + bottom) / 2 - BAR_ROW_PX / 2     # the bar and value centred in the row
        indent = BAR_INDENT_PX * row.depth
        cls = "bar-row heading" if row.depth == 0 else "bar-row"
        spans = "".join(f'<tspan x="{_num(indent)}" y="{_num(top + 15 + k * LINE_PX)}">'
                        f"{escape(line)}</tspan>" for k, line in enumerate(lines))
        out.append(f'<g class="{cls}"><title>{escape(row.label)}: {_fmt_pct(row.value)}</title>'
                   f"<text>{spans}</text>")
        if row.value is not None:
            w = BAR_PX * _pct(row.value) / 100
            out.append(f'<rect class="bar" x="{_num(x0)}" y="{_num(y + 4)}" width="{_num(w)}" '
                       f'height="{_num(BAR_ROW_PX - 8)}"/>')
        if row.marker is not None:
            mx = x0 + BAR_PX * _pct(row.marker) / 100
            tip = f"{escape(marker_name or '')}: {_fmt_pct(row.marker)}"
            out.append(f'<line class="marker" x1="{_num(mx)}" y1="{_num(y + 2)}" x2="{_num(mx)}" '
                       f'y2="{_num(y + BAR_ROW_PX - 2)}"><title>{tip}</title></line>')
        out.append(f'<text class="value" x="{_num(x0 + BAR_PX + 6)}" y="{_num(y + 15)}">'
                   f"{_fmt_pct(row.value)}</text></g>")
    out.append("</svg>")
    return Markup("\n".join(out))
