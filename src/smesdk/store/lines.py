"""Reading a JSON Lines export: every line checked, every problem reported with its line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from smesdk.errors import Problem, SmesdkError
from smesdk.loading import answers_from_data
from smesdk.result import Result
from smesdk.store.database import Assessment, canonical, framework_from_snapshot

_SPEC_FIELDS = {"record", "content_hash", "framework", "version", "profile", "spec"}
_ASSESSMENT_FIELDS = {"record", "uid", "recorded_at", "source", "answers", "result"}


def parse_lines(lines: Iterable[str], file: str | None
                ) -> tuple[dict[str, dict[str, Any]], list[Assessment]]:
    """Spec rows by content hash and the assessments of an export; SmesdkError lists every bad line."""
    specs: dict[str, dict[str, Any]] = {}
    items: list[Assessment] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, 1):
        where = f"line {number}"
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, f"not JSON: {exc.msg}", file))
            continue
        if not isinstance(data, dict) or data.get("record") not in ("spec", "assessment"):
            problems.append(Problem(where, "not a store record (record: spec | assessment)", file))
            continue
        expected = _SPEC_FIELDS if data["record"] == "spec" else _ASSESSMENT_FIELDS
        if set(data) != expected:
            odd = sorted(set(data) ^ expected)
            problems.append(Problem(where, f"fields missing or unknown: {', '.join(odd)}", file))
            continue
        try:
            if data["record"] == "spec":
                spec_text = canonical(data["spec"])
                fw = framework_from_snapshot(spec_text, data["profile"], data["content_hash"])
                specs[fw.content_hash] = {"content_hash": fw.content_hash, "framework": fw.id,
                                          "version": fw.version, "profile": fw.profile,
                                          "spec": spec_text}
            else:
                result = Result.from_json(json.dumps(data["result"]))
                answers = answers_from_data(data["answers"])
                items.append(Assessment(str(data["uid"]), answers, result,
                                        str(data["recorded_at"]), data["source"]))
        except SmesdkError as exc:
            problems.extend(Problem(f"{where}: {p.path}" if p.path else where, p.message, file)
                            for p in exc.problems)
    if problems:
        raise SmesdkError(problems, title=f"{file or 'import'}: nothing imported")
    return specs, items
