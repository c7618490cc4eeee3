"""pytest plugin (entry point ``pytest11``): fixtures for testing smesdk plugins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smesdk.host import PluginHost


@pytest.fixture
def smesdk_host() -> Iterator[PluginHost]:
    """A fresh plugin host with the installed plugins; no state shared between tests."""
    yield PluginHost()


@pytest.fixture
def smesdk_bare_host() -> Iterator[PluginHost]:
    """A host with built-ins only (no entry points): register test plugins on it yourself."""
    yield PluginHost(entry_points=False)
