"""Console security: sign-in, lockout, cookies, CSRF, roles, no access without a session."""

from __future__ import annotations

import pytest

from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import EDITOR, VIEWER, ConsoleEnv

PAGES = [
    "/console/",
    "/console/fleet",
    "/console/releases",
    "/console/stats",
    "/console/stats.csv",
    "/console/report",
    "/console/kiosks",
    "/console/users",
]
ACTIONS = [
    "/console/releases/publish",
    "/console/releases/rollback",
    "/console/kiosks/add",
    "/console/kiosks/revoke",
    "/console/users/add",
    "/console/users/disable",
    "/console/sign-out",
]


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return ConsoleEnv(tmp_path)


def test_signed_out_visitor_sees_only_the_sign_in_page(env) -> None:
    env.upload_batch("2026-11-21", 1, [("session", "start", 40)])
    for path in PAGES:
        response = env.client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/console/sign-in"
        assert "40" not in response.text and env.kiosk.id not in response.text
    for path in ACTIONS:
        response = env.client.post(path, data={"name": "x"}, follow_redirects=False)
        assert response.status_code == 303, path
    page = env.client.get("/console/sign-in")
    assert page.status_code == 200 and 'type="password"' in page.text
    assert env.kiosk.id not in page.text and "Fleet" not in page.text


def test_a_kiosk_token_cannot_reach_the_console(env) -> None:
    headers = {"Authorization": f"Bearer {env.kiosk_token}"}
    for path in PAGES:
        response = env.client.get(path, headers=headers, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/console/sign-in"
    # nor as a cookie
    env.client.cookies.set("sa_console", env.kiosk_token, path="/console")
    assert env.client.get("/console/fleet", follow_redirects=False).status_code == 303


def test_sign_in_sets_a_safe_cookie_and_shows_the_console(env) -> None:
    response = env.sign_in()
    assert response.status_code == 303 and response.headers["location"] == "/console/fleet"
    cookie = response.headers["set-cookie"].split(",")[0].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert "secure" not in cookie  # plain HTTP on 127.0.0.1
    fleet = env.client.get("/console/fleet")
    assert fleet.status_code == 200 and env.kiosk.name in fleet.text
    assert fleet.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in fleet.headers["content-security-policy"]


def test_cookie_is_secure_behind_tls(env) -> None:
    # behind a TLS-terminating proxy
    page = env.client.get("/console/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in page.headers["set-cookie"].lower()
    # served over https directly
    client = TestClient(env.app, base_url="https://testserver")
    response = env.sign_in(client=client)
    assert response.status_code == 303
    assert "; secure" in response.headers["set-cookie"].split(",")[0].lower()
    assert client.get("/console/fleet").status_code == 200


def test_secure_cookies_always(tmp_path) -> None:
    env = ConsoleEnv(tmp_path, secure_cookies="always")
    assert "secure" in env.client.get("/console/sign-in").headers["set-cookie"].lower()


def test_wrong_password_then_lockout_then_unlock(env) -> None:
    for _ in range(5):
        response = env.sign_in((EDITOR[0], "not the password"))
        assert response.status_code == 401 and "Wrong user name or password" in response.text
    locked = env.sign_in(EDITOR)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    assert "sa_console" not in locked.headers.get("set-cookie", "")
    env.clock.advance(seconds=301)
    # guessing on after the lock ends: the next lock lasts twice as long
    for _ in range(5):
        assert env.sign_in((EDITOR[0], "nope nope nope")).status_code == 401
    env.clock.advance(seconds=301)
    assert env.sign_in(EDITOR).status_code == 429
    env.clock.advance(seconds=300)
    assert env.sign_in(EDITOR).status_code == 303


def test_unknown_user_gets_the_same_answer(env) -> None:
    response = env.sign_in(("nobody", "whatever password"))
    assert response.status_code == 401 and "Wrong user name or password" in response.text


def test_csrf_is_required_on_every_form(env) -> None:
    # sign-in without the sign-in cookie's token
    fresh = env.new_client()
    response = fresh.post(
        "/console/sign-in", data={"username": EDITOR[0], "password": EDITOR[1], "csrf": "x"}
    )
    assert response.status_code == 403 and "expired" in response.text
    env.sign_in()
    page = env.client.get("/console/kiosks")
    good = env.csrf(page.text)
    for token in (None, "forged", good[:-1] + ("A" if good[-1] != "A" else "B")):
        data = {"airport": "TAS", "name": "TAS-T2-99"}
        if token:
            data["csrf"] = token
        response = env.client.post("/console/kiosks/add", data=data)
        assert response.status_code == 403, token
    assert "TAS-T2-99" not in env.client.get("/console/kiosks").text
    # publish (multipart) too
    response = env.client.post(
        "/console/releases/publish",
        data={"csrf": "forged"},
        files={"archive": ("c.zip", b"PK", "application/zip")},
    )
    assert response.status_code == 403
    # with the right token it works
    response = env.client.post(
        "/console/kiosks/add", data={"airport": "TAS", "name": "TAS-T2-99", "csrf": good}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"


def test_viewer_cannot_change_anything(env) -> None:
    env.sign_in(VIEWER)
    fleet = env.client.get("/console/fleet")
    assert fleet.status_code == 200 and "/console/users" not in fleet.text
    csrf = env.csrf(fleet.text)
    releases = env.client.get("/console/releases").text
    assert "Publish a release" not in releases
    response = env.client.post(
        "/console/releases/publish",
        data={"csrf": csrf},
        files={"archive": ("c.zip", b"PK\x05\x06" + b"\0" * 18, "application/zip")},
    )
    assert response.status_code == 403 and "viewer" in response.text
    for path, data in [
        ("/console/releases/rollback", {"version": "1"}),
        ("/console/kiosks/add", {"airport": "TAS", "name": "X1"}),
        ("/console/kiosks/revoke", {"kiosk": env.kiosk.id}),
        ("/console/users/add", {"name": "mallory", "password": "long enough pw", "role": "editor"}),
        ("/console/users/role", {"name": VIEWER[0], "role": "editor"}),
    ]:
        response = env.client.post(path, data={**data, "csrf": csrf})
        assert response.status_code == 403, path
    assert env.client.get("/console/users").status_code == 403
    assert env.users.get(VIEWER[0]).role == "viewer"
    assert env.users.get("mallory") is None
    assert "revoked" not in env.client.get("/console/kiosks").text


def test_sign_out_ends_the_session(env) -> None:
    env.sign_in()
    page = env.client.get("/console/fleet")
    cookie = env.client.cookies.get("sa_console")
    env.client.post("/console/sign-out", data={"csrf": env.csrf(page.text)})
    other = env.new_client()
    other.cookies.set("sa_console", cookie, path="/console")
    assert other.get("/console/fleet", follow_redirects=False).status_code == 303


def test_disabled_user_is_signed_out(env) -> None:
    viewer_client = env.new_client()
    env.sign_in(VIEWER, client=viewer_client)
    assert viewer_client.get("/console/fleet").status_code == 200
    env.sign_in()
    csrf = env.csrf(env.client.get("/console/users").text)
    assert (
        env.client.post(
            "/console/users/disable", data={"csrf": csrf, "name": VIEWER[0]}
        ).status_code
        == 200
    )
    assert viewer_client.get("/console/fleet", follow_redirects=False).status_code == 303
    assert env.sign_in(VIEWER, client=env.new_client()).status_code == 401
