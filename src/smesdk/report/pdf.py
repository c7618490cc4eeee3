"""The PDF report, written with fpdf2 (pure Python) and a CJK font shipped inside smesdk.

Why fpdf2 and not a browser or WeasyPrint: platforms generate these reports on servers, and the
README's install is pip alone. fpdf2 needs no system library (WeasyPrint needs Pango; Chromium
is a browser a server seldom has), and it embeds a subset of the TrueType/OpenType font it is
given, so the PDF shows its Chinese on any reader. The font is a subset of Noto Sans CJK SC
(SIL Open Font License 1.1, see fonts/OFL.txt) built by scripts/cjk_font.py: GB 2312 and the
package's own texts. A character outside it is refused with a message (pass ``font=`` a fuller
font file) rather than printed as a box.

Content is the same :class:`~smesdk.report.content.Report` the HTML and Markdown renderers
use; the layout is compact (tables, one radar, sections) so a report stays a few A4 pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode

from smesdk.errors import Problem
from smesdk.report.charts import columns, longest_word, wrap
from smesdk.report.content import DimRow, Report, ReportError, show, signed
from smesdk.report.labels import label
from smesdk.report.section_text import STEP_MARKS, cell_text, heading
from smesdk.report.sections import Callout, Chart, Grid, Ladder, RankedList, ReportSection, Table
from smesdk.statuses import IndicatorStatus
from smesdk.text import Text

FONT = Path(__file__).with_name("fonts") / "NotoSansCJKsc-Regular-subset.otf"
BLUE, GREY, LIGHT, WHITE = (29, 78, 216), (82, 96, 109), (240, 244, 248), (255, 255, 255)
CELL_PAD = 0.8    # mm of padding inside a table cell
KEEP_ROWS = 12    # a table of this many rows or fewer is not split across pages
LEAD_ROWS = 4     # a longer one starts with at least this many on its first page
#: The most a table cell's text may take, in mm of height: fpdf2 cannot draw a row taller than
#: a page (a 5,000-character firm name raised ValueError), so longer text is cut with "…".
MAX_CELL_MM = 100
#: More characters than a cell of MAX_CELL_MM can show at any width: cut before the text is
#: broken into lines, which takes time with its length (300,000 characters took 12 s).
MAX_CELL_CHARS = 4000
TITLE_MM = 30     # and the report's title at most about three lines
SHORT_COLS = 8    # a cell this short (four hanzi) is never broken in a fitted table
STATUS_FILL = {"official": (209, 250, 229), "derived": (224, 231, 255), "unverified": (254, 243, 199)}


class _Doc(FPDF):
    """A4 pages with the provenance stamp in the header and page numbers in the footer."""

    def __init__(self, head: str, stamp: str, page_word: str) -> None:
        super().__init__(format="A4")
        self.head, self.stamp, self.page_word = head, stamp, page_word
        self.head_line: str | None = None
        self.set_margins(14, 16, 14)
        self.set_auto_page_break(True, margin=16)

    def header(self) -> None:
        self.set_font("cjk", size=7.5)
        self.set_text_color(*GREY)
        self.set_xy(14, 7)
        if self.head_line is None:  # one line, worked out once: a long firm name is cut
            room = self.w - self.l_margin - self.r_margin
            head = self.head[:400]  # more than a line holds at any width
            if self.get_string_width(head) > room:
                while head and self.get_string_width(head + "…") > room:
                    head = head[:-max(len(head) // 8, 1)]
                head += "…"
            self.head_line = head
        self.cell(0, 4, self.head_line, align="L")
        self.set_y(16)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_font("cjk", size=7)
        self.set_text_color(*GREY)
        self.set_xy(14, -11)
        self.cell(150, 4, self.stamp, align="L")
        self.cell(0, 4, self.page_word.format(page=self.page_no(), pages="{nb}"), align="R")
        self.set_text_color(0, 0, 0)


class _Writer:
    def __init__(self, report: Report, font: Path) -> None:
        self.r, self.lang = report, report.lang
        res = report.result
        p = res.provenance
        self.cmap = set(TTFont(str(font), fontNumber=0, lazy=True).getBestCmap())
        self.missing: set[str] = set()
        head = self.s(f"{res.enterprise.name} · {report.framework.spec.title.get(self.lang)}")
        stamp = self.s(f"smesdk {p.smesdk_version} · {p.framework} {p.version}"
                       f"{' · ' + p.profile if p.profile else ''} · {p.content_hash[:19]}… · "
                       f"{res.assessed_on.isoformat()}")
        self.pdf = _Doc(head, stamp, label("page_of", self.lang))
        self.pdf.add_font("cjk", "", str(font))
        self.pdf.set_font("cjk", size=9.5)
        self.pdf.set_title(head if len(head) <= 400 else head[:400] + "…")  # metadata, as shown
        self.pdf.set_creator(f"smesdk {p.smesdk_version}")
        self.wrap = WrapMode.CHAR if self.lang == "zh" else WrapMode.WORD

    # -- text ------------------------------------------------------------------------------

    def s(self, text: str) -> str:
        """Text as written, noting every character the font cannot draw."""
        self.missing |= {c for c in text if ord(c) not in self.cmap and c not in "\n\t"}
        return text

    def t(self, text: Text | None) -> str:
        return "" if text is None else self.s(text.get(self.lang))

    def L(self, key: str, **values: object) -> str:
        return self.s(label(key, self.lang, **values))

    def lines(self, text: str, width: float) -> str:
        """Chinese text broken where a reader expects (fpdf2's CHAR mode breaks anywhere:
        inside "+2.50", or before "）"): by the charts' line breaker at the current font's
        widths, within ``width`` mm. Nothing hangs past it (fpdf2 would break there again):
        a closing mark takes the word before it down instead. English keeps fpdf2's word
        wrap."""
        if self.wrap is not WrapMode.CHAR:
            return text
        return "\n".join(line for part in text.split("\n")
                         for line in wrap(part, width, self.pdf.get_string_width, hang=0))

    def bounded(self, text: str, room: float, size: float, most_mm: float = MAX_CELL_MM) -> str:
        """``text`` (a cell's, broken by :meth:`lines`) cut with "…" where it would take more
        than ``most_mm`` at ``size`` in a column ``room`` mm wide. The count is an estimate
        for word-wrapped text, so lines are taken as four fifths full. The font of ``size``
        must be the current one."""
        most = max(int(most_mm / (size * 0.48)), 1)
        room = max(room, 1.0)
        width = self.pdf.get_string_width
        out: list[str] = []
        for line in text.split("\n"):
            need = max(math.ceil(width(line) / (room * 0.8)), 1)
            if len(out) + need <= most:  # each kept line counts at least one
                out.append(line)
                most -= need - 1
                continue
            keep = max(most - len(out), 1) * room * 0.8 - width("…")
            lo, hi = 0, len(line)
            while lo < hi:  # the longest start of the line that fits ``keep``
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if width(line[:mid]) <= keep else (lo, mid - 1)
            out.append(line[:lo] + "…")
            break
        return "\n".join(out)

    def h1(self, text: str) -> None:
        self.pdf.set_font("cjk", size=17)
        epw = self.pdf.w - self.pdf.l_margin - self.pdf.r_margin
        # not pages of a firm's name
        text = self.bounded(text[:MAX_CELL_CHARS], epw, 17, most_mm=TITLE_MM)
        self.pdf.multi_cell(0, 8, text, wrapmode=self.wrap, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("cjk", size=9.5)

    def h2(self, text: str) -> None:
        if self.pdf.will_page_break(30):
            self.pdf.add_page()
        self.pdf.ln(2.5)
        self.pdf.set_font("cjk", size=12.5)
        self.pdf.set_text_color(*BLUE)
        self.pdf.multi_cell(0, 6.5, text, wrapmode=self.wrap, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_draw_color(*BLUE)
        self.pdf.line(self.pdf.l_margin, self.pdf.get_y(), self.pdf.w - self.pdf.r_margin, self.pdf.get_y())
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.set_draw_color(0, 0, 0)
        self.pdf.set_font("cjk", size=9.5)
        self.pdf.ln(1.5)

    def h3(self, text: str) -> None:
        if self.pdf.will_page_break(20):
            self.pdf.add_page()
        self.pdf.ln(1)
        self.pdf.set_font("cjk", size=10.5)
        self.pdf.multi_cell(0, 5.5, text, wrapmode=self.wrap, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("cjk", size=9.5)

    def para(self, text: str, *, size: float = 9.5, color: tuple[int, int, int] = (0, 0, 0),
             fill: tuple[int, int, int] | None = None, indent: float = 0) -> None:
        self.pdf.set_font("cjk", size=size)
        self.pdf.set_text_color(*color)
        if fill:
            self.pdf.set_fill_color(*fill)
        self.pdf.set_x(self.pdf.l_margin + indent)
        pdf = self.pdf
        width = pdf.w - pdf.r_margin - pdf.l_margin - indent - 2 * pdf.c_margin
        self.pdf.multi_cell(0, size * 0.5, self.lines(text, width), wrapmode=self.wrap,
                            fill=fill is not None, new_x="LMARGIN", new_y="NEXT", align="L")
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.set_font("cjk", size=9.5)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              numeric: Sequence[bool] | None = None, *, size: float = 8.5,
              fills: dict[tuple[int, int], tuple[int, int, int]] | None = None) -> None:
        numeric = numeric or [False] * len(head)
        # A short table is kept on one page, a long one starts with a few rows, never its
        # header and one row at a page's foot: tried first off the page, then drawn.
        kept = rows if len(rows) <= KEEP_ROWS else rows[:LEAD_ROWS]
        with self.pdf.offset_rendering() as trial:
            self._table(head, kept, widths, numeric, size, fills)
        if trial.page_break_triggered:
            self.pdf.add_page()
        self._table(head, rows, widths, numeric, size, fills)

    def _table(self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
               numeric: Sequence[bool], size: float,
               fills: dict[tuple[int, int], tuple[int, int, int]] | None) -> None:
        self.pdf.set_font("cjk", size=size)
        heading_style = FontFace(emphasis="", fill_color=LIGHT)
        # each column's room for text: its share of the page's width, less the padding
        epw = self.pdf.w - self.pdf.l_margin - self.pdf.r_margin
        room = [epw * w / sum(widths) - 2 * CELL_PAD for w in widths]
        with self.pdf.table(col_widths=list(widths), headings_style=heading_style,
                            line_height=size * 0.48, wrapmode=self.wrap, text_align="LEFT",
                            padding=CELL_PAD, repeat_headings=1) as tbl:
            row = tbl.row()
            for k, cell in enumerate(head):
                row.cell(self.bounded(self.lines(self.s(cell[:MAX_CELL_CHARS]), room[k]), room[k], size),
                         align="RIGHT" if numeric[k] else "LEFT")
            for r, values in enumerate(rows):
                row = tbl.row()
                for k, cell in enumerate(values):
                    # every cell names its fill: fpdf2 carries a fill colour over to later cells
                    fill = (fills or {}).get((r, k), WHITE)
                    row.cell(self.bounded(self.lines(self.s(cell[:MAX_CELL_CHARS]), room[k]), room[k], size),
                             align="RIGHT" if numeric[k] else "LEFT",
                             style=FontFace(fill_color=fill))
        self.pdf.set_font("cjk", size=9.5)
        self.pdf.ln(1.5)

    # -- the report ------------------------------------------------------------------------

    def write(self) -> bytes:
        self.pdf.add_page()
        self.profile()
        self.level()
        self.dimensions()
        self.gaps()
        self.advice()
        self.sections()
        self.warnings()
        self.trace()
        self.provenance()
        if self.missing:
            shown = "".join(sorted(self.missing))
            raise ReportError([Problem("font", f"the PDF font has no glyph for {shown!r}; pass a "
                                               f"fuller CJK font file (font=...) to render them")])
        return bytes(self.pdf.output())

    def profile(self) -> None:
        r = self.r
        self.h1(self.s(r.result.enterprise.name))
        self.para(f"{self.t(r.framework.spec.title)} · {self.L('report')} · "
                  f"{r.result.assessed_on.isoformat()}", color=GREY)
        rows = [[self.L(key), self.s(value) if isinstance(value, str) else self.t(value)]
                for key, value in r.enterprise]
        rows += [[self.L("framework"), self.t(r.framework.spec.title)],
                 [self.L("framework_profile"), self.t(r.profile)]]
        rows += [[self.L("source"), self.t(doc.title) + (f" {doc.number}" if doc.number else "")
                  + f", {self.t(doc.issuer)}" + (f", {doc.date.isoformat()}" if doc.date else "")
                  + (f", {self.s(doc.url)}" if doc.url else "")
                  + (f" — {self.t(doc.role)}" if doc.role else "")] for doc in r.documents]
        self.h2(self.L("profile"))
        self.table([self.L("profile"), ""], rows, [45, 137])

    def level(self) -> None:
        r, res = self.r, self.r.result
        self.h2(self.L("level"))
        level = self.t(res.level.title) if res.level else self.L("no_level")
        status = f" ({self.L(res.level.status)})" if res.level else ""
        word = self.s(r.level_word())
        self.para(f"{self.L('total')} {show(res.total, 2)} / 100 · {word} {level}{status}"
                  .replace("·  ", "· "), size=12)
        if r.earlier is not None:
            e = r.earlier
            self.para(f"{self.L('earlier')} ({e.assessed_on}): {self.L('total')} {show(e.total, 2)}; "
                      f"{self.L('change')} {signed(res.total - e.total)}")
        legend = "; ".join(f"{self.L(s)}: {self.L('legend_' + s)}"
                           for s in ("official", "derived", "unverified"))
        self.para(f"{self.L('status_legend')}: {legend}", size=7.5, color=GREY)
        if r.rungs:
            rows = [[self.t(g.title), g.span,
                     self.L(g.status), self.L(g.state) if g.state in ("reached", "next") else ""]
                    for g in reversed(r.rungs)]
            fills = {(k, 0): (219, 234, 254) for k, g in enumerate(reversed(r.rungs))
                     if g.state == "reached"}
            self.table([self.L("level"), self.L("total_range"), self.L("status"), ""], rows,
                       [70, 40, 32, 40], fills=fills)
        if res.next_level is not None:
            self.h3(f"{self.L('blockers')}: {self.t(res.next_level.level.title)}")
            for b in r.blockers:
                self.para(f"• {self.t(b.message)}", indent=2)
        if r.caps:
            self.h3(self.L("caps"))
            for c in r.caps:
                self.para(f"• {self.t(c.message)}", indent=2, color=(185, 28, 28))

    def dimensions(self) -> None:
        r = self.r
        self.h2(self.L("dimensions"))
        if len(r.axes) >= 3:
            self.radar()
        head = [self.L("dimension"), self.L("score"), self.L("points"), self.L("status")]
        widths: list[float] = [78, 26, 44, 34]
        # the HTML's columns: the earlier score and the change beside it, the target
        extra: list[tuple[str, Callable[[DimRow], str]]] = []
        if r.earlier is not None:
            extra += [("earlier", lambda d: show(d.earlier, 1)), ("change", lambda d: signed(d.change))]
        if r.target_title is not None:
            extra.append(("target", lambda d: show(d.target, 1)))
        head += [self.L(key) for key, _ in extra]
        numeric = [False, True, True, False] + [True] * len(extra)
        rows = []
        for d in r.top:
            row = [self.t(d.title) + ("" if d.scored else f" ({self.L('not_in_total')})"),
                   show(d.score, 1), f"{show(d.points, 2)} / {show(d.max_points, 2)}",
                   self.L(d.status) if d.status else "—"]
            row += [cell(d) for _, cell in extra]
            rows.append(row)
        # with the extra columns, widths from what they hold ("Earlier assessment" whole)
        self.table(head, rows, _fitted(head, rows, numeric) if extra else widths, numeric)

    def radar(self) -> None:
        """The scored dimensions as a radar with the earlier and target outlines, if any."""
        r, pdf = self.r, self.pdf
        if pdf.will_page_break(78):
            pdf.add_page()
        radius, top = 28.0, pdf.get_y() + 6
        cx, cy = pdf.w / 2, top + radius + 6
        n = len(r.axes)

        def point(k: int, value: Decimal | None) -> tuple[float, float]:
            share = 0.0 if value is None else min(max(float(value), 0.0), 100.0) / 100
            angle = -math.pi / 2 + 2 * math.pi * k / n
            return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

        pdf.set_draw_color(205, 214, 224)
        pdf.set_line_width(0.2)
        for ring in (20, 40, 60, 80, 100):
            pdf.polygon([point(k, Decimal(ring)) for k in range(n)], style="D")
        for k in range(n):
            pdf.line(cx, cy, *point(k, Decimal(100)))
        # The result is filled, so it goes first and the earlier and target outlines over it
        # (under an opaque fill they vanished); dashed and dotted as the legend says, so they
        # differ in print without colour.
        pdf.set_line_width(0.5)
        pdf.set_draw_color(*BLUE)
        pdf.set_fill_color(191, 207, 247)
        pdf.polygon([point(k, a.score) for k, a in enumerate(r.axes)], style="DF")
        outlines = [([a.earlier for a in r.axes], (217, 119, 6), (1.2, 0.8)),
                    ([a.target for a in r.axes], (4, 120, 87), (0.3, 0.7))]
        for values, colour, (dash, gap) in outlines:
            if any(v is not None for v in values):
                pdf.set_draw_color(*colour)
                pdf.set_dash_pattern(dash=dash, gap=gap)
                pdf.polygon([point(k, v) for k, v in enumerate(values)], style="D")
                pdf.set_dash_pattern()
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_font("cjk", size=8)
        for k, a in enumerate(r.axes):
            x, y = point(k, Decimal(118))
            text = self.s(f"{a.title.get(self.lang)} {show(a.score, 1)}")
            w = pdf.get_string_width(text)
            anchor = x - w / 2 if abs(x - cx) < 3 else (x if x > cx else x - w)
            pdf.text(anchor, y + (2.5 if y > cy else 0), text)
        pdf.set_font("cjk", size=9.5)
        pdf.set_y(cy + radius + 10)
        legend = [self.L("current")]
        if r.earlier is not None:
            legend.append(f"{self.L('earlier')} {r.earlier.assessed_on} (- - -)")
        if r.target_title is not None:
            legend.append(f"{self.L('target')}: {self.t(r.target_title)} (···)")
        self.para(" · ".join(legend) + f" — {self.L('radar')}", size=7.5, color=GREY)

    def gaps(self) -> None:
        r = self.r
        self.h2(self.L("gaps"))
        if not r.gaps:
            self.para(self.L("no_gaps"), color=GREY)
            return
        rows = [[self.t(g.title), show(g.current, 1), show(g.target, 1), "+" + show(g.impact, 2)]
                for g in r.gaps]
        self.table([self.L("indicator"), self.L("current_pct"), self.L("target_pct"), self.L("impact")],
                   rows, [110, 24, 24, 24], [False, True, True, True])

    def advice(self) -> None:
        self.h2(self.L("recommendations"))
        if not self.r.recommendations:
            self.para(self.L("no_recommendations"), color=GREY)
        for unit in self.r.recommendations:
            self.h3(self.L("kind_" + unit.kind))
            for k, rec in enumerate(unit.rows, 1):
                gain = (f" ({self.L('gain', value=show(rec.impact, 2))})"
                        if rec.kind == "points" and rec.impact else "")
                self.para(f"{k}. {self.t(rec.text)}{gain}", indent=2)
                if rec.caveat is not None:
                    self.para(f"{self.L('caveat')}: {self.t(rec.caveat)}", indent=6, size=8.5,
                              fill=(255, 251, 235))
                if rec.cite:
                    self.para(f"{self.L('cites')}: " + "; ".join(
                        (f"{self.t(c.role)}: " if c.role else "")
                        + (self.t(c.title) if c.title else self.s(c.doc)) + f" {self.s(c.clause)}"
                        for c in rec.cite), indent=6,
                              size=7.5, color=GREY)

    def sections(self) -> None:
        if not self.r.sections:
            return
        self.h2(self.L("extensions"))
        for section in self.r.sections:
            self.section(section)

    def section(self, section: ReportSection) -> None:
        self.h3(self.s(heading(section, self.lang)))
        lang = self.lang
        if isinstance(section, Table):
            head = [c.get(lang) for c in section.columns]
            rows = [[cell_text(c, lang) for c in row] for row in section.rows]
            numeric = section.numeric or [False] * len(head)
            self.table(head, rows, _fitted(head, rows, numeric), numeric)
        elif isinstance(section, RankedList):
            for k, item in enumerate(section.items, 1):
                badge = f" [{cell_text(item.badge, lang)}]" if item.badge is not None else ""
                self.para(f"{k}. {self.t(item.text)}{self.s(badge)}", indent=2)
                if item.detail is not None:
                    self.para(self.t(item.detail), indent=6, size=8.5, color=GREY)
        elif isinstance(section, Callout):
            figure = f"{cell_text(section.figure, lang)} — " if section.figure is not None else ""
            fill = {"warning": (255, 251, 235), "success": (236, 253, 245)}.get(section.tone, (239, 246, 255))
            self.para(self.s(figure) + self.t(section.body), size=10, fill=fill)
        elif isinstance(section, Ladder):
            for step in section.steps:
                detail = f" — {self.t(step.detail)}" if step.detail is not None else ""
                colour = GREY if step.state == "todo" else (0, 0, 0)
                self.para(f"{STEP_MARKS[step.state]} {self.t(step.title)}{detail}", indent=2,
                          color=colour)
        elif isinstance(section, Grid):
            self.grid(section)
        elif isinstance(section, Chart):
            head = ["", *[s.name.get(lang) for s in section.series]]
            rows = [[lab.get(lang), *[cell_text(s.values[k], lang) for s in section.series]]
                    for k, lab in enumerate(section.labels)]
            self.table(head, rows, _widths(len(head)), [False] + [True] * len(section.series))
        if section.note is not None:
            self.para(self.t(section.note), size=7.5, color=GREY)

    def grid(self, grid: Grid) -> None:
        lang = self.lang
        mark = grid.marker.get(lang) if grid.marker else "*"
        rows = [[r.get(lang) + (f" {mark}" if k in grid.marked else ""),
                 *[cell_text(c, lang) if c is not None else "" for c in cells]]
                for k, (r, cells) in enumerate(zip(grid.rows, grid.cells, strict=True))]
        fills = {(r, c + 1): (147, 197, 253) for r, c in grid.highlight}
        width = min(18.0, 112 / max(len(grid.columns), 1))
        self.table(["", *[c.get(lang) for c in grid.columns]], rows,
                   [182 - width * len(grid.columns)] + [width] * len(grid.columns), fills=fills,
                   size=8)

    def warnings(self) -> None:
        res = self.r.result
        if not res.warnings:
            return
        self.h2(self.L("warnings"))
        names = self.r.framework.names
        for w in res.warnings:
            where = f"{self.t(names.get(w.indicator))}: " if w.indicator else ""
            self.para(f"• {where}{self.t(w.message)}", size=8.5, indent=2)

    def trace(self) -> None:
        """One line per indicator: the answer, the points and the status of the figure."""
        self.h2(self.L("trace"))
        for group in self.r.trace:
            self.h3(self.t(group.title))
            rows = [[self.t(row.title), row.answer, f"{show(row.item.points)} / {show(row.item.max_points)}",
                     self.t(row.item.status.label) if row.item.status is not IndicatorStatus.SCORED
                     else (self.L(row.status) if row.status else "")] for row in group.rows]
            self.table([self.L("indicator"), self.L("answer"), self.L("points"), self.L("status")],
                       rows, [62, 70, 22, 28], [False, False, True, False], size=7.5)

    def provenance(self) -> None:
        p, res = self.r.result.provenance, self.r.result
        self.h2(self.L("provenance"))
        self.table([self.L("provenance"), ""], [
            [self.L("framework"), p.framework], [self.L("version"), p.version],
            [self.L("framework_profile"), p.profile or self.L("default")],
            [self.L("content_hash"), p.content_hash], [self.L("smesdk_version"), p.smesdk_version],
            [self.L("assessed_on"), res.assessed_on.isoformat()]], [45, 137], size=7.5)


def _widths(n: int) -> list[float]:
    """Column widths for n columns over 182 mm: the first (a name) twice the others."""
    unit = 182 / (n + 1)
    return [unit * 2] + [unit] * (n - 1)


def _fitted(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
            ) -> list[float]:
    """Column widths over 182 mm from what each column holds: every column at least as wide
    as its longest unbreakable word (a Latin word, or one CJK character), the room left
    shared by how much more each column's longest cell would like, so a column of names is
    not squeezed to the width of a column of figures and no word is broken."""
    em = 1.7  # mm per Latin character at the table's 8.5 pt, roughly; a CJK one is two
    least, want = [], []
    for k, title in enumerate(head):
        cells = [title, *(row[k] for row in rows)]
        floor = max(_unbroken(t) for t in cells) * em + 2.5
        least.append(floor)
        longest = max(columns(t) for t in cells[1:]) if rows else 0
        want.append(max(floor, min(longest * em + 2.5, 70 if not numeric[k] else 30)))
    if sum(want) <= 182:
        return [182 * w / sum(want) for w in want]
    if sum(least) >= 182:
        return [182 * w / sum(least) for w in least]
    spare = (182 - sum(least)) / (sum(want) - sum(least))
    return [lo + (w - lo) * spare for lo, w in zip(least, want, strict=True)]


def _unbroken(text: str) -> int:
    """Display columns a cell needs on one line: a short one ("未核实", "总分增减") whole,
    a long one its longest word (a Latin word, or one CJK character)."""
    return columns(text) if columns(text) <= SHORT_COLS else longest_word(text)


def render(report: Report, font: Path | None = None) -> bytes:
    """The report as PDF bytes (A4). Raises ReportError if the font lacks a character."""
    return _Writer(report, font or FONT).write()

