"""docs/serve.md's curl and JavaScript examples run against a real server.

tests/test_docs.py runs the page's ```python block; the ```sh blocks that call the server
(those naming http://127.0.0.1:8000) run here with bash, in a folder that mirrors the
repository, against a server on a free port. A ```json block right after one is what that
call must answer. The ```js block runs with node where node is installed (skipped otherwise).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from smesdk.batch.runner import run_batch

from .conftest import ROOT, Server, write_config

PAGE = ROOT / "docs" / "serve.md"
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)
PLACEHOLDER = "http://127.0.0.1:8000"


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(PAGE.read_text("utf-8"))]


def _calls() -> list[tuple[str, str | None]]:
    """(shell code, the JSON it must answer or None) of each block that calls the server."""
    blocks = _blocks()
    out = []
    for i, (lang, code) in enumerate(blocks):
        if lang == "sh" and PLACEHOLDER in code:
            after = blocks[i + 1] if i + 1 < len(blocks) else ("", "")
            out.append((code, after[1] if after[0] == "json" else None))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("docs-serve")
    running = Server(write_config(tmp / "serve.toml", tmp / "jobs")).start()
    yield running
    running.kill()


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".tox"):
            (tmp_path / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return tmp_path


def _bash(code: str, server: Server, cwd: Path) -> str:
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", code.replace(PLACEHOLDER, server.url)],
                         cwd=cwd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"{code}\n{run.stdout}\n{run.stderr}"
    return run.stdout


def test_the_page_has_the_examples_the_issue_asks_for() -> None:
    calls = _calls()
    assert len(calls) >= 5
    assert any("/v1/batch/" in code for code, _ in calls)
    assert any(answer is not None for _, answer in calls)
    assert [lang for lang, _ in _blocks()].count("js") == 1


@pytest.mark.parametrize("index", range(len(_calls())))
def test_curl_example_runs(index: int, server: Server, mirror: Path) -> None:
    code, answer = _calls()[index]
    out = _bash(code, server, mirror)
    if answer is not None:
        assert json.loads(out) == json.loads(answer)
    if "/v1/batch/" in code:  # byte for byte what `smesdk batch` writes from the same file
        import smesdk

        cli = mirror / "cli.csv"
        run_batch(smesdk.load_framework("example"), mirror / "firms.csv", cli)
        assert (mirror / "results.csv").read_bytes() == cli.read_bytes()
        assert (mirror / "errors.csv").read_bytes() == (mirror / "cli.errors.csv").read_bytes()
        with (mirror / "results.csv").open(encoding="utf-8") as fh:
            assert len(list(csv.DictReader(fh))) == 2  # as the page says: e1 and e2 scored
        with (mirror / "errors.csv").open(encoding="utf-8") as fh:
            assert [r["enterprise_id"] for r in csv.DictReader(fh)] == ["e3"]
        # The walk-through deletes its job: nothing of it is left in the jobs folder.
        assert not any((server.config.parent / "jobs").iterdir())


def test_config_example_reads_and_only_its_placeholder_hash_is_refused(tmp_path: Path) -> None:
    from smesdk.errors import SmesdkError
    from smesdk.serve.config import ServeConfig, load_config

    (text,) = [code for lang, code in _blocks() if lang == "toml"]
    path = tmp_path / "serve.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(SmesdkError) as info:
        load_config(path)
    assert [p.path for p in info.value.problems] == ["api_keys[0].hash"]
    path.write_text(text.split("[[api_keys]]")[0], "utf-8")
    config = load_config(path)
    assert config.finished_jobs_hours == ServeConfig().finished_jobs_hours == 168
    assert config.batch_chunk_size == ServeConfig().batch_chunk_size


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_fetch_example_runs(server: Server) -> None:
    (code,) = [code for lang, code in _blocks() if lang == "js"]
    run = subprocess.run(["node", "--input-type=module", "-"], input=code, text=True,
                         capture_output=True, timeout=60,
                         env={**os.environ, "SMESDK_URL": server.url})
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(r"total \d+(\.\d+)?, level \w+\n", run.stdout), run.stdout
