"""A 200 MB body to every route that takes one, against a real server process on 127.0.0.1:
refused before it is read, costing the server no memory to speak of and no temporary file.

Each route of the limits table (admin_sync/server/request_limits.py) gets the body declared with
Content-Length and sent chunked, without credentials; the kiosk routes also with a valid kiosk
token (then the stream is cut at the route's limit) and the admin publish route with a viewer's
password (refused before the body: publishing needs an editor). The server's resident memory
(psutil) and the bytes of temporary files it holds open are sampled throughout; the figures are
printed (`pytest -s`) and must stay small.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import requests
from argon2 import PasswordHasher

from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from admin_sync.server.request_limits import BodyRule, body_rules
from admin_sync.server.settings import ServerSettings
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.console_env import FAST_HASHER
from tests.e2e.large_body import MIB, ServerWatch, send_large_body
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

MAX_RSS_GROWTH_MIB = 16  # a refused body may cost a few KB; this leaves room for noise
CONTENT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "archive": "application/gzip",
    "image": "image/png",
}
REFUSED_UNAUTHENTICATED = {
    "kiosk": 401,
    "editor": 401,
    "console": 303,
    "console_editor": 303,
    # the sign-in form: nobody is known yet, but without the sign-in page's cookie its CSRF
    # token cannot be right: refused unread
    "anyone": 403,
}
FIGURES: list[str] = []
ARGON2_MIB = PasswordHasher().memory_cost / 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("large-bodies")
    data = init_data(root)
    db = Database(data / "server.db")
    db.migrate()
    _, token = add_kiosk(db, airport="TAS", name="big-body-kiosk")
    users = UsersDB(users_db_path(data), hasher=FAST_HASHER)
    users.migrate()
    users.add_user("viewer-vic", "viewer password 1", "viewer")
    users.add_user("editor-eve", "editor password 1", "editor")
    tmp = root / "server-tmp"
    tmp.mkdir()
    process = ServerProcess(data, env={"TMPDIR": str(tmp)})
    process.start()
    yield process, token, tmp
    process.stop()
    print("\nrefused 200 MB bodies (route, how, answer, body bytes let in, RSS growth, temp):")
    print("\n".join(FIGURES))


def _rules() -> tuple[BodyRule, ...]:
    defaults = ServerSettings(data_dir=Path("unused"))
    from admin_sync.server.console.settings import ConsoleSettings

    return body_rules(
        max_upload_bytes=defaults.max_upload_bytes,
        max_archive_bytes=ConsoleSettings().max_archive_bytes,
    )


def _attempt(
    server,
    rule: BodyRule,
    *,
    chunked: bool,
    headers: dict[str, str],
    expected: int,
    allowance_mib: float = 0,
):
    process, _, tmp = server
    assert process.proc is not None
    headers = {"Content-Type": CONTENT_TYPES[rule.body], **headers}
    with ServerWatch(process.proc.pid, tmp) as watch:
        sent = send_large_body(
            process.port, rule.method, rule.example_path(), chunked=chunked, headers=headers
        )
    how = "chunked" if chunked else "declared"
    FIGURES.append(
        f"  {rule.method} {rule.example_path()} {how} {headers.get('Authorization', '')[:6]}: "
        f"{sent.status}, {sent.body_bytes_sent / MIB:.2f} MiB sent, "
        f"+{watch.rss_growth_mib} MiB RSS, {watch.peak_temp_bytes} temp bytes"
    )
    assert sent.status in (expected, None), sent.answer[:300]
    assert sent.body_bytes_sent < 32 * MIB  # the server closed long before 200 MB
    assert watch.rss_growth_mib < MAX_RSS_GROWTH_MIB + allowance_mib
    assert watch.peak_temp_bytes == 0
    assert list(tmp.iterdir()) == []
    return sent


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
@pytest.mark.parametrize("rule", _rules(), ids=lambda r: f"{r.method}{r.path}")
def test_unauthenticated_200_mb_body_is_refused_unread(server, rule, chunked) -> None:
    expected = REFUSED_UNAUTHENTICATED[rule.auth] if chunked else 413
    sent = _attempt(server, rule, chunked=chunked, headers={}, expected=expected)
    if not chunked:
        assert sent.body_bytes_sent == 0 or sent.status is None  # answered from the headers


@pytest.mark.parametrize("rule", [r for r in _rules() if r.auth == "kiosk"], ids=str)
def test_a_kiosk_cannot_send_more_than_its_route_takes(server, rule) -> None:
    _, token, _ = server
    # a screenshot for a command the kiosk does not have is refused before its body is read
    expected = 409 if rule.path.startswith("/api/v1/commands/") else 413
    sent = _attempt(
        server, rule, chunked=True, headers={"Authorization": f"Bearer {token}"}, expected=expected
    )
    assert sent.body_bytes_sent <= rule.max_bytes + 16 * MIB  # cut near the limit


def test_a_forged_console_upload_with_a_good_session_is_refused_unread(server) -> None:
    """An editor's session cookie riding a form from another site (a browser says so with
    Origin): the archive's 200 MB are not read, though the CSRF token inside them is."""
    process, _, _ = server
    console = requests.Session()
    page = console.get(f"{process.url}/console/sign-in", timeout=30)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    signed_in = console.post(
        f"{process.url}/console/sign-in",
        data={"csrf": csrf.group(1), "username": "editor-eve", "password": "editor password 1"},
        allow_redirects=False,
        timeout=60,
    )
    assert signed_in.status_code == 303, signed_in.text[:300]
    rule = next(r for r in _rules() if r.path == "/console/releases/publish")
    headers = {
        "Cookie": f"sa_console={console.cookies['sa_console']}",
        "Origin": "https://attacker.example",
    }
    sent = _attempt(server, rule, chunked=True, headers=headers, expected=403)
    assert sent.status == 403 and b"content-type: text/html" in sent.answer.lower()


def test_a_viewer_cannot_upload_to_publish(server) -> None:
    rule = next(r for r in _rules() if r.path.endswith("/admin/publish"))
    basic = base64.b64encode(b"viewer-vic:viewer password 1").decode()
    # checking the password runs argon2id, which uses 64 MiB (argon2-cffi's default
    # memory_cost) while it runs, whatever the body: that much is allowed on top
    _attempt(
        server,
        rule,
        chunked=True,
        headers={"Authorization": f"Basic {basic}"},
        expected=403,
        allowance_mib=ARGON2_MIB,
    )
