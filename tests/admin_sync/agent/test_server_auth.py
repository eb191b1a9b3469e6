"""The kiosk token is added only to requests for the server's own origin (scheme, host, port),
by a real `requests.Session` preparing real requests (nothing is sent)."""

from __future__ import annotations

import pytest
import requests

from admin_sync.agent.server_auth import ServerOnlyBearer, origin_of


def prepared_headers(url: str, server: str, **headers: str) -> dict[str, str]:
    session = requests.Session()
    session.auth = ServerOnlyBearer("sak_secret", server)
    return dict(session.prepare_request(requests.Request("GET", url, headers=headers)).headers)


@pytest.mark.parametrize(
    "url",
    [
        "https://kiosks.example.org/api/v1/heartbeat",
        "https://KIOSKS.example.org:443/tuf/metadata/timestamp.json",
    ],
)
def test_the_server_gets_the_token(url: str) -> None:
    headers = prepared_headers(url, "https://kiosks.example.org/")
    assert headers["Authorization"] == "Bearer sak_secret"


@pytest.mark.parametrize(
    "url",
    [
        "https://mirror.example.org/tuf/metadata/timestamp.json",  # another host
        "https://kiosks.example.org:8443/tuf/metadata/timestamp.json",  # another port
        "http://kiosks.example.org/tuf/metadata/timestamp.json",  # not over TLS
        "https://kiosks.example.org.evil.net/tuf/",  # a name that only starts the same
        "https://kiosks.example.org@evil.net/tuf/",  # user info: the host is evil.net
    ],
)
def test_no_other_origin_gets_it_even_when_a_caller_adds_it(url: str) -> None:
    headers = prepared_headers(url, "https://kiosks.example.org", Authorization="Bearer x")
    assert "Authorization" not in headers


def test_origins_fill_in_default_ports() -> None:
    assert origin_of("http://127.0.0.1/x") == origin_of("http://127.0.0.1:80/y")
    assert origin_of("http://127.0.0.1:8470") != origin_of("http://127.0.0.1:8471")
