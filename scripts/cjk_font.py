"""Build the CJK font the PDF report embeds: a subset of Noto Sans CJK SC Regular (SIL OFL 1.1).

The subset keeps ASCII, Latin-1, general punctuation and arrows, CJK symbols and fullwidth
forms, all 6,763 hanzi of GB 2312 and every character the repository's own texts use (specs,
plugins, labels), so a report of any enterprise whose name is written in common Chinese prints
without a missing glyph; a rarer character is refused by the PDF writer with a message.

    python scripts/cjk_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian's fonts-noto-cjk). Run it again only to widen the subset; the output is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).parents[1]
OUT = ROOT / "src" / "smesdk" / "report" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x21FF), (0x2200, 0x22FF),
          (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF),
          (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def gb2312() -> set[str]:
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def repository_text() -> set[str]:
    chars: set[str] = set()
    for pattern in ("src/**/*.py", "src/**/*.j2", "plugins/**/*.yaml", "plugins/**/*.py",
                    "examples/**/*.yaml", "docs/tutorial/**/*.yaml"):
        for path in ROOT.glob(pattern):
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if ord(c) >= 0x20}


def main(source: str) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts
                if "SC" in f["name"].getDebugName(1))   # "Noto Sans CJK SC"
    wanted = {chr(c) for lo, hi in RANGES for c in range(lo, hi + 1)} | gb2312() | repository_text()
    cmap = font.getBestCmap()
    unicodes = sorted(ord(c) for c in wanted if ord(c) in cmap)
    options = subset.Options()
    options.layout_features = []          # plain horizontal text: no GSUB/GPOS needed
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(unicodes)} characters)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
