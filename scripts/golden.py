"""Golden results: every shipped example's full JSON result, and batch outputs.

Recorded before a redesign of the scoring core, so the redesign can be shown to change no
number and no byte of any result. ``python scripts/golden.py`` rewrites ``tests/golden/``;
``tests/test_golden.py`` recomputes everything and compares byte for byte. Rewrite the files
only when an issue says a result changes, and say which in the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
#: Every shipped answer file that names its framework.
EXAMPLE_GLOBS = ("plugins/*/examples/*.yaml", "docs/tutorial/*/examples/*.yaml",
                 "examples/answers/*.yaml")
#: Synthetic rows per framework and profile in the batch golden (some made invalid on purpose).
BATCH_ROWS = 200
#: Distinct synthetic answer sets per framework and profile scored per record (hashed).
RECORDS = 40


def examples() -> list[Path]:
    return sorted(p for g in EXAMPLE_GLOBS for p in ROOT.glob(g))


def example_results() -> dict[str, str]:
    """Example file (relative path) -> the full result JSON, as ``assess --json`` prints it."""
    import smesdk

    out: dict[str, str] = {}
    for path in examples():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        answers = smesdk.load_answers(path)
        fw = smesdk.load_framework(data["framework"], answers.profile)
        out[str(path.relative_to(ROOT))] = fw.assess(answers).to_json()
    return out


def _cases() -> list[tuple[str, str | None]]:
    import smesdk

    host = smesdk.default_host()
    cases: list[tuple[str, str | None]] = []
    for fid in ("management", "digital", "quality-brand", "iso9001", "innovative", "example",
                "hooktest"):
        if fid not in host.framework_ids():
            continue
        fw = host.load_framework(fid)
        cases += [(fid, None), *((fid, p) for p in fw.profiles)]
    return cases


def _spoil(batch: Any, seed: int) -> Any:
    """Make a few cells invalid and a few rows odd, so error rows are in the golden too."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    cols = dict(zip(batch.schema.names, batch.columns, strict=True))
    n = batch.num_rows
    names = [c for c in cols if c not in ("enterprise_id", "size", "industry", "date")
             and not c.startswith("na:")]
    for name in names[:: max(1, len(names) // 6)]:
        col = cols[name]
        bad = rng.random(n) < 0.03
        values = col.to_pylist()
        if pa.types.is_list(col.type):
            values = [["not-an-option"] if b else v for v, b in zip(values, bad, strict=True)]
        elif pa.types.is_boolean(col.type):
            values = [None if b else v for v, b in zip(values, bad, strict=True)]
        elif pa.types.is_integer(col.type):
            values = [99 if b else v for v, b in zip(values, bad, strict=True)]
        elif pa.types.is_floating(col.type):
            values = [-1.0e6 if b else v for v, b in zip(values, bad, strict=True)]
        elif pa.types.is_string(col.type):
            values = ["??" if b else v for v, b in zip(values, bad, strict=True)]
        else:
            values = [None if b else v for v, b in zip(values, bad, strict=True)]
        cols[name] = pa.array(values, col.type)
    return pa.RecordBatch.from_pydict(cols)


def batch_results() -> dict[str, str]:
    """'framework/profile' -> the batch output rows as JSON lines."""
    import warnings

    import smesdk
    from smesdk.batch import compile_plan, score_batch
    from smesdk.batch.synthetic import synthetic_batch

    out: dict[str, str] = {}
    for k, (fid, profile) in enumerate(_cases()):
        fw = smesdk.load_framework(fid, profile)
        plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
        batch = _spoil(synthetic_batch(plan, BATCH_ROWS, seed=100 + k), seed=k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = score_batch(plan, batch)
        lines = [json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
                 for row in result.to_pylist()]
        out[f"{fid}/{profile or '-'}"] = "\n".join(lines) + "\n"
    return out


def record_hashes() -> dict[str, str]:
    """'framework/profile' -> sha256 of the full JSON of RECORDS synthetic answer sets."""
    import warnings

    import smesdk
    from smesdk.batch import compile_plan
    from smesdk.batch.columns import row_to_data
    from smesdk.batch.synthetic import synthetic_batch
    from smesdk.errors import AnswerError

    out: dict[str, str] = {}
    for k, (fid, profile) in enumerate(_cases()):
        fw = smesdk.load_framework(fid, profile)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
        digest = hashlib.sha256()
        for row in synthetic_batch(plan, RECORDS, seed=500 + k).to_pylist():
            try:
                result = fw.assess(smesdk.answers_from_data(row_to_data(row)))
                digest.update(result.to_json().encode())
            except AnswerError as exc:
                digest.update(exc.render().encode())
        out[f"{fid}/{profile or '-'}"] = digest.hexdigest()
    return out


def compute() -> dict[str, str]:
    """File name under tests/golden -> its content."""
    files: dict[str, str] = {}
    for name, text in example_results().items():
        files["examples/" + name.replace("/", "__").removesuffix(".yaml") + ".json"] = text + "\n"
    for name, text in batch_results().items():
        files["batch/" + name.replace("/", "__") + ".jsonl"] = text
    files["records.json"] = json.dumps(record_hashes(), indent=2, sort_keys=True) + "\n"
    return files


def main() -> int:
    files = compute()
    for name, text in files.items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} golden files under {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
