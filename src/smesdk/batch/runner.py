"""A batch run from input file to result and error files: resumable, reconciled, atomic.

The run works in a hidden folder next to the output (``.OUTPUT.work``): each finished unit
(a chunk of rows, or a range of Parquet row groups on Dask) leaves an Arrow part file of result
rows and one of error rows, then is recorded in ``manifest.json``. Re-running the same command after a crash
skips the recorded units. A fresh local run also streams the final files as it goes; otherwise
the parts are merged in row order at the end. The counts are reconciled (rows read = scored +
errors = rows written) before the final files are renamed into place, then the work folder is
removed. A manifest written for another input, framework or set of options is discarded with a
note, never mixed in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import pyarrow as pa

from smesdk.batch.columns import ENTERPRISE_ID, check_columns
from smesdk.batch.engines import result_schema, run_dask, run_local
from smesdk.batch.formats import open_source, output_format
from smesdk.batch.lock import output_lock
from smesdk.batch.output import provenance
from smesdk.batch.pipeline import Worker
from smesdk.batch.plan import compile_plan
from smesdk.batch.readers import (
    AnswerFolderSource,
    ParquetSource,
    Source,
)
from smesdk.batch.repeats import known_id_hashes, repeated_ids
from smesdk.batch.writers import (
    ERROR_SCHEMA,
    Final,
    FinalFile,
    PartWriter,
    default_errors_path,
    part_column,
    part_schema,
    read_id_hashes,
    read_parts,
    write_json,
)
from smesdk.batchsizes import DEFAULT_CHUNK_SIZE
from smesdk.errors import Problem, SmesdkError, short_error
from smesdk.text import Text

if TYPE_CHECKING:
    from distributed import Client

    from smesdk.batch.plan import Plan
    from smesdk.framework import Framework

Engine = Literal["local", "dask"]
MANIFEST = "manifest.json"
# 2: a Dask unit is a range of row groups, no longer a file; 3: compact parts; 4: each part
# has its enterprise-id hashes beside it
_FORMAT = 4


@attrs.frozen
class Summary:
    """What a run did. ``rows == scored + errors`` always (the runner checks it)."""

    rows: int
    scored: int
    errors: int
    seconds: float
    output: Path
    errors_path: Path
    resumed_units: int = 0
    #: (id, count) of each enterprise id that occurs more than once in the input (results and
    #: error rows), in order of first appearance.
    repeated_ids: tuple[tuple[str, int], ...] = ()

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> Text:
        rate = f"{self.rows_per_second:,.0f}"
        return Text(
            zh=f"行 {self.rows} · 已评分 {self.scored} · 错误 {self.errors} · {rate} 行/秒",
            en=f"rows {self.rows} · scored {self.scored} · errors {self.errors} · {rate} rows/s",
        )


def work_dir(output: Path) -> Path:
    return output.with_name(f".{output.name}.work")


def _identity(plan: Plan, source: Source, engine: str, chunk_size: int, output: Path,
              errors: Path) -> dict[str, Any]:
    fw = plan.framework
    return {
        "format": _FORMAT,
        "input": source.fingerprint(),
        "framework": fw.id,
        "framework_version": fw.version,
        "content_hash": fw.content_hash,
        "profile": fw.profile,
        "as_of": plan.as_of.isoformat() if plan.as_of else None,
        "engine": engine,
        "chunk_size": chunk_size,
        "output": str(output.resolve()),
        "errors": str(errors.resolve()),
    }


_CHANGED = {
    "input": Text(zh="输入文件已改变", en="the input changed"),
    "content_hash": Text(zh="框架内容已改变", en="the framework changed"),
    "framework": Text(zh="框架不同", en="another framework"),
    "framework_version": Text(zh="框架版本不同", en="another framework version"),
}


class WorkDir:
    """The run's work folder: part files plus the manifest of finished units."""

    def __init__(self, output: Path, identity: dict[str, Any], note: Callable[[Text], None],
                 schema: pa.Schema) -> None:
        self.path = work_dir(output)
        self.identity = identity
        self.done: dict[int, tuple[int, int, int]] = {}
        if self.path.exists() and not self.path.is_dir():
            raise SmesdkError([Problem("", f"the work folder {self.path} is a file, not a "
                                       "folder; remove it and run again", str(output))])
        manifest = self.path / MANIFEST
        if manifest.exists():
            old = _read_manifest(manifest)
            if old is None:
                note(Text(zh=f"{manifest} 已损坏：重新开始", en=f"{manifest} is damaged: "
                          "starting over"))
                shutil.rmtree(self.path)
            elif old["identity"] == identity:
                self.done = old["done"]
                self._drop_damaged(schema, note)
                if self.done:
                    note(Text(zh=f"继续上次中断的运行：已完成 {len(self.done)} 个分块",
                              en=f"resuming an interrupted run: {len(self.done)} units already done"))
            else:
                changed = next((text for key, text in _CHANGED.items()
                                if old["identity"].get(key) != identity[key]),
                               Text(zh="选项已改变", en="the options changed"))
                note(Text(zh=f"丢弃 {self.path} 中未完成的运行：{changed.zh}",
                          en=f"discarding the unfinished run in {self.path}: {changed.en}"))
                shutil.rmtree(self.path)
        elif self.path.exists():
            shutil.rmtree(self.path)  # a run killed before its first manifest: nothing to keep
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._save()
        except OSError as exc:
            raise SmesdkError([Problem("", f"cannot write next to the output: {exc}",
                                       str(output))]) from None

    def _drop_damaged(self, schema: pa.Schema, note: Callable[[Text], None]) -> None:
        """Forget units whose part files are missing, truncated or not what the manifest
        says: they are scored again (chunks are the same rows on every run)."""
        damaged = [unit for unit, (_, scored, failed) in self.done.items()
                   if not (_part_ok(self.parts(unit)[0], schema, scored)
                           and _part_ok(self.parts(unit)[1], ERROR_SCHEMA, failed))]
        for unit in damaged:
            del self.done[unit]
        if damaged:
            note(Text(zh=f"{len(damaged)} 个分块的部分文件已损坏，将重新评分",
                      en=f"{len(damaged)} units have damaged part files and are scored again"))

    def parts(self, unit: int) -> tuple[Path, Path]:
        return self.path / f"part-{unit:09d}.arrow", self.path / f"errors-{unit:09d}.arrow"

    def record(self, unit: int, rows: int, scored: int, errors: int) -> None:
        self.done[unit] = (rows, scored, errors)
        self._save()

    def _save(self) -> None:
        write_json(self.path / MANIFEST, {
            "identity": self.identity,
            "done": {str(k): list(v) for k, v in sorted(self.done.items())},
        })


