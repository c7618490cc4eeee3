"""What every handler reads from the app: its configuration and the jobs of this server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from smesdk.serve.config import Limits, ServeConfig
from smesdk.serve.limits import Budget

if TYPE_CHECKING:
    from smesdk.serve.jobs import Jobs


def config_of(request: Request) -> ServeConfig:
    config: ServeConfig = request.app.state.config
    return config


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    jobs.ensure_resumed()  # a mounted app gets no lifespan events
    return jobs


def budget_for(request: Request, area: str) -> Budget:
    """The limits of the endpoint group ``area`` for this request, its clock started."""
    config = config_of(request)
    limits: Limits = getattr(config.limits, area)
    return Budget(limits, config.read_idle_seconds)
