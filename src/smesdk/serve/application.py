"""The ASGI application: routes, error handling, CORS, the jobs of this process."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smesdk import default_host
from smesdk.errors import Problem, SmesdkError
from smesdk.serve import routes_assess, routes_catalog, routes_jobs
from smesdk.serve.config import ServeConfig, config_problems
from smesdk.serve.guard import Guard
from smesdk.serve.jobs import Jobs
from smesdk.serve.keys import KeyRing
from smesdk.serve.problems import HTTPProblem, bad_requests, from_error
from smesdk.serve.responses import json_response


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPProblem)
    return exc.response()


async def _library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SmesdkError)
    return from_error(exc).response()


async def _http_error(request: Request, exc: Exception) -> Response:
    """The router's own refusals (no such path, a method the path does not take), said as
    the client can act on them."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        path = request.url.path
        hint = (f"; without the trailing slash, {path.rstrip('/')[:200]!r}"
                if path.endswith("/") and len(path) > 1 else "")
        detail = (f"no endpoint at {path[:200]!r}{hint}; /openapi.json lists them (every "
                  "endpoint is under /v1)")
        return HTTPProblem(404, "not-found", detail, headers=headers).response()
    if exc.status_code == 405:
        detail = (f"{request.method} is not allowed on {request.url.path[:200]!r}; it takes "
                  f"{headers.get('Allow', 'other methods')}")
        return HTTPProblem(405, "request", detail, headers=headers).response()
    return HTTPProblem(exc.status_code, "request", str(exc.detail), headers=headers).response()


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Not bad input: say so without the exception's text, which may quote server internals
    # (a file's path, a value in the code); the server's own log has the traceback. A full
    # disk is the operator's to fix, so its kind is named (strerror has no path).
    if isinstance(exc, OSError) and exc.strerror:
        detail = f"the server could not read or write a file of its own: {exc.strerror}"
    else:
        detail = "an unexpected error in the server (a bug); its log has the details"
    # Connection: close, as uvicorn closes the connection after an error the app raised: a
    # client told so opens a new one for its next request, rather than meeting a reset.
    return HTTPProblem(500, "server", detail, headers={"Connection": "close"}).response()


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
        problems = _query_problems(parameters.get((method, path), {}),
                                   request.query_params.multi_items())
        if problems:
            raise bad_requests(problems)
        return await endpoint(request)

    return Route(path, checked, methods=list(endpoints))


def _query_problems(declared: dict[str, dict[str, Any]], given: list[tuple[str, str]]
                    ) -> list[Problem]:
    """Every unknown, repeated or out-of-range query parameter, each named once."""
    problems: list[Problem] = []
    times = Counter(name for name, _ in given)
    seen: set[str] = set()
    for name, value in given:
        if name in seen:
            continue
        seen.add(name)
        schema = declared.get(name)
        if schema is None:
            problems.append(Problem(name[:40], f"unknown query parameter {name[:40]!r} (this "
                                    f"endpoint takes {', '.join(declared) or 'none'})"))
        elif times[name] > 1:
            problems.append(Problem(name, f"query parameter {name!r} given more than once"))
        elif "enum" in schema and value not in schema["enum"]:
            problems.append(Problem(name, f"{name} must be one of {', '.join(schema['enum'])}, "
                                    f"not {value[:40]!r}"))
        elif schema.get("format") == "date" and value and not _is_date(value):
            problems.append(Problem(name, f"{name} must be a date, YYYY-MM-DD, not "
                                    f"{value[:40]!r}"))
    return problems


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def routes() -> list[Route]:
    return [
        _checked("/openapi.json", GET=_openapi),  # takes no parameters
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
    # A path with a trailing slash is a 404 naming the right one, not a redirect: curl -f
    # and httpx do not follow a 307 by default, and took its empty body for the answer.
    application.router.redirect_slashes = False
    application.state.config = config
    application.state.jobs = jobs
    return application


def from_environment() -> Starlette:
    """The app for ``smesdk serve``: the config file named by ``SMESDK_SERVE_CONFIG``, if any
    (uvicorn calls this in every worker process)."""
    import logging

    from smesdk.serve.connections import environment_config

    if not logging.getLogger().handlers:  # a worker process of its own: log as serve does
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    return app(environment_config())
