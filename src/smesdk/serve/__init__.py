"""``smesdk serve``: the library as an HTTP API (optional extra ``smesdk[serve]``).

    from smesdk.serve import app
    asgi_app = app()                 # or app(load_config("serve.toml"))

Modules: :mod:`.application` (routes, error handling), :mod:`.config`, :mod:`.limits` (sizes, time),
:mod:`.problems` (RFC 9457 documents), :mod:`.inputs` (request → framework and answers),
:mod:`.routes_catalog`, :mod:`.routes_assess`, :mod:`.routes_jobs`, :mod:`.jobs` (background
batch jobs), :mod:`.guard` (API keys, access log), :mod:`.keys`, :mod:`.openapi`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from smesdk.serve.config import ServeConfig


def app(config: ServeConfig | None = None) -> Starlette:
    """The ASGI application (see :func:`smesdk.serve.application.app`)."""
    try:
        from smesdk.serve.application import app as make
    except ImportError as exc:
        from smesdk.errors import SmesdkError

        raise SmesdkError([f"the HTTP API needs its extra: pip install 'smesdk[serve]' "
                           f"({exc.name} is missing)"]) from None
    return make(config)


def __getattr__(name: str) -> Any:
    if name in ("ServeConfig", "load_config"):
        from smesdk.serve import config

        return getattr(config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ServeConfig", "app", "load_config"]
