"""The server's authentication dependencies on a small real app: the kiosk's bearer token and the
administrator's HTTP Basic sign-in (console users), with their exact answers."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from admin_sync.server.auth import AdminDep, EditorDep, KioskDep, PasswordChecks
from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk, revoke_kiosk
from admin_sync.users import UsersDB
from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import FAST_HASHER

EDITOR = ("edna", "editor password 1")
VIEWER = ("vic", "viewer password 1")
MAX_FAILURES = 3
LOCK_SECONDS = 300


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class World:
    def __init__(self, root: Path) -> None:
        self.clock = Clock()
        self.db = Database(root / "server.db")
        self.db.migrate()
        self.users = UsersDB(
            root / "users.db",
            clock=self.clock,
            hasher=FAST_HASHER,
            max_failures=MAX_FAILURES,
            lock_seconds=LOCK_SECONDS,
        )
        self.users.migrate()
        self.users.add_user(*EDITOR, "editor")
        self.users.add_user(*VIEWER, "viewer")
        self.kiosk, self.token = add_kiosk(self.db, airport="TAS", name="TAS-T2-01")

        app = FastAPI()
        app.state.db = self.db
        app.state.users_db = self.users
        app.state.clock = self.clock
        app.state.password_checks = PasswordChecks()

        @app.get("/kiosk")
        def kiosk_route(kiosk: KioskDep) -> dict:
            return {"kiosk": kiosk.id}

        @app.get("/admin")
        def admin_route(user: AdminDep) -> dict:
            return {"user": user.name, "role": user.role}

        @app.get("/editor")
        def editor_route(user: EditorDep) -> dict:
            return {"user": user.name}

        self.client = TestClient(app)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def basic(name: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- kiosks -----------------------------------------------------------------------------------


def test_a_kiosk_with_its_token_is_let_in(world: World) -> None:
    response = world.client.get("/kiosk", headers=bearer(world.token))
    assert response.status_code == 200 and response.json() == {"kiosk": world.kiosk.id}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer "}, {"Authorization": "Token abc"}, basic("a", "b")],
    ids=["none", "empty bearer", "other scheme", "basic"],
)
def test_a_missing_kiosk_token_is_401(world: World, headers: dict[str, str]) -> None:
    response = world.client.get("/kiosk", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "missing kiosk token: send 'Authorization: Bearer <token>'"
    )
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("token", ["wrong", "x" * 500], ids=["wrong", "long"])
def test_an_unknown_kiosk_token_is_401(world: World, token: str) -> None:
    response = world.client.get("/kiosk", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "unknown kiosk token"
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_lower_case_bearer_scheme_is_accepted(world: World) -> None:
    response = world.client.get("/kiosk", headers={"Authorization": f"bearer {world.token}"})
    assert response.status_code == 200


def test_a_revoked_kiosk_is_403(world: World) -> None:
    # a token just used is remembered (recent_lookups); revoking here forgets it at once
    assert world.client.get("/kiosk", headers=bearer(world.token)).status_code == 200
    revoked = revoke_kiosk(world.db, world.kiosk.id)
    response = world.client.get("/kiosk", headers=bearer(world.token))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        f"kiosk {world.kiosk.id} was revoked on {revoked.revoked_at}"
    )


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_revocation_by_another_process_is_seen_within_a_second(world: World) -> None:
    ticks = Ticks()
    world.db.kiosk_tokens.clock = ticks
    assert world.client.get("/kiosk", headers=bearer(world.token)).status_code == 200
    # as `safe-airports admin revoke-kiosk` does while the server runs: another connection
    with world.db.transaction() as conn:
        conn.execute("UPDATE kiosks SET revoked_at = '2026-11-22T09:00:00+00:00'")
    ticks.now += 0.9
    assert world.client.get("/kiosk", headers=bearer(world.token)).status_code == 200
    ticks.now += 0.1  # one second after the look-up
    response = world.client.get("/kiosk", headers=bearer(world.token))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        f"kiosk {world.kiosk.id} was revoked on 2026-11-22T09:00:00+00:00"
    )


def test_only_known_tokens_are_remembered(world: World) -> None:
    for n in range(5):
        response = world.client.get("/kiosk", headers=bearer(f"sak_unknown-{n}"))
        assert response.status_code == 401
    assert world.client.get("/kiosk", headers=bearer(world.token)).status_code == 200
    assert len(world.db.kiosk_tokens._entries) == 1


# --- administrators ---------------------------------------------------------------------------


def test_editors_and_viewers_sign_in_with_basic(world: World) -> None:
    response = world.client.get("/admin", headers=basic(*EDITOR))
    assert response.status_code == 200 and response.json() == {"user": "edna", "role": "editor"}
    assert world.client.get("/editor", headers=basic(*EDITOR)).json() == {"user": "edna"}
    response = world.client.get("/admin", headers=basic(*VIEWER))
    assert response.status_code == 200 and response.json() == {"user": "vic", "role": "viewer"}


def test_a_viewer_cannot_use_editor_routes(world: World) -> None:
    response = world.client.get("/editor", headers=basic(*VIEWER))
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "vic is a viewer: publishing and rolling back need the editor role"
    )


ASK_BASIC = 'Basic realm="safe-airports admin", charset="UTF-8"'


@pytest.mark.parametrize(
    "headers", [{}, basic("", "whatever"), bearer("abc")], ids=["none", "no name", "bearer"]
)
def test_missing_administrator_credentials_are_401(world: World, headers: dict) -> None:
    response = world.client.get("/admin", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "missing administrator credentials: send your console user name and password with "
        "HTTP Basic"
    )
    assert response.headers["www-authenticate"] == ASK_BASIC


@pytest.mark.parametrize(
    "credentials",
    [(EDITOR[0], "wrong password"), ("nobody", "whatever password"), (EDITOR[0], "")],
    ids=["wrong password", "unknown user", "empty password"],
)
def test_wrong_administrator_credentials_are_401(world: World, credentials) -> None:
    response = world.client.get("/admin", headers=basic(*credentials))
    assert response.status_code == 401
    assert response.json()["detail"] == ("wrong user name or password (or the user is disabled)")
    assert response.headers["www-authenticate"] == ASK_BASIC


def test_a_disabled_administrator_is_401(world: World) -> None:
    world.users.set_disabled(VIEWER[0], True)
    response = world.client.get("/admin", headers=basic(*VIEWER))
    assert response.status_code == 401


def test_repeated_failures_lock_the_user_with_retry_after(world: World) -> None:
    for _ in range(MAX_FAILURES):
        assert world.client.get("/admin", headers=basic(EDITOR[0], "wrong")).status_code == 401
    response = world.client.get("/admin", headers=basic(*EDITOR))  # even the right password
    assert response.status_code == 429
    wait = int(response.headers["retry-after"])
    assert 1 <= wait <= LOCK_SECONDS
    until = world.clock.now + timedelta(seconds=wait)
    assert response.json()["detail"].startswith("too many failed sign-ins for 'edna'")
    assert response.json()["detail"].endswith(f": try again after {until:%H:%M} UTC")
    world.clock.now = until - timedelta(seconds=1)
    assert world.client.get("/admin", headers=basic(*EDITOR)).status_code == 429
    world.clock.now = until + timedelta(seconds=1)
    assert world.client.get("/admin", headers=basic(*EDITOR)).status_code == 200
    # another user was never locked
    assert world.client.get("/admin", headers=basic(*VIEWER)).status_code == 200


def test_retry_after_is_at_least_one_second(world: World) -> None:
    for _ in range(MAX_FAILURES):
        world.client.get("/admin", headers=basic(EDITOR[0], "wrong"))
    first = int(world.client.get("/admin", headers=basic(*EDITOR)).headers["retry-after"])
    world.clock.now += timedelta(seconds=first - 0.5)  # half a second of lock left
    response = world.client.get("/admin", headers=basic(*EDITOR))
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
