"""The stats endpoint: strict validation with clear 4xx answers, and each batch stored once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from admin_sync.server.auth import require_kiosk
from admin_sync.server.body_guard import BodyGuard
from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk, revoke_kiosk
from admin_sync.server.request_limits import body_rules
from admin_sync.server.stats_api import StatsSettings, make_stats_router
from admin_sync.server.stats_db import StatsDB, StatsFilter
from tests.admin_sync.asgi_client import TestClient

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def env(tmp_path):
    db = Database(tmp_path / "server.db")
    db.migrate()
    stats = StatsDB(tmp_path / "stats.db")
    stats.migrate()
    kiosk, token = add_kiosk(db, airport="TAS", name="Tashkent hall 1")
    other, other_token = add_kiosk(db, airport="FRU", name="Manas gate")

    app = FastAPI()
    app.state.db = db
    # the server's guard caps the body (request_limits' table), as create_app installs it
    app.add_middleware(BodyGuard, rules=body_rules(max_upload_bytes=1, max_archive_bytes=1))
    app.include_router(
        make_stats_router(
            stats_db=lambda: stats,
            kiosk_auth=require_kiosk,
            settings=StatsSettings(),
            clock=lambda: NOW,
        )
    )
    client = TestClient(app)
    return {
        "client": client,
        "stats": stats,
        "db": db,
        "kiosk": kiosk,
        "token": token,
        "other": other,
        "other_token": other_token,
    }


def body(kiosk_id: str, **overrides) -> dict:
    data = {
        "schema": 1,
        "kiosk_id": kiosk_id,
        "day": "2026-11-21",
        "part": 3,
        "k": 5,
        "dropped_batches": 0,
        "cells": [
            {"metric": "session", "value": "start", "count": 12},
            {"metric": "language", "value": "uz", "count": 9},
            {"metric": "topic", "value": "_suppressed", "count": 6},
        ],
    }
    data.update(overrides)
    return data


def put(env, data, batch_id=None, token=None):
    batch_id = batch_id or str(uuid.uuid4())
    return env["client"].put(
        f"/api/v1/stats/{batch_id}",
        json=data,
        headers={"Authorization": f"Bearer {token or env['token']}"},
    )


def sessions(env) -> int:
    return sum(n for _, _, n in env["stats"].sessions_per_day(StatsFilter()))


def test_stored_once_even_when_repeated(env) -> None:
    batch_id = str(uuid.uuid4())
    first = put(env, body(env["kiosk"].id), batch_id)
    assert first.status_code == 201, first.text
    # the same batch again, cells in another order: the same batch
    again = body(env["kiosk"].id)
    again["cells"].reverse()
    second = put(env, again, batch_id)
    assert second.status_code == 200 and second.json()["stored"] is False
    assert sessions(env) == 12
    assert env["stats"].people_reached(StatsFilter()) == [("TAS", 12, 1, 1)]


def test_same_id_other_body_is_a_conflict(env) -> None:
    batch_id = str(uuid.uuid4())
    assert put(env, body(env["kiosk"].id), batch_id).status_code == 201
    changed = body(env["kiosk"].id, part=2)
    response = put(env, changed, batch_id)
    assert response.status_code == 409 and "different body" in response.json()["detail"]
    assert sessions(env) == 12


def test_kiosk_must_match_the_token(env) -> None:
    response = put(env, body(env["other"].id))
    assert response.status_code == 403 and "another kiosk" in response.json()["detail"]
    assert sessions(env) == 0


def test_token_required_and_revocation(env) -> None:
    anonymous = env["client"].put(f"/api/v1/stats/{uuid.uuid4()}", json=body(env["kiosk"].id))
    assert anonymous.status_code == 401
    revoke_kiosk(env["db"], env["kiosk"].id)
    assert put(env, body(env["kiosk"].id)).status_code == 403


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"part": 4}, 422, "part: 4 is outside 0..3"),
        ({"part": True}, 422, "part: must be an integer"),
        ({"day": "2026-11-31"}, 422, "not a date"),
        ({"day": "2026-11-24"}, 422, "in the future"),
        ({"day": "2024-01-01"}, 422, "older than"),
        ({"k": 2}, 422, "k: 2 is outside 5..1000"),
        ({"schema": 2}, 422, "schema"),
        ({"extra": "x"}, 422, "unknown field"),
        ({"cells": [{"metric": "topic", "value": "my-name", "count": 7}]}, 422, "not allowed"),
        ({"cells": [{"metric": "gps", "value": "1", "count": 7}]}, 422, "not an allowed metric"),
        ({"cells": [{"metric": "session", "value": "start", "count": 3}]}, 422, "under k=5"),
        ({"cells": [{"metric": "session", "value": "start", "count": -3}]}, 422, "outside"),
        (
            {"cells": [{"metric": "session", "value": "start", "count": 7, "when": "09:14"}]},
            422,
            "must be an object with metric, value and count",
        ),
        (
            {"cells": [{"metric": "help_opened", "value": "1", "count": 7}] * 2},
            422,
            "appears twice",
        ),
    ],
)
def test_bad_batches_get_a_clear_4xx(env, change, status, words) -> None:
    response = put(env, body(env["kiosk"].id, **change))
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert sessions(env) == 0


def test_malformed_requests(env) -> None:
    client, headers = env["client"], {"Authorization": f"Bearer {env['token']}"}
    assert (
        client.put(
            "/api/v1/stats/not-a-uuid", json=body(env["kiosk"].id), headers=headers
        ).status_code
        == 400
    )
    url = f"/api/v1/stats/{uuid.uuid4()}"
    not_json = client.put(url, content=b"\xff{", headers=headers)
    assert not_json.status_code == 400 and "not JSON" in not_json.json()["detail"]
    deep = client.put(url, content=b"[" * 100000 + b"]" * 100000, headers=headers)
    assert deep.status_code in (400, 413)
    huge = client.put(url, content=b" " * 300_000, headers=headers)
    assert huge.status_code == 413
    assert client.put(url, json=[1, 2], headers=headers).status_code == 422


def test_openapi_documents_the_body(env) -> None:
    doc = env["client"].get("/openapi.json").json()
    operation = doc["paths"]["/api/v1/stats/{batch_id}"]["put"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == [
        "schema",
        "kiosk_id",
        "day",
        "part",
        "k",
        "dropped_batches",
        "cells",
    ]
