"""Sign-in and sign-out: lockout, cookies, sessions; users, clock and settings by override."""

from __future__ import annotations

from admin_sync.server.console import providers
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import EDITOR, FAST_HASHER, Clock, ConsoleEnv


def test_lockout_follows_the_users_database_it_is_given(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    clock = Clock()
    strict = UsersDB(
        users_db_path(env.data), clock=clock, hasher=FAST_HASHER, max_failures=2, lock_seconds=60
    )
    env.override(providers.users_db, strict)
    for _ in range(2):
        assert env.sign_in((EDITOR[0], "wrong wrong wrong")).status_code == 401
    locked = env.sign_in(EDITOR)
    assert locked.status_code == 429
    assert "Try again after 09:01 UTC" in locked.text  # the given clock's time plus 60 s
    clock.advance(seconds=61)
    assert env.sign_in(EDITOR).status_code == 303


def test_cookies_follow_the_settings_they_are_given(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.override(
        providers.console_settings, ConsoleSettings(secure_cookies="always", session_hours=2)
    )
    page = env.client.get("/console/sign-in")
    assert "; secure" in page.headers["set-cookie"].lower()
    # a secure cookie goes back over https only
    client = TestClient(env.app, base_url="https://testserver")
    response = env.sign_in(client=client)
    cookie = response.headers["set-cookie"].split(",")[0].lower()
    assert "sa_console=" in cookie and "max-age=7200" in cookie and "; secure" in cookie
    env.override(providers.console_settings, ConsoleSettings(secure_cookies="never"))
    page = env.client.get("/console/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in page.headers["set-cookie"].lower()


def test_home_and_sign_out(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    for path in ("/console", "/console/"):
        response = env.client.get(path, follow_redirects=False)
        assert response.headers["location"] == "/console/sign-in"
    env.sign_in()
    for path in ("/console", "/console/"):
        response = env.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/console/fleet"
    csrf = env.csrf(env.client.get("/console/fleet").text)
    out = env.client.post("/console/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/console/sign-in"
    assert (
        'sa_console=""' in out.headers["set-cookie"]
        or "max-age=0" in out.headers["set-cookie"].lower()
    )
    assert env.client.get("/console/fleet", follow_redirects=False).status_code == 303


def test_a_signed_out_session_is_refused_even_with_its_cookie(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    cookie = env.client.cookies.get("sa_console")
    csrf = env.csrf(env.client.get("/console/fleet").text)
    env.client.post("/console/sign-out", data={"csrf": csrf})
    assert env.users.session(cookie) is None
