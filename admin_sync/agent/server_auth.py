"""The kiosk token goes to the server's own address, and to no other host.

The agent's `requests.Session` carries `ServerOnlyBearer` as its `auth`: requests asks it to
sign every request, and it adds `Authorization: Bearer <token>` only when the request's origin
(scheme, host, port) is the server's. Downloads from a mirror of the signed repository
(`[sync] tuf_url`, another host) therefore never carry the token; TUF checks the mirror's
bytes against the pinned root like the server's. requests itself drops the header when a
redirect leaves the host, and does not call this again for the redirect.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int | None]


def origin_of(url: str) -> Origin:
    """(scheme, host, port) of `url`, lower-cased, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port: an origin nothing else shares
        return (scheme, parts.netloc.lower(), -1)
    return (scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme))


class ServerOnlyBearer(AuthBase):
    def __init__(self, token: str, server_url: str) -> None:
        self.token = token
        self.server = origin_of(server_url)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if request.url is not None and origin_of(request.url) == self.server:
            request.headers["Authorization"] = f"Bearer {self.token}"
        else:
            request.headers.pop("Authorization", None)
        return request
