"""Fixtures for the content tests: content built in Python and caches built from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from content.build import build_cache
from content.cache import ContentCache
from content.model import Content
from tests.content.factory import make_content

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "content" / "sample"


@pytest.fixture
def content() -> Content:
    return make_content()


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of the factory content (version 3), shared read-only by a module's tests."""
    path = tmp_path_factory.mktemp("cache") / "cache.db"
    build_cache(make_content(), path, content_version=3)
    return path


@pytest.fixture
def cache(built_cache: Path) -> Iterator[ContentCache]:
    opened = ContentCache.open(built_cache)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def base_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of the factory's content, built once per module, copied per version."""
    path = tmp_path_factory.mktemp("base") / "base.db"
    build_cache(make_content(), path, content_version=1)
    return path
