"""`smesdk new-plugin`: the generated package installs into a fresh environment and passes
its own tests unmodified; bad names are refused clearly."""

from __future__ import annotations

import os
import re
import site
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from smesdk.cli import cli


def _venv_inheriting_this_one(folder: Path) -> Path:
    """A new virtual environment that sees this interpreter's packages (smesdk, pytest,
    hypothesis, hatchling, pip) without reinstalling them, so the test needs no network.

    ``--system-site-packages`` is not enough when the tests themselves run in a virtual
    environment (tox): it links the base interpreter's packages, not ours. A ``.pth`` line
    that calls ``site.addsitedir`` adds ours, including the editable installs' own .pth files.
    """
    venv.create(folder, with_pip=False, symlinks=os.name != "nt")
    bindir = "Scripts" if os.name == "nt" else "bin"
    python = folder / bindir / ("python.exe" if os.name == "nt" else "python")
    child_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip()
    parents = dict.fromkeys([sysconfig.get_path("purelib"), *site.getsitepackages()])
    lines = [f"import site; site.addsitedir({p!r})" for p in parents if Path(p).is_dir()]
    Path(child_site, "_smesdk_parent.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return python


def test_generated_plugin_installs_and_passes_its_own_tests(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="the generated plugin builds with hatchling")
    target = tmp_path / "smesdk-acme-basics"
    run = CliRunner().invoke(cli, ["new-plugin", "acme-basics", "-o", str(target)])
    assert run.exit_code == 0, run.output
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == ["CHANGELOG.md", "README.md", "examples/example.yaml", "pyproject.toml",
                     "src/smesdk_acme_basics/__init__.py", "src/smesdk_acme_basics/acme-basics.yaml",
                     "tests/conftest.py", "tests/test_framework.py"]

    python = _venv_inheriting_this_one(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["HYPOTHESIS_PROFILE"] = "dev"
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         str(target)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr

    # The framework is found through the installed entry point, from outside the source tree.
    frameworks = subprocess.run([python, "-c", "import smesdk; print(smesdk.load_framework("
                                 "'acme-basics').id)"],
                                capture_output=True, text=True, env=env, cwd=tmp_path)
    assert frameworks.stdout.strip() == "acme-basics", frameworks.stderr

    tests = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                           capture_output=True, text=True, env=env, cwd=target)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    passed = re.search(r"(\d+) passed", tests.stdout)
    assert passed and int(passed.group(1)) > 0, tests.stdout
    assert "failed" not in tests.stdout and "error" not in tests.stdout.lower()


@pytest.mark.parametrize("name", ["Acme", "1acme", "acme--x", "acme x", "acme-", "a" * 41, "缺省"])
def test_bad_names_are_refused_with_a_usage_error(name: str, tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["new-plugin", name, "-o", str(tmp_path / "p")])
    assert run.exit_code == 2
    assert "not a valid plugin name" in run.output
    assert not (tmp_path / "p").exists()


def test_a_non_empty_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    run = CliRunner().invoke(cli, ["new-plugin", "acme", "-o", str(tmp_path)])
    assert run.exit_code == 2 and "not empty" in run.output
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_names_flow_into_every_file(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["new-plugin", "zj_quality", "-o", str(tmp_path / "p")])
    assert run.exit_code == 0, run.output
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "p").rglob("*") if p.is_file())
    assert "{{" not in text and "}}" not in text
    assert 'zj_quality = "smesdk_zj_quality"' in text and 'name = "smesdk-zj-quality"' in text
