"""The `example` framework: data in example.yaml, one hook to register it."""

from pathlib import Path

from smesdk import hookimpl


@hookimpl
def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
    register(Path(__file__).with_name("example.yaml"))
