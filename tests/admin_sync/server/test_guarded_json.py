"""A JSON body is parsed once: the heartbeat route's request hands FastAPI the value body_guard
parsed strictly, and parses (strictly) only bytes the guard did not."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from admin_sync.protocol import HEARTBEAT_PATH
from admin_sync.server import strict_json
from admin_sync.server.app import create_app
from admin_sync.server.guarded_json import GuardedJSONRequest, GuardedJSONRoute
from admin_sync.server.settings import ServerSettings

BODY = b'{"kiosk_id": "TAS-T2-01", "uptime_seconds": 60}'


def _json(body: bytes, state: dict[str, Any]) -> Any:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [], "state": state}
    return asyncio.run(GuardedJSONRequest(scope, receive).json())


def test_the_guards_value_is_used_and_other_bytes_are_parsed_strictly() -> None:
    value = {"kiosk_id": "TAS-T2-01", "uptime_seconds": 60}
    assert _json(BODY, {strict_json.PARSED_STATE: (BODY, value)}) is value
    other = b'{"kiosk_id": "a", "kiosk_id": "b"}'
    with pytest.raises(strict_json.JSONRejected, match="appears twice"):
        _json(other, {strict_json.PARSED_STATE: (BODY, value)})
    assert _json(BODY, {}) == value


def _routes(routes: Any) -> list[Any]:
    found = []
    for route in routes:
        found.append(route)
        if hasattr(route, "original_router"):  # FastAPI 0.16x keeps included routers
            found.extend(_routes(route.original_router.routes))
    return found


def test_the_heartbeat_route_takes_the_guards_value(tmp_path: Path) -> None:
    app = create_app(ServerSettings(data_dir=tmp_path / "data"))
    (heartbeat,) = [r for r in _routes(app.routes) if getattr(r, "path", "") == HEARTBEAT_PATH]
    assert isinstance(heartbeat, GuardedJSONRoute)
