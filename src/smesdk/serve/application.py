"""The ASGI application: routes, error handling, CORS, the jobs of this process."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smesdk import default_host
from smesdk.errors import Problem, SmesdkError, short_error
from smesdk.serve import routes_assess, routes_catalog, routes_jobs
from smesdk.serve.config import ServeConfig, config_problems
from smesdk.serve.guard import Guard
from smesdk.serve.jobs import Jobs
from smesdk.serve.keys import KeyRing
from smesdk.serve.problems import HTTPProblem, bad_request, from_error
from smesdk.serve.responses import json_response


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPProblem)
    return exc.response()


async def _library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SmesdkError)
    return from_error(exc).response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kind = "not-found" if exc.status_code == 404 else "request"
    return HTTPProblem(exc.status_code, kind, str(exc.detail), headers=dict(exc.headers or {})
                       ).response()


async def _unexpected(request: Request, exc: Exception) -> Response:
    # A bug, not bad input: say so without a traceback (the server's own log has it).
    return HTTPProblem(500, "server", f"unexpected error: {short_error(exc)}").response()


async def _openapi(request: Request) -> Response:
    from smesdk.serve.openapi import document

    return json_response(document())


Endpoint = Callable[[Request], Awaitable[Response]]


def _checked(path: str, **endpoints: Endpoint) -> Route:
    """The route of a path, an endpoint per method (one route, so that a 405 lists every
    method in Allow), whose query string is checked against the OpenAPI document first:
    unknown, repeated or out-of-range parameters are refused (400), never ignored."""
    from smesdk.serve.openapi import query_parameters

    parameters = query_parameters()

    async def checked(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        endpoint = endpoints[method]  # the route lets no other method through
        declared = parameters[(method, path)]
        seen: set[str] = set()
        for name, value in request.query_params.multi_items():
            schema = declared.get(name)
            if schema is None:
                raise bad_request(f"unknown query parameter {name[:40]!r} (this endpoint takes "
                                  f"{', '.join(declared) or 'none'})", name[:40])
            if name in seen:
                raise bad_request(f"query parameter {name!r} given more than once", name)
            if "enum" in schema and value not in schema["enum"]:
                raise bad_request(f"{name} must be one of {', '.join(schema['enum'])}, not "
                                  f"{value[:40]!r}", name)
            seen.add(name)
        return await endpoint(request)

    return Route(path, checked, methods=list(endpoints))


def routes() -> list[Route]:
    return [
        Route("/openapi.json", _openapi, methods=["GET"]),
        _checked("/v1/healthz", GET=routes_catalog.healthz),
        _checked("/v1/readyz", GET=routes_catalog.readyz),
        _checked("/v1/frameworks", GET=routes_catalog.frameworks),
        _checked("/v1/frameworks/{framework}", GET=routes_catalog.framework),
        _checked("/v1/questionnaire/{framework}", GET=routes_catalog.questionnaire),
        _checked("/v1/assess/{framework}", POST=routes_assess.assess),
        _checked("/v1/assess-all", POST=routes_assess.assess_all),
        _checked("/v1/report/{framework}", POST=routes_assess.report),
        _checked("/v1/batch/{framework}", POST=routes_jobs.batch),
        _checked("/v1/jobs/{job}", GET=routes_jobs.job, DELETE=routes_jobs.delete_job),
        _checked("/v1/jobs/{job}/{which}", GET=routes_jobs.job_file),
    ]


def _settle() -> None:
    """Load every installed framework, then move everything alive into the garbage collector's
    permanent generation: the frameworks live as long as the server, and a full collection
    that walks them on every cycle stalls requests for tens of milliseconds."""
    host = default_host()
    for fid in host.framework_ids():
        with contextlib.suppress(SmesdkError):
            host.load_framework(fid)
    gc.collect()
    gc.freeze()


def app(config: ServeConfig | None = None) -> Starlette:
    """The smesdk HTTP API as an ASGI app, to run with uvicorn or mount in a host's app.

    Jobs left unfinished by an earlier run in the configured jobs folder are resumed at
    start-up (mounted inside another app, on the first request to a jobs endpoint).
    """
    config = config or ServeConfig()
    problems = config_problems(config)  # a config built in Python is checked as a file is
    if problems:
        raise SmesdkError([Problem(path, message) for path, message in problems])
    jobs = Jobs(config.jobs_path(), config.batch_chunk_size, config.limits.batch.seconds,
                config.finished_jobs_hours)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        jobs.ensure_resumed()
        _settle()
        try:
            yield
        finally:
            jobs.shutdown()

    middleware = [Middleware(Guard, keys=KeyRing({k.name: k.hash for k in config.api_keys}))]
    if config.cors_origins:  # off unless configured
        middleware.append(Middleware(CORSMiddleware, allow_origins=config.cors_origins,
                                     allow_methods=["GET", "POST", "DELETE"],
                                     allow_headers=["Content-Type", "Authorization",
                                                    "X-API-Key"]))
    application = Starlette(routes=routes(), middleware=middleware, lifespan=lifespan,
                            exception_handlers={HTTPProblem: _problem,
                                                SmesdkError: _library_error,
                                                HTTPException: _http_error,
                                                Exception: _unexpected})
    application.state.config = config
    application.state.jobs = jobs
    return application


def from_environment() -> Starlette:
    """The app for ``smesdk serve``: the config file named by ``SMESDK_SERVE_CONFIG``, if any
    (uvicorn calls this in every worker process)."""
    import logging
    import os

    from smesdk.serve.config import load_config

    path = os.environ.get("SMESDK_SERVE_CONFIG")
    if not logging.getLogger().handlers:  # a worker process of its own: log as serve does
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    return app(load_config(path) if path else None)
