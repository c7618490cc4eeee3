"""docs/hooks.md documents every hook of smesdk.hookspecs with its exact signature.

Each hook has a section headed ``## `name` `` whose first ```text block is the signature as
``inspect.signature`` gives it (annotations as written in hookspecs.py). The second test
breaks a copy of the page on purpose to show the checker notices.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pluggy

from smesdk import hookspecs

ROOT = Path(__file__).parents[1]
PAGE = ROOT / "docs" / "hooks.md"
_SECTION = re.compile(r"^## `(\w+)`\s*$", re.M)
_TEXT = re.compile(r"^```text\n(.*?)^```", re.S | re.M)


def hook_names() -> list[str]:
    marker = pluggy.HookspecMarker("smesdk").project_name + "_spec"
    return [name for name, fn in vars(hookspecs).items()
            if callable(fn) and hasattr(fn, marker)]


def signature(name: str) -> str:
    """``name(arg: Annotation, ...) -> Return``, annotations as strings from the source."""
    sig = inspect.signature(getattr(hookspecs, name))

    def show(annotation: object) -> str:
        return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)

    params = ", ".join(f"{p.name}: {show(p.annotation)}" for p in sig.parameters.values())
    return f"{name}({params}) -> {show(sig.return_annotation)}"


def hook_doc_problems(page: str) -> list[str]:
    """Hooks missing from the page, documented twice, unknown, or with a wrong signature."""
    problems = []
    starts = [(m.group(1), m.end()) for m in _SECTION.finditer(page)]
    documented: dict[str, str] = {}
    for i, (name, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(page)
        if name in documented:
            problems.append(f"{name}: documented twice")
        documented[name] = page[start:end]
    hooks = hook_names()
    for name in hooks:
        if name not in documented:
            problems.append(f"{name}: not documented")
            continue
        block = _TEXT.search(documented[name])
        shown = " ".join(block.group(1).split()) if block else "(no ```text signature block)"
        if shown != signature(name):
            problems.append(f"{name}: documented as {shown!r}, the code has {signature(name)!r}")
    problems += [f"{name}: documented but not a hook" for name in documented if name not in hooks]
    return problems


def test_hookspecs_are_found() -> None:
    assert len(hook_names()) >= 8
    assert "smesdk_register_frameworks" in hook_names()


def test_every_hook_is_documented_with_its_real_signature() -> None:
    problems = hook_doc_problems(PAGE.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_the_checker_fails_on_a_wrong_signature_or_a_missing_hook() -> None:
    page = PAGE.read_text(encoding="utf-8")
    wrong = page.replace("smesdk_export_facts(framework: Framework, result: Result)",
                         "smesdk_export_facts(framework: Framework)", 1)
    assert wrong != page
    assert any(p.startswith("smesdk_export_facts: documented as") for p in hook_doc_problems(wrong))

    start = page.index("## `smesdk_register_commands`")
    missing = page[:start]
    assert "smesdk_register_commands: not documented" in hook_doc_problems(missing)

    extra = page + "\n## `smesdk_check_pending`\n\n```text\nsmesdk_check_pending() -> None\n```\n"
    assert "smesdk_check_pending: documented but not a hook" in hook_doc_problems(extra)
