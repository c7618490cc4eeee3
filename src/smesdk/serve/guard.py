"""The outer layer of every request: API keys and the structured access log.

The log is one JSON object per request on the ``smesdk.serve.access`` logger: time, method,
path, status, duration, bytes in and out, and the API key's name. Never a body, a query
string or a header value: answers stay out of the logs.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smesdk.serve.keys import KeyRing
from smesdk.serve.problems import HTTPProblem

access_log = logging.getLogger("smesdk.serve.access")
#: Reachable without a key: load balancers and clients discovering the API need them.
PUBLIC = frozenset({"/v1/healthz", "/v1/readyz", "/openapi.json"})


def _key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        raw = bytes(value)
        if name == b"x-api-key":
            return raw.decode("latin-1")
        if name == b"authorization" and raw[:7].lower() == b"bearer ":
            return raw[7:].decode("latin-1").strip()
    return None


class Guard:
    """ASGI middleware: refuse requests without a configured key; log every request."""

    def __init__(self, app: ASGIApp, keys: KeyRing) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "out": 0, "in": 0}

        async def counting_receive() -> Message:
            message = await receive()
            seen["in"] += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["out"] += len(message.get("body", b""))
            await send(message)

        who = None
        try:
            path = scope["path"]
            root = scope.get("root_path", "")
            if root and path.startswith(root):  # mounted in a host's app under a prefix
                path = path[len(root):]
            if self.keys and path not in PUBLIC:
                key = _key(scope)
                who = await anyio.to_thread.run_sync(self.keys.name_of, key) if key else None
                if who is None:
                    response = HTTPProblem(401, "unauthorized", "give a configured API key in "
                                           "X-API-Key or Authorization: Bearer",
                                           headers={"WWW-Authenticate": "Bearer"}).response()
                    await response(scope, counting_receive, counting_send)
                    return
            await self.app(scope, counting_receive, counting_send)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(json.dumps({
                    "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "method": scope.get("method"), "path": scope.get("path", "")[:300],
                    "status": seen["status"],
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "bytes_in": seen["in"], "bytes_out": seen["out"], "key": who,
                }))
