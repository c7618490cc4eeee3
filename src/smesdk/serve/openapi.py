"""The OpenAPI 3.1 document of the HTTP API, built from the JSON Schemas of ``specs/``.

The documents the API takes and gives (framework, answer set, result, the ``assess-all``
suite result) are described by the schemas :mod:`smesdk.schema` generates from the model, with
their ``$defs`` moved into ``components/schemas``: one source, no second model. Only the API's
own envelopes (problem documents, job status, health) are written here.

``python -m smesdk.serve.openapi specs`` rewrites ``specs/openapi.json``; a test fails when
it drifts from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from smesdk.schema import SCHEMAS, schema_for
from smesdk.serve.inputs import TEXT_TYPES, XLSX
from smesdk.serve.jobs import OUTPUT_FORMATS, STATES
from smesdk.serve.problems import MEDIA_TYPE, TYPES
from smesdk.serve.routes_jobs import UPLOADS

API_VERSION = "1"
_REF = "#/components/schemas/"


def _moved(node: Any) -> Any:
    """``node`` with every ``#/$defs/X`` reference pointing at ``components/schemas/X``."""
    if isinstance(node, dict):
        return {k: (_REF + v.removeprefix("#/$defs/") if k == "$ref" and isinstance(v, str)
                    else _moved(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_moved(v) for v in node]
    return node


def _model_schemas() -> dict[str, Any]:
    """Every definition of the specs/ schemas (and the suite result), by class name.

    Two schemas defining one name differently would make one of them wrong here: refused."""
    from smesdk.suite import SuiteResult

    documents = [make() for make in SCHEMAS.values()]
    documents.append(schema_for(SuiteResult, "suite", "smesdk assess-all result"))
    out: dict[str, Any] = {}
    for doc in documents:
        for name, definition in doc["$defs"].items():
            if name in out and out[name] != _moved(definition):
                raise ValueError(f"two schemas define {name} differently")
            out[name] = _moved(definition)
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


_TEXT = {"type": "object", "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
         "required": ["zh", "en"]}

_API_SCHEMAS: dict[str, Any] = {
    "ProblemItem": {
        "type": "object", "description": "One problem, as the CLI prints it, with its place: "
        "`path` the field, query parameter, line and column or sheet and cell; `file` the "
        "part of the request it is in (`body`, `form.xlsx`, `upload.csv`), if any.",
        "properties": {"path": {"type": "string"}, "message": {"type": "string"},
                       "file": {"type": ["string", "null"]}},
        "required": ["path", "message", "file"], "additionalProperties": False},
    "Problem": {
        "type": "object", "description": "An RFC 9457 problem document. `errors` lists the "
        "problems the CLI prints, each with its place in what was sent.",
        "properties": {
            "type": {"type": "string", "enum": [f"https://smesdk.readthedocs.io/serve/#problem-{k}"
                                                for k in TYPES]},
            "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": _ref("ProblemItem")},
        },
        "required": ["type", "title", "status", "detail"], "additionalProperties": False,
    },
    "FrameworkSummary": {
        "type": "object", "description": "One row of `smesdk frameworks --json`.",
        "properties": {
            "id": {"type": "string"}, "version": {"type": "string"}, "title": _TEXT,
            "plugin": {"type": "string"}, "indicators": {"type": "integer"},
            "profiles": {"type": "array", "items": {"type": "string"}},
            "source": {"type": "object", "properties": {
                "id": {"type": "string"}, "title": _TEXT,
                "number": {"type": ["string", "null"]},
                "date": {"type": ["string", "null"], "format": "date"}},
                "required": ["id", "title", "number", "date"]},
        },
        "required": ["id", "version", "title", "plugin", "indicators", "profiles", "source"],
    },
    "FrameworkDocument": {
        "type": "object", "description": "`smesdk show FRAMEWORK --json`: the framework with "
        "its profile applied.",
        "properties": {
            "id": {"type": "string"}, "version": {"type": "string"},
            "profile": {"type": ["string", "null"]},
            "profiles": {"type": "array", "items": {"type": "string"}},
            "plugin": {"type": ["string", "null"]}, "content_hash": {"type": "string"},
            "origins": {"type": "object"}, "framework": _ref("FrameworkSpec"),
        },
        "required": ["id", "version", "profile", "profiles", "plugin", "content_hash",
                     "origins", "framework"],
    },
    "Job": {
        "type": "object", "description": "A batch job: what it runs and how far it is.",
        "properties": {
            "id": {"type": "string"}, "framework": {"type": "string"},
            "profile": {"type": ["string", "null"]},
            "format": {"type": "string", "enum": list(OUTPUT_FORMATS)},
            "as_of": {"type": ["string", "null"], "format": "date"},
            "created": {"type": "string", "format": "date-time"},
            "state": {"type": "string", "enum": list(STATES)},
            "rows_done": {"type": "integer"}, "rows_total": {"type": ["integer", "null"]},
            "summary": {"type": "object", "properties": {
                "rows": {"type": "integer"}, "scored": {"type": "integer"},
                "errors": {"type": "integer"}, "resumed_units": {"type": "integer"}}},
            "problems": {"type": "array", "items": _ref("ProblemItem"),
                         "description": "Why a failed job failed."},
            "results": {"type": "string"}, "errors": {"type": "string"},
            "finished": {"type": "string", "format": "date-time",
                         "description": "When the job ended (done or failed)."},
            "expires": {"type": "string", "format": "date-time",
                        "description": "When a finished job, its upload and its files are "
                        "removed (`finished_jobs_hours` after it ended)."},
        },
        "required": ["id", "framework", "profile", "format", "created", "state"],
    },
    "Health": {"type": "object", "properties": {"status": {"const": "ok"},
                                                "version": {"type": "string"}},
               "required": ["status", "version"]},
    "Ready": {"type": "object", "properties": {
        "status": {"enum": ["ok", "not ready"]}, "frameworks": {"type": "integer"},
        "problems": {"type": "array", "items": {"type": "string"}}},
        "required": ["status", "frameworks", "problems"]},
}

_STATUS_TEXT = {200: "OK", 202: "Accepted: the job is queued",
                204: "Removed, with its upload and files", 400: "A malformed parameter",
                401: "No or unknown API key", 404: "No such framework, profile, job or file",
                408: "The body came too slowly", 409: "The job is not done yet, or running",
                413: "The body is over the endpoint's limit",
                415: "Unsupported media type", 422: "The input does not fit; `errors` says where",
                500: "A plugin or the disk failed", 503: "Over the endpoint's time limit"}


def _problems(*codes: int) -> dict[str, Any]:
    return {str(code): {"description": _STATUS_TEXT[code],
                        "content": {MEDIA_TYPE: {"schema": _ref("Problem")}}}
            for code in sorted({400, 401, 500, *codes})}


def _ok(media: str, schema: dict[str, Any], code: int = 200) -> dict[str, Any]:
    return {str(code): {"description": _STATUS_TEXT[code],
                        "content": {media: {"schema": schema}}}}


def _param(name: str, where: str, description: str, schema: dict[str, Any] | None = None,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema or {"type": "string"}}


_FRAMEWORK = _param("framework", "path", "An installed framework's id (GET /v1/frameworks).")
_PROFILE = _param("profile", "query", "A profile of the framework (default: the answers' own).")
_LANG = _param("lang", "query", "Language of texts (default zh).", {"enum": ["zh", "en"]})
_JOB = _param("job", "path", "The job id the server gave.")
_BINARY = {"type": "string", "format": "binary"}


def _answers_body(schema: str) -> dict[str, Any]:
    content: dict[str, Any] = {media: {"schema": _ref(schema)} for media in TEXT_TYPES}
    content[XLSX] = {"schema": _BINARY}
    content["multipart/form-data"] = {"schema": {
        "type": "object", "properties": {"form": _BINARY}, "required": ["form"]}}
    return {"required": True, "description": "An answer set (JSON, YAML or TOML, as in "
            "`smesdk assess`), or a filled-in .xlsx questionnaire (the body itself, or a "
            "multipart part named `form`).", "content": content}


def _paths() -> dict[str, Any]:
    input_errors = (400, 404, 408, 413, 415, 422, 503)
    return {
        "/v1/healthz": {"get": {"operationId": "healthz", "summary": "The process answers.",
                                "responses": {**_ok("application/json", _ref("Health")),
                                              **_problems()}}},
        "/v1/readyz": {"get": {
            "operationId": "readyz", "summary": "Plugins loaded and the jobs folder writable.",
            "responses": {**_ok("application/json", _ref("Ready")),
                          "503": {"description": "Not ready",
                                  "content": {"application/json": {"schema": _ref("Ready")}}},
                          **_problems()}}},
        "/v1/frameworks": {"get": {
            "operationId": "listFrameworks", "summary": "The installed frameworks.",
            "responses": {**_ok("application/json", {"type": "array",
                                                     "items": _ref("FrameworkSummary")}),
                          **_problems()}}},
        "/v1/frameworks/{framework}": {"get": {
            "operationId": "showFramework", "summary": "One framework, with a profile applied.",
            "parameters": [_FRAMEWORK, _PROFILE],
            "responses": {**_ok("application/json", _ref("FrameworkDocument")),
                          **_problems(404, 503)}}},
        "/v1/assess/{framework}": {"post": {
            "operationId": "assess", "summary": "Score an answer set or a filled-in form.",
            "parameters": [_FRAMEWORK, _PROFILE, _LANG, _param(
                "explain", "query", "Instead of the result, the trace of one dimension or "
                "indicator as text (`all` for everything).")],
            "requestBody": _answers_body("AnswerSet"),
            "responses": {"200": {"description": "The result (JSON), or with `explain` its "
                                                 "trace (text).",
                                  "content": {"application/json": {"schema": _ref("Result")},
                                              "text/plain": {"schema": {"type": "string"}}}},
                          **_problems(*input_errors)}}},
        "/v1/assess-all": {"post": {
            "operationId": "assessAll", "summary": "Score one answer set against every "
            "framework (or those named), with the tier ladder.",
            "parameters": [_param("frameworks", "query", "Comma-separated ids, each `id` or "
                                  "`id:profile` (default: every installed one).")],
            "requestBody": _answers_body("AnswerSet"),
            "responses": {**_ok("application/json", _ref("SuiteResult")),
                          **_problems(*input_errors)}}},
        "/v1/report/{framework}": {"post": {
            "operationId": "report", "summary": "A report people read: HTML, Markdown or PDF.",
            "parameters": [_FRAMEWORK, _PROFILE, _LANG,
                           _param("format", "query", "html (default), md or pdf.",
                                  {"enum": ["html", "md", "pdf"]}),
                           _param("target", "query", "A level id drawn as the target.")],
            "requestBody": _answers_body("AnswerSet"),
            "responses": {"200": {"description": "The report.", "content": {
                "text/html": {"schema": {"type": "string"}},
                "text/markdown": {"schema": {"type": "string"}},
                "application/pdf": {"schema": _BINARY}}}, **_problems(*input_errors)}}},
        "/v1/questionnaire/{framework}": {"get": {
            "operationId": "questionnaire", "summary": "A blank Excel questionnaire.",
            "parameters": [_FRAMEWORK, _PROFILE, _LANG],
            "responses": {**_ok(XLSX, _BINARY), **_problems(400, 404, 503)}}},
        "/v1/batch/{framework}": {"post": {
            "operationId": "batch", "summary": "Score a file of many enterprises as a "
            "background job (`smesdk batch`).",
            "parameters": [_FRAMEWORK, _PROFILE,
                           _param("format", "query", "Results format: parquet (default) or "
                                  "csv.", {"enum": list(OUTPUT_FORMATS)}),
                           _param("date", "query", "Assessment date of rows without one "
                                  "(YYYY-MM-DD).", {"type": "string", "format": "date"})],
            "requestBody": {"required": True, "description": "The input file, as in "
                            "`smesdk batch`; its media type says its format.",
                            "content": {media: {"schema": _BINARY} for media in UPLOADS}},
            "responses": {**_ok("application/json", _ref("Job"), 202),
                          **_problems(*input_errors)}}},
        "/v1/jobs/{job}": {
            "get": {
                "operationId": "job", "summary": "A job's state and progress.",
                "parameters": [_JOB],
                "responses": {**_ok("application/json", _ref("Job")), **_problems(404)}},
            "delete": {
                "operationId": "deleteJob", "summary": "Remove a queued, done or failed job "
                "with its upload and files (a running one is refused).",
                "parameters": [_JOB],
                "responses": {"204": {"description": _STATUS_TEXT[204]},
                              **_problems(404, 409)}}},
        "/v1/jobs/{job}/{which}": {"get": {
            "operationId": "jobFile", "summary": "A finished job's results or error rows.",
            "parameters": [_JOB, _param("which", "path", "results or errors.",
                                        {"enum": ["results", "errors"]})],
            "responses": {"200": {"description": "The file.", "content": {
                "application/vnd.apache.parquet": {"schema": _BINARY},
                "text/csv": {"schema": {"type": "string"}}}}, **_problems(404, 409)}}},
    }


def query_parameters() -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) -> {query parameter: its schema}, for checking requests."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for path, operations in _paths().items():
        for method, operation in operations.items():
            out[(method.upper(), path)] = {p["name"]: p["schema"]
                                           for p in operation.get("parameters", [])
                                           if p["in"] == "query"}
    return out


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document served at ``/openapi.json``."""
    schemas = {**_model_schemas(), **_API_SCHEMAS}
    return {
        "openapi": "3.1.0",
        "info": {"title": "smesdk HTTP API", "version": API_VERSION,
                 "description": "Score SMEs against China's official management, digital, "
                 "quality-brand, QMS and tiered-cultivation frameworks. Errors are RFC 9457 "
                 "problem documents. See docs/serve.md."},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": _paths(),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                                "bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"apiKey": []}, {"bearer": []}],
    }


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "specs")
    (folder / "openapi.json").write_text(render(), encoding="utf-8")
    print(folder / "openapi.json")
