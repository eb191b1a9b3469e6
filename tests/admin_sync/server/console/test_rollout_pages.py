"""The staged-rollout fields of the releases page: a bad choice is a 400 that publishes
nothing; promote and halt with nothing staged, or another version staged, change nothing."""

from __future__ import annotations

import pytest

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


def post(env: ConsoleEnv, path: str, fields: dict[str, str], archive: bytes | None = None):
    csrf = env.csrf(env.client.get("/console/releases").text)
    files = {"archive": ("content.zip", archive, "application/zip")} if archive else None
    return env.client.post(path, data={"csrf": csrf, **fields}, files=files)


BAD_CHOICES = [
    ({"first_to": "kiosks"}, "Tick at least one kiosk"),
    ({"first_to": "kiosks", "kiosk:tas-nobody00": "on"}, "no active kiosk tas-nobody00"),
    ({"first_to": "airport", "airport": "LHR"}, "Choose one of the airports"),
    ({"first_to": "ring", "ring": "7"}, "Choose a ring from 0 to 3"),
    ({"first_to": "everyone"}, "Choose who gets the release first"),
]


def test_a_bad_first_to_choice_publishes_nothing(env, archive) -> None:
    for fields, says in BAD_CHOICES:
        response = post(env, "/console/releases/publish", fields, archive)
        assert response.status_code == 400 and says in response.text, fields
    assert release_history(env.app.state.db) == []


def test_stage_then_promote_or_halt_only_what_the_page_showed(env, archive) -> None:
    assert post(env, "/console/releases/promote", {"to": "all"}).status_code == 400
    assert "nothing to halt" in post(env, "/console/releases/halt", {}).text
    fields = {"first_to": "kiosks", f"kiosk:{env.kiosk.id}": "on"}
    response = post(env, "/console/releases/publish", fields, archive)
    assert response.status_code == 200
    assert f"staged first to kiosk {env.kiosk.id}" in response.text
    assert "Staged release: version 1" in response.text
    # a form for another staged version (an old page) changes nothing
    stale = post(env, "/console/releases/halt", {"version": "7"})
    assert stale.status_code == 400 and "version 1 is staged now, not 7" in stale.text
    widened = post(
        env, "/console/releases/promote", {"version": "1", "first_to": "ring", "ring": "0"}
    )
    assert f"offered to kiosk {env.kiosk.id}; ring 0" in widened.text
    halted = post(env, "/console/releases/halt", {"version": "1"})
    assert halted.status_code == 200 and "There was no earlier release to go back to" in halted.text
    assert "Staged release" not in halted.text and ">halted</span>" in halted.text


def test_promote_and_halt_with_unreadable_signing_keys_are_503_not_500(env, archive) -> None:
    fields = {"first_to": "kiosks", f"kiosk:{env.kiosk.id}": "on"}
    assert post(env, "/console/releases/publish", fields, archive).status_code == 200
    for key in env.app.state.data.keys_dir.glob("*.pem"):
        key.write_text("not a key\n")
    for action, fields in (("promote", {"to": "all"}), ("halt", {})):
        response = post(env, f"/console/releases/{action}", {"version": "1", **fields})
        assert response.status_code == 503, (action, response.text[:300])
        assert "The server cannot sign now" in response.text
    assert "Staged release: version 1" in env.client.get("/console/releases").text
