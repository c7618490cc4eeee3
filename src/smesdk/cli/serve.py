"""``smesdk serve``: run the HTTP API (uvicorn), or make an API key's hash for the config."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from smesdk.errors import SmesdkError


def _missing_extra(exc: ImportError) -> SmesdkError:
    return SmesdkError([f"the HTTP API needs its extra: pip install 'smesdk[serve]' "
                        f"({exc.name} is missing)"])


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; put a reverse proxy in "
                   "front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (each scores on its own core).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path),
              default=None, help="A TOML or YAML file of limits, API keys, CORS and the jobs "
                                 "folder (see docs/serve.md).")
@click.option("--hash-key", is_flag=True,
              help="Read an API key from standard input (or make one if it is empty), print "
                   "it and the line to put in the config, and exit.")
def serve(host: str, port: int, workers: int, config_path: Path | None, hash_key: bool) -> None:
    """Serve the library as an HTTP API: JSON in and out, an OpenAPI document at
    /openapi.json, problems as application/problem+json."""
    if hash_key:
        from smesdk.serve.keys import hash_key as make_hash
        from smesdk.serve.keys import new_key

        given = "" if sys.stdin.isatty() else sys.stdin.read().strip()
        key = given or new_key()
        if not given:
            click.echo(f"key (give it to the client): {key}")
        click.echo(f'[[api_keys]]\nname = "CLIENT"\nhash = "{make_hash(key)}"')
        return
    try:
        import uvicorn

        from smesdk.serve.config import ServeConfig, load_config
        from smesdk.serve.connections import CONFIG_VARIABLE
    except ImportError as exc:
        raise _missing_extra(exc) from None
    config = load_config(config_path) if config_path is not None else ServeConfig()
    if not config.jobs_path().parent.exists():
        raise SmesdkError([f"the jobs folder's parent {config.jobs_path().parent} does not "
                           "exist"])
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    click.echo(f"smesdk serve: http://{host}:{port}/v1 (OpenAPI at /openapi.json), "
               f"{workers} worker(s), jobs in {config.jobs_path()}", err=True)
    # The factory reads the config again in each worker process (uvicorn imports the app
    # there), so it travels as an environment variable, not as an object.
    import os

    if config_path is not None:
        os.environ[CONFIG_VARIABLE] = str(config_path.resolve())
    else:
        os.environ.pop(CONFIG_VARIABLE, None)
    # http: uvicorn's protocol, with a time limit on a request's headers (see connections)
    uvicorn.run("smesdk.serve.application:from_environment", factory=True, host=host, port=port,
                http="smesdk.serve.connections:Connection",
                workers=workers, access_log=False, log_level="warning",
                timeout_graceful_shutdown=10, server_header=False)
