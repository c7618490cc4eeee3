"""Errors as RFC 9457 problem documents (``application/problem+json``).

The ``errors`` array holds the very problems the CLI prints, one object each with its
location (``path``: field, line or cell; ``file``: which part of the request). The library's
messages are not re-worded here: what a platform shows its user is what the CLI would say.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.responses import Response

from smesdk.errors import PluginError, Problem, SmesdkError

MEDIA_TYPE = "application/problem+json"
#: Problem types, documented in docs/serve.md#problems (the anchor of each is its key).
TYPES = {
    "answers": "the answers do not fit the framework, or cannot be read",
    "request": "the request itself is malformed (a parameter, the media type)",
    "not-found": "no such framework, profile, job or file",
    "too-large": "the body is over the endpoint's limit",
    "timeout": "the request took longer than the endpoint's time limit",
    "slow-body": "the body arrived too slowly",
    "unauthorized": "no API key, or not a configured one",
    "conflict": "the job is not finished yet (its files), or is running (delete)",
    "server": "the server could not do what was asked (a plugin failed, a disk is full)",
}
_BASE = "https://smesdk.readthedocs.io/serve/#problem-"
_TITLES = {
    400: "Bad request", 401: "Unauthorized", 404: "Not found", 405: "Method not allowed",
    408: "Request timeout", 409: "Conflict", 413: "Content too large",
    415: "Unsupported media type", 422: "Unprocessable content", 500: "Server error",
    503: "Service unavailable",
}
MAX_ERRORS = 200


class HTTPProblem(Exception):
    """Raised anywhere in a handler; becomes a problem document."""

    def __init__(self, status: int, kind: str, detail: str,
                 errors: Iterable[Problem] = (), headers: dict[str, str] | None = None) -> None:
        assert kind in TYPES, kind
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}

    def response(self) -> Response:
        errors = [{"path": p.path[:200], "message": p.message[:1000], "file": p.file}
                  for p in self.errors[:MAX_ERRORS]]
        body: dict[str, object] = {
            "type": _BASE + self.kind,
            "title": _TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail[:2000],
        }
        if errors:
            body["errors"] = errors
        # backslashreplace: a lone surrogate quoted from the input becomes its JSON escape
        # (still valid JSON) instead of failing the problem document itself
        text = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
        return Response(text, status_code=self.status, media_type=MEDIA_TYPE,
                        headers=self.headers)


def from_error(exc: SmesdkError, file: str | None = None) -> HTTPProblem:
    """The problem document for a library error raised while serving a request.

    ``file`` replaces the server's own temporary file name in the problems (the client only
    knows what it sent). A plugin that fails is the server's fault (500); anything else the
    library refuses is the input's (422).
    """
    problems = [Problem(p.path, p.message, file if file is not None else p.file)
                for p in exc.problems]
    detail = exc.title or (str(problems[0]) if len(problems) == 1 else
                           f"{len(problems)} problems")
    if isinstance(exc, PluginError):
        return HTTPProblem(500, "server", detail, problems)
    return HTTPProblem(422, "answers", detail, problems)


def bad_request(detail: str, path: str = "") -> HTTPProblem:
    return HTTPProblem(400, "request", detail, [Problem(path, detail)] if path else [])


def bad_requests(problems: list[Problem]) -> HTTPProblem:
    """One 400 naming every problem with the request's parameters."""
    detail = problems[0].message if len(problems) == 1 else \
        f"{len(problems)} problems with the request's parameters"
    return HTTPProblem(400, "request", detail, problems)


def not_found(detail: str, path: str = "") -> HTTPProblem:
    return HTTPProblem(404, "not-found", detail, [Problem(path, detail)] if path else [])
