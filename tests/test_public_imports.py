"""No distribution in the repository imports another package's private names.

"Private" is a name or module starting with ``_`` in any package, and, for smesdk, any module
not in the table of public modules in docs/api.md (the one place that list is written). The
distributions are every folder with a ``pyproject.toml`` (the four official plugins, the
example, hooktest and tutorial plugins) and the new-plugin template; their sources and tests
are read with ``ast``, imports and ``module.attribute`` uses both.

The smesdk package itself is exempt from the smesdk rule (its modules are one package; some of
them, e.g. ``smesdk.batch.compiled``, use engine helpers), but not from the rule about other
packages' private names. Its own tests, benchmarks and scripts test and measure its insides
and are not distributions.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import smesdk

ROOT = Path(__file__).parents[1]
SMESDK_SRC = ROOT / "src" / "smesdk"
TEMPLATE = SMESDK_SRC / "templates" / "plugin"
_ROW = re.compile(r"^\| `(smesdk[\w.]*)` \|", re.M)


def public_modules() -> set[str]:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = page[page.index("## Public modules"):]
    return set(_ROW.findall(section))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_smesdk_module(dotted: str) -> bool:
    path = SMESDK_SRC.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def distributions() -> list[Path]:
    """Every folder below the root holding a pyproject.toml, and the plugin template."""
    found = [TEMPLATE]
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and d not in
                         {"node_modules", "build", "dist", "site"})
        if "pyproject.toml" in files and Path(folder) != ROOT:
            found.append(Path(folder))
    return found


def _sources(dist: Path) -> Iterator[Path]:
    for path in sorted(dist.rglob("*")):
        if path.name.endswith((".py", ".py.tmpl")) and "__pycache__" not in path.parts:
            yield path


def _own_packages(dist: Path) -> set[str]:
    """Top-level names the distribution defines: its packages and its loose modules."""
    src = dist / "src" if (dist / "src").is_dir() else dist
    own = set()
    for path in _sources(dist):
        inside = path.relative_to(src).parts if path.is_relative_to(src) else (path.name,)
        own.add(inside[0].split(".")[0] if len(inside) > 1 else path.name.split(".")[0])
    return own


class _Checker(ast.NodeVisitor):
    def __init__(self, own: set[str], public: set[str], where: str) -> None:
        self.own, self.public, self.where = own, public, where
        self.modules: dict[str, str] = {}  # local name -> module it is bound to
        self.problems: list[str] = []

    def _problem(self, node: ast.AST, text: str) -> None:
        self.problems.append(f"{self.where}:{getattr(node, 'lineno', 0)}: {text}")

    def _module(self, node: ast.AST, dotted: str) -> None:
        parts = dotted.split(".")
        if parts[0] in self.own:
            return
        if any(_private(p) for p in parts):
            self._problem(node, f"imports private module {dotted}")
        elif parts[0] == "smesdk" and dotted not in self.public:
            self._problem(node, f"imports {dotted}, which is not a public smesdk module")

    def _name(self, node: ast.AST, module: str, name: str) -> None:
        if module.split(".")[0] in self.own:
            return
        if _private(name):
            self._problem(node, f"uses private name {module}.{name}")
        elif module.startswith("smesdk") and _is_smesdk_module(f"{module}.{name}"):
            self._module(node, f"{module}.{name}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
            if alias.asname:
                self.modules[alias.asname] = alias.name
            else:
                self.modules[alias.name.split(".")[0]] = alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or node.module is None:
            return  # relative: the distribution's own code
        self._module(node, node.module)
        for alias in node.names:
            if alias.name != "*":
                self._name(node, node.module, alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # module.attribute, for a name bound by `import module`
        chain: list[str] = [node.attr]
        value = node.value
        while isinstance(value, ast.Attribute):
            chain.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in self.modules:
            module = self.modules[value.id]
            for attr in reversed(chain):
                self._name(node, module, attr)
                if not _is_smesdk_module(f"{module}.{attr}"):
                    break
                module = f"{module}.{attr}"
        else:
            self.generic_visit(node)


def import_problems(dist: Path, public: set[str] | None = None) -> list[str]:
    """Every import in ``dist`` of another package's private name or smesdk's insides."""
    public = public_modules() if public is None else public
    own = _own_packages(dist)
    problems = []
    for path in _sources(dist):
        shown = path.relative_to(ROOT if path.is_relative_to(ROOT) else dist.parent)
        checker = _Checker(own, public, shown.as_posix())
        checker.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        problems += checker.problems
    return problems


def test_the_public_modules_are_listed_and_import() -> None:
    public = public_modules()
    assert {"smesdk", "smesdk.testing", "smesdk.batch", "smesdk.report",
            "smesdk.questionnaire"} <= public
    for name in public:
        assert _is_smesdk_module(name), f"docs/api.md lists {name}, which is not a module"


def test_every_root_export_exists_and_is_documented() -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = page[page.index("## Public modules"):]
    missing = [n for n in smesdk.__all__ if f"`{n}`" not in section]
    assert not missing, f"smesdk.__all__ names not described in docs/api.md: {missing}"
    for name in smesdk.__all__:
        assert getattr(smesdk, name) is not None
    assert "Warning" not in smesdk.__all__  # it would hide Python's own Warning on `import *`


def test_the_distributions_are_found() -> None:
    names = {d.relative_to(ROOT).as_posix() for d in distributions()}
    assert {"plugins/management", "plugins/digital", "plugins/quality-brand", "plugins/iso9001",
            "examples/plugins/smesdk-example", "tests/plugins/smesdk-hooktest",
            "docs/tutorial/smesdk-innovative", "src/smesdk/templates/plugin"} <= names


@pytest.mark.parametrize("dist", distributions(), ids=lambda d: d.relative_to(ROOT).as_posix())
def test_no_distribution_imports_private_names(dist: Path) -> None:
    problems = import_problems(dist)
    assert not problems, "\n".join(problems)


def test_smesdk_itself_imports_no_other_packages_private_names() -> None:
    problems = import_problems(SMESDK_SRC.parent)  # own package: smesdk
    assert not problems, "\n".join(problems)


def test_the_check_fails_on_planted_violations(tmp_path: Path) -> None:
    dist = tmp_path / "smesdk-planted"
    package = dist / "src" / "smesdk_planted"
    package.mkdir(parents=True)
    (dist / "pyproject.toml").write_text("[project]\nname = 'smesdk-planted'\n")
    (package / "_helpers.py").write_text("X = 1\n")
    (package / "__init__.py").write_text(
        "import smesdk\n"
        "import smesdk.engine as engine\n"                    # 2: an implementation module
        "from smesdk.batch.compiled import compile_plan\n"    # 3: another one
        "from smesdk import engine as eng, Text\n"            # 4: a submodule through the root
        "from smesdk.numbers import _frac\n"                  # 5: private name, private module
        "from pluggy._hooks import HookImpl\n"                # 6: another package's private module
        "from smesdk_planted import _helpers\n"               # 7: its own: fine
        "from . import _helpers as again\n"                   # 8: relative: fine
        "\n"
        "value = smesdk.kinds.AnswerKind\n"                   # 10: attribute path into smesdk
        "other = smesdk._private\n"                           # 11: private attribute
        "ok = smesdk.Text\n"                                  # 12: public: fine
    )
    problems = import_problems(dist, public_modules())
    lines = sorted(int(p.split(":")[1]) for p in problems)
    assert lines == [2, 3, 4, 5, 5, 6, 10, 11], "\n".join(problems)
    assert any("smesdk.numbers" in p and "not a public" in p for p in problems)
    assert any("private name smesdk.numbers._frac" in p for p in problems)
