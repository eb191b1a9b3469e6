"""The article preview: the kiosk parser's blocks in a kiosk-sized box, labelled approximate."""

from __future__ import annotations

import pytest

from tests.admin_sync.console_env import ConsoleEnv, valid_source


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.app.state.data.content_history(clock=env.clock).commit_folder(
        valid_source(tmp_path / "content"), author="setup", message="Sample"
    )
    env.sign_in()
    return env


def test_preview_is_labelled_and_follows_the_choices(env) -> None:
    params = {"scope": "RU", "topic": "get-help", "lang": "ky"}
    page = env.client.get("/console/preview/article", params=params)
    assert page.status_code == 200 and "An approximation in the browser" in page.text
    assert 'class="kiosk-screen portrait text-normal" lang="ky"' in page.text
    assert "<b>112</b>" in page.text  # bold from the kiosk's own parser, not escaped
    large = env.client.get(
        "/console/preview/article", params={**params, "orientation": "landscape", "size": "large"}
    )
    assert 'class="kiosk-screen landscape text-large"' in large.text
    bad = env.client.get("/console/preview/article", params={**params, "lang": "../x"})
    assert bad.status_code == 404
