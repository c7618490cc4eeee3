"""What an integrating developer gets back for a request that is wrong: every problem at
once, each at its place (the query parameter, the JSON path, the line and column), with the
status that says whose mistake it is, and nothing of the server's insides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from smesdk.serve import app
from smesdk.serve.config import ServeConfig

from .conftest import EXAMPLE_ANSWERS

JSON = {"content-type": "application/json"}
YAML = {"content-type": "application/yaml"}
PROBLEM = "application/problem+json"


def _problem(got: httpx.Response, status: int) -> dict[str, Any]:
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == PROBLEM
    doc: dict[str, Any] = got.json()
    assert doc["status"] == status
    return doc


def _answers(name: str = "A") -> dict[str, Any]:
    """The JavaScript example's answers of docs/serve.md (they score 72.5 on `example`)."""
    return {"enterprise": {"name": name, "size": "small"}, "date": "2026-11-01", "answers": {
        "strategy.mission": 3, "strategy.plan": "partly", "hr.insurance": True,
        "hr.training_hours": 12, "operations.monitoring": 60,
        "operations.systems": ["erp", "crm"], "operations.qms_audit": "2026-03-01",
        "operations.qms": True}}


def test_every_query_problem_is_named_at_once(client: TestClient) -> None:
    got = client.post("/v1/batch/example?date=2026-99-01&format=xlsx&colour=red&format=csv",
                      content=b"enterprise_id\n", headers={"content-type": "text/csv"})
    doc = _problem(got, 400)
    assert sorted(e["path"] for e in doc["errors"]) == ["colour", "date", "format"]
    says = {e["path"]: e["message"] for e in doc["errors"]}
    assert "YYYY-MM-DD" in says["date"] and "more than once" in says["format"]
    assert "unknown" in says["colour"]


def test_assess_all_names_each_unfit_framework_in_its_query(client: TestClient) -> None:
    body = json.dumps(_answers())
    doc = _problem(client.post("/v1/assess-all?frameworks=example,nope,zzz", content=body,
                               headers=JSON), 404)
    assert [e["path"] for e in doc["errors"]] == ["frameworks", "frameworks"]
    assert "'nope'" in doc["errors"][0]["message"] and "'zzz'" in doc["errors"][1]["message"]
    # an unknown profile is the query's, not the body's
    doc = _problem(client.post("/v1/assess-all?frameworks=example:nope", content=body,
                               headers=JSON), 404)
    assert [(e["path"], e["file"]) for e in doc["errors"]] == [("frameworks", None)]
    assert "no profile 'nope'" in doc["errors"][0]["message"]
    # a list of nothing is not "every framework" (that is leaving the parameter out)
    doc = _problem(client.post("/v1/assess-all?frameworks=,", content=body, headers=JSON), 400)
    assert doc["errors"][0]["path"] == "frameworks"


def test_an_unknown_report_target_is_a_bad_parameter(client: TestClient) -> None:
    got = client.post("/v1/report/example?target=nope&format=md",
                      content=EXAMPLE_ANSWERS.read_bytes(), headers=YAML)
    doc = _problem(got, 400)
    assert doc["type"].endswith("#problem-request")
    assert [e["path"] for e in doc["errors"]] == ["target"]
    assert "basic, standard, advanced" in doc["errors"][0]["message"]  # example's levels


def test_a_lone_surrogate_escape_is_refused_at_its_place(client: TestClient) -> None:
    # "\ud800" is half of a UTF-16 pair: no character, so no UTF-8 result could hold it
    body = json.dumps(_answers("\ud800")).replace('"size": "small"', '"size": "small", '
                                                  '"region": "\\udc00x"')
    doc = _problem(client.post("/v1/assess/example", content=body, headers=JSON), 422)
    assert [(e["path"], e["file"]) for e in doc["errors"]] == [
        ("enterprise.name", "body"), ("enterprise.region", "body")]
    assert "surrogate" in doc["errors"][0]["message"]
    doc = _problem(client.post("/v1/assess-all", content=body, headers=JSON), 422)
    assert doc["errors"][0]["path"] == "enterprise.name"
    # a whole pair is one character (U+1F600), and is scored
    pair = client.post("/v1/assess/example", content=json.dumps(_answers("\U0001F600")),
                       headers=JSON)
    assert pair.status_code == 200 and pair.json()["enterprise"]["name"] == "\U0001F600"


def test_text_not_in_utf8_names_its_line_and_column(client: TestClient) -> None:
    # GBK, as a Chinese platform might send: 中 is D6 D0 there, and D6 starts a two-byte
    # UTF-8 sequence that D0 cannot continue. Line 3 is `  "name": "中…`: two spaces,
    # `"name":` and a space are 10 characters, then the quote, so 中 is in column 12.
    text = json.dumps(_answers("中国企业"), ensure_ascii=False, indent=1)
    assert text.splitlines()[2] == '  "name": "中国企业",' and "中".encode("gbk") == b"\xd6\xd0"
    doc = _problem(client.post("/v1/assess/example", content=text.encode("gbk"),
                               headers=JSON), 422)
    assert [e["path"] for e in doc["errors"]] == ["line 3, column 12"]
    assert "UTF-8" in doc["errors"][0]["message"]
    # a byte-order mark is not counted as a column
    doc = _problem(client.post("/v1/assess/example", content=b"\xef\xbb\xbf{\xff}",
                               headers=JSON), 422)
    assert doc["errors"][0]["path"] == "line 1, column 2"


