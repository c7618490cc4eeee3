"""Each endpoint gives what its CLI command gives for the same input (byte for byte where the
CLI prints JSON), and refuses what the CLI refuses with the same problems."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from starlette.testclient import TestClient

from smesdk.cli import cli
from smesdk.serve import app
from smesdk.serve.config import ApiKey, ServeConfig
from smesdk.serve.keys import hash_key

from .conftest import EXAMPLE_ANSWERS, ROOT

YAML = {"content-type": "application/yaml"}
XLSX = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PROBLEM = "application/problem+json"


def _cli(*args: str) -> str:
    run = CliRunner().invoke(cli, list(args), prog_name="smesdk")
    assert run.exit_code == 0, run.output
    return run.output


def _compact(cli_json: str) -> str:
    """The CLI's --json document without its indentation: what the API sends."""
    return json.dumps(json.loads(cli_json), ensure_ascii=False) + "\n"


def _cli_error_lines(*args: str) -> list[str]:
    run = CliRunner().invoke(cli, list(args), prog_name="smesdk")
    assert run.exit_code == 1, run.output
    return run.output.removeprefix("Error: ").strip().splitlines()


def test_frameworks_and_show_are_the_cli_json(client: TestClient) -> None:
    assert client.get("/v1/frameworks").json() == json.loads(_cli("frameworks", "--json"))
    got = client.get("/v1/frameworks/example?profile=quick")
    assert got.json() == json.loads(_cli("show", "example", "--profile", "quick", "--json"))


def test_assess_json_yaml_and_form_give_the_cli_result(
        client: TestClient, tmp_path: Path) -> None:
    want = _compact(_cli("assess", "example", str(EXAMPLE_ANSWERS), "--json"))
    as_yaml = client.post("/v1/assess/example", content=EXAMPLE_ANSWERS.read_bytes(),
                          headers=YAML)
    assert as_yaml.status_code == 200 and as_yaml.text == want
    data = json.loads(json.dumps(yaml.safe_load(EXAMPLE_ANSWERS.read_text("utf-8")),
                                 default=str))
    assert client.post("/v1/assess/example", json=data).text == want
    # the same answers through a questionnaire: the form the API hands out, filled by the
    # library's own writer, read back by the API
    import smesdk
    from smesdk.questionnaire import write_questionnaire

    form = tmp_path / "form.xlsx"
    write_questionnaire(smesdk.load_framework("example"), form, lang="en",
                        answers=smesdk.load_answers(EXAMPLE_ANSWERS))
    cli_form = _compact(_cli("assess", "example", str(form), "--json"))
    assert client.post("/v1/assess/example", content=form.read_bytes(), headers=XLSX).text \
        == cli_form
    multipart = client.post("/v1/assess/example", files={"form": ("any.xlsx", form.read_bytes())})
    assert multipart.text == cli_form


def test_explain_is_the_cli_trace(client: TestClient) -> None:
    got = client.post("/v1/assess/example?explain=strategy&lang=en",
                      content=EXAMPLE_ANSWERS.read_bytes(), headers=YAML)
    want = _cli("assess", "example", str(EXAMPLE_ANSWERS), "--explain", "strategy", "--lang", "en")
    assert got.headers["content-type"].startswith("text/plain")
    assert got.text == want.rstrip("\n")
    missing = client.post("/v1/assess/example?explain=nope", content=EXAMPLE_ANSWERS.read_bytes(),
                          headers=YAML)
    assert missing.status_code == 404


