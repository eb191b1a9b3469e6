"""The table of request bodies covers every route of the app that takes one."""

from __future__ import annotations

from pathlib import Path

from admin_sync.server.app import create_app
from admin_sync.server.request_limits import body_rules, find_rule
from admin_sync.server.settings import ServerSettings
from tests.admin_sync.app_routes import app_routes, sample_path


def test_every_route_with_a_body_is_in_the_table(tmp_path: Path) -> None:
    app = create_app(ServerSettings(data_dir=tmp_path / "data"))
    routes = app_routes(app.routes)
    assert ("PUT", "/api/v1/stats/{batch_id}") in routes and ("GET", "/healthz") in routes
    rules = body_rules(max_upload_bytes=1, max_archive_bytes=1)
    with_body = [(m, p) for m, p in routes if m in ("POST", "PUT", "PATCH", "DELETE")]
    missing = [(m, p) for m, p in with_body if find_rule(rules, m, sample_path(p)) is None]
    assert missing == []
    # and the table names no route the app does not have
    paths = {(m, sample_path(p)) for m, p in with_body}
    assert all((r.method, r.example_path()) in paths for r in rules)