def test_a_charset_other_than_utf8_is_refused_not_misread(client: TestClient) -> None:
    body = json.dumps(_answers("示例企业"), ensure_ascii=False)
    got = client.post("/v1/assess/example", content=body.encode("gbk"),
                      headers={"content-type": "application/json; charset=GBK"})
    doc = _problem(got, 415)
    assert "'gbk'" in doc["detail"] and "UTF-8" in doc["detail"]
    ok = client.post("/v1/assess/example", content=body.encode("utf-8"),
                     headers={"content-type": "application/json; charset=UTF-8"})
    assert ok.status_code == 200 and ok.json()["total"] == 72.5
    # a batch upload too: a GBK CSV would become error rows of mojibake, not a refusal
    csv = "enterprise_id,size\n企业一,small\n".encode("gbk")
    doc = _problem(client.post("/v1/batch/example?format=csv", content=csv,
                               headers={"content-type": "text/csv; charset=gb2312"}), 415)
    assert "'gb2312'" in doc["detail"]


def test_wrong_methods_and_paths_say_what_to_do(client: TestClient) -> None:
    doc = _problem(client.put("/v1/assess/example", content=b"{}"), 405)
    assert "PUT" in doc["detail"] and "POST" in doc["detail"]
    doc = _problem(client.get("/v1/asess/example"), 404)
    assert "/openapi.json" in doc["detail"]


def test_an_unexpected_error_shows_nothing_of_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from smesdk.serve import routes_catalog

    def broken(*_: object) -> object:
        raise RuntimeError("cannot open /srv/secret/plugins/cache.db")

    monkeypatch.setattr(routes_catalog, "framework_summary", broken)
    with TestClient(app(ServeConfig(jobs_dir=str(tmp_path))),
                    raise_server_exceptions=False) as client:
        got = client.get("/v1/frameworks")
        # uvicorn closes the connection after an error the app raised: the client is told,
        # so that its next request does not go down a connection about to be reset
        assert got.headers["connection"] == "close"
        doc = _problem(got, 500)
        assert "/srv/secret" not in json.dumps(doc) and "RuntimeError" not in json.dumps(doc)
        assert doc["type"].endswith("#problem-server") and "log" in doc["detail"]
        assert client.get("/v1/healthz").status_code == 200


def test_a_failed_jobs_files_are_refused_as_never_coming(client: TestClient) -> None:
    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    token, _ = jobs.create("example", None, ".csv", "csv", None)
    (jobs.root / token / "state.json").write_text(json.dumps({
        "state": "failed", "finished": "2026-11-30T08:00:00+00:00",
        "problems": [{"path": "", "message": "the job stopped: disk full", "file": None}]}),
        "utf-8")
    doc = _problem(client.get(f"/v1/jobs/{token}/results"), 409)
    # not "its files come when it is done": a failed job never is
    assert "failed" in doc["detail"] and "when it is done" not in doc["detail"]
    assert f"/v1/jobs/{token}" in doc["detail"]  # where its problems are


def test_the_openapi_document_refuses_parameters_as_every_endpoint_does(
        client: TestClient) -> None:
    # docs/serve.md: an unknown query parameter is refused, never ignored
    doc = _problem(client.get("/openapi.json?version=3.0"), 400)
    assert [e["path"] for e in doc["errors"]] == ["version"]
    assert client.get("/openapi.json").status_code == 200


def test_a_malformed_multipart_body_is_said_without_status_codes(client: TestClient) -> None:
    got = client.post("/v1/assess/example", files=[("form", ("a.xlsx", b"x")),
                                                   ("form", ("b.xlsx", b"y"))])
    doc = _problem(got, 400)
    # the multipart parser's own words, not its exception's "400: ..." rendering
    assert doc["detail"].startswith("malformed multipart body: ") and "400" not in doc["detail"]


def test_a_trailing_slash_is_a_404_naming_the_path_not_an_empty_redirect(
        client: TestClient) -> None:
    # a client that does not follow redirects (curl -f, httpx) would take a 307's empty
    # body for the result
    got = client.post("/v1/assess/example/", content=EXAMPLE_ANSWERS.read_bytes(),
                      headers=YAML, follow_redirects=False)
    doc = _problem(got, 404)
    assert "'/v1/assess/example'" in doc["detail"]


def test_a_failed_jobs_problems_are_described_by_the_openapi_document(
        client: TestClient) -> None:
    import jsonschema

    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    token, _ = jobs.create("example", None, ".csv", "csv", None)
    problem = {"path": "row 3", "message": "the job stopped: disk full", "file": None}
    (jobs.root / token / "state.json").write_text(json.dumps({
        "state": "failed", "finished": "2026-11-30T08:00:00+00:00", "problems": [problem]}),
        "utf-8")
    status = client.get(f"/v1/jobs/{token}").json()
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    items = schemas["Job"]["properties"]["problems"]["items"]
    if "$ref" in items:
        items = schemas[items["$ref"].rsplit("/", 1)[1]]
    # each field a client reads off a failed job is named (not "any object")
    assert set(items.get("required", [])) == set(problem)
    jsonschema.validate(status, {**schemas["Job"], "components": document["components"]},
                        cls=jsonschema.Draft202012Validator)