def test_bad_answers_give_the_cli_problems_with_their_places(client: TestClient,
                                                             tmp_path: Path) -> None:
    bad = EXAMPLE_ANSWERS.read_text("utf-8").replace("strategy.mission: 3", "strategy.mission: 7")
    bad = bad.replace("size: small", "size: small\n  colour: red")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, "utf-8")
    want = _cli_error_lines("assess", "example", str(path))
    got = client.post("/v1/assess/example", content=bad.encode(), headers=YAML)
    assert got.status_code == 422
    assert got.headers["content-type"] == PROBLEM
    doc = got.json()
    assert doc["status"] == 422 and doc["type"].endswith("#problem-answers")
    shown = [f"{e['path']}: {e['message']}" if e["path"] else e["message"] for e in doc["errors"]]
    assert shown == [line.removesuffix(f" @ {path}") for line in want]
    assert all(e["file"] == "body" for e in doc["errors"])


@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/v1/frameworks/nope", 404),
    ("get", "/v1/frameworks/example?profile=nope", 404),
    ("get", "/v1/questionnaire/nope", 404),
    ("get", "/v1/questionnaire/example?lang=fr", 400),
    ("post", "/v1/report/example?format=docx", 400),
    ("get", "/v1/jobs/0123", 404),
    ("get", "/v1/jobs/../../etc/passwd", 404),
    ("get", "/v1/nowhere", 404),
    ("delete", "/v1/frameworks", 405),
])
def test_bad_requests_get_problem_documents(client: TestClient, method: str, url: str,
                                            status: int) -> None:
    got = client.request(method, url, content=EXAMPLE_ANSWERS.read_bytes(), headers=YAML)
    assert got.status_code == status
    assert got.headers["content-type"] == PROBLEM
    assert got.json()["status"] == status


def test_a_framework_name_never_reads_a_file(client: TestClient, tmp_path: Path) -> None:
    # load_framework("x.yaml") would read a spec file: the API must only name installed ones
    spec = ROOT / "examples" / "plugins" / "smesdk-example" / "src" / "smesdk_example" / "example.yaml"
    for name in (str(spec), "example.yaml", "%2Fetc%2Fpasswd.yaml"):
        got = client.post(f"/v1/assess/{name}", content=EXAMPLE_ANSWERS.read_bytes(), headers=YAML)
        assert got.status_code == 404, name
    got = client.post("/v1/assess-all?frameworks=example.yaml", content=b"{}",
                      headers={"content-type": "application/json"})
    assert got.status_code == 404


def test_unsupported_media_type(client: TestClient) -> None:
    got = client.post("/v1/assess/example", content=b"x", headers={"content-type": "text/plain"})
    assert got.status_code == 415 and got.headers["content-type"] == PROBLEM


def test_report_formats_are_the_cli_reports(client: TestClient, tmp_path: Path) -> None:
    for fmt, media in (("md", "text/markdown"), ("html", "text/html")):
        got = client.post(f"/v1/report/example?format={fmt}&lang=en",
                          content=EXAMPLE_ANSWERS.read_bytes(), headers=YAML)
        assert got.headers["content-type"].startswith(media)
        want = _cli("report", "example", str(EXAMPLE_ANSWERS), "--format", fmt, "--lang", "en")
        assert got.text == want
    pdf = client.post("/v1/report/example?format=pdf", content=EXAMPLE_ANSWERS.read_bytes(),
                      headers=YAML)
    assert pdf.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1


def test_questionnaire_is_a_form_the_cli_reads_back(client: TestClient, tmp_path: Path) -> None:
    got = client.get("/v1/questionnaire/example?lang=en&profile=quick")
    assert got.status_code == 200
    path = tmp_path / "blank.xlsx"
    path.write_bytes(got.content)
    from smesdk.questionnaire import form_info

    info = form_info(path)
    assert (info.framework, info.profile, info.lang) == ("example", "quick", "en")


def test_assess_all_is_the_cli_suite(client: TestClient) -> None:
    answers = ROOT / "plugins" / "tiered" / "examples"
    sample = next(p for p in sorted(answers.glob("*.yaml")))
    want = _compact(_cli("assess-all", str(sample), "--json"))
    got = client.post("/v1/assess-all", content=sample.read_bytes(), headers=YAML)
    assert got.status_code == 200, got.text
    assert got.text == want