def _read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest's identity and finished units, or None if it is not one we wrote."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        identity, done = data["identity"], data["done"]
        if not isinstance(identity, dict) or not isinstance(done, dict):
            return None
        units = {int(k): (int(v[0]), int(v[1]), int(v[2])) for k, v in done.items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None
    if any(unit < 0 or min(counts) < 0 or counts[0] != counts[1] + counts[2]
           for unit, counts in units.items()):
        return None
    return {"identity": identity, "done": units}


def _part_ok(path: Path, schema: pa.Schema, rows: int) -> bool:
    """Whether an Arrow part file is whole: readable, of ``schema``, holding ``rows`` rows,
    with a hash beside it for each of its known enterprise ids."""
    try:
        with pa.memory_map(str(path)) as source:
            reader = pa.ipc.open_file(source)
            if not reader.schema.equals(schema):
                return False
            batches = [reader.get_batch(i) for i in range(reader.num_record_batches)]
            if sum(b.num_rows for b in batches) != rows:
                return False
            hashes = np.concatenate([np.zeros(0, np.uint64), *(
                known_id_hashes(b.column(ENTERPRISE_ID)) for b in batches)])
        return bool(np.array_equal(read_id_hashes(path), hashes))
    except (OSError, pa.ArrowException):
        return False


def _run_local(plan: Plan, source: Source, chunk_size: int, skip: frozenset[int], work: WorkDir,
               on_done: Callable[[int, int, int, int], None],
               finals: tuple[FinalFile, FinalFile] | None) -> None:
    """Score in this thread; save parts and record them in another, and feed the final files
    in a third: when scoring ends, the last chunks' two encodings share the cores instead of
    running one after the other."""
    schema = result_schema(plan)
    constants = provenance(plan)
    Item = tuple[int, pa.RecordBatch, pa.RecordBatch]

    def store(item: Item) -> None:
        unit, good, bad = item
        part, errors = work.parts(unit)
        with PartWriter(part, schema, constants) as w:
            w.write(good)
        with PartWriter(errors, ERROR_SCHEMA, {}) as w:
            w.write(bad)
        on_done(unit, good.num_rows + bad.num_rows, good.num_rows, bad.num_rows)

    def feed(item: Item | None, finals: tuple[FinalFile, FinalFile]) -> None:
        if item is None:  # the last chunk is in: its rows and the footers, in this thread
            finals[0].finish()
            finals[1].finish()
            return
        finals[0].push(item[1])
        finals[1].push(item[2])

    parts: Worker[Item] = Worker(store, name="smesdk-parts")
    final: Worker[Item | None] | None = None
    if finals is not None:
        final = Worker(functools.partial(feed, finals=finals), name="smesdk-final")
    workers: list[Worker[Any]] = [parts] if final is None else [parts, final]

    def emit(unit: int, good: pa.RecordBatch, bad: pa.RecordBatch) -> None:
        for worker in workers:
            worker.put((unit, good, bad))

    try:
        run_local(plan, source, chunk_size, skip, emit)
        if final is not None:
            final.put(None)
        for worker in workers:
            worker.close()
    except BaseException:
        # Chunks already scored are kept as parts (a re-run resumes after them).
        for worker in workers:
            with contextlib.suppress(BaseException):
                worker.close()
        if finals is not None:
            finals[0].abort()
            finals[1].abort()
        raise


def _merge(plan: Plan, work: WorkDir, output: Path, errors_path: Path
           ) -> tuple[FinalFile, FinalFile]:
    """The final files fed from every unit's parts, in row order (not yet committed)."""
    finals = (FinalFile(output, result_schema(plan), tmp_dir=work.path),
              FinalFile(errors_path, ERROR_SCHEMA, tmp_dir=work.path))
    for k, final in enumerate(finals):
        for batch in read_parts(work.parts(u)[k] for u in sorted(work.done)):
            final.push(batch)
    return finals


def run_batch(
    framework: Framework,
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    errors: str | os.PathLike[str] | None = None,
    as_of: dt.date | None = None,
    engine: Engine = "local",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    scheduler: str | None = None,
    client: Client | None = None,
    progress: Callable[[int], None] | None = None,
    note: Callable[[Text], None] | None = None,
) -> Summary:
    """Score every row of ``input`` into ``output`` (results) and ``errors`` (error rows).

    Resumes an interrupted run of the same command; raises SmesdkError for an input that cannot
    be read or whose columns do not fit the framework.
    """
    started = time.perf_counter()
    source = open_source(input)
    out = Path(output)
    output_format(out)
    err = Path(errors) if errors is not None else default_errors_path(out)
    output_format(err)
    inputs = {f.resolve() for f in source.files()}
    if out.resolve() in inputs or err.resolve() in inputs or out.resolve() == err.resolve():
        raise SmesdkError([Problem("", "the output and errors files must differ from the input "
                                       "and from each other", str(out))])
    if chunk_size < 1:
        raise SmesdkError([f"chunk size must be at least 1, got {chunk_size}"])
    if isinstance(source, AnswerFolderSource):
        source.framework = framework  # each file is checked against the run's framework
    say = note or (lambda _: None)
    # The lock comes first: a run that is refused must not have started reading (pyarrow's
    # streaming CSV reader keeps threads that abort the process if it exits under them).
    with output_lock(out):
        plan = compile_plan(framework, as_of=as_of)
        names = source.column_names()
        if names is not None:
            check_columns(framework, names)
        try:
            summary = _run(plan, source, out, err, engine, chunk_size, scheduler, client,
                           progress, say, started)
        except OSError as exc:
            where = exc.filename or out
            raise SmesdkError([Problem("", f"cannot write: {exc.strerror or exc}; finished "
                                       "chunks are kept, so running the same command again "
                                       "resumes", str(where))]) from None
    _note_duplicates(summary, say)
    return summary


def _run(plan: Plan, source: Source, out: Path, err: Path, engine: str, chunk_size: int,
         scheduler: str | None, client: Client | None, progress: Callable[[int], None] | None,
         note: Callable[[Text], None], started: float) -> Summary:
    work = WorkDir(out, _identity(plan, source, engine, chunk_size, out, err), note,
                   part_schema(result_schema(plan), provenance(plan)))
    resumed = len(work.done)
    done_rows = [sum(v[0] for v in work.done.values())]
    if progress is not None and done_rows[0]:
        progress(done_rows[0])

    def on_done(unit: int, rows: int, scored: int, failed: int) -> None:
        work.record(unit, rows, scored, failed)
        done_rows[0] += rows
        if progress is not None:
            progress(done_rows[0])

    skip = frozenset(work.done)
    finals: tuple[Final, Final] | None = None
    if engine == "local":
        # A fresh run streams the final files as it goes (no merge pass at the end); a resumed
        # one merges its parts, old and new, once all are done.
        streamed = None if work.done else (FinalFile(out, result_schema(plan), tmp_dir=work.path),
                                           FinalFile(err, ERROR_SCHEMA, tmp_dir=work.path))
        _run_local(plan, source, chunk_size, skip, work, on_done, streamed)
        finals = streamed
    elif engine == "dask":
        try:
            finals = run_dask(plan, source, work.parts, chunk_size, dict(work.done), on_done,
                              (out, err), work.path, client=client, scheduler=scheduler)
        except (OSError, TimeoutError, ValueError) as exc:
            if work.path.exists() and not _wrote_parts(work):
                raise SmesdkError([Problem("", f"cannot use the Dask scheduler "
                                           f"{scheduler or '(DASK_SCHEDULER_ADDRESS)'}: "
                                           f"{short_error(exc)}", "--scheduler")]) from None
            raise
    else:
        raise SmesdkError([f"unknown engine {engine!r} (local or dask)"])
    rows = sum(v[0] for v in work.done.values())
    scored = sum(v[1] for v in work.done.values())
    failed = sum(v[2] for v in work.done.values())
    if finals is None:
        finals = _merge(plan, work, out, err)
    written, written_errors = finals[0].finish(), finals[1].finish()
    expected = sum(source.row_counts()) if isinstance(source, ParquetSource) else rows
    if not rows == expected == scored + failed or (written, written_errors) != (scored, failed):
        finals[0].abort()
        finals[1].abort()
        raise SmesdkError([f"counts do not reconcile: input {expected}, read {rows}, scored "
                           f"{scored} (written {written}), errors {failed} (written "
                           f"{written_errors}); the work folder {work.path} is kept"])
    finals[0].commit()
    finals[1].commit()
    repeated = _repeated(work)
    shutil.rmtree(work.path)
    return Summary(rows, scored, failed, time.perf_counter() - started, out, err, resumed,
                   tuple(repeated))


def _repeated(work: WorkDir) -> list[tuple[str, int]]:
    """The run's repeated enterprise ids, from the parts' id hashes (and, only if some hash
    occurs twice, their ids): results first, then error rows, each in row order."""
    units = sorted(work.done)
    parts = [work.parts(u)[0] for u in units] + [work.parts(u)[1] for u in units]
    return repeated_ids(lambda: part_column(parts, ENTERPRISE_ID),
                        lambda: map(read_id_hashes, parts))


def _wrote_parts(work: WorkDir) -> bool:
    return any(work.path.glob("part-*.arrow"))


def _note_duplicates(summary: Summary, note: Callable[[Text], None]) -> None:
    """Say which enterprise ids occur more than once in the input (rows scored and not)."""
    repeated = summary.repeated_ids
    if repeated:
        first = ", ".join(f"{value} ({count}x)" for value, count in repeated[:5])
        more = f" and {len(repeated) - 5} more" if len(repeated) > 5 else ""
        note(Text(zh=f"注意：有 {len(repeated)} 个企业编号出现多次：{first}{more}",
                  en=f"note: enterprise ids that occur more than once ({len(repeated)}): {first}{more}"))
