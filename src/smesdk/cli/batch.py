"""``smesdk batch`` (score a file of many enterprises) and ``smesdk stats`` (peer comparison)."""

from __future__ import annotations

import datetime as dt
import re
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from smesdk import default_host
from smesdk.batchsizes import DEFAULT_CHUNK_SIZE
from smesdk.cli.options import lang_option, output_lang, profile_option
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.text import Text

if TYPE_CHECKING:
    from smesdk.batch.stats import Industries

_IN = click.Path(exists=True, path_type=Path)
_OUT = click.Path(dir_okay=False, path_type=Path)


def _date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


_ADDRESS = re.compile(r"^(?P<scheme>tcp|tls|ws|wss|ucx|inproc)://(?P<host>\[[^\]]+\]|[^:/]+)"
                      r":(?P<port>\d{1,5})$")


def _scheduler(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """A scheduler address that looks like one and, for tcp, answers within a few seconds
    (Dask itself would wait 30 s, then fail with a traceback)."""
    if value is None:
        return None
    match = _ADDRESS.match(value.strip())
    if match is None:
        raise click.BadParameter(f"expected an address like tcp://host:8786, got {value[:80]!r}")
    if match["scheme"] == "tcp":
        try:
            socket.create_connection((match["host"].strip("[]"), int(match["port"])),
                                     timeout=5).close()
        except OSError as exc:
            raise click.BadParameter(f"cannot reach the scheduler {value}: "
                                     f"{exc.strerror or exc}") from None
    return value.strip()


class _Progress:
    """A progress bar of rows done, with the rate, on stderr and only when it is a terminal
    (the total is known for Parquet input; other inputs show a running count)."""

    def __init__(self, total: int | None, lang: str, console: Console | None = None) -> None:
        self.started = time.perf_counter()
        self.unit = "行/秒" if lang == "zh" else "rows/s"
        self.bar: Progress | None = None
        if console is None:
            if not sys.stderr.isatty():
                return
            console = Console(stderr=True)
        self.bar = Progress(TextColumn("批量评分" if lang == "zh" else "scoring"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                            TimeRemainingColumn(), console=console, transient=True)
        self.task = self.bar.add_task("", total=total, rate="")
        self.bar.start()

    def __call__(self, rows: int) -> None:
        if self.bar is None:
            return
        rate = rows / max(time.perf_counter() - self.started, 1e-9)
        self.bar.update(self.task, completed=rows, rate=f"{rate:,.0f} {self.unit}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _say(lang: str) -> Callable[[Text], None]:
    def note(text: Text) -> None:
        click.echo(text.get(lang), err=True)

    return note


@click.command()
@click.argument("framework")
@click.argument("input", type=_IN)
@click.option("--output", "-o", type=_OUT, required=True,
              help="Results file (.parquet or .csv), one row per scored enterprise. For several "
                   "frameworks (FRAMEWORK a,b,c), a name with {framework} in it: one file each.")
@profile_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: one process, streaming; dask: a task per range of Parquet row groups, "
                   "on a cluster.")
@click.option("--scheduler", default=None, metavar="ADDR", callback=_scheduler,
              help="Dask scheduler address (tcp://host:8786); default DASK_SCHEDULER_ADDRESS, "
                   "else a local cluster.")
@click.option("--errors", "errors", type=_OUT, default=None,
              help="Error rows file (default OUTPUT.errors.parquet / .csv).")
@click.option("--date", "as_of", callback=_date, default=None, metavar="YYYY-MM-DD",
              help="Assessment date of rows without a date column or cell.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Rows per chunk (memory bound and resume granularity; on Dask also the "
                   f"fewest rows per task).  [default: {DEFAULT_CHUNK_SIZE}]")
@lang_option
def batch(framework: str, input: Path, output: Path, profile: str | None, engine: str,
          scheduler: str | None, errors: Path | None, as_of: dt.date | None,
          chunk_size: int | None, lang: str | None) -> None:
    """Score every enterprise in INPUT (Parquet, CSV, JSON Lines, or a folder of Parquet or
    answer files) against FRAMEWORK, or against several (a,b,c: one results file each, from
    fact-keyed input). Re-running the same command after an interruption resumes it."""
    try:
        from smesdk.batch.formats import open_source
        from smesdk.batch.readers import AnswerFolderSource, ParquetSource
        from smesdk.batch.runner import run_batch
    except ImportError:
        raise SmesdkError(["batch scoring needs pyarrow and numpy: pip install 'smesdk[batch]'"]
                          ) from None
    source = open_source(input)
    if profile is None and isinstance(source, AnswerFolderSource):
        from smesdk.batch.answer_rows import folder_profile

        profile = folder_profile(source.files())  # the profile the answer files were made for
    frameworks = _frameworks(framework, profile, output, errors)
    lang = output_lang(lang)
    total = sum(source.row_counts()) if isinstance(source, ParquetSource) else None
    for fw in frameworks:
        out, err = (Path(str(p).replace(PLACEHOLDER, fw.id)) if p is not None else None
                    for p in (output, errors))
        assert out is not None
        progress = _Progress(total, lang)
        try:
            summary = run_batch(fw, input, out, errors=err, as_of=as_of,
                                engine=engine,  # type: ignore[arg-type]
                                chunk_size=chunk_size or DEFAULT_CHUNK_SIZE, scheduler=scheduler,
                                progress=progress, note=_say(lang))
        finally:
            progress.close()
        head = f"{fw.id}: " if len(frameworks) > 1 else ""
        click.echo(head + summary.line().get(lang))
        where = Text(zh=f"结果：{summary.output}；错误：{summary.errors_path}",
                     en=f"results: {summary.output}; errors: {summary.errors_path}")
        click.echo(where.get(lang), err=True)


#: In --output (and --errors) of a run over several frameworks, replaced by each framework id.
PLACEHOLDER = "{framework}"


def _frameworks(names: str, profile: str | None, output: Path, errors: Path | None
                ) -> list[Framework]:
    """One framework, or several (``a,b:profile``) in dependency order, each to its own file."""
    host = default_host()
    chosen = [n.strip() for n in names.split(",") if n.strip()]
    if len(chosen) == 1:
        return [host.load_framework(chosen[0], profile)]
    if profile is not None:
        raise click.UsageError("with several frameworks, give profiles as FRAMEWORK:PROFILE")
    for option, path in (("--output", output), ("--errors", errors)):
        if path is not None and PLACEHOLDER not in str(path):
            raise click.BadParameter(f"with several frameworks, the file name needs "
                                     f"{PLACEHOLDER} (one file per framework)",
                                     param_hint=option)
    from smesdk.suite import choose

    return choose(chosen, host)


@click.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "by", default="industry,size", show_default=True,
              help="Comma-separated columns that define a cohort.")
@click.option("--min-cohort", type=click.IntRange(min=1), default=5, show_default=True,
              help="Cohorts with fewer members are suppressed (privacy of small groups).")
@click.option("--output", "-o", type=_OUT, required=True,
              help="Per-enterprise percentiles (.parquet or .csv).")
@click.option("--cohorts", type=_OUT, default=None,
              help="Per-cohort distributions (default OUTPUT.cohorts.parquet / .csv).")
@lang_option
def stats(results: Path, by: str, min_cohort: int, output: Path, cohorts: Path | None,
          lang: str | None) -> None:
    """Peer comparison of a results file from `smesdk batch`: each enterprise's percentile
    within its cohort, and each cohort's levels and score quartiles."""
    try:
        from smesdk.batch.formats import output_format
        from smesdk.batch.stats import default_cohorts_path, stats_file
    except ImportError:
        raise SmesdkError(["peer statistics need pyarrow, numpy and DuckDB: "
                           "pip install 'smesdk[stats]'"]) from None
    columns = [c.strip() for c in by.split(",") if c.strip()]
    cohorts = cohorts or default_cohorts_path(output)
    output_format(output)
    output_format(cohorts)
    lang = output_lang(lang)
    listed = _industries(results, lang) if "industry" in columns else None
    done = stats_file(results, columns, min_cohort, output, cohorts, listed)
    n = done.cohorts
    line = Text(
        zh=f"企业 {done.enterprises} · 群组 {n} · 已报告 {n - done.suppressed} · "
           f"不足 {min_cohort} 家而隐去 {done.suppressed}",
        en=f"enterprises {done.enterprises} · cohorts {n} · reported "
           f"{n - done.suppressed} · suppressed (under {min_cohort}) {done.suppressed}",
    )
    click.echo(line.get(lang))


def _industries(results: Path, lang: str) -> Industries | None:
    """The industry classification of the frameworks that wrote ``results`` (None for a file
    without a framework column): cohorts group by its codes and are named."""
    from smesdk.batch.stats import Industries, result_frameworks  # pyarrow: imported lazily
    from smesdk.enterprise import industries

    ids = result_frameworks(results)
    if not ids:
        return None
    host = default_host()
    found = {fid: industries(host.load_framework(fid).spec) for fid in ids}
    kinds = {c.id for c in found.values()}
    if len(kinds) > 1:
        listed = ", ".join(f"{fid}: {c.id}" for fid, c in found.items())
        raise SmesdkError([f"the results mix industry classifications ({listed}); group one "
                           "classification's results at a time"])
    return Industries(next(iter(found.values())), lang)
