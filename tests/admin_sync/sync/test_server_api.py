"""The server app in-process (real data folder, real SQLite file, real keys): TUF files, kiosk
token checks, publishing over HTTP, clear 4xx answers, OpenAPI, health."""

from __future__ import annotations

import base64
import io
import json
import tarfile
from pathlib import Path

import pytest

import safe_airports_cli
from admin_sync.admin_cli import tar_sources
from admin_sync.datadir import DataDir
from admin_sync.server import registry
from admin_sync.server.app import create_app
from admin_sync.server.settings import ServerSettings
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import FAST_HASHER, init_data
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_data(tmp_path_factory.mktemp("server"))


@pytest.fixture(scope="module")
def client(data_dir: Path):
    app = create_app(ServerSettings(data_dir=data_dir))
    with TestClient(app) as c:
        yield c


def add_admin(data_dir: Path, name: str, password: str, role: str) -> dict[str, str]:
    """A console user in the data folder's users.db; returns HTTP Basic headers for them."""
    users = UsersDB(users_db_path(data_dir), hasher=FAST_HASHER)
    users.migrate()
    users.add_user(name, password, role)
    return basic(name, password)


def basic(name: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


@pytest.fixture(scope="module")
def admin_auth(data_dir: Path) -> dict[str, str]:
    return add_admin(data_dir, "almaty-editor", "editor password 1", "editor")


@pytest.fixture
def kiosk_token(data_dir: Path) -> tuple[registry.Kiosk, str]:
    import secrets

    return registry.add_kiosk(
        DataDir(data_dir).database(), airport="TAS", name=f"TAS-T2-{secrets.token_hex(3)}"
    )


def test_health_and_openapi(client):
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["repository"] == "initialised"
    doc = client.get("/openapi.json").json()
    assert "/api/v1/heartbeat" in doc["paths"]
    assert "/tuf/metadata/{name}" in doc["paths"]


def test_serves_signed_metadata_and_refuses_odd_names(client, kiosk_token):
    _kiosk, token = kiosk_token
    auth = {"Authorization": f"Bearer {token}"}
    root = client.get("/tuf/metadata/1.root.json", headers=auth)
    assert root.status_code == 200
    assert json.loads(root.content)["signed"]["_type"] == "root"
    assert "immutable" in root.headers["cache-control"]
    for name in ("timestamp.json", "root.json"):
        latest = client.get(f"/tuf/metadata/{name}", headers=auth)  # changes in place
        assert latest.status_code == 200, name
        assert latest.headers["cache-control"] == "no-cache", name
    assert client.get("/tuf/metadata/99.root.json", headers=auth).status_code == 404
    for bad in ("..%2F..%2Fkeys%2Ftimestamp.pem", "timestamp.pem", "1.root.json.bak"):
        answer = client.get(f"/tuf/metadata/{bad}", headers=auth)
        assert answer.status_code == 404, bad
    assert client.get("/tuf/targets/../keys/timestamp.pem", headers=auth).status_code == 404
    assert client.get("/tuf/targets/parts/nothing.json", headers=auth).status_code == 404


def test_repository_needs_a_kiosk_token_unless_configured_public(client, data_dir, kiosk_token):
    assert client.get("/tuf/metadata/timestamp.json").status_code == 401
    bad = {"Authorization": "Bearer sak_nope"}
    assert client.get("/tuf/metadata/timestamp.json", headers=bad).status_code == 401
    kiosk, token = kiosk_token
    registry.revoke_kiosk(DataDir(data_dir).database(), kiosk.id)
    revoked = {"Authorization": f"Bearer {token}"}
    assert client.get("/tuf/metadata/timestamp.json", headers=revoked).status_code == 403
    public = create_app(ServerSettings(data_dir=data_dir, tuf_requires_kiosk_token=False))
    with TestClient(public) as anyone:
        assert anyone.get("/tuf/metadata/timestamp.json").status_code == 200


def test_kiosk_auth_endpoint_applies_the_repository_rule(client, data_dir, kiosk_token):
    kiosk, token = kiosk_token
    good = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/kiosk-auth", headers=good).status_code == 204
    assert client.get("/api/v1/kiosk-auth").status_code == 401
    wrong = {"Authorization": "Bearer sak_nope"}
    assert client.get("/api/v1/kiosk-auth", headers=wrong).status_code == 401
    registry.revoke_kiosk(DataDir(data_dir).database(), kiosk.id)
    assert client.get("/api/v1/kiosk-auth", headers=good).status_code == 403
    public = create_app(ServerSettings(data_dir=data_dir, tuf_requires_kiosk_token=False))
    with TestClient(public) as anyone:
        assert anyone.get("/api/v1/kiosk-auth").status_code == 204


def beat(kiosk_id: str, **extra) -> dict:
    return {
        "kiosk_id": kiosk_id,
        "app_version": "0.1.0",
        "content_version": 3,
        "uptime_seconds": 120,
        "free_disk_bytes": 10_000_000,
        "last_error": None,
        **extra,
    }


def test_heartbeat_with_a_good_token_is_recorded(client, data_dir, kiosk_token):
    kiosk, token = kiosk_token
    answer = client.post(
        "/api/v1/heartbeat", json=beat(kiosk.id), headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    with DataDir(data_dir).database().connect() as conn:
        row = conn.execute("SELECT * FROM heartbeats WHERE kiosk_id = ?", (kiosk.id,)).fetchone()
    assert row["content_version"] == 3 and row["uptime_seconds"] == 120


def test_wrong_or_missing_token_is_401(client, kiosk_token):
    kiosk, _ = kiosk_token
    wrong = client.post(
        "/api/v1/heartbeat", json=beat(kiosk.id), headers={"Authorization": "Bearer sak_guess"}
    )
    assert wrong.status_code == 401
    assert "unknown kiosk token" in wrong.json()["detail"]
    missing = client.post("/api/v1/heartbeat", json=beat(kiosk.id))
    assert missing.status_code == 401
    assert "Bearer" in missing.json()["detail"]


def test_revoked_kiosk_is_403(client, data_dir, kiosk_token):
    kiosk, token = kiosk_token
    code = safe_airports_cli.main(["admin", "revoke-kiosk", kiosk.name, "--data", str(data_dir)])
    assert code == 0
    answer = client.post(
        "/api/v1/heartbeat", json=beat(kiosk.id), headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 403
    assert "revoked" in answer.json()["detail"]


def test_token_of_another_kiosk_is_403(client, kiosk_token):
    _kiosk, token = kiosk_token
    answer = client.post(
        "/api/v1/heartbeat", json=beat("fru-00000000"), headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"kiosk_id": "x"},
        "not json",
        None,
    ],
)
def test_malformed_heartbeat_is_4xx_with_reasons(client, kiosk_token, body):
    kiosk, token = kiosk_token
    headers = {"Authorization": f"Bearer {token}"}
    if body is None:
        payload = beat(kiosk.id, uptime_seconds=-5, surprise=1)
        answer = client.post("/api/v1/heartbeat", json=payload, headers=headers)
    elif isinstance(body, str):
        answer = client.post(
            "/api/v1/heartbeat",
            content=body,
            headers={**headers, "Content-Type": "application/json"},
        )
    else:
        answer = client.post("/api/v1/heartbeat", json=body, headers=headers)
    if isinstance(body, str):  # not JSON at all: refused before the model sees it
        assert answer.status_code == 400
        assert answer.json()["detail"].startswith("body is not JSON")
        return
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail["message"] == "invalid request" and detail["problems"]


def test_publish_over_http_needs_an_administrator(client):
    answer = client.post("/api/v1/admin/publish", content=b"x")
    assert answer.status_code == 401


def test_publish_over_http_refuses_a_broken_archive(client, admin_auth):
    answer = client.post(
        "/api/v1/admin/publish",
        content=b"definitely not a tarball",
        headers=admin_auth,
    )
    assert answer.status_code == 422
    assert "tar.gz" in answer.json()["detail"]["message"]


def test_publish_over_http_refuses_links_in_the_archive(client, admin_auth):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("release.yaml")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    answer = client.post(
        "/api/v1/admin/publish",
        content=buffer.getvalue(),
        headers=admin_auth,
    )
    assert answer.status_code == 422
    assert "only files and folders" in answer.json()["detail"]["message"]


def test_publish_over_http_reports_validation_errors_and_publishes_nothing(
    client, admin_auth, data_dir, tmp_path
):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE_DIR, broken)
    (broken / "topics.yaml").write_text("- id: not-a-topic\n  icon: [\n", encoding="utf-8")
    before = DataDir(data_dir).latest_content_version()
    answer = client.post(
        "/api/v1/admin/publish",
        content=tar_sources(broken),
        headers=admin_auth,
    )
    assert answer.status_code == 422
    problems = answer.json()["detail"]["problems"]
    assert any(p.startswith("topics.yaml:") for p in problems), problems
    assert DataDir(data_dir).latest_content_version() == before


