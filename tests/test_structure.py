"""One scoring semantics: no module outside the semantic objects switches on what they are.

The meaning of an answer kind, gate test, aggregation, level rule and indicator status lives
in its object (kinds.py, gates.py, aggregations.py, levels.py, statuses.py, shapes.py).
Everything else asks the object: by shape, by its methods, by the status predicates. This
test reads the source (AST) and fails on the patterns that re-grow a second copy:

- ``type(x) is/in …`` on a semantic class, or ``isinstance(x, <semantic class>)``;
- comparing a kind's name (``ind.kind``, ``kind.name``) with a string, or a dict literal keyed
  by built-in kind names;
- a literal set/tuple of indicator status strings (ask :mod:`smesdk.statuses`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from smesdk.aggregations import BUILTIN_AGGREGATIONS
from smesdk.gates import GATE_TESTS
from smesdk.kinds import BUILTIN_KINDS
from smesdk.levels import BUILTIN_LEVEL_RULES
from smesdk.statuses import IndicatorStatus

SRC = Path(__file__).resolve().parents[1] / "src" / "smesdk"
#: Where the semantics live: these modules define the objects and may look at themselves.
SEMANTIC = {"kinds.py", "gates.py", "aggregations.py", "levels.py", "statuses.py", "shapes.py",
            "columnar.py", "registry.py"}
KIND_NAMES = {k.name for k in BUILTIN_KINDS}
STATUS_NAMES = {s.value for s in IndicatorStatus}
SEMANTIC_CLASSES = ({type(k).__name__ for k in BUILTIN_KINDS} | {"AnswerKind"}
                    | {type(a).__name__ for a in BUILTIN_AGGREGATIONS} | {"Aggregation"}
                    | {type(r).__name__ for r in BUILTIN_LEVEL_RULES} | {"LevelRule"}
                    | {type(t).__name__ for t in GATE_TESTS.values()} | {"GateTest"}
                    | {"TotalTest", "DimensionTest", "IndicatorTest", "FactTest", "CountTest"})


#: Variable names that hold semantic objects in this code base.
_SEMANTIC_VARS = {"kind", "agg", "aggregation", "rule", "gate", "test"}


def _names(node: ast.AST) -> set[str]:
    """Class names mentioned in an isinstance/type target (a name, attribute or tuple)."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return {n for elt in node.elts for n in _names(elt)}
    if isinstance(node, ast.BinOp):  # X | Y
        return _names(node.left) | _names(node.right)
    return set()


def _constants(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return {c for elt in node.elts for c in _constants(elt)}
    return set()


def _is_kind_name(node: ast.AST) -> bool:
    """``x.kind``, ``kind.name`` or a bare ``kind`` variable."""
    if isinstance(node, ast.Attribute):
        return node.attr == "kind" or (node.attr == "name" and isinstance(node.value, ast.Name)
                                       and node.value.id == "kind")
    return isinstance(node, ast.Name) and node.id == "kind"


def violations(source: str, where: str) -> list[str]:
    """Every switch on a semantic object's identity in ``source``."""
    out: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = f"{where}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "isinstance" and len(node.args) == 2:
            hit = _names(node.args[1]) & SEMANTIC_CLASSES
            if hit:
                out.append(f"{line}: isinstance on {sorted(hit)}")
        elif isinstance(node, ast.Compare):
            left = node.left
            if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and \
                    left.func.id == "type":
                hit = {n for c in node.comparators for n in _names(c)} & SEMANTIC_CLASSES
                hit |= {"a semantic table"} if any(
                    isinstance(c, ast.Name) and c.id.isupper() for c in node.comparators) else set()
                if hit:
                    out.append(f"{line}: type() compared with {sorted(hit)}")
            sides = [left, *node.comparators]
            if any(_is_kind_name(s) for s in sides) and \
                    any(_constants(s) & KIND_NAMES for s in sides):
                out.append(f"{line}: a kind's name compared with a string")
            statuses = {c for s in sides for c in _constants(s)} & STATUS_NAMES
            if len(statuses) >= 2 or (statuses and any(
                    isinstance(s, ast.Attribute) and s.attr == "status" for s in sides)):
                out.append(f"{line}: indicator statuses spelt out ({sorted(statuses)})")
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & KIND_NAMES) >= 3:
                out.append(f"{line}: a table keyed by kind names")
            if len(keys & STATUS_NAMES) >= 3:
                out.append(f"{line}: a table keyed by indicator statuses")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "type" and len(node.args) == 1 and \
                isinstance(node.args[0], ast.Name) and node.args[0].id in _SEMANTIC_VARS:
            out.append(f"{line}: type({node.args[0].id}) (dispatch on its shape or methods)")
    return out


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py")
                  if p.name not in SEMANTIC or p.parent != SRC)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_switch_on_semantic_objects(path: Path) -> None:
    found = violations(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    assert not found, "ask the semantic object instead:\n" + "\n".join(found)


@pytest.mark.parametrize("snippet", [
    "if isinstance(kind, NumberKind): pass",
    "if isinstance(k, (ChoiceKind, YesNoKind)): pass",
    "ok = type(agg) in _AGGREGATIONS",
    "ok = type(rule) is BandsRule",
    "if ind.kind == 'multi': pass",
    "if kind.name in ('number', 'percent'): pass",
    "types = {'choice': 1, 'multi': 2, 'yesno': 3}",
    "if item.status == 'na': pass",
    "LEFT = {'na', 'not_applicable'}\nif s in ('na', 'unscored'): pass",
    "cls = type(kind)\nif cls in (NumberKind, PercentKind): pass",
    "LABELS = {'scored': 1, 'na': 2, 'unanswered': 3}",
])
def test_the_checker_finds_each_pattern(snippet: str) -> None:
    assert violations(snippet, "planted"), snippet


def test_the_checker_passes_dispatch_by_shape_and_method() -> None:
    ok = ("if kind.shape is Shape.BANDS: lo, hi = kind.number_range(ind)\n"
          "if item.status in LEFT_OUT: pass\n"
          "if isinstance(value, str): pass\n")
    assert violations(ok, "fine") == []
