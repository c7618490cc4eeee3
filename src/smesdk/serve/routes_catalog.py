"""What is installed (``/v1/frameworks``), blank questionnaires, and the health checks."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from smesdk import __version__, default_host
from smesdk.cli.render import framework_document, framework_summary
from smesdk.serve import inputs
from smesdk.serve.responses import json_response
from smesdk.serve.state import budget_for, jobs_of


async def frameworks(request: Request) -> Response:
    """``smesdk frameworks --json``."""
    host = default_host()
    return json_response([framework_summary(fid, *host.catalog()[fid][:2])
                  for fid in host.framework_ids()])


async def framework(request: Request) -> Response:
    """``smesdk show FRAMEWORK --json``."""
    budget = budget_for(request, "frameworks")
    name = request.path_params["framework"]
    profile = request.query_params.get("profile") or None
    fw = await budget.run(lambda: inputs.framework(name, profile), "loading the framework")
    return json_response(framework_document(fw))


async def questionnaire(request: Request) -> Response:
    """``smesdk questionnaire FRAMEWORK -o form.xlsx``, sent back as the body."""
    from smesdk.questionnaire import write_questionnaire

    budget = budget_for(request, "questionnaire")
    name = request.path_params["framework"]
    profile = request.query_params.get("profile") or None
    lang = inputs.lang(request)
    fw = inputs.framework(name, profile)
    with inputs.scratch() as work:
        path = work.path("form.xlsx")

        def write() -> bytes:
            write_questionnaire(fw, path, lang=lang)
            return path.read_bytes()

        data = await budget.run(write, "writing the questionnaire")
    suffix = f"-{fw.profile}" if fw.profile else ""
    return Response(data, media_type=inputs.XLSX, headers={
        "Content-Disposition": f'attachment; filename="{fw.id}{suffix}-{lang}.xlsx"'})


async def healthz(request: Request) -> Response:
    """The process answers."""
    return json_response({"status": "ok", "version": __version__})


async def readyz(request: Request) -> Response:
    """Plugins load, and the jobs folder is writable: ready for traffic."""
    problems = []
    host = default_host()
    failed = [p["name"] for p in host.plugins_info() if p["status"] != "ok"]
    if failed:
        problems.append(f"plugins failed to load: {', '.join(failed)}")
    if not host.framework_ids():
        problems.append("no frameworks installed")
    if not jobs_of(request).writable():
        problems.append("the jobs folder is not writable")
    status = 503 if problems else 200
    return json_response({"status": "ok" if not problems else "not ready",
                          "frameworks": len(host.framework_ids()), "problems": problems},
                         status)
