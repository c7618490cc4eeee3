"""Hostile input over HTTP, against a real ``smesdk serve`` process: oversized and slow
bodies, malformed JSON, every hostile answer file and form of the CLI suite
(tests/hostile/test_cli_cases.py, whose generators are reused as they are), and zip bombs.
Each gets a 4xx problem document within the endpoint's time limit, and the server lives on."""

from __future__ import annotations

import importlib.util
import io
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from .conftest import EXAMPLE_ANSWERS, ROOT, Server, write_config

SECONDS = 5  # the assess endpoint's time limit in this server's config
IDLE = 1  # seconds a body may stall
MEDIA = {".yaml": "application/yaml", ".json": "application/json", ".toml": "application/toml",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _cli_cases() -> ModuleType:
    path = ROOT / "tests" / "hostile" / "test_cli_cases.py"
    spec = importlib.util.spec_from_file_location("smesdk_hostile_cli_cases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLI = _cli_cases()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("hostile-serve")
    config = write_config(tmp / "serve.toml", tmp / "jobs",
                          f"read_idle_seconds = {IDLE}\n[limits.assess]\nseconds = {SECONDS}\n")
    running = Server(config).start()
    yield running
    running.kill()


def _is_problem(response: httpx.Response) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers["content-type"] == "application/problem+json"
    doc: dict[str, Any] = response.json()
    assert doc["status"] == response.status_code and doc["detail"]
    return doc


def _post(server: Server, body: bytes, media: str, framework: str = "example"
          ) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(f"{server.url}/v1/assess/{framework}", content=body,
                          headers={"content-type": media}, timeout=60)
    return response, time.monotonic() - started


@pytest.mark.parametrize("name", sorted(CLI.CASES))
def test_cli_hostile_answer_files_over_http(name: str, server: Server, tmp_path: Path) -> None:
    case = CLI.CASES[name](tmp_path)
    if case.args[0] not in ("assess", "validate") or case.code != 1:
        pytest.skip("the CLI case is not an answer file it refuses (batch, specs, folders)")
    file = tmp_path / case.args[1 if case.args[0] == "validate" else 2]
    if not file.is_file() or file.name.startswith("spec"):
        pytest.skip("a FIFO or a framework spec: nothing a request body can be")
    framework = case.args[1] if case.args[0] == "assess" else "example"
    response, took = _post(server, file.read_bytes(), MEDIA[file.suffix], framework)
    doc = _is_problem(response)
    assert took < SECONDS + 2, f"{took:.1f} s"
    text = str(doc)
    if case.says:
        assert case.says in text or response.status_code == 413, text[:1000]
    assert httpx.get(f"{server.url}/v1/healthz", timeout=10).status_code == 200


def test_oversized_bodies_are_refused_before_reading(server: Server) -> None:
    big = EXAMPLE_ANSWERS.read_bytes() + b"#" + b"x" * (2 * 1024 * 1024)
    response, _ = _post(server, big, "application/yaml")
    assert _is_problem(response)["status"] == 413
    # a body that says it is small and is not: counted while read
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/assess/example HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"x" * 65536
        try:
            for _ in range(40):  # 2.5 MiB, over the 1 MiB limit
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        except OSError:
            pass  # the server may close its side as soon as it has refused
        head = sock.recv(200)
    assert head.startswith(b"HTTP/1.1 413"), head


def test_malformed_json_names_line_and_column(server: Server) -> None:
    response, _ = _post(server, b'{"enterprise": {"name": "a",,}}', "application/json")
    doc = _is_problem(response)
    assert doc["status"] == 422
    assert doc["errors"][0]["path"] == "line 1, column 29"
    assert "invalid JSON" in doc["errors"][0]["message"]


def _slow_post(server: Server, pause: float, pieces: int) -> tuple[bytes, float]:
    """Send headers for a 1000-byte body, then a byte every ``pause`` seconds."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"POST /v1/assess/example HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(pieces):
            try:
                sock.sendall(b" ")
            except OSError:
                break
            time.sleep(pause)
        reply = sock.recv(4096)
    return reply, time.monotonic() - started


def test_a_stalled_body_is_cut_off(server: Server) -> None:
    reply, took = _slow_post(server, pause=IDLE * 3, pieces=2)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert b"application/problem+json" in reply and b"stalled" in reply
    assert took < IDLE * 3 * 2 + 2


def test_a_trickling_body_meets_the_time_limit(server: Server) -> None:
    # a byte every half second never stalls for IDLE, but the whole request has SECONDS
    reply, took = _slow_post(server, pause=IDLE / 2, pieces=int(SECONDS / (IDLE / 2)) + 6)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert b"took longer than" in reply
    assert took < SECONDS + 5


def _zip_bomb(tmp: Path) -> bytes:
    """A real questionnaire with a sheet padded to 200 MB of blanks: about 200 kB zipped."""
    import smesdk
    from smesdk.questionnaire import write_questionnaire

    path = tmp / "form.xlsx"
    write_questionnaire(smesdk.load_framework("example"), path)
    with zipfile.ZipFile(path) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    sheet = "xl/worksheets/sheet3.xml"
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b" " * (200 * 1024 * 1024) +
                                        b"<sheetData>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_form_is_refused_unopened(server: Server, tmp_path: Path) -> None:
    bomb = _zip_bomb(tmp_path)
    assert len(bomb) < 1024 * 1024  # small on the wire, 200 MB unpacked
    response, took = _post(server, bomb, MEDIA[".xlsx"])
    doc = _is_problem(response)
    assert doc["status"] == 422
    assert "limit" in str(doc)
    assert took < SECONDS
    multipart = httpx.post(f"{server.url}/v1/assess/example", files={"form": ("b.xlsx", bomb)},
                           timeout=60)
    assert _is_problem(multipart)["status"] == 422


def _response(sock: socket.socket) -> bytes:
    """One whole response of a kept-alive connection: its head and Content-Length bytes (a
    single recv may return the head alone, leaving the body for the next one)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def test_headers_that_stall_are_cut_off_and_the_server_serves_on(server: Server) -> None:
    # The app never sees a request whose headers do not end: the connection bounds them.
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"POST /v1/assess/example HTTP/1.1\r\nHost: x\r\n")  # no blank line
        reply = sock.recv(4096)
    assert time.monotonic() - started < IDLE + 3
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert b"application/problem+json" in reply and b"headers" in reply
    # a connection that says nothing at all is closed too (recv sees the end, not a timeout)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        assert sock.recv(4096) == b""
    # the same bound on the next request of a kept-alive connection
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET /v1/healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /v1/hea")
        assert sock.recv(4096).startswith(b"HTTP/1.1 408")
    assert httpx.get(f"{server.url}/v1/healthz", timeout=10).status_code == 200


def test_a_request_longer_than_the_idle_limit_is_not_cut_by_it(server: Server) -> None:
    # Its headers came in time; a body that never pauses for IDLE, and takes 2.5 IDLE in
    # all, is within the endpoint's SECONDS: it is scored, not cut off as stalled headers.
    body = EXAMPLE_ANSWERS.read_bytes()
    pieces = [body[len(body) * i // 5:len(body) * (i + 1) // 5] for i in range(5)]
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"POST /v1/assess/example HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     b"application/yaml\r\nContent-Length: %d\r\n\r\n" % len(body))
        for piece in pieces:
            time.sleep(IDLE / 2)
            sock.sendall(piece)
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.1 200"), reply
