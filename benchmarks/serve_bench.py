"""HTTP API load test on loopback: ``POST /v1/assess/digital`` against a real ``smesdk serve``.

Run: `python benchmarks/serve_bench.py [--workers 1,2] [--duration 600] [--capacity-seconds 20]
[--max-requests N] [--load 0.8] [--renew 20]`. Figures, not tests; it stops by itself (each
phase is bounded by time and by request count). For each worker count, in one run:

- capacity: requests/s with enough concurrent keep-alive clients to saturate the server
  (closed loop, ``--capacity-seconds``); each client renews its connection every ``--renew``
  requests, as traffic from many platforms would (see ``_Client``);
- steady load: an open loop at ``--load`` x capacity for ``--duration`` seconds, sent from
  one asyncio event loop over the same number of connections (see ``steady``). Latency is
  measured from each request's *scheduled* send time, so a server that falls behind shows
  the queueing in p99 (no coordinated omission);
- RSS of the server (master and worker processes summed, from /proc) sampled every 5 s
  over the steady phase: first, last, max, and the least-squares slope in MB per minute.

The load generator runs on the same machine (2 cores here), so the capacity figure is a
floor: the clients take some of the CPU the server would otherwise have.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parents[1]
ANSWERS = ROOT / "plugins" / "digital" / "examples" / "04_level4.yaml"
PATH = "/v1/assess/digital"


def _body() -> bytes:
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    return json.dumps(data, default=str, ensure_ascii=False).encode("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(self, workers: int, folder: Path) -> None:
        self.port = _free_port()
        config = folder / "serve.toml"
        config.write_text(f'jobs_dir = "{folder / "jobs"}"\n', encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from smesdk.cli import main; main()", "serve", "--port",
             str(self.port), "--workers", str(workers), "--config", str(config)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/v1/readyz")
                if conn.getresponse().status == 200:
                    conn.close()
                    # one worker runs in the server's own process; more are its children
                    if self._tree_size() >= (workers if workers > 1 else 0):
                        return
            time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not start")

    def _tree(self) -> list[int]:
        """The server's process and its descendants (uvicorn's workers)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(entry.name))
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def _tree_size(self) -> int:
        return len(self._tree()) - 1

    def rss_mb(self) -> float:
        total = 0
        for pid in self._tree():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _client(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


class _Client:
    """One simulated client: a keep-alive connection renewed every ``renew`` requests.

    Several uvicorn workers share one listening socket and each connection stays with the
    worker that accepted it; a handful of connections that live for the whole run can all
    land on one worker (seen here: all 8 of 8), which then carries the whole load while the
    other idles. A platform's traffic is many clients coming and going, and a new connection
    goes to a worker that is free to accept it; renewing connections models that.
    """

    def __init__(self, port: int, renew: int) -> None:
        self.port = port
        self.renew = renew
        self.used = 0
        self.conn = _client(port)

    def send(self, body: bytes) -> int:
        if self.used >= self.renew:
            self.conn.close()
            self.conn = _client(self.port)
            self.used = 0
        self.used += 1
        return _send(self.conn, body)

    def close(self) -> None:
        self.conn.close()


def _send(conn: http.client.HTTPConnection, body: bytes) -> int:
    conn.request("POST", PATH, body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status


def capacity(port: int, body: bytes, clients: int, seconds: float, max_requests: int,
             renew: int) -> float:
    """Requests/s with ``clients`` keep-alive connections sending back to back."""
    done = [0] * clients
    failed = [0]
    stop_at = time.monotonic() + seconds
    per_client = max_requests // clients

    def run(i: int) -> None:
        client = _Client(port, renew)
        while time.monotonic() < stop_at and done[i] < per_client:
            if client.send(body) != 200:
                failed[0] += 1
            done[i] += 1
        client.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed[0]:
        raise SystemExit(f"{failed[0]} requests failed during the capacity run")
    return sum(done) / (time.monotonic() - started)


async def _open(port: int) -> list[Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    return [reader, writer, 0]  # and how many requests it carried


async def _exchange(conn: list[Any], head: bytes, body: bytes) -> int:
    """One request on a keep-alive connection; the response's status (its body is read)."""
    reader, writer = conn[0], conn[1]
    writer.write(head + body)
    await writer.drain()
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status.split()[1])


async def _open_loop(port: int, body: bytes, rate: float, total: int, clients: int,
                     renew: int, start: float, hard_stop: float
                     ) -> tuple[list[float], int, int]:
    """(latencies, failed, unsent) of ``total`` requests sent on a fixed schedule from one
    event loop over ``clients`` keep-alive connections (renewed every ``renew`` requests)."""
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    idle: asyncio.Queue[list[Any]] = asyncio.Queue()
    for _ in range(clients):
        idle.put_nowait(await _open(port))
    latencies: list[float] = []
    failed = 0

    async def one(due: float) -> None:
        nonlocal failed
        conn = await idle.get()  # waiting for a free connection counts: it is queueing
        if conn[2] >= renew:
            conn[1].close()
            conn = await _open(port)
        conn[2] += 1
        if await _exchange(conn, head, body) != 200:
            failed += 1
        latencies.append(time.monotonic() - due)
        idle.put_nowait(conn)

    pending: set[asyncio.Task[None]] = set()
    unsent = 0
    for k in range(total):
        due = start + k * (1.0 / rate)
        now = time.monotonic()
        if now > hard_stop:
            unsent = total - k
            break
        if due > now:
            await asyncio.sleep(due - now)
        task = asyncio.create_task(one(due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    while not idle.empty():
        idle.get_nowait()[1].close()
    return latencies, failed, unsent


def steady(server: Server, body: bytes, rate: float, seconds: float, max_requests: int,
           clients: int, renew: int) -> dict[str, float]:
    """An open loop at ``rate`` requests/s on one fixed schedule; latency counts from each
    request's scheduled time.

    The requests are sent from one asyncio event loop, not from a thread per connection:
    with two workers on the same two cores, threads of a Python load generator waited for
    the CPU and for each other's interpreter lock, and their late sends showed as server
    latency (p99 28-212 ms, against 7 ms with the event loop, in 60 s runs).
    """
    total = min(int(rate * seconds), max_requests)
    start = time.monotonic() + 0.5
    rss: list[tuple[float, float]] = []
    finished = threading.Event()
    hard_stop = start + seconds + 30  # a server far behind: stop anyway, count what was left

    def sample() -> None:
        while not finished.wait(5.0):
            rss.append((time.monotonic() - start, server.rss_mb()))

    sampler = threading.Thread(target=sample, daemon=True)
    rss.append((0.0, server.rss_mb()))
    sampler.start()
    latencies, failed, unsent = asyncio.run(_open_loop(
        server.port, body, rate, total, clients, renew, start, hard_stop))
    finished.set()
    rss.append((time.monotonic() - start, server.rss_mb()))
    took = time.monotonic() - start
    flat = sorted(latencies)
    if failed:
        raise SystemExit(f"{failed} requests failed during the steady run")
    xs, ys = [t / 60 for t, _ in rss], [m for _, m in rss]
    slope = statistics.linear_regression(xs, ys).slope if len(rss) > 2 else 0.0
    return {
        "requests": len(flat), "unsent": unsent, "seconds": took,
        "achieved": len(flat) / took,
        "p50_ms": flat[len(flat) // 2] * 1000, "p99_ms": flat[int(len(flat) * 0.99)] * 1000,
        "rss_first": ys[0], "rss_last": ys[-1], "rss_max": max(ys),
        "rss_after_first_minute": min((m for t, m in rss if t >= 60), default=ys[-1]),
        "rss_slope_mb_per_min": slope, "rss_samples": len(rss),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, e.g. 1,2")
    parser.add_argument("--duration", type=float, default=600.0,
                        help="seconds of steady load per worker count (default 600)")
    parser.add_argument("--capacity-seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=2_000_000,
                        help="upper bound on requests per phase")
    parser.add_argument("--load", type=float, default=0.8,
                        help="steady load as a fraction of the measured capacity")
    parser.add_argument("--clients", type=int, default=4,
                        help="concurrent clients (connections) per worker (default 4)")
    parser.add_argument("--renew", type=int, default=20,
                        help="requests per client connection before it is renewed (default 20)")
    args = parser.parse_args()
    body = _body()
    print(f"POST {PATH} ({len(body)} bytes of JSON), loopback, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} (other work on the machine)")
    for workers in (int(w) for w in args.workers.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            server = Server(workers, Path(folder))
            try:
                conn = _client(server.port)
                for _ in range(50):  # warm up: imports, the framework cache, each worker
                    _send(conn, body)
                conn.close()
                clients = args.clients * workers
                cap = capacity(server.port, body, clients, args.capacity_seconds,
                               args.max_requests, args.renew)
                rate = cap * args.load
                figures = steady(server, body, rate, args.duration, args.max_requests,
                                 clients=clients, renew=args.renew)
            finally:
                server.stop()
        print(f"workers {workers}: capacity {cap:,.0f} req/s; at {args.load:.0%} "
              f"({rate:,.0f} req/s, achieved {figures['achieved']:,.0f}) for "
              f"{figures['seconds']:.0f} s, {figures['requests']:,.0f} requests "
              f"({figures['unsent']:,.0f} left unsent at the hard stop): "
              f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms; "
              f"RSS {figures['rss_first']:.0f} MB at start, "
              f"{figures['rss_after_first_minute']:.0f} MB after 1 min, "
              f"{figures['rss_last']:.0f} MB at end (max {figures['rss_max']:.0f}, slope "
              f"{figures['rss_slope_mb_per_min']:+.2f} MB/min over "
              f"{figures['rss_samples']:.0f} samples); load average {os.getloadavg()[0]:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
