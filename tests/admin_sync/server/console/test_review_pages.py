"""Four eyes: a production release of the draft needs another editor's approval of exactly it."""

from __future__ import annotations

import pytest

from admin_sync.server.console import providers
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import release_history
from tests.admin_sync.console_env import ConsoleEnv, history

OLGA = ("olga", "editor password 2")


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.commit_sample(tmp_path / "content", author="edna")
    env.users.add_user(*OLGA, "editor")
    env.sign_in()
    return env


def publish(env, client, *, production: bool):
    page = client.get("/console/releases").text
    data = {"csrf": env.csrf(page), "commit": history(env).head()}
    if production:
        data["production"] = "on"
    return client.post("/console/releases/publish-current", data=data)


def approve(env, client):
    page = client.get("/console/review").text
    return client.post(
        "/console/review/approve", data={"csrf": env.csrf(page), "commit": history(env).head()}
    )


def test_the_author_cannot_approve_and_production_waits_for_another_editor(env) -> None:
    page = env.client.get("/console/review")
    assert page.status_code == 200 and "You cannot approve: you are the last author" in page.text
    refused = approve(env, env.client)
    assert refused.status_code == 403 and history(env).head()
    waiting = publish(env, env.client, production=True)
    assert waiting.status_code == 409 and "four eyes" in waiting.text
    assert release_history(env.app.state.db) == []
    # a sample release follows the same path without an approval
    assert publish(env, env.client, production=False).status_code in (200, 422)

    olga = env.new_client()
    env.sign_in(OLGA, client=olga)
    review = olga.get("/console/review").text
    assert "Approve version" in review and "releases" not in review.split("Changed files")[0][-5:]
    assert approve(env, olga).status_code == 200
    (row,) = [e for e in env.app.state.data.audit_log().entries() if e.action == "approve"]
    assert row.who == "olga" and row.item == f"version {history(env).head()}"
    assert "olga" in env.client.get("/console/review").text.split("Approvals of this version")[1]


def test_an_approval_is_of_exactly_one_version(env, tmp_path) -> None:
    olga = env.new_client()
    env.sign_in(OLGA, client=olga)
    assert approve(env, olga).status_code == 200
    approved = history(env).head()
    # edna changes something after the approval: the new version needs a new one
    history(env).commit_files(
        {"topics.yaml": history(env).read("topics.yaml") + b"\n"},
        author="edna",
        message="Later change",
        base=approved,
    )
    assert publish(env, env.client, production=True).status_code == 409
    page = env.client.get("/console/review").text
    assert "None yet." in page


def test_an_editor_who_changed_a_file_last_cannot_approve(env) -> None:
    olga = env.new_client()
    env.sign_in(OLGA, client=olga)
    history(env).commit_files(
        {"topics.yaml": history(env).read("topics.yaml") + b"\n"},
        author="olga",
        message="Olga's change",
        base=None,
    )
    assert approve(env, olga).status_code == 403  # last author of topics.yaml
    assert approve(env, env.client).status_code == 403  # last author of the other files
    viewer_refused = env.new_client()
    env.sign_in(("vic", "viewer password 1"), client=viewer_refused)
    assert approve(env, viewer_refused).status_code == 403


def test_four_eyes_can_be_turned_off(env) -> None:
    env.override(providers.console_settings, ConsoleSettings(four_eyes=False))
    response = publish(env, env.client, production=True)
    assert response.status_code != 409
    # the refusal (admin_sync/review.py production_refusal), not the checkbox's label
    assert "needs the approval of an editor" not in response.text