def test_rollback_to_an_unknown_version_is_422(client, admin_auth):
    answer = client.post(
        "/api/v1/admin/rollback",
        json={"to_version": 999},
        headers=admin_auth,
    )
    assert answer.status_code == 422
    assert "no content version 999" in answer.json()["detail"]["message"]


def test_admin_api_takes_a_console_editor_name_and_password(client, data_dir, kiosk_token):
    viewer = add_admin(data_dir, "tashkent-viewer", "viewer password 1", "viewer")
    rollback = {"to_version": 999}
    # no credentials, a kiosk token, a wrong password: 401 asking for Basic
    for headers in ({}, {"Authorization": f"Bearer {kiosk_token[1]}"},
                    basic("almaty-editor", "not the password")):  # fmt: skip
        answer = client.post("/api/v1/admin/rollback", json=rollback, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["WWW-Authenticate"].startswith("Basic")
    answer = client.post("/api/v1/admin/rollback", json=rollback, headers=viewer)
    assert answer.status_code == 403 and "editor role" in answer.json()["detail"]
    assert client.get("/api/v1/admin/status", headers=viewer).status_code == 200


def test_admin_api_locks_a_user_after_repeated_failures_like_the_console(client, data_dir):
    good = add_admin(data_dir, "bishkek-editor", "editor password 2", "editor")
    assert client.get("/api/v1/admin/status", headers=good).status_code == 200
    for _ in range(5):  # the console's default: 5 failures in a row lock the name
        wrong = client.get("/api/v1/admin/status", headers=basic("bishkek-editor", "guess"))
        assert wrong.status_code == 401
    locked = client.get("/api/v1/admin/status", headers=good)  # even the right password
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "too many failed sign-ins" in locked.json()["detail"]
    # the same lock holds for the console's sign-in (the same users.db)
    console = UsersDB(users_db_path(data_dir), hasher=FAST_HASHER)
    assert console.sign_in("bishkek-editor", "editor password 2").locked_until is not None


def test_an_existing_database_loses_the_old_admin_tokens_on_upgrade(tmp_path):
    import sqlite3

    from admin_sync.server.db import MIGRATIONS, Database

    path = tmp_path / "server.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    conn.execute("INSERT INTO admin_users VALUES ('old', 'abc', '2026-01-01', NULL)")
    conn.execute(
        "INSERT INTO kiosks (id, airport, name, token_sha256, created_at) "
        "VALUES ('tas-1', 'TAS', 'TAS-01', 'def', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    db = Database(path)
    assert db.migrate() == len(MIGRATIONS) >= 2
    with db.connect() as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        kiosks = conn.execute("SELECT id FROM kiosks").fetchall()
    assert "admin_users" not in tables and "kiosks" in tables
    assert [k[0] for k in kiosks] == ["tas-1"]
