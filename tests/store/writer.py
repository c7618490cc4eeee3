"""A store writer run as a separate process by test_processes.py.

    python writer.py URL commit N       record N assessments one by one; print each uid once committed
    python writer.py URL hang N         record N assessments in one transaction, then hang inside it
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import attrs

import smesdk
from smesdk.store import open_store

ANSWERS = "examples/answers/example-small-firm.yaml"


def main(url: str, mode: str, count: int, tag: str) -> None:
    store = open_store(url)
    fw = smesdk.load_framework("example")
    answers = smesdk.load_answers(ANSWERS)
    print("READY", flush=True)

    def items() -> Iterator[tuple[smesdk.Framework, smesdk.AnswerSet, None]]:
        for i in range(count):
            yield fw, attrs.evolve(answers, notes=f"{tag}-{i}"), None
        print("IN-TX", flush=True)
        time.sleep(600)  # killed here, inside the open transaction

    if mode == "hang":
        store.record_many(items())
        return
    for i in range(count):
        saved = store.record(fw, attrs.evolve(answers, notes=f"{tag}-{i}"))
        print(saved.uid, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
