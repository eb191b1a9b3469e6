"""The console's refusals that need no body cost no body read, and say why on the console's own
error page (the API's stay JSON).

The app is called as ASGI with a `receive` that records whether the body was ever asked for: a
form sent from another site (Origin, Sec-Fetch-Site), a sign-in form without its sign-in cookie,
no session or a viewer's session are refused before it is. The same form from the console's own
page is read and does what it says, so the refusals are the origin check and not a broken form.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass

import pytest
from markupsafe import escape

from admin_sync.server.body_guard import NOTHING_SAVED
from admin_sync.server.console.forms import EXPIRED
from tests.admin_sync.console_env import VIEWER, ConsoleEnv

STYLE = '<link rel="stylesheet" href="/console/static/console.css">'
FORM = "application/x-www-form-urlencoded"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str
    body_read: bool


def ask(env: ConsoleEnv, path: str, headers: Mapping[str, str], body: bytes = b"csrf=x") -> Answer:
    """POST `body` in pieces of 1 KiB (chunked: no Content-Length) straight to the ASGI app."""
    read = False
    pieces = [body[i : i + 1024] for i in range(0, len(body), 1024)] or [b""]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal read
        read = True
        piece = pieces.pop(0) if pieces else b""
        return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (k.lower().encode(), v.encode()) for k, v in {"host": "testserver", **headers}.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(env.app(scope, receive, send))  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    raw = start["headers"]
    assert isinstance(raw, list)
    got = {k.decode(): v.decode() for k, v in raw}
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")  # type: ignore[misc]
    return Answer(int(start["status"]), got, text.decode(), read)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path_factory.mktemp("console"))
    assert env.sign_in().status_code == 303
    return env


def cookie(env: ConsoleEnv, client=None) -> str:
    value = (client or env.client).cookies.get("sa_console")
    assert value
    return f"sa_console={value}"


def assert_error_page(answer: Answer, message: str) -> None:
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["connection"] == "close"  # the rest of the body is never read
    assert STYLE in answer.text  # the console's own page, in its style
    shown = escape(message)  # as the template writes it
    assert f'<p class="alert error" role="alert">{shown}</p>' in answer.text, answer.text


@pytest.mark.parametrize("path", ["/console/kiosks/add", "/console/releases/publish"])
@pytest.mark.parametrize(
    ("headers", "source"),
    [
        ({"origin": "https://attacker.example"}, "https://attacker.example"),
        ({"origin": "null"}, "null"),
        ({"origin": "http://testserver.attacker.example"}, "http://testserver.attacker.example"),
        ({"sec-fetch-site": "cross-site"}, "a cross-site page"),
        (
            {"sec-fetch-site": "same-site", "origin": "http://testserver"},
            "http://testserver",
        ),
    ],
    ids=["other origin", "null origin", "look-alike host", "cross-site", "same-site"],
)
def test_a_form_from_another_site_is_refused_unread(
    env: ConsoleEnv, path: str, headers: dict[str, str], source: str
) -> None:
    answer = ask(env, path, {"content-type": FORM, "cookie": cookie(env), **headers})
    assert answer.status == 403
    assert not answer.body_read
    assert_error_page(
        answer,
        f"This form was sent from {source!r}, not from the console's own pages, so it was "
        f"refused. {NOTHING_SAVED} Open the console and try again.",
    )
    # signed in: the page keeps the console's navigation
    assert "edna (editor)" in answer.text


def test_the_same_form_from_the_console_itself_is_read_and_acts(env: ConsoleEnv) -> None:
    token = env.csrf(env.client.get("/console/kiosks").text)
    for i, headers in enumerate(
        [
            {"origin": "http://testserver", "sec-fetch-site": "same-origin"},
            {"origin": "http://TESTSERVER:80"},  # host names are case-insensitive; port aside
            {},  # a client that names no origin: the CSRF token alone decides
        ]
    ):
        name = f"TAS-ORIGIN-{i}"
        body = f"csrf={token}&airport=TAS&name={name}".encode()
        answer = ask(
            env,
            "/console/kiosks/add",
            {"content-type": FORM, "cookie": cookie(env), **headers},
            body,
        )
        assert answer.body_read
        assert answer.status == 200, answer.text[:300]
        assert name in env.client.get("/console/kiosks").text


def test_a_sign_in_form_without_its_sign_in_cookie_is_refused_unread(env: ConsoleEnv) -> None:
    """Its CSRF token must match the sign-in cookie: without one it cannot, so the body is not
    read; the answer is the sign-in page again, with the reason and a fresh token."""
    answer = ask(env, "/console/sign-in", {"content-type": FORM}, b"username=edna&password=x")
    assert answer.status == 403
    assert not answer.body_read
    assert answer.headers["connection"] == "close"
    assert STYLE in answer.text and 'type="password"' in answer.text
    assert f'id="signin-error">{escape(EXPIRED)}</p>' in answer.text
    assert answer.headers["set-cookie"].startswith("sa_signin=")
    assert "sa_console" not in answer.headers["set-cookie"]


def test_no_session_and_a_viewer_are_refused_unread(env: ConsoleEnv) -> None:
    answer = ask(env, "/console/releases/publish", {"content-type": FORM})
    assert (answer.status, answer.headers["location"], answer.body_read) == (
        303,
        "/console/sign-in",
        False,
    )
    viewer = env.new_client()
    assert env.sign_in(VIEWER, client=viewer).status_code == 303
    answer = ask(env, "/console/kiosks/add", {"content-type": FORM, "cookie": cookie(env, viewer)})
    assert (answer.status, answer.body_read) == (403, False)
    assert_error_page(answer, "Your role (viewer) cannot do this.")
    assert "vic (viewer)" in answer.text


def test_console_refusals_are_its_error_page_and_the_api_keeps_json(env: ConsoleEnv) -> None:
    signed_in = {"cookie": cookie(env)}
    # a declared length over the limit: refused from the headers
    answer = ask(
        env,
        "/console/kiosks/add",
        {**signed_in, "content-type": FORM, "content-length": str(200 * 1024 * 1024)},
    )
    assert (answer.status, answer.body_read) == (413, False)
    assert_error_page(
        answer,
        f"What you sent (200.0 MB) is too large: the console takes at most 64.0 KB here. "
        f"{NOTHING_SAVED}",
    )
    # a chunked form cut while it streams
    answer = ask(env, "/console/kiosks/add", {**signed_in, "content-type": FORM}, b"a" * 70_000)
    assert (answer.status, answer.body_read) == (413, True)
    assert STYLE in answer.text
    assert "the console takes at most 64.0 KB here. Nothing was saved.</p>" in answer.text
    # not a form at all
    answer = ask(env, "/console/kiosks/add", {**signed_in, "content-type": "application/json"})
    assert (answer.status, answer.body_read) == (415, False)
    assert_error_page(
        answer,
        "This was not sent as the console's form (Content-Type 'application/json'; "
        f"the console takes a form (urlencoded or multipart) here). {NOTHING_SAVED}",
    )
    # the API: JSON, whatever the console does
    answer = ask(env, "/api/v1/heartbeat", {"content-type": "text/plain"})
    assert answer.status == 401
    assert answer.headers["content-type"] == "application/json"
    assert json.loads(answer.text) == {
        "detail": "missing kiosk token: send 'Authorization: Bearer <token>'"
    }
    answer = ask(
        env,
        "/api/v1/heartbeat",
        {"authorization": f"Bearer {env.kiosk_token}", "content-length": "999999"},
    )
    assert (answer.status, answer.body_read) == (413, False)
    assert json.loads(answer.text) == {"detail": "body too large: more than 16384 bytes"}


def test_refusals_leave_nothing_behind(env: ConsoleEnv) -> None:
    """A forged upload from another site is not spooled anywhere: no kiosk, no release."""
    before = env.app.state.data.release_versions()
    answer = ask(
        env,
        "/console/releases/publish",
        {
            "content-type": "multipart/form-data; boundary=b",
            "cookie": cookie(env),
            "origin": "https://x.example",
        },
        b"--b\r\n" + b"x" * 100_000,
    )
    assert (answer.status, answer.body_read) == (403, False)
    assert env.app.state.data.release_versions() == before
