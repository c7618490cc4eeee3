"""The background stages of a local run: order kept, errors raised where the run is."""

from __future__ import annotations

import threading

import pytest

from smesdk.batch.pipeline import Worker, prefetch


def test_prefetch_keeps_order_and_raises_the_readers_error():
    assert list(prefetch(range(50), depth=2)) == list(range(50))

    def broken():
        yield 1
        raise ValueError("unreadable block")

    got = []
    with pytest.raises(ValueError, match="unreadable block"):
        got.extend(prefetch(broken()))
    assert got == [1]


def test_prefetch_stops_its_thread_when_the_consumer_stops():
    before = threading.active_count()
    for item in prefetch(iter(range(10**9))):
        if item == 3:
            break
    assert threading.active_count() == before


def test_worker_handles_items_in_order_and_reports_its_error():
    seen = []
    worker = Worker(seen.append)
    for i in range(20):
        worker.put(i)
    worker.close()
    assert seen == list(range(20))

    def fail(item):
        raise OSError("disk full")

    worker = Worker(fail)
    with pytest.raises(OSError, match="disk full"):
        for i in range(100):
            worker.put(i)
        worker.close()
