"""``python -m smesdk.docs``: rewrite every generated documentation page in ``docs/``.

Run from the repository root after changing a command, a framework or a schema; the docs
tests fail until the checked-in pages match what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from smesdk.docs.generate import write_all

if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
