"""Kiosks: add (provisioning file) and revoke, with settings and data folder by override."""

from __future__ import annotations

import pytest

from admin_sync.datadir import DataDir
from admin_sync.protocol import Provisioning
from admin_sync.server.console import providers
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.registry import list_kiosks
from tests.admin_sync.console_env import ConsoleEnv


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def post(env: ConsoleEnv, path: str, **data: str):
    csrf = env.csrf(env.client.get("/console/kiosks").text)
    return env.client.post(path, data={"csrf": csrf, **data})


def test_provisioning_names_the_public_server_url_from_the_settings(env) -> None:
    url = "https://kiosks.example.org"
    env.override(providers.console_settings, ConsoleSettings(public_server_url=url + "/"))
    response = post(env, "/console/kiosks/add", airport="NMA", name="NMA-01")
    assert response.status_code == 200
    provisioning = Provisioning.from_bytes(response.content)
    assert provisioning.server_url == url and provisioning.airport == "NMA"
    assert (
        f'filename="provisioning-{provisioning.kiosk_id}.json"'
        in (response.headers["content-disposition"])
    )
    assert "NMA-01" in env.client.get("/console/kiosks").text


def test_no_kiosk_without_signing_keys(env, tmp_path) -> None:
    env.override(providers.data_dir, DataDir(tmp_path / "uninitialised"))
    response = post(env, "/console/kiosks/add", airport="TAS", name="TAS-02")
    assert response.status_code == 409 and "no signing keys yet" in response.text
    assert [k.name for k in list_kiosks(env.app.state.db)] == ["TAS-T2-01"]


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        ({"airport": "XXX", "name": "X-01"}, 400, "Choose the kiosk&#39;s airport."),
        ({"airport": "TAS", "name": "!bad"}, 400, "kiosk name"),
        ({"airport": "TAS", "name": "TAS-T2-01"}, 400, "already exists"),
    ],
)
def test_add_refusals(env, data, status, words) -> None:
    response = post(env, "/console/kiosks/add", **data)
    assert response.status_code == status and words in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_revoke(env) -> None:
    unknown = post(env, "/console/kiosks/revoke", kiosk="nope")
    assert unknown.status_code == 404 and "no kiosk with id or name" in unknown.text
    done = post(env, "/console/kiosks/revoke", kiosk="TAS-T2-01")
    assert done.status_code == 200 and f"Kiosk TAS-T2-01 ({env.kiosk.id}) revoked." in done.text
    assert list_kiosks(env.app.state.db)[0].revoked
