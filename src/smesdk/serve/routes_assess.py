"""``POST /v1/assess/{framework}``, ``/v1/assess-all`` and ``/v1/report/{framework}``.

Each reads its body within the endpoint's limits, then does in a worker thread exactly what
its CLI command does (the same loaders, checks, scoring and renderers).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from smesdk import default_host
from smesdk.answers import AnswerSet
from smesdk.cli.assess import framework_for, load_framework_and_answers
from smesdk.cli.assess_all import suite_input
from smesdk.errors import AnswerError, Problem, SmesdkError
from smesdk.framework import Framework
from smesdk.loading import answers_from_data
from smesdk.result import Result
from smesdk.serve import inputs
from smesdk.serve.inputs import BODY, Body
from smesdk.serve.limits import Budget
from smesdk.serve.problems import HTTPProblem, bad_request, not_found
from smesdk.serve.state import budget_for
from smesdk.text import Lang

JSON = "application/json"


def _answers(body: Body) -> AnswerSet:
    return answers_from_data(inputs.parsed(body), body.fmt, file=BODY)


def _score(name: str, profile: str | None, body: Body, lang: Lang) -> tuple[Framework, Result]:
    """What ``smesdk assess`` does with an answer file or a filled-in form."""
    try:
        if body.kind == "xlsx":
            assert body.form is not None
            fw, answers = load_framework_and_answers(name, body.form, profile, lang)
        else:
            answers = _answers(body)
            fw = framework_for(name, answers, profile, BODY)
        return fw, fw.assess(answers)
    except SmesdkError as exc:
        raise inputs.relabel(exc, body) from None


def _profile(request: Request) -> str | None:
    return request.query_params.get("profile") or None


async def _scored(request: Request, budget: Budget, work: inputs.Scratch
                  ) -> tuple[Framework, Result]:
    name = inputs.installed(request.path_params["framework"])
    profile = _profile(request)
    if profile is not None:
        inputs.framework(name, profile)  # an unknown profile is a 404 before the body is read
    lang = inputs.lang(request)
    body = await inputs.read_answers_body(request, budget, work)
    return await budget.run(lambda: _score(name, profile, body, lang), "scoring",
                            inline=_quick(body))


#: Answer sets up to this size are scored on the event loop (see Budget.run): scoring is
#: linear in the answers, about a millisecond for a real one (the digital example is 2.3 kB).
INLINE_BYTES = 64 * 1024


def _quick(body: Body) -> bool:
    """Whether scoring ``body`` is small, bounded work: answers as text, of a few kB."""
    return body.kind != "xlsx" and len(body.text) <= INLINE_BYTES


async def assess(request: Request) -> Response:
    budget = budget_for(request, "assess")
    explain = request.query_params.get("explain")
    lang = inputs.lang(request)
    with inputs.scratch() as work:
        _, result = await _scored(request, budget, work)
    if explain is None:
        # compact: the same document as `smesdk assess --json`, without the indentation
        # (indenting takes the pure-Python encoder, eight times slower than the result)
        return Response(result.to_json(indent=None), media_type=JSON)
    try:
        text = result.explain(None if explain == "all" else explain, lang)
    except KeyError as exc:
        raise not_found(str(exc.args[0]), "explain") from None
    return Response(text, media_type="text/plain; charset=utf-8")


_REPORTS = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
            "pdf": "application/pdf"}


async def report(request: Request) -> Response:
    from smesdk.report import ReportError, render_html, render_markdown, render_pdf

    budget = budget_for(request, "report")
    fmt = request.query_params.get("format", "html")
    if fmt not in _REPORTS:
        raise bad_request(f"format must be html, md or pdf, not {fmt[:20]!r}", "format")
    lang = inputs.lang(request)
    target = request.query_params.get("target") or None
    with inputs.scratch() as work:
        fw, result = await _scored(request, budget, work)

    def render() -> bytes:
        try:
            if fmt == "pdf":
                return render_pdf(result, fw, lang=lang, target=target)
            draw = render_markdown if fmt == "md" else render_html
            return draw(result, fw, lang=lang, target=target).encode("utf-8")
        except ReportError as exc:
            raise _report_problem(exc, request) from None

    data = await budget.run(render, "the report")
    return Response(data, media_type=_REPORTS[fmt])


def _report_problem(exc: SmesdkError, request: Request) -> HTTPProblem:
    """A report refused: the request's fault (400) when every problem is with one of its
    query parameters (a target level the framework lacks), else the answers' (422: text the
    PDF font cannot draw)."""
    given = set(request.query_params)
    status, kind = ((400, "request") if all(p.path.split(".")[0] in given for p in exc.problems)
                    else (422, "answers"))
    return HTTPProblem(status, kind, str(exc.problems[0]), exc.problems)


def _chosen(request: Request) -> list[str] | None:
    """``?frameworks=a,b:profile``, each id an installed framework (never a file) with an
    existing profile, and all of them able to share one answer set. Every unfit name is
    refused at once, before the body is read."""
    from smesdk.suite import choose

    value = request.query_params.get("frameworks")
    if not value:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise bad_request("frameworks names no framework: give ids, each id or id:profile, or "
                          "leave it out for every installed one", "frameworks")
    unknown = [Problem("frameworks", message) for name in names
               for message in _unloadable(name)]
    if unknown:
        raise HTTPProblem(404, "not-found", unknown[0].message if len(unknown) == 1 else
                          f"{len(unknown)} of the frameworks named cannot be loaded", unknown)
    try:
        choose(names, default_host())
    except SmesdkError as exc:  # frameworks that disagree on a shared answer
        raise HTTPProblem(400, "request", exc.title or exc.problems[0].message,
                          [Problem(f"frameworks: {p.path}" if p.path else "frameworks",
                                   p.message) for p in exc.problems]) from None
    return names


def _unloadable(name: str) -> list[str]:
    """Why ``id`` or ``id:profile`` names no installed framework or profile (empty if it does)."""
    fid, _, profile = name.partition(":")
    try:
        inputs.framework(fid, profile or None)
    except HTTPProblem as exc:
        return [exc.detail]
    return []


async def assess_all(request: Request) -> Response:
    from smesdk.suite import assess_all as run

    budget = budget_for(request, "assess_all")
    chosen = _chosen(request)
    with inputs.scratch() as work:
        body = await inputs.read_answers_body(request, budget, work)

        def score() -> str:
            try:
                if body.kind == "xlsx":
                    assert body.form is not None
                    return run(*suite_input(body.form, chosen)).to_json(indent=None)
                return run(_answers(body), chosen).to_json(indent=None)
            except SmesdkError as exc:
                raise inputs.relabel(exc, body) from None
            except KeyError as exc:  # suite_input names a framework that is not installed
                raise inputs.relabel(AnswerError([str(exc)]), body) from None

        return Response(await budget.run(score, "scoring"), media_type=JSON)
