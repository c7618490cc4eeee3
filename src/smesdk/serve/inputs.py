"""Turning a request into what the CLI commands take: a framework and an answer set.

A framework is named by id only, and only an installed one is loaded (``load_framework`` would
also read a spec *file* for a name like ``x.yaml``: a request must never reach the
filesystem). Answers come as the body: JSON, YAML or TOML text read by the library's own
parser, or an .xlsx form, which is written to a server-made temporary file and read by the
same loader as ``smesdk assess``. Every problem names the place in what the client sent.
"""

from __future__ import annotations

import codecs
import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import attrs
from starlette.requests import Request

from smesdk import default_host
from smesdk.convert import Format, parse_text
from smesdk.errors import Problem, SmesdkError
from smesdk.framework import Framework
from smesdk.serve.limits import Budget
from smesdk.serve.problems import HTTPProblem, bad_request, from_error, not_found
from smesdk.text import Lang

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_TYPES: dict[str, Format] = {
    "application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
    "text/yaml": "yaml", "application/toml": "toml",
}
#: How a body is named in problems (the client knows nothing of the server's files).
BODY = "body"
FORM = "form.xlsx"


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def unsupported(got: str, allowed: list[str]) -> HTTPProblem:
    return HTTPProblem(415, "request", f"unsupported media type {got[:80]!r}; send one of "
                       + ", ".join(allowed))


def installed(name: str) -> str:
    """``name`` if an installed framework has that id, else a 404 problem."""
    host = default_host()
    if name not in host.framework_ids():
        raise not_found(f"no framework {name[:80]!r}; GET /v1/frameworks lists them",
                        "framework")
    return name


def framework(name: str, profile: str | None) -> Framework:
    """An installed framework with ``profile`` (a 404 problem for an unknown one)."""
    try:
        return default_host().load_framework(installed(name), profile)
    except SmesdkError as exc:
        raise HTTPProblem(404, "not-found", str(exc.problems[0].message), exc.problems
                          ) from None


def lang(request: Request) -> Lang:
    value = request.query_params.get("lang", "zh")
    if value not in ("zh", "en"):
        raise bad_request(f"lang must be zh or en, not {value[:20]!r}", "lang")
    return "zh" if value == "zh" else "en"


@attrs.frozen
class Body:
    """A request body of answers: parsed text, or the path of a saved .xlsx form."""

    kind: Literal["text", "xlsx"]
    fmt: Format = "json"
    text: str = ""
    form: Path | None = None


async def read_answers_body(request: Request, budget: Budget, work: Scratch) -> Body:
    """Read the body within the budget; an .xlsx form is saved in ``work``."""
    got = media_type(request)
    if got == XLSX:
        path = work.path(FORM)
        await budget.save(request, path, budget.limits.upload_bytes)
        return Body("xlsx", form=path)
    if got == "multipart/form-data":
        return await _multipart(request, budget, work)
    fmt = TEXT_TYPES.get(got)
    if fmt is None:
        raise unsupported(got, [*TEXT_TYPES, XLSX, "multipart/form-data (a 'form' file)"])
    utf8_only(request)
    return Body("text", fmt=fmt, text=utf8(await budget.read(request, budget.limits.body_bytes)))


def utf8_only(request: Request) -> None:
    """A 415 problem for a body declared in another charset (GBK, say): it would be read as
    UTF-8 and misread, so it is refused before it is read."""
    charset = request.headers.get("content-type", "").lower().partition("charset=")[2]
    charset = charset.split(";", 1)[0].strip().strip('"')
    if charset not in ("", "utf-8", "utf8"):
        raise HTTPProblem(415, "request", f"text is read as UTF-8, not {charset[:40]!r}; send it "
                          "as UTF-8 (charset=utf-8)")


def utf8(raw: bytes) -> str:
    """The body as text; a 422 problem naming the line and column of the first byte that
    is not UTF-8 (a body in GBK or UTF-16 fails at its first Chinese or ASCII character)."""
    text = raw.removeprefix(codecs.BOM_UTF8)  # as "utf-8-sig" does, but its offsets skip it
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = text.rfind(b"\n", 0, exc.start) + 1
        column = len(text[line_start:exc.start].decode("utf-8")) + 1
        line = text.count(b"\n", 0, exc.start) + 1
        where = f"line {line}, column {column}"
        message = f"not UTF-8 text (byte 0x{text[exc.start]:02x}); send answers as UTF-8"
        raise HTTPProblem(422, "answers", f"{where}: {message}", [Problem(where, message, BODY)]
                          ) from None


async def _multipart(request: Request, budget: Budget, work: Scratch) -> Body:
    """A browser-style upload: the .xlsx form in a part named ``form``."""
    raw = await budget.read(request, budget.limits.upload_bytes)
    sent = False

    async def replay() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    try:
        async with Request(request.scope, replay).form(max_files=1, max_fields=10) as form:
            part = form.get("form")
            if part is None or isinstance(part, str):
                raise bad_request("a multipart upload needs the .xlsx form as a file part named "
                                  "'form'", "form")
            data = await part.read()
    except HTTPProblem:
        raise
    except Exception as exc:  # the multipart parser's own refusal of a malformed body
        why = getattr(exc, "detail", None) or str(exc)  # Starlette's HTTPException: no "400: "
        raise bad_request(f"malformed multipart body: {str(why)[:200]}") from None
    path = work.path(FORM)
    path.write_bytes(data)
    return Body("xlsx", form=path)


def parsed(body: Body) -> object:
    """The plain data of a text body (SmesdkError with the line and column otherwise)."""
    return parse_text(body.text, body.fmt, file=BODY)


def relabel(exc: SmesdkError, body: Body) -> HTTPProblem:
    """The problem document for ``exc``, naming the client's body rather than a server file."""
    return from_error(exc, FORM if body.kind == "xlsx" else BODY)


class Scratch:
    """A private temporary folder for one request, made only when a file needs it (making
    and removing a folder costs more than scoring a JSON answer set)."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def path(self, name: str) -> Path:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="smesdk-serve-")
        return Path(self._folder.name) / name

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()


@contextlib.contextmanager
def scratch() -> Iterator[Scratch]:
    """A :class:`Scratch` for one request, removed afterwards."""
    work = Scratch()
    try:
        yield work
    finally:
        work.close()
