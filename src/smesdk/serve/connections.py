"""The HTTP connection of ``smesdk serve``: uvicorn's own protocol with one bound added.

uvicorn times out a keep-alive connection left idle after a response, but not one whose
request headers never finish: a client that sends ``POST /v1/assess/x HTTP/1.1\\r\\n`` and
then nothing holds its socket for ever, and enough of them use up the process's file
descriptors. The app cannot see such a request (it starts at the end of the headers), so the
bound lives here: a request's headers must arrive within ``read_idle_seconds`` of the
connection opening or of the last response, as a body's pieces must (``limits.Budget``).
"""

from __future__ import annotations

import asyncio
import functools
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from smesdk.serve.config import ServeConfig, load_config
from smesdk.serve.problems import HTTPProblem

#: The environment variable naming the config file of a ``smesdk serve`` process (each
#: worker process reads it again: the config travels as a path, not as an object).
CONFIG_VARIABLE = "SMESDK_SERVE_CONFIG"


@functools.cache
def _config_at(path: str | None) -> ServeConfig:
    return load_config(path) if path else ServeConfig()


def environment_config() -> ServeConfig:
    """This process's config: the file ``SMESDK_SERVE_CONFIG`` names, or the defaults."""
    return _config_at(os.environ.get(CONFIG_VARIABLE) or None)


def _timed_out(seconds: float) -> bytes:
    """The raw 408 answer to headers that stalled (no app runs for them to answer it)."""
    problem = HTTPProblem(408, "slow-body", f"the request's headers did not arrive within "
                          f"{seconds:g} s; send them in one go").response()
    head = [b"HTTP/1.1 408 Request Timeout", b"connection: close",
            *(b"%s: %s" % (name, value) for name, value in problem.raw_headers)]
    return b"\r\n".join(head) + b"\r\n\r\n" + bytes(problem.body)


class Connection(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools), closing a connection whose request headers
    stall past ``read_idle_seconds``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_seconds = environment_config().read_idle_seconds
        self._deadline: asyncio.TimerHandle | None = None
        self._heard = False  # bytes of a next request have arrived since the last response

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        self._heard = True
        super().data_received(data)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._heard = False
        self._deadline = self.loop.call_later(self._header_seconds, self._expire)

    def _waiting_for_headers(self) -> bool:
        # uvicorn's own test for "no request under way" (see its shutdown())
        return self.cycle is None or self.cycle.response_complete

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or not self._waiting_for_headers():
            return  # a request under way is bounded by the app (limits.Budget)
        if self._heard:  # part of a request came: say why it is cut off
            self.transport.write(_timed_out(self._header_seconds))
        self.transport.close()
