"""The console's security details on the real app: headers on every answer, the session cookie's
Secure flag, the form size limit, unreadable forms, roles and expired sessions."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import VIEWER, ConsoleEnv

SECURITY_HEADERS = {
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
MAX_FORM_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path_factory.mktemp("console"))
    assert env.sign_in().status_code == 303
    return env


def token(env: ConsoleEnv, client: TestClient | None = None) -> str:
    return env.csrf((client or env.client).get("/console/kiosks").text)


def assert_secure_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code)


def test_every_kind_of_answer_carries_the_security_headers(env: ConsoleEnv) -> None:
    fresh = env.new_client()
    answers = [
        fresh.get("/console/sign-in"),  # a page
        fresh.get("/console/fleet", follow_redirects=False),  # the redirect to sign in
        fresh.post("/console/sign-in", data={"csrf": "x"}),  # a refused form
        env.client.get("/console/fleet"),  # a signed-in page
        env.client.post("/console/kiosks/add", data={"csrf": "forged"}),  # an error page
        env.client.get("/console", follow_redirects=False),  # the console's own redirect
    ]
    for response in answers:
        assert_secure_headers(response)
    assert answers[1].status_code == 303
    assert answers[1].headers["location"] == "/console/sign-in"


def _signin_cookie(client: TestClient, **headers: str) -> str:
    return client.get("/console/sign-in", headers=headers).headers["set-cookie"].lower()


@pytest.mark.parametrize(
    ("forwarded", "secure"),
    [
        ("https", True),
        (" https , http", True),  # the first proxy's view counts
        ("http, https", False),
        ("http", False),
    ],
)
def test_the_cookie_is_secure_when_the_first_proxy_saw_https(
    env: ConsoleEnv, forwarded: str, secure: bool
) -> None:
    cookie = _signin_cookie(env.new_client(), **{"X-Forwarded-Proto": forwarded})
    assert ("; secure" in cookie) is secure, cookie


def test_secure_cookies_never(tmp_path) -> None:
    env = ConsoleEnv(tmp_path, secure_cookies="never")
    client = TestClient(env.app, base_url="https://testserver")
    assert "; secure" not in _signin_cookie(client, **{"X-Forwarded-Proto": "https"})


def _urlencoded(fields: dict[str, str], size: int) -> bytes:
    body = "&".join(f"{k}={quote(v)}" for k, v in fields.items()) + "&pad="
    assert len(body) <= size
    return (body + "a" * (size - len(body))).encode()


def test_a_form_of_the_largest_size_is_read_and_one_byte_more_is_refused(
    env: ConsoleEnv,
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    fields = {"csrf": token(env), "airport": "TAS", "name": "TAS-LIMIT-1"}
    response = env.client.post(
        "/console/kiosks/add", content=_urlencoded(fields, MAX_FORM_BYTES), headers=headers
    )
    assert response.status_code == 200, response.text[:300]
    fields["name"] = "TAS-LIMIT-2"
    response = env.client.post(
        "/console/kiosks/add", content=_urlencoded(fields, MAX_FORM_BYTES + 1), headers=headers
    )
    assert response.status_code == 413
    # refused by the body guard before the body is read (admin_sync/server/body_guard.py), on
    # the console's error page
    assert (
        'role="alert">What you sent is too large: the console takes at most 64.0 KB here. '
        "Nothing was read or saved.</p>"
    ) in response.text
    assert '<link rel="stylesheet" href="/console/static/console.css">' in response.text
    assert_secure_headers(response)
    assert "TAS-LIMIT-2" not in env.client.get("/console/kiosks").text


def test_an_unreadable_form_is_400(env: ConsoleEnv) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
    response = env.client.post(
        "/console/kiosks/add", content=b"--nope\r\n\r\nbroken", headers=headers
    )
    assert response.status_code == 400
    assert "the form could not be read" in response.text


def test_an_unreadable_upload_is_400(env: ConsoleEnv) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
    response = env.client.post(
        "/console/releases/publish", content=b"--nope\r\n\r\nbroken", headers=headers
    )
    assert response.status_code == 400
    assert "the upload could not be read" in response.text


def test_a_viewer_with_a_good_token_is_told_what_their_role_cannot_do(env: ConsoleEnv) -> None:
    viewer = env.new_client()
    assert env.sign_in(VIEWER, client=viewer).status_code == 303
    good = token(env, viewer)
    response = viewer.post(
        "/console/kiosks/add", data={"csrf": good, "airport": "TAS", "name": "TAS-VIEW-1"}
    )
    assert response.status_code == 403
    # refused by the body guard, from the session, before the form is read
    assert "Your role (viewer) cannot do this." in response.text
    assert_secure_headers(response)


def test_an_expired_session_signs_out(tmp_path) -> None:
    env = ConsoleEnv(tmp_path, session_hours=1)
    assert env.sign_in().status_code == 303
    good = token(env)
    env.clock.advance(hours=1, seconds=1)
    page = env.client.get("/console/fleet", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/console/sign-in"
    form = env.client.post(
        "/console/kiosks/add",
        data={"csrf": good, "airport": "TAS", "name": "TAS-LATE-1"},
        follow_redirects=False,
    )
    assert form.status_code == 303 and form.headers["location"] == "/console/sign-in"


def test_an_upload_over_the_archive_limit_is_413_at_the_limit_it_is_read(tmp_path) -> None:
    env = ConsoleEnv(tmp_path, max_archive_bytes=4096)
    assert env.sign_in().status_code == 303
    good = env.csrf(env.client.get("/console/releases").text)

    def upload(size: int):
        files = {"archive": ("content.zip", b"x" * size, "application/zip")}
        return env.client.post("/console/releases/publish", data={"csrf": good}, files=files)

    at_limit = upload(4096)  # read, then refused as what it is: not an archive
    assert at_limit.status_code == 400 and "larger than" not in at_limit.text
    over = upload(4097)
    assert over.status_code == 413 and "The archive is larger than" in over.text
    assert env.app.state.data.release_versions() == []
