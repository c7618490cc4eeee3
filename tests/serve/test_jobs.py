"""Batch jobs over HTTP on a real server: the files are byte for byte those of ``smesdk
batch`` on the same input, and a job whose server is killed (SIGKILL) mid-run is resumed
by the next server on the same jobs folder."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq

import smesdk
from smesdk.batch.runner import run_batch
from smesdk.batch.synthetic import synthetic_batch

from .conftest import BIG_ROWS as N
from .conftest import CHUNK, PARQUET, Server, kill_mid_job, wait_for, write_config


def _cli_files(src: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    out = tmp_path / "cli" / "results.parquet"
    out.parent.mkdir()
    run_batch(smesdk.load_framework("example"), src, out, chunk_size=CHUNK)
    return out.read_bytes(), out.with_name("results.errors.parquet").read_bytes()


def test_a_killed_job_resumes_on_restart_and_matches_smesdk_batch(
        tmp_path: Path, big_input: Path, serve: type[Server]) -> None:
    jobs = tmp_path / "jobs"
    config = write_config(tmp_path / "serve.toml", jobs, f"batch_chunk_size = {CHUNK}\n")
    first = serve(config).start()
    posted = httpx.post(first.url + "/v1/batch/example", content=big_input.read_bytes(),
                        headers=PARQUET, timeout=60)
    assert posted.status_code == 202, posted.text
    job = posted.json()["id"]
    assert posted.headers["location"] == f"/v1/jobs/{job}"
    kill_mid_job(first, jobs, job)
    assert not (jobs / job / "results.parquet").exists(), "the job ended before the kill"
    assert json.loads((jobs / job / "state.json").read_text())["state"] == "running"

    second = serve(config).start()
    status = wait_for(f"{second.url}/v1/jobs/{job}", "done")
    assert status["state"] == "done", status
    summary = status["summary"]
    assert isinstance(summary, dict) and summary["resumed_units"] >= 1
    assert summary["rows"] == N == summary["scored"] + summary["errors"]
    results = httpx.get(f"{second.url}/v1/jobs/{job}/results", timeout=60)
    errors = httpx.get(f"{second.url}/v1/jobs/{job}/errors", timeout=60)
    assert results.headers["content-type"] == "application/vnd.apache.parquet"
    assert (results.content, errors.content) == _cli_files(big_input, tmp_path)


def test_job_files_wait_for_the_job_and_bad_uploads_make_no_job(
        tmp_path: Path, serve: type[Server]) -> None:
    jobs = tmp_path / "jobs"
    server = serve(write_config(tmp_path / "serve.toml", jobs)).start()
    csv = b"enterprise_id,size,colour\ne1,small,red\n"
    refused = httpx.post(server.url + "/v1/batch/example", content=csv,
                         headers={"content-type": "text/csv"}, timeout=30)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert any("colour" in e["message"] for e in refused.json()["errors"])
    assert not any(jobs.iterdir()), "a refused upload must leave no job behind"
    unknown = httpx.get(server.url + "/v1/jobs/" + "0" * 32 + "/results", timeout=10)
    assert unknown.status_code == 404


def test_two_workers_share_the_jobs_folder(tmp_path: Path, serve: type[Server]) -> None:
    # Any worker answers for a job another one runs; the files are still run_batch's.
    src = tmp_path / "small.parquet"
    table = pa.Table.from_batches([synthetic_batch(smesdk.load_framework("example"), 500, seed=3)])
    pq.write_table(table, src)
    config = write_config(tmp_path / "serve.toml", tmp_path / "jobs", f"batch_chunk_size = {CHUNK}\n")
    server = serve(config, workers=2).start()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        job = client.post("/v1/batch/example", content=src.read_bytes(), headers=PARQUET).json()
        status = wait_for(f"{server.url}/v1/jobs/{job['id']}", "done")
        assert status["state"] == "done", status
        results = client.get(f"/v1/jobs/{job['id']}/results").content
        errors = client.get(f"/v1/jobs/{job['id']}/errors").content
    assert (results, errors) == _cli_files(src, tmp_path)
