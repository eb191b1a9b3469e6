"""The server's API fuzzed from its own OpenAPI document (schemathesis): never a 5xx.

A real server process on 127.0.0.1; requests carry a valid kiosk token (kiosk API) or an
editor's name and password (admin API, HTTP Basic), so the fuzzer gets past authentication and
reaches the validation code. Bounded: at most 50 examples per operation.
"""

from __future__ import annotations

import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.console_env import FAST_HASHER
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    data = init_data(root)
    db = Database(data / "server.db")
    db.migrate()
    _, kiosk_token = add_kiosk(db, airport="TAS", name="fuzz-kiosk")
    users = UsersDB(users_db_path(data), hasher=FAST_HASHER)
    users.migrate()
    users.add_user("fuzz-admin", "fuzz admin password", "editor")
    admin_auth = "Basic " + base64.b64encode(b"fuzz-admin:fuzz admin password").decode()
    process = ServerProcess(data)
    process.start()
    yield process, f"Bearer {kiosk_token}", admin_auth
    process.stop()


def fuzz_operation(operation, base_url: str, authorization: str):
    """A hypothesis test of one operation: every generated request, no 5xx."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=50,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def fuzz(case) -> None:
        response = case.call(
            base_url=base_url, headers={"Authorization": authorization}, timeout=30
        )
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code < 500, f"{case.method} {case.formatted_path}"

    return fuzz


def test_no_server_errors(server) -> None:
    process, kiosk_auth, admin_auth = server
    schema = schemathesis.openapi.from_url(f"{process.url}/openapi.json")
    paths = []
    for result in schema.get_all_operations():
        operation = result.ok()
        paths.append(operation.path)
        authorization = admin_auth if "/admin/" in operation.path else kiosk_auth
        fuzz_operation(operation, process.url, authorization)()
    assert "/api/v1/stats/{batch_id}" in paths and "/api/v1/heartbeat" in paths
