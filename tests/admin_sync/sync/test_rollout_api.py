"""The staged rollout over the administrator API, in-process on a real data folder, SQLite file
and keys: publish with `first_to_*`, status, promote, halt; every refusal is a clear 4xx naming
what was wrong (never a 500), each action is audited with via "api"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import safe_airports_cli
from admin_sync.admin_cli import tar_sources
from admin_sync.audit_log import AuditFilter
from admin_sync.datadir import DataDir
from admin_sync.server import registry
from admin_sync.server.app import create_app
from admin_sync.server.settings import ServerSettings
from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import init_data
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.test_server_api import add_admin

PUBLISH = "/api/v1/admin/publish"
STATUS = "/api/v1/admin/rollout"
PROMOTE = STATUS + "/promote"
HALT = STATUS + "/halt"
GZIP = {"Content-Type": "application/gzip"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_data(tmp_path_factory.mktemp("rollout-api"))


@pytest.fixture(scope="module")
def kiosks(data_dir: Path) -> dict[str, str]:
    db = DataDir(data_dir).database()
    tmj, _ = registry.add_kiosk(db, airport="TMJ", name="TMJ-01")
    tas, _ = registry.add_kiosk(db, airport="TAS", name="TAS-01")
    gone, _ = registry.add_kiosk(db, airport="TAS", name="TAS-OLD")
    registry.revoke_kiosk(db, gone.id)
    return {"tmj": tmj.id, "tas": tas.id, "revoked": gone.id}


@pytest.fixture(scope="module")
def client(data_dir: Path, kiosks: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(data_dir=data_dir))) as c:
        yield c


@pytest.fixture(scope="module")
def editor(data_dir: Path) -> dict[str, str]:
    return add_admin(data_dir, "termez-editor", "editor password 2", "editor")


@pytest.fixture(scope="module")
def viewer(data_dir: Path) -> dict[str, str]:
    return add_admin(data_dir, "termez-viewer", "viewer password 2", "viewer")


@pytest.fixture(scope="module")
def archive() -> bytes:
    return tar_sources(SAMPLE_DIR)


def publish(client: TestClient, auth: dict[str, str], archive: bytes, **params: object):
    return client.post(PUBLISH, params=params, content=archive, headers={**auth, **GZIP})


def audit(data_dir: Path, action: str) -> list[tuple[str, str, str, str]]:
    rows = DataDir(data_dir).audit_log().entries(AuditFilter(action=action), limit=50)
    return [(e.who, e.item, e.detail, e.via) for e in rows]


def refusal(answer, status: int) -> dict:
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, dict)
    return detail


def test_nothing_staged_is_409_and_the_roles_are_checked(client, editor, viewer) -> None:
    assert client.get(STATUS).status_code == 401
    assert client.post(HALT, json={}).status_code == 401
    assert client.get(STATUS, headers=viewer).json()["staged"] is None
    assert client.post(PROMOTE, json={"to_all": True}, headers=viewer).status_code == 403
    assert client.post(HALT, json={}, headers=viewer).status_code == 403
    message = refusal(client.post(PROMOTE, json={"to_all": True}, headers=editor), 409)
    assert "no release is staged" in message["message"]
    assert "nothing to halt" in refusal(client.post(HALT, json={}, headers=editor), 409)["message"]


BAD_PUBLISH_AUDIENCES = [
    ({"first_to_kiosks": "tmj-nobody00"}, "first_to_kiosks", "no active kiosk tmj-nobody00"),
    ({"first_to_kiosks": "REVOKED"}, "first_to_kiosks", "no active kiosk"),
    ({"first_to_kiosks": ""}, "first_to_kiosks", "Tick at least one kiosk"),
    ({"first_to_airport": "LHR"}, "first_to_airport", "Choose one of the airports"),
    ({"first_to_airport": "TMJ,TAS"}, "first_to_airport", "one airport at a time"),
    ({"first_to_ring": "7"}, "first_to_ring", "Choose a ring from 0 to 3"),
    ({"first_to_ring": "-1"}, "first_to_ring", "Choose a ring from 0 to 3"),
    ({"first_to_ring": "x"}, "first_to_ring", "Choose a ring from 0 to 3"),
    (
        {"first_to_airport": "TMJ", "first_to_ring": "0"},
        "first_to_airport and first_to_ring",
        "give one audience",
    ),
]


@pytest.mark.parametrize(("params", "parameter", "words"), BAD_PUBLISH_AUDIENCES)
def test_a_bad_publish_audience_is_422_naming_the_parameter(
    client, editor, archive, data_dir, kiosks, params, parameter, words
) -> None:
    params = {k: kiosks["revoked"] if v == "REVOKED" else v for k, v in params.items()}
    before = DataDir(data_dir).latest_content_version()
    detail = refusal(publish(client, editor, archive, **params), 422)
    assert detail["parameter"] == parameter
    assert words in detail["message"] and detail["message"].startswith(parameter + ": ")
    assert DataDir(data_dir).latest_content_version() == before  # nothing published


def test_stage_promote_halt_over_the_api(client, editor, viewer, archive, data_dir, kiosks):
    assert publish(client, editor, archive).json()["staged_to"] is None  # v1: for everyone
    answer = publish(client, editor, archive, first_to_airport="tmj")
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert (out["content_version"], out["staged_to"]) == (2, "airport TMJ")
    assert out["rollout"] == {"airports": ["TMJ"]}
    assert audit(data_dir, "stage")[0][0::3] == ("termez-editor", "api")
    status = client.get(STATUS, headers=viewer).json()
    assert status == {
        "general_version": 1,
        "staged": {"version": 2, "staged_to": "airport TMJ", "rollout": {"airports": ["TMJ"]}},
    }
    # one staged release at a time
    assert (
        "is staged" in refusal(publish(client, editor, archive, first_to_ring="0"), 422)["message"]
    )

    # promote: bad audiences are 422 naming the field, another version is 409
    for body, parameter in (
        ({}, "to_all"),
        ({"to_all": True, "airport": "TAS"}, "to_all and airport"),
        ({"airport": "TAS", "ring": 1}, "airport and ring"),
        ({"kiosks": [kiosks["revoked"]]}, "kiosks"),
        ({"ring": 4}, "ring"),
    ):
        detail = refusal(client.post(PROMOTE, json=body, headers=editor), 422)
        assert detail["parameter"] == parameter, detail
    assert client.post(PROMOTE, json={"to_all": "yes please"}, headers=editor).status_code == 422
    detail = refusal(client.post(PROMOTE, json={"ring": 1, "version": 7}, headers=editor), 409)
    assert "content version 2 is staged now, not 7" in detail["message"]

    answer = client.post(PROMOTE, json={"ring": 1, "version": 2}, headers=editor)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "version": 2,
        "offered_to": "airport TMJ; ring 1 and below",
        "rollout": {"airports": ["TMJ"], "ring": 1},
    }
    who, item, detail_text, via = audit(data_dir, "promote")[0]
    assert (who, item, via) == ("termez-editor", "content version 2", "api")
    assert "now offered to airport TMJ; ring 1 and below" in detail_text

    # halt: version 1's content comes back as version 3, for everyone
    assert refusal(client.post(HALT, json={"version": 1}, headers=editor), 409)
    answer = client.post(HALT, json={"version": 2}, headers=editor)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"version": 2, "republished_as": 3}
    assert audit(data_dir, "halt")[0][1::2] == ("content version 2", "api")
    assert client.get(STATUS, headers=editor).json() == {"general_version": 3, "staged": None}
    assert refusal(client.post(HALT, json={}, headers=editor), 409)


def test_promote_and_halt_are_503_when_the_keys_cannot_sign(
    client, editor, archive, data_dir, kiosks
):
    answer = publish(client, editor, archive, first_to_kiosks=kiosks["tmj"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["staged_to"] == f"kiosk {kiosks['tmj']}"
    staged = answer.json()["content_version"]
    key = DataDir(data_dir).key_path("targets")
    hidden = key.with_name("targets.pem.away")
    key.rename(hidden)
    try:
        for path, body in ((PROMOTE, {"to_all": True}), (HALT, {})):
            detail = refusal(client.post(path, json=body, headers=editor), 503)
            assert "cannot sign" in detail["message"]
        assert client.get(STATUS, headers=editor).json()["staged"]["version"] == staged
    finally:
        hidden.rename(key)
    # the keys back: promoted to all, it is everyone's release and nothing is staged
    answer = client.post(PROMOTE, json={"to_all": True}, headers=editor)
    assert answer.json() == {"version": staged, "offered_to": "all kiosks", "rollout": "all"}
    assert client.get(STATUS, headers=editor).json() == {"general_version": staged, "staged": None}


def test_openapi_documents_the_rollout_endpoints(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "Offer the staged" in paths[PROMOTE]["post"]["summary"]
    assert "Halt the staged" in paths[HALT]["post"]["summary"]
    assert "staged content release" in paths[STATUS]["get"]["summary"]
    names = {p["name"] for p in paths[PUBLISH]["post"]["parameters"]}
    assert {"first_to_kiosks", "first_to_airport", "first_to_ring"} <= names


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["rollout", "status"], "exactly one of --data DIR"),
        (["rollout", "halt", "--data", "d", "--server", "http://127.0.0.1:9"], "exactly one of"),
        (["rollout", "status", "--server", "http://127.0.0.1:9"], "--server needs --user NAME"),
        (["publish", "--rollback-to", "1", "--data", "d", "--first-to-ring", "0"], "a rollback"),
    ],
)
def test_the_cli_refuses_unclear_rollout_commands(args, words, capsys) -> None:
    assert safe_airports_cli.main(["admin", *args]) == 1
    assert words in capsys.readouterr().err
