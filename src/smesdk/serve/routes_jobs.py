"""``POST /v1/batch/{framework}``, ``GET /v1/jobs/{id}`` (with its results and errors) and
``DELETE /v1/jobs/{id}``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator

import anyio.to_thread
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from smesdk.batch.formats import FORMATS
from smesdk.errors import SmesdkError
from smesdk.serve import inputs
from smesdk.serve.jobs import OUTPUT_FORMATS, Jobs
from smesdk.serve.problems import HTTPProblem, bad_request, from_error, not_found
from smesdk.serve.responses import json_response
from smesdk.serve.state import budget_for, jobs_of

#: The media type of an upload says its format, by name in smesdk.batch.formats.FORMATS (a
#: client's file name is never used). A test fails when a batch format has no media type here.
UPLOADS = {"text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
           "application/vnd.apache.parquet": "parquet"}
_READ_BYTES = 1 << 20
_MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8"}
#: Why Jobs.delete left a job in place, as the 409 says it.
_NOT_DELETED = {
    "running": "the job is running; delete it when it is done or failed",
    "receiving": "the job's upload is still arriving; delete it once it is queued",
    "busy": "another request is handling the job; ask again",
}


async def _jobs(request: Request) -> Jobs:
    """This server's jobs, first swept of expired ones when a sweep is due (once a minute;
    in a thread, as it reads every job's state)."""
    jobs = jobs_of(request)
    if jobs.sweep_due():
        await anyio.to_thread.run_sync(jobs.sweep)
    return jobs


def _no_job() -> HTTPProblem:
    return not_found("no such job", "job")


def _date(request: Request) -> dt.date | None:
    """``?date=``, a date the query check (application._checked) has already read as one."""
    value = request.query_params.get("date")
    return dt.date.fromisoformat(value) if value else None


def _check_columns(framework: str, profile: str | None, path: object) -> None:
    """The upload's columns fit the framework (the runner's own check, before queueing)."""
    from smesdk.batch.columns import check_columns
    from smesdk.batch.formats import open_source

    names = open_source(path).column_names()  # type: ignore[arg-type]
    if names is not None:
        check_columns(inputs.framework(framework, profile), names)


async def batch(request: Request) -> Response:
    budget = budget_for(request, "batch")
    name = request.path_params["framework"]
    profile = request.query_params.get("profile") or None
    inputs.framework(name, profile)
    fmt = request.query_params.get("format", "parquet")
    if fmt not in OUTPUT_FORMATS:
        raise bad_request(f"format must be parquet or csv, not {fmt[:20]!r}", "format")
    as_of = _date(request)
    got = inputs.media_type(request)
    if got not in UPLOADS:
        raise inputs.unsupported(got, list(UPLOADS))
    inputs.utf8_only(request)
    suffix = FORMATS[UPLOADS[got]].suffixes[0]
    jobs = await _jobs(request)
    token, path = jobs.create(name, profile, suffix, fmt, as_of)
    try:
        await budget.save(request, path, budget.limits.upload_bytes)
        await budget.run(lambda: _check_columns(name, profile, path), "reading the upload")
    except SmesdkError as exc:
        jobs.discard(token)
        raise from_error(exc, f"upload{suffix}") from None
    except BaseException:
        jobs.discard(token)
        raise
    jobs.start(token)
    status = jobs.status(token)
    return json_response(status, 202, {"Location": f"/v1/jobs/{token}"})


async def job(request: Request) -> Response:
    status = (await _jobs(request)).status(request.path_params["job"])
    if status is None:
        raise _no_job()
    return json_response(status)


async def delete_job(request: Request) -> Response:
    """Remove a job no process is running, with its upload and files (204); never a running
    one (409). In a thread: the files may be large."""
    jobs = await _jobs(request)
    why = await anyio.to_thread.run_sync(jobs.delete, request.path_params["job"])
    if why is None:
        return Response(status_code=204)
    if why == "missing":
        raise _no_job()
    raise HTTPProblem(409, "conflict", _NOT_DELETED[why])


async def job_file(request: Request) -> Response:
    token, which = request.path_params["job"], request.path_params["which"]
    jobs = await _jobs(request)
    status = jobs.status(token)
    found = jobs.output(token, which) if which in ("results", "errors") else None
    if status is None or found is None:
        raise not_found("no such job or file", "job")
    if status.get("state") == "failed":
        raise HTTPProblem(409, "conflict", f"the job failed, so it has no {which}; GET "
                          f"/v1/jobs/{token} lists its problems")
    if status.get("state") != "done":
        raise HTTPProblem(409, "conflict", f"the job is {status.get('state')}; its files come "
                          "when it is done")
    path, fmt = found
    try:
        # Opened here and held: a removal from now on (DELETE, expiry) cannot cut the
        # download, and one just before it is a 404, not a server error.
        handle = path.open("rb")
    except FileNotFoundError:
        raise not_found("the job's files were removed (deleted, or expired)", "job") from None
    size = os.fstat(handle.fileno()).st_size

    async def body() -> AsyncIterator[bytes]:
        try:
            while chunk := await anyio.to_thread.run_sync(handle.read, _READ_BYTES):
                yield chunk
        finally:
            handle.close()

    name = f"{token}-{which}.{fmt}"
    return StreamingResponse(body(), media_type=_MEDIA[fmt], background=BackgroundTask(
        handle.close), headers={"Content-Length": str(size),
                                "Content-Disposition": f'attachment; filename="{name}"'})