def test_api_keys_are_required_when_configured(tmp_path: Path) -> None:
    config = ServeConfig(jobs_dir=str(tmp_path), api_keys=[ApiKey("platform-a",
                                                                  hash_key("s3cret-key"))])
    with TestClient(app(config)) as client:
        assert client.get("/v1/healthz").status_code == 200  # load balancers need no key
        refused = client.get("/v1/frameworks")
        assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
        assert client.get("/v1/frameworks", headers={"X-API-Key": "wrong"}).status_code == 401
        assert client.get("/v1/frameworks", headers={"X-API-Key": "s3cret-key"}).status_code == 200
        bearer = {"Authorization": "Bearer s3cret-key"}
        assert client.get("/v1/frameworks", headers=bearer).status_code == 200
    assert "s3cret-key" not in config.api_keys[0].hash


def test_cors_is_off_unless_configured(tmp_path: Path) -> None:
    origin = {"Origin": "https://platform.example"}
    with TestClient(app(ServeConfig(jobs_dir=str(tmp_path)))) as client:
        assert "access-control-allow-origin" not in client.get("/v1/frameworks",
                                                               headers=origin).headers
    config = ServeConfig(jobs_dir=str(tmp_path), cors_origins=["https://platform.example"])
    with TestClient(app(config)) as client:
        got = client.get("/v1/frameworks", headers=origin)
        assert got.headers["access-control-allow-origin"] == "https://platform.example"


