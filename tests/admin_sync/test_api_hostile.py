"""Hostile raw requests to every route of a running server (hypothesis): never a 5xx, and every
4xx says why. Beside the schemathesis run (test_api_fuzz.py), which only sends what the OpenAPI
document describes, this sends what it does not: 5,000-digit integers, 1e999, NaN and Infinity,
deep nesting, duplicate keys, bytes that are not UTF-8, wrong or broken content types, garbage
credentials and hostile query strings, with and without valid credentials (so the bodies reach
the parsers behind authentication).

The routes are read from the app (`create_app` on the server's data folder), console included;
the requests go to a real server process on 127.0.0.1. Bounded: `EXAMPLES` per route.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from admin_sync.server.app import create_app
from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from admin_sync.server.settings import ServerSettings
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.app_routes import app_routes, sample_path
from tests.admin_sync.console_env import FAST_HASHER
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.slow

EXAMPLES = 20
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')

HUGE_INT = "1" + "0" * 5000
DEEP = 100_000
FIXED_BODIES: list[bytes] = [
    HUGE_INT.encode(),
    b'{"uptime_seconds": ' + HUGE_INT.encode() + b"}",
    b"1e999",
    b"[1e999, -1e999, 1.5e308]",
    b"NaN",
    b'{"a": NaN, "b": Infinity, "c": -Infinity}',
    b"[" * DEEP + b"]" * DEEP,
    b"[" * 3000 + b"]" * 3000,
    b'{"a": ' * 2000 + b"1" + b"}" * 2000,
    b'{"kiosk_id": "a", "kiosk_id": "b"}',
    b"\xff\xfe\xfd",
    b'{"kiosk_id": "\xc3\x28"}',
    b'"\\ud800"',
    b"",
    b"\x00" * 64,
    b"--x\r\nContent-Disposition: form-data; name=csrf\r\n\r\n" + b"A" * 500,
    b"csrf=%ff%fe&username=" + b"%00" * 100,
]


class Huge:
    """Stands for a 5,000-digit integer in a JSON body (Python will not print one)."""


HOSTILE_VALUES: list[Any] = [
    Huge(),
    -(2**64),
    2**63,
    float("inf"),
    float("nan"),
    1e308,
    -0.0,
    None,
    True,
    "\u0000",
    "\ud800",
    "x" * 5000,
    [],
    {},
    [[[[[[[[]]]]]]]],
]
CONTENT_TYPES = [
    None,
    "application/json",
    "application/json; charset=latin-1",
    "application/merge-patch+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "multipart/form-data; boundary=",
    "application/gzip",
    "image/png",
    ";;;",
    "application/json; \x7f",
]
QUERIES = [
    "",
    "?production=%ff",
    "?production=1e999",
    "?x=" + "9" * 5000,
    "?%ff=%fe&&=",
    "?a=" + "%" * 3,
]


def _templates(kiosk_id: str) -> list[dict[str, Any]]:
    heartbeat = {"kiosk_id": kiosk_id, "app_version": "1", "uptime_seconds": 5}
    batch = {
        "schema": 1,
        "kiosk_id": kiosk_id,
        "day": "2026-11-21",
        "part": 1,
        "k": 5,
        "dropped_batches": 0,
        "cells": [{"metric": "session", "value": "all", "count": 7}],
    }
    return [heartbeat, batch, {"to_version": 1}]


def _dump(value: Any) -> bytes:
    text = json.dumps(value, allow_nan=True, default=lambda _: "__HUGE__")
    return text.replace('"__HUGE__"', HUGE_INT).encode("utf-8", "surrogatepass")


def _bodies(kiosk_id: str) -> st.SearchStrategy[bytes]:
    def inject(template: dict[str, Any], key_index: int, value: Any) -> bytes:
        data = dict(template)
        key = list(data)[key_index % len(data)]
        data[key] = value
        return _dump(data)

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )
    return st.one_of(
        st.sampled_from(FIXED_BODIES),
        st.builds(
            inject,
            st.sampled_from(_templates(kiosk_id)),
            st.integers(0, 10),
            st.sampled_from(HOSTILE_VALUES) | json_values,
        ),
        json_values.map(_dump),
        st.binary(max_size=600),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = init_data(root)
    db = Database(data / "server.db")
    db.migrate()
    kiosk, token = add_kiosk(db, airport="TAS", name="hostile-kiosk")
    users = UsersDB(users_db_path(data), hasher=FAST_HASHER)
    users.migrate()
    users.add_user("hostile-admin", "hostile admin password", "editor")
    users.add_user("hostile-console", "hostile console password", "editor")
    process = ServerProcess(data)
    process.start()
    console = requests.Session()
    page = console.get(f"{process.url}/console/sign-in", timeout=30)
    signed_in = console.post(
        f"{process.url}/console/sign-in",
        data={
            "username": "hostile-console",
            "password": "hostile console password",
            "csrf": _CSRF.search(page.text).group(1),
        },
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code == 303
    routes = app_routes(create_app(ServerSettings(data_dir=data)).routes)
    credentials = {
        "kiosk": f"Bearer {token}",
        "admin": "Basic " + base64.b64encode(b"hostile-admin:hostile admin password").decode(),
        "garbage-bearer": "Bearer " + "\u00e9" * 3,
        "garbage-basic": "Basic !!!not base64!!!",
        "basic-not-utf8": "Basic " + base64.b64encode(b"\xff\xfe:\xfd").decode(),
        "empty": "",
        "other-scheme": "Digest x=y",
    }
    yield process, kiosk.id, credentials, console.cookies.get("sa_console"), routes
    process.stop()


def _check(response: requests.Response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        assert response.text.strip(), f"{what}: {response.status_code} without a reason"


def _natural_auth(path: str) -> str | None:
    """The credential that gets a request to this path past authentication."""
    if path.startswith("/api/v1/admin/"):
        return "admin"
    if path.startswith(("/api/", "/tuf/")):
        return "kiosk"
    return None  # the console: its session cookie


def _injected(kiosk_id: str) -> list[bytes]:
    """Each field of each valid body replaced by each of the worst values, one at a time."""
    found = []
    for template in _templates(kiosk_id):
        for key in template:
            for value in (Huge(), float("nan"), float("inf"), [[[[]]]], "\ud800"):
                found.append(_dump({**template, key: value}))
        cells = template.get("cells")
        if cells:
            found.append(_dump({**template, "cells": [{**cells[0], "count": Huge()}]}))
            found.append(_dump({**template, "cells": [{**cells[0], "count": 2**63}]}))
    return found


def _hostile(process: ServerProcess, method: str, path: str, kiosk_id: str, creds, cookie):
    natural = _natural_auth(path)
    json_route = path.startswith(("/api/v1/heartbeat", "/api/v1/stats/", "/api/v1/admin/rollback"))
    explicit = FIXED_BODIES + (_injected(kiosk_id) if json_route else [])

    def with_examples(test):
        # every fixed hostile body, with the credentials that reach the route's parser
        for body in explicit:
            test = example(
                body=body,
                content_type="application/json",
                auth=natural,
                with_cookie=True,
                query="",
            )(test)
        return test

    @with_examples
    @given(
        body=_bodies(kiosk_id),
        content_type=st.sampled_from(CONTENT_TYPES),
        auth=st.sampled_from([None, *creds]),
        with_cookie=st.booleans(),
        query=st.sampled_from(QUERIES),
    )
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def hostile(body: bytes, content_type: str | None, auth, with_cookie: bool, query: str):
        headers = {"Connection": "close"}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if auth is not None:
            headers["Authorization"] = creds[auth]
        if with_cookie and cookie:
            headers["Cookie"] = f"sa_console={cookie}"
        try:
            response = requests.request(
                method,
                f"{process.url}{path}{query}",
                data=body,
                headers=headers,
                allow_redirects=False,
                timeout=60,
            )
        except requests.ConnectionError:
            # the server may close early on a refused body (413 before reading): that is not
            # a 5xx, but the server must still be up
            assert requests.get(f"{process.url}/healthz", timeout=30).status_code == 200
            return
        _check(response, f"{method} {path}{query} auth={auth} type={content_type}")

    return hostile


def test_no_server_errors_from_hostile_requests(server) -> None:
    process, kiosk_id, creds, cookie, routes = server
    assert ("PUT", "/api/v1/stats/{batch_id}") in routes
    assert ("POST", "/console/sign-in") in routes and ("POST", "/api/v1/admin/publish") in routes
    for method, template in routes:
        _hostile(process, method, sample_path(template), kiosk_id, creds, cookie)()
    assert process.proc is not None and process.proc.poll() is None
