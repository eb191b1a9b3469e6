"""Fixtures of the sync tests: sample content, a simulated repository, a kiosk's disk."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from content.model import Content
from content.parts import split_parts
from tests.admin_sync.sync.kiosk_under_test import Kiosk, load_sample
from tests.admin_sync.sync.simulator import SimulatedServer


@pytest.fixture(scope="session")
def sample_content() -> Content:
    return load_sample()


@pytest.fixture(scope="session")
def sample_parts(sample_content: Content) -> dict[str, bytes]:
    return split_parts(sample_content)


@pytest.fixture
def sim() -> SimulatedServer:
    server = SimulatedServer()
    server.provisioned_root = server.trusted_root()
    return server


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path / "kiosk")


@pytest.fixture
def sync_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="safe_airports.sync")
    return caplog
