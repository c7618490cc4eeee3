"""smesdk plugin ``service-institution``: a public SME service institution evaluated against
the Guiding Opinions on the SME Public Service System (工信部企业〔2023〕213号) 二（四）, 二（五）
and 二（七）.

The framework is data (``service-institution.yaml``); the library's entry and exit thresholds
are the levels of its profile ``library``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from smesdk import hookimpl

FRAMEWORK_ID = "service-institution"
SPEC = Path(__file__).with_name("service-institution.yaml")

__all__ = ["FRAMEWORK_ID", "SPEC"]


@hookimpl
def smesdk_register_frameworks(register: Callable[[Path], None]) -> None:
    register(SPEC)
