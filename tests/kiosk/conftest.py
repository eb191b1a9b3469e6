"""Fixtures for the kiosk tests: the real sample content, built once and installed in a store."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from content.cache import ContentCache
from kiosk.content_loader import SAMPLE_DIR, build_fallback
from kiosk.pin import hash_pin
from kiosk.screens.place import Place, place_of
from kiosk.settings import KioskSettings

TEST_PIN = "1357"


@pytest.fixture(scope="session")
def sample_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged sample content built into a cache file (once per test run)."""
    return build_fallback(tmp_path_factory.mktemp("sample-cache"), SAMPLE_DIR)


@pytest.fixture
def cache(sample_cache: Path) -> Iterator[ContentCache]:
    """The sample content cache, opened read-only as the kiosk opens it."""
    opened = ContentCache.open(sample_cache)
    yield opened
    opened.close()


@pytest.fixture
def tas(cache: ContentCache) -> Place:
    """Tashkent airport: its languages (uz, uz-Cyrl, ru, en), home country UZ."""
    return place_of(cache, "TAS")


@pytest.fixture
def installed_dir(tmp_path: Path, sample_cache: Path) -> Path:
    """An installed-content store holding the sample cache, as the sync agent leaves it."""
    from content.installed import InstalledStore

    root = tmp_path / "content"
    InstalledStore(root).install_file(sample_cache)
    return root


@pytest.fixture
def settings(tmp_path: Path, installed_dir: Path, sample_cache: Path) -> KioskSettings:
    fallback = tmp_path / "fallback"
    fallback.mkdir()
    # Pre-seed the fallback with the same build so tests that need it do not rebuild.
    shutil.copy(sample_cache, fallback / sample_cache.name)
    return KioskSettings(
        airport="TAS",
        kiosk_id="test-kiosk-1",
        content_dir=installed_dir,
        usage_file=tmp_path / "usage.db",
        idle_seconds=60,
        countdown_seconds=20,
        maintenance_pin_hash=hash_pin(TEST_PIN, iterations=1000),
        fallback_cache_dir=fallback,
        sync_state_dir=tmp_path / "sync",  # nothing there: the agent never ran
    )


@pytest.fixture
def make_kiosk(qapp: Any, settings: KioskSettings) -> Iterator[Callable[..., Any]]:
    """Start real kiosks (QML, controller, content, usage file); closed after the test."""
    from kiosk.app import KioskApp
    from kiosk.tour import ShiftableClock, TourDriver

    started: list[Any] = []

    def make(**overrides: Any) -> Any:
        size = overrides.pop("size", (1080, 1920))
        clock = overrides.pop("clock", None) or ShiftableClock()
        kiosk_app = KioskApp(
            replace(settings, **overrides), windowed=True, size=size, monotonic=clock
        )
        kiosk_app.window.show()
        driver = TourDriver(kiosk_app)
        driver.clock = clock
        driver.wait_frame()
        started.append(kiosk_app)
        return driver

    yield make
    for kiosk_app in started:
        kiosk_app.close()
