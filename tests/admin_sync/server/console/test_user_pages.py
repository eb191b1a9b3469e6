"""Users page: editors only; the users database by override."""

from __future__ import annotations

from admin_sync.server.console import providers
from admin_sync.users import UsersDB
from tests.admin_sync.console_env import EDITOR, FAST_HASHER, ConsoleEnv


def test_actions_and_refusals(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    csrf = env.csrf(env.client.get("/console/users").text)
    unknown = env.client.post("/console/users/promote", data={"csrf": csrf, "name": "vic"})
    assert unknown.status_code == 404 and "No such action." in unknown.text
    bad_role = env.client.post(
        "/console/users/role", data={"csrf": csrf, "name": "vic", "role": "x"}
    )
    assert bad_role.status_code == 400 and "must be one of viewer, editor" in bad_role.text
    off = env.client.post("/console/users/disable", data={"csrf": csrf, "name": "vic"})
    assert off.status_code == 200 and "vic disabled." in off.text
    on = env.client.post("/console/users/enable", data={"csrf": csrf, "name": "vic"})
    assert on.status_code == 200 and "vic enabled." in on.text
    assert env.users.get("vic").disabled_at is None


def test_the_page_lists_the_users_database_it_is_given(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    other = UsersDB(tmp_path / "other-users.db", hasher=FAST_HASHER)
    other.migrate()
    other.add_user("zarina", "a long passphrase", "viewer")
    page = env.client.get("/console/users").text
    assert "Disable vic" in page and "zarina" not in page
    # the session is checked against the same database, so the editor must exist there too
    other.add_user(EDITOR[0], EDITOR[1], "editor")
    env.override(providers.users_db, other)
    env.sign_in()
    page = env.client.get("/console/users").text
    assert "Disable zarina" in page and "Disable vic" not in page
