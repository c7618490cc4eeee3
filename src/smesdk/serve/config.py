"""The server's configuration: limits per endpoint, the jobs folder, API keys, CORS.

Read from a TOML or YAML file (``smesdk serve --config FILE``) through the same structuring as
every smesdk document, so a bad config is refused with every problem and its place. Every
field has a default, so no config file is needed to try the service on loopback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs

from smesdk.batchsizes import DEFAULT_CHUNK_SIZE
from smesdk.convert import read_file, structure
from smesdk.errors import Problem, SmesdkError

MAX_FINISHED_JOBS_HOURS = 100 * 365 * 24


@attrs.frozen
class Limits:
    """What one endpoint accepts: body sizes and the time a request may take.

    ``body_bytes`` bounds a JSON/YAML/TOML answer set, ``upload_bytes`` an uploaded file (an
    .xlsx form, a batch input); ``seconds`` bounds the whole request, body reading included.
    """

    body_bytes: int = 1024 * 1024
    upload_bytes: int = 8 * 1024 * 1024
    seconds: float = 10.0


def _batch_limits() -> Limits:
    return Limits(body_bytes=0, upload_bytes=256 * 1024 * 1024, seconds=300.0)


@attrs.frozen
class EndpointLimits:
    """Limits per endpoint group."""

    assess: Limits = attrs.field(factory=Limits)
    assess_all: Limits = attrs.field(factory=Limits)
    report: Limits = attrs.field(factory=lambda: Limits(seconds=30.0))
    questionnaire: Limits = attrs.field(factory=lambda: Limits(body_bytes=0, upload_bytes=0))
    frameworks: Limits = attrs.field(factory=lambda: Limits(body_bytes=0, upload_bytes=0))
    batch: Limits = attrs.field(factory=_batch_limits)


@attrs.frozen
class ApiKey:
    """One client's key, stored only as ``scrypt$…`` (see :mod:`smesdk.serve.keys`)."""

    name: str
    hash: str


@attrs.frozen
class ServeConfig:
    """Everything ``smesdk serve`` can be told. ``jobs_dir`` defaults to a folder under the
    system temp folder; give a lasting one for jobs that must survive a reboot."""

    jobs_dir: str | None = None
    #: Longest wait between two pieces of a request body (a slow sender is cut off).
    read_idle_seconds: float = 10.0
    #: Batch jobs run one at a time per worker process, this many rows per resumable chunk.
    batch_chunk_size: int = DEFAULT_CHUNK_SIZE
    #: A done or failed batch job is removed this many hours after it finished (a week).
    finished_jobs_hours: float = 168.0
    cors_origins: list[str] = attrs.field(factory=list)
    api_keys: list[ApiKey] = attrs.field(factory=list)
    limits: EndpointLimits = attrs.field(factory=EndpointLimits)

    def jobs_path(self) -> Path:
        if self.jobs_dir is not None:
            return Path(self.jobs_dir)
        return Path(tempfile.gettempdir()) / "smesdk-serve-jobs"


def load_config(path: str | Path) -> ServeConfig:
    """Read a config file (TOML, YAML or JSON); SmesdkError lists every problem."""
    data, fmt = read_file(Path(path))
    config = structure(data, ServeConfig, fmt, file=str(path))
    problems = config_problems(config)
    if problems:
        raise SmesdkError([Problem(p, m, str(path)) for p, m in problems])
    return config


def config_problems(config: ServeConfig) -> list[tuple[str, str]]:
    """(path, message) of every value out of range."""
    from smesdk.serve.keys import is_key_hash

    out: list[tuple[str, str]] = []
    for field in attrs.fields(EndpointLimits):
        limits: Limits = getattr(config.limits, field.name)
        for name in ("body_bytes", "upload_bytes"):
            if getattr(limits, name) < 0:
                out.append((f"limits.{field.name}.{name}", "must be 0 or more"))
        if not limits.seconds > 0:
            out.append((f"limits.{field.name}.seconds", "must be more than 0"))
    if not config.read_idle_seconds > 0:
        out.append(("read_idle_seconds", "must be more than 0"))
    if config.batch_chunk_size < 1:
        out.append(("batch_chunk_size", "must be at least 1"))
    if not 0 < config.finished_jobs_hours <= MAX_FINISHED_JOBS_HOURS:
        out.append(("finished_jobs_hours", f"must be more than 0 and at most "
                    f"{MAX_FINISHED_JOBS_HOURS} (100 years)"))
    for i, key in enumerate(config.api_keys):
        if not is_key_hash(key.hash):
            out.append((f"api_keys[{i}].hash", "not a key hash; make one with "
                        "`smesdk serve --hash-key`"))
    return out
