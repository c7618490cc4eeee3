"""Jobs are removed, never by surprise: ``DELETE /v1/jobs/{id}`` removes a queued, done or
failed job and refuses a running one; a done or failed job expires ``finished_jobs_hours``
after it ended, swept at start-up and at most once a minute on job requests. Real servers,
real files and real locks; the two-worker case runs two worker processes on one folder."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from smesdk.errors import SmesdkError
from smesdk.serve import app
from smesdk.serve.config import ServeConfig, load_config
from smesdk.serve.jobs import Jobs

from .conftest import BIG_ROWS, CHUNK, PARQUET, Server, kill_mid_job, wait_for, write_config

CSV = {"content-type": "text/csv"}
#: Two rows the example framework scores (the columns of docs/serve.md's walk-through).
FIRMS = (b"enterprise_id,size,date,strategy.mission,strategy.plan,hr.insurance,"
         b"hr.training_hours,operations.monitoring,operations.systems,operations.qms_audit,"
         b"operations.qms\n"
         b"e1,small,2026-11-01,3,partly,true,12,60,erp|crm,2026-03-01,true\n"
         b"e2,medium,2026-11-01,4,fully,true,40,90,erp|crm,2026-06-01,true\n")
WEEK = dt.timedelta(days=7)  # the documented default of finished_jobs_hours (168)


def _done_job(url: str) -> str:
    posted = httpx.post(url + "/v1/batch/example?format=csv", content=FIRMS, headers=CSV,
                        timeout=30)
    assert posted.status_code == 202, posted.text
    job: str = posted.json()["id"]
    assert wait_for(f"{url}/v1/jobs/{job}", "done")["state"] == "done"
    return job


def _set_finished(folder: Path, ago: dt.timedelta) -> None:
    """Make a finished job look as if it ended ``ago`` (as time passing would)."""
    state = json.loads((folder / "state.json").read_text("utf-8"))
    assert state["state"] in ("done", "failed")
    finished = dt.datetime.now(dt.UTC) - ago
    state["finished"] = finished.isoformat(timespec="seconds")
    (folder / "state.json").write_text(json.dumps(state), "utf-8")


def _copy_job(folder: Path) -> Path:
    """Another finished job like ``folder`` (a copy under a new server-made token)."""
    token = secrets.token_hex(16)
    copy = folder.with_name(token)
    shutil.copytree(folder, copy)
    job = json.loads((copy / "job.json").read_text("utf-8"))
    (copy / "job.json").write_text(json.dumps({**job, "id": token}), "utf-8")
    return copy


def _quiet(server: Server) -> None:
    log = server.log.read_text("utf-8", errors="replace")
    assert "Traceback" not in log and "Error" not in log, log[-3000:]


def test_a_deleted_done_job_is_gone_and_a_second_delete_is_404(
        tmp_path: Path, serve: type[Server]) -> None:
    jobs = tmp_path / "jobs"
    server = serve(write_config(tmp_path / "serve.toml", jobs)).start()
    job = _done_job(server.url)
    assert (jobs / job / "results.csv").is_file()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        deleted = client.delete(f"/v1/jobs/{job}")
        assert deleted.status_code == 204 and deleted.content == b""
        assert client.get(f"/v1/jobs/{job}").status_code == 404
        assert client.get(f"/v1/jobs/{job}/results").status_code == 404
        assert not any(jobs.iterdir()), "the job's folder (upload, files, lock) must be gone"
        again = client.delete(f"/v1/jobs/{job}")
        assert again.status_code == 404
        assert again.headers["content-type"] == "application/problem+json"
        for bad in ("nope", "0" * 32, "../" + job, job.upper()):
            assert client.delete(f"/v1/jobs/{bad}").status_code == 404, bad
    _quiet(server)


def test_a_running_job_is_refused_and_completes_and_a_queued_one_never_runs(
        tmp_path: Path, big_input: Path, serve: type[Server]) -> None:
    jobs = tmp_path / "jobs"
    server = serve(write_config(tmp_path / "serve.toml", jobs,
                                f"batch_chunk_size = {CHUNK}\n")).start()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        big = client.post("/v1/batch/example", content=big_input.read_bytes(),
                          headers=PARQUET).json()["id"]
        # One worker runs one job at a time: this one waits behind the big one.
        queued = client.post("/v1/batch/example?format=csv", content=FIRMS,
                             headers=CSV).json()["id"]
        assert wait_for(f"{server.url}/v1/jobs/{big}", "running")["state"] == "running"
        assert client.get(f"/v1/jobs/{queued}").json()["state"] == "queued"

        refused = client.delete(f"/v1/jobs/{big}")
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"] == ("the job is running; delete it when it is done "
                                            "or failed")
        assert refused.json()["type"].endswith("#problem-conflict")
        assert client.delete(f"/v1/jobs/{queued}").status_code == 204

        status = wait_for(f"{server.url}/v1/jobs/{big}", "done")
        assert status["state"] == "done", status
        summary = status["summary"]
        assert isinstance(summary, dict) and summary["rows"] == BIG_ROWS
        assert client.get(f"/v1/jobs/{big}/results").status_code == 200
        time.sleep(1)  # the worker has turned to the deleted job by now
        assert client.get(f"/v1/jobs/{queued}").status_code == 404
    assert sorted(p.name for p in jobs.iterdir()) == [big], "the queued job came back"
    _quiet(server)


def test_finished_jobs_expire_at_start_up_and_status_says_when(
        tmp_path: Path, serve: type[Server]) -> None:
    jobs = tmp_path / "jobs"
    config = write_config(tmp_path / "serve.toml", jobs, "finished_jobs_hours = 2\n")
    first = serve(config).start()
    old, young = _done_job(first.url), _done_job(first.url)
    status = httpx.get(f"{first.url}/v1/jobs/{young}", timeout=10).json()
    finished = dt.datetime.fromisoformat(status["finished"])
    assert abs(dt.datetime.now(dt.UTC) - finished) < dt.timedelta(minutes=1)
    # finished_jobs_hours = 2: it expires two hours after it ended.
    assert dt.datetime.fromisoformat(status["expires"]) - finished == dt.timedelta(hours=2)
    first.kill()

    _set_finished(jobs / old, dt.timedelta(hours=2, minutes=1))
    _set_finished(jobs / young, dt.timedelta(hours=1, minutes=59))
    second = serve(config).start()
    assert httpx.get(f"{second.url}/v1/jobs/{old}", timeout=10).status_code == 404
    assert httpx.get(f"{second.url}/v1/jobs/{young}", timeout=10).status_code == 200
    assert sorted(p.name for p in jobs.iterdir()) == [young]
    _quiet(second)


def test_job_requests_sweep_at_most_once_a_minute(tmp_path: Path) -> None:
    api = app(ServeConfig(jobs_dir=str(tmp_path / "jobs")))
    jobs: Jobs = api.state.jobs
    with TestClient(api) as client:
        job = client.post("/v1/batch/example?format=csv", content=FIRMS, headers=CSV).json()["id"]
        deadline = time.monotonic() + 60
        while client.get(f"/v1/jobs/{job}").json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        _set_finished(tmp_path / "jobs" / job, WEEK + dt.timedelta(minutes=1))
        # Swept at start-up, under a minute ago: this request does not sweep again.
        assert client.get(f"/v1/jobs/{job}").status_code == 200
        jobs.sweep_every = 0  # as if the minute had passed
        assert client.get(f"/v1/jobs/{job}").status_code == 404


def _job_folder(jobs: Jobs, state: str, **extra: object) -> Path:
    token, _ = jobs.create("example", None, ".csv", "csv", None)
    folder = jobs.root / token
    (folder / "state.json").write_text(json.dumps({"state": state, **extra}), "utf-8")
    return folder


def _age(path: Path, ago: dt.timedelta) -> None:
    then = time.time() - ago.total_seconds()
    os.utime(path, (then, then))


def test_the_sweep_removes_only_finished_jobs_past_their_time(tmp_path: Path) -> None:
    jobs = Jobs(tmp_path / "jobs", CHUNK, keep_hours=24)
    now = dt.datetime.now(dt.UTC)

    def ended(ago: dt.timedelta) -> str:
        return (now - ago).isoformat(timespec="seconds")

    day = dt.timedelta(hours=24)
    second = dt.timedelta(seconds=1)
    old_done = _job_folder(jobs, "done", finished=ended(day + second))
    young_done = _job_folder(jobs, "done", finished=ended(day - dt.timedelta(minutes=1)))
    old_failed = _job_folder(jobs, "failed", finished=ended(3 * day))
    # Jobs from a server that did not record `finished`: state.json's time counts.
    old_unrecorded = _job_folder(jobs, "failed")
    _age(old_unrecorded / "state.json", day + dt.timedelta(minutes=1))
    young_unrecorded = _job_folder(jobs, "done")
    old_damaged = _job_folder(jobs, "done", finished="last Tuesday")
    _age(old_damaged / "state.json", 2 * day)
    # Never swept, however old: queued, running (its lock held, as by the worker running
    # it) and receiving jobs; and a finished one another process holds the lock of now.
    queued = _job_folder(jobs, "queued")
    running = _job_folder(jobs, "running", rows_done=5)
    receiving = _job_folder(jobs, "receiving")
    for folder in (queued, running, receiving):
        _age(folder / "state.json", 30 * day)
        _age(folder / "job.json", 30 * day)
    held = _job_folder(jobs, "done", finished=ended(2 * day))
    # What a removal cut off by a crash left behind.
    leftover = jobs.root / f".deleted-{secrets.token_hex(16)}-0a1b2c3d"
    (leftover / "sub").mkdir(parents=True)

    locks = []
    for folder in (running, held):
        fd = os.open(folder / ".run.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        locks.append(fd)
    try:
        removed = jobs.sweep()
    finally:
        for fd in locks:
            os.close(fd)
    assert sorted(removed) == sorted(f.name for f in (old_done, old_failed, old_unrecorded,
                                                       old_damaged))
    kept = {young_done, young_unrecorded, queued, running, receiving, held}
    assert {p for p in jobs.root.iterdir()} == kept

    assert jobs.sweep() == [held.name], "once its lock is free the expired job goes"
    status = jobs.status(young_done.name)
    assert status is not None
    # keep_hours = 24: it ends a minute less than a day ago, so expires a day after that.
    expected = dt.datetime.fromisoformat(status["finished"]) + day
    assert status["expires"] == expected.isoformat(timespec="seconds")
    assert "expires" not in (jobs.status(queued.name) or {"expires": "?"})


def test_deleting_a_job_the_server_left_running_or_queued(tmp_path: Path) -> None:
    # "running" in state.json but no process holds the lock (its server was stopped): no one
    # runs it, so it may go; a job whose upload is still arriving may not.
    jobs = Jobs(tmp_path / "jobs", CHUNK)
    left = _job_folder(jobs, "running", rows_done=100)
    receiving = _job_folder(jobs, "receiving")
    queued = _job_folder(jobs, "queued")
    assert jobs.delete(left.name) is None and not left.exists()
    assert jobs.delete(receiving.name) == "receiving" and receiving.is_dir()
    fd = os.open(queued / ".run.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a worker starting it
    (queued / "state.json").write_text(json.dumps({"state": "running"}), "utf-8")
    try:
        assert jobs.delete(queued.name) == "running" and queued.is_dir()
    finally:
        os.close(fd)
    assert jobs.delete(queued.name) is None
    assert jobs.delete(queued.name) == "missing"


@pytest.mark.parametrize(("value", "message"), [
    ("0", "must be more than 0 and at most 876000 (100 years)"),
    ("-1", "must be more than 0 and at most 876000 (100 years)"),
    ("1e9", "must be more than 0 and at most 876000 (100 years)"),
    ("nan", "must be more than 0 and at most 876000 (100 years)"),
])
def test_a_bad_expiry_is_refused_with_its_place(tmp_path: Path, value: str,
                                                message: str) -> None:
    path = tmp_path / "serve.toml"
    path.write_text(f"batch_chunk_size = 0\nfinished_jobs_hours = {value}\n", "utf-8")
    with pytest.raises(SmesdkError) as info:
        load_config(path)
    assert [(p.path, p.message, p.file) for p in info.value.problems] == [
        ("batch_chunk_size", "must be at least 1", str(path)),
        ("finished_jobs_hours", message, str(path))]


def test_a_word_for_the_expiry_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "serve.toml"
    path.write_text('finished_jobs_hours = "a week"\n', "utf-8")
    with pytest.raises(SmesdkError) as info:
        load_config(path)
    assert [p.path for p in info.value.problems] == ["finished_jobs_hours"]


def test_two_workers_sweep_and_delete_at_once(tmp_path: Path, big_input: Path,
                                              serve: type[Server]) -> None:
    jobs = tmp_path / "jobs"
    # Small chunks: the job runs long enough for every DELETE to find it running.
    config = write_config(tmp_path / "serve.toml", jobs, f"batch_chunk_size = {CHUNK // 5}\n")
    first = serve(config).start()
    done = _done_job(first.url)
    big = httpx.post(first.url + "/v1/batch/example", content=big_input.read_bytes(),
                     headers=PARQUET, timeout=60).json()["id"]
    kill_mid_job(first, jobs, big)  # left "running": the next server resumes it
    expired = [_copy_job(jobs / done) for _ in range(40)]
    young = [_copy_job(jobs / done) for _ in range(6)]
    for folder in expired:
        _set_finished(folder, WEEK + dt.timedelta(minutes=1))
    for folder in young:
        _set_finished(folder, WEEK - dt.timedelta(minutes=5))

    # Both workers sweep the folder as they start, at the same time; one resumes the job.
    server = serve(config, workers=2).start()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get(f"/v1/jobs/{big}").json()["state"] == "running"

    def delete(token: str) -> int:
        # A connection of its own each time, so the requests spread over both workers.
        return httpx.delete(f"{server.url}/v1/jobs/{token}", timeout=30).status_code

    targets = [big] * 6 + [f.name for f in young for _ in range(4)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(delete, targets))
    assert httpx.get(f"{server.url}/v1/jobs/{big}").json()["state"] == "running", \
        "the job ended before the deletes: give it more rows"
    by_job: dict[str, list[int]] = {}
    for token, code in zip(targets, codes, strict=True):
        by_job.setdefault(token, []).append(code)
    for folder in young:  # each removed once; the others find it gone
        assert sorted(by_job[folder.name]) == [204, 404, 404, 404], by_job[folder.name]
    assert by_job[big] == [409] * 6

    status = wait_for(f"{server.url}/v1/jobs/{big}", "done")
    assert status["state"] == "done", status
    assert sorted(p.name for p in jobs.iterdir()) == sorted([done, big])
    _quiet(server)


def test_a_download_under_way_survives_the_jobs_removal(tmp_path: Path, big_input: Path,
                                                         serve: type[Server]) -> None:
    # The results file is opened before its first byte is sent: a DELETE (or expiry) during
    # the download removes the job, and the download still ends whole.
    jobs = tmp_path / "jobs"
    server = serve(write_config(tmp_path / "serve.toml", jobs)).start()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        posted = client.post("/v1/batch/example?format=csv", content=big_input.read_bytes(),
                             headers=PARQUET)
        assert posted.status_code == 202, posted.text
        job = posted.json()["id"]
        assert wait_for(f"{server.url}/v1/jobs/{job}", "done", 300)["state"] == "done"
        want = (jobs / job / "results.csv").read_bytes()
        assert len(want) > 3 << 20  # several reads of the file, so the removal lands mid-way
        got = b""
        with client.stream("GET", f"/v1/jobs/{job}/results") as response:
            assert response.status_code == 200
            assert int(response.headers["content-length"]) == len(want)
            assert response.headers["content-disposition"] == \
                f'attachment; filename="{job}-results.csv"'
            parts = response.iter_raw(1 << 16)
            got += next(parts)
            assert client.delete(f"/v1/jobs/{job}").status_code == 204
            assert not (jobs / job).exists()
            for part in parts:
                got += part
        assert got == want
        gone = client.get(f"/v1/jobs/{job}/results")
        assert gone.status_code == 404
    _quiet(server)


def test_a_file_removed_as_its_download_starts_is_a_404(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The removal lands between the checks and the opening of the file (the narrowest race a
    # DELETE or an expiry can win): a 404 problem, never a server error.
    with TestClient(app(ServeConfig(jobs_dir=str(tmp_path / "jobs")))) as client:
        posted = client.post("/v1/batch/example?format=csv", content=FIRMS, headers=CSV)
        assert posted.status_code == 202, posted.text
        job = posted.json()["id"]
        deadline = time.monotonic() + 60
        while client.get(f"/v1/jobs/{job}").json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        real = Jobs.output

        def racing(self: Jobs, token: str, which: str) -> tuple[Path, str] | None:
            found = real(self, token, which)
            if found is not None:
                found[0].unlink()
            return found

        monkeypatch.setattr(Jobs, "output", racing)
        response = client.get(f"/v1/jobs/{job}/results")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert "removed" in response.json()["detail"]
