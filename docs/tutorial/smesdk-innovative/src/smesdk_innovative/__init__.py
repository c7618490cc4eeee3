"""The `innovative` framework (创新型中小企业评价): data in innovative.yaml, one hook."""

from pathlib import Path

from smesdk import hookimpl


@hookimpl
def smesdk_register_frameworks(register):  # type: ignore[no-untyped-def]
    register(Path(__file__).with_name("innovative.yaml"))