def test_access_log_has_no_answer_contents(client: TestClient,
                                           caplog: pytest.LogCaptureFixture) -> None:
    secret = "示例精密机械有限公司"  # the enterprise name in the answers
    assert secret in EXAMPLE_ANSWERS.read_text("utf-8")
    with caplog.at_level(logging.INFO, logger="smesdk.serve.access"):
        client.post("/v1/assess/example?lang=en", content=EXAMPLE_ANSWERS.read_bytes(),
                    headers=YAML)
        client.post("/v1/assess/example", content=b"{", headers={"content-type": "application/json"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "smesdk.serve.access"]
    assert [(e["path"], e["status"]) for e in lines] == [("/v1/assess/example", 200),
                                                        ("/v1/assess/example", 422)]
    assert lines[0]["bytes_in"] == len(EXAMPLE_ANSWERS.read_bytes())
    assert not any(secret in r.getMessage() or "lang=en" in r.getMessage()
                   for r in caplog.records)


def test_a_bad_config_lists_every_problem(tmp_path: Path) -> None:
    from smesdk.errors import SmesdkError
    from smesdk.serve.config import load_config

    path = tmp_path / "serve.toml"
    path.write_text("read_idle_seconds = 0\ncolour = 'red'\n[limits.assess]\nseconds = -1\n"
                    "[[api_keys]]\nname = 'a'\nhash = 'plain-text-key'\n", "utf-8")
    with pytest.raises(SmesdkError) as info:
        load_config(path)
    assert "unknown field(s): colour" in str(info.value)
    path.write_text("read_idle_seconds = 0\n[limits.assess]\nseconds = -1\n"
                    "[[api_keys]]\nname = 'a'\nhash = 'plain-text-key'\n", "utf-8")
    with pytest.raises(SmesdkError) as info:
        load_config(path)
    assert [p.path for p in info.value.problems] == ["limits.assess.seconds",
                                                     "read_idle_seconds", "api_keys[0].hash"]


def test_a_config_built_in_python_is_checked_as_a_file_is(tmp_path: Path) -> None:
    from smesdk.errors import SmesdkError
    from smesdk.serve.config import EndpointLimits, Limits

    bad = ServeConfig(jobs_dir=str(tmp_path), read_idle_seconds=0,
                      finished_jobs_hours=float("inf"),
                      limits=EndpointLimits(assess=Limits(seconds=-1)))
    with pytest.raises(SmesdkError) as info:
        app(bad)
    assert {p.path for p in info.value.problems} == {
        "limits.assess.seconds", "read_idle_seconds", "finished_jobs_hours"}


def test_work_over_the_time_limit_is_a_503_problem(tmp_path: Path) -> None:
    from smesdk.serve.config import EndpointLimits, Limits

    # A PDF report of the digital example takes seconds (fonts, charts); the limit is 0.3 s.
    answers = ROOT / "plugins" / "digital" / "examples" / "04_level4.yaml"
    limits = EndpointLimits(report=Limits(seconds=0.3))
    with TestClient(app(ServeConfig(jobs_dir=str(tmp_path), limits=limits))) as client:
        started = time.monotonic()
        got = client.post("/v1/report/digital?format=pdf", content=answers.read_bytes(),
                          headers=YAML)
        took = time.monotonic() - started
    assert got.status_code == 503, got.text
    assert got.headers["content-type"] == PROBLEM and got.headers["retry-after"] == "1"
    assert got.json()["type"].endswith("#problem-timeout")
    assert took < 2.0  # answered at the limit, not when the render ends


def test_job_files_wait_until_the_job_is_done(client: TestClient) -> None:
    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    token, path = jobs.create("example", None, ".csv", "csv", None)  # upload never finished
    path.write_text("enterprise_id,size\n", "utf-8")
    assert client.get(f"/v1/jobs/{token}").json()["state"] == "receiving"
    early = client.get(f"/v1/jobs/{token}/results")
    assert early.status_code == 409 and early.headers["content-type"] == PROBLEM
    assert client.get(f"/v1/jobs/{token}/other").status_code == 404


def test_an_upload_cut_off_by_a_restart_is_dropped_not_run(tmp_path: Path) -> None:
    from smesdk.serve.jobs import Jobs

    jobs = Jobs(tmp_path, chunk_size=100, upload_seconds=0)
    token, path = jobs.create("example", None, ".csv", "csv", None)
    path.write_text("enterprise_id,size\ne1,sm", "utf-8")  # the server died mid-upload
    assert jobs.resume() == []
    assert jobs.status(token) is None and not (tmp_path / token).exists()


def test_hash_key_prints_a_config_entry_that_accepts_only_that_key() -> None:
    from smesdk.serve.keys import matches

    run = CliRunner().invoke(cli, ["serve", "--hash-key"], input="k3y-of-platform-b\n")
    assert run.exit_code == 0, run.output
    stored = run.output.split('hash = "', 1)[1].split('"', 1)[0]
    assert "k3y-of-platform-b" not in run.output
    assert matches("k3y-of-platform-b", stored) and not matches("k3y-of-platform-c", stored)


def test_small_answer_sets_are_scored_inline_and_large_ones_in_a_thread(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from smesdk.framework import Framework
    from smesdk.serve.routes_assess import INLINE_BYTES

    # Record the thread each assessment runs on: the event loop's own for a small answer
    # set, a worker thread for one over INLINE_BYTES (the same answers, padded with spaces
    # that YAML ignores). Both give the CLI's result.
    seen: list[str] = []
    assess = Framework.assess

    def spy(self: Framework, answers: object) -> object:
        seen.append(threading.current_thread().name)
        return assess(self, answers)  # type: ignore[arg-type]

    want = _compact(_cli("assess", "example", str(EXAMPLE_ANSWERS), "--json"))
    small = EXAMPLE_ANSWERS.read_bytes()
    large = small + b"\n" + b" " * (INLINE_BYTES + 1) + b"\n"
    monkeypatch.setattr(Framework, "assess", spy)
    for body in (small, large):
        got = client.post("/v1/assess/example", content=body, headers=YAML)
        assert got.status_code == 200 and got.text == want
    # TestClient runs the app's event loop in a portal thread; anyio names its worker threads.
    assert len(seen) == 2
    assert not seen[0].startswith("AnyIO worker") and seen[1].startswith("AnyIO worker")
