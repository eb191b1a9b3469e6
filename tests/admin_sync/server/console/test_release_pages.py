"""Releases: publish (archive upload) and roll back, with settings, clock and data by override."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from admin_sync.datadir import DataDir
from admin_sync.server.console import providers
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import release_history
from tests.admin_sync.console_env import ConsoleEnv, valid_source, zip_folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> bytes:
    return zip_folder(valid_source(tmp_path_factory.mktemp("src") / "content"))


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def post_archive(env: ConsoleEnv, name: str, data: bytes):
    csrf = env.csrf(env.client.get("/console/releases").text)
    return env.client.post(
        "/console/releases/publish",
        data={"csrf": csrf},
        files={"archive": (name, data, "application/zip")},
    )


def test_the_archive_limit_comes_from_the_settings(env, archive) -> None:
    env.override(providers.console_settings, ConsoleSettings(max_archive_bytes=2 * 1024 * 1024))
    page = env.client.get("/console/releases").text
    assert "(at most 2 MB)" in page
    response = post_archive(env, "big.zip", archive + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413 and "larger than 2 MB" in response.text
    assert release_history(env.app.state.db) == []


def test_no_archive_chosen(env) -> None:
    response = post_archive(env, "", b"")
    assert response.status_code == 400 and "Choose a content archive" in response.text


def test_publish_records_the_time_of_the_clock_it_is_given(env, archive) -> None:
    env.override(providers.clock, lambda: datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))
    response = post_archive(env, "content.zip", archive)
    assert response.status_code == 200 and "Published content version 1" in response.text
    assert '<time datetime="2027-01-02T03:04:05+00:00">2027-01-02 03:04</time>' in response.text
    (release,) = release_history(env.app.state.db)
    assert release.published_by == "console:edna" and release.published_at.startswith("2027-01-02")


def test_rollback_refusals(env, archive) -> None:
    csrf = env.csrf(env.client.get("/console/releases").text)
    for version, status, words in [
        ("", 400, "Choose a version"),
        ("two", 400, "Choose a version"),
        ("7", 422, "7"),
    ]:
        response = env.client.post(
            "/console/releases/rollback", data={"csrf": csrf, "version": version}
        )
        assert response.status_code == status and words in response.text, version
    assert env.app.state.data.release_versions() == []


def test_publish_writes_into_the_data_folder_it_is_given(env, archive, tmp_path) -> None:
    other = ConsoleEnv(tmp_path / "other")
    env.override(providers.data_dir, DataDir(other.data))
    env.override(providers.server_db, other.app.state.db)
    assert post_archive(env, "content.zip", archive).status_code == 200
    assert DataDir(other.data).release_versions() == [1]
    assert DataDir(env.data).release_versions() == []


def test_publish_and_rollback_with_unreadable_signing_keys_are_503_not_500(env, archive) -> None:
    data: DataDir = env.app.state.data
    for key in data.keys_dir.glob("*.pem"):
        key.write_text("not a key\n")
    response = post_archive(env, "content.zip", archive)
    assert response.status_code == 503, response.text[:300]
    assert "The server cannot sign releases now" in response.text
    csrf = env.csrf(env.client.get("/console/releases").text)
    response = env.client.post("/console/releases/rollback", data={"csrf": csrf, "version": "1"})
    assert response.status_code in (422, 503), response.text[:300]
    assert "Internal Server Error" not in response.text
