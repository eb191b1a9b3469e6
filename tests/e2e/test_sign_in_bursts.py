"""Forty sign-ins for one user at the same moment, against a real server process on 127.0.0.1:
at most `max_failures` (5) passwords are checked, through the console's sign-in form and through
the admin API's HTTP Basic alike; the lock that follows is minutes, not hours; and one client
address cannot go on guessing across many names.

Each burst comes from its own client address (X-Forwarded-For, which uvicorn honours from
127.0.0.1, where nginx runs in production), so the bursts do not share the address throttle.
The forty are wrong (someone guessing); an answer 401 means a password was checked, 429 refused
without checking. Then the person who knows the password arrives: locked, for minutes.
"""

from __future__ import annotations

import base64
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.console_env import FAST_HASHER
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

BURST = 40
MAX_FAILURES = 5  # the console's default (ConsoleSettings.max_failures)
ADDRESS_MAX_FAILURES = 20  # UsersDB's default
PASSWORD = "the right password 1"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("bursts")
    data = init_data(root)
    users = UsersDB(users_db_path(data), hasher=FAST_HASHER)
    users.migrate()
    for name in ("console-carla", "api-amir", "api-bea"):
        users.add_user(name, PASSWORD, "editor")
    process = ServerProcess(data)
    process.start()
    yield process
    process.stop()


def _passwords() -> list[str]:
    return [f"wrong guess number {i}" for i in range(BURST)]


def _fire(attempts: list) -> list[requests.Response]:
    """Run the prepared attempts in BURST threads released together."""
    gate = threading.Barrier(len(attempts))

    def one(attempt) -> requests.Response:
        gate.wait()
        return attempt()

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(one, attempts))


def test_forty_console_sign_ins_check_at_most_five_passwords(server) -> None:
    address = {"X-Forwarded-For": "203.0.113.10"}
    attempts = []
    for password in _passwords():
        session = requests.Session()
        page = session.get(f"{server.url}/console/sign-in", headers=address, timeout=30)
        csrf = _CSRF.search(page.text).group(1)
        form = {"username": "console-carla", "password": password, "csrf": csrf}

        def attempt(session=session, form=form) -> requests.Response:
            return session.post(
                f"{server.url}/console/sign-in",
                data=form,
                headers=address,
                allow_redirects=False,
                timeout=60,
            )

        attempts.append(attempt)
    answers = Counter(r.status_code for r in _fire(attempts))
    assert set(answers) <= {401, 429}, answers
    assert answers[401] <= MAX_FAILURES, answers
    assert answers[429] >= BURST - MAX_FAILURES, answers
    # the person who knows the password: locked for minutes (the first lock: 5), not hours
    session = requests.Session()
    page = session.get(f"{server.url}/console/sign-in", timeout=30)
    late = session.post(
        f"{server.url}/console/sign-in",
        data={
            "username": "console-carla",
            "password": PASSWORD,
            "csrf": _CSRF.search(page.text).group(1),
        },
        headers={"X-Forwarded-For": "198.51.100.20"},
        allow_redirects=False,
        timeout=60,
    )
    assert late.status_code == 429 and "Too many failed sign-ins" in late.text
    locked = requests.get(
        f"{server.url}/api/v1/admin/status", headers=_basic("console-carla"), timeout=60
    )
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 300


def _basic(name: str, password: str = PASSWORD, address: str = "203.0.113.99") -> dict[str, str]:
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Forwarded-For": address}


def test_forty_api_requests_check_at_most_five_passwords(server) -> None:
    attempts = [
        (
            lambda password=password: requests.get(
                f"{server.url}/api/v1/admin/status",
                headers=_basic("api-amir", password, "203.0.113.11"),
                timeout=60,
            )
        )
        for password in _passwords()
    ]
    answers = Counter(r.status_code for r in _fire(attempts))
    assert set(answers) <= {401, 429}, answers
    assert answers[401] <= MAX_FAILURES, answers
    refused = requests.get(
        f"{server.url}/api/v1/admin/status", headers=_basic("api-amir"), timeout=60
    )
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 300  # minutes, not hours


def test_one_address_cannot_guess_across_many_names(server) -> None:
    # forty different names (most unknown) from one address: the address throttle holds
    attempts = [
        (
            lambda i=i: requests.get(
                f"{server.url}/api/v1/admin/status",
                headers=_basic(f"someone-{i}", "a guess at it", "203.0.113.12"),
                timeout=60,
            )
        )
        for i in range(BURST)
    ]
    answers = Counter(r.status_code for r in _fire(attempts))
    assert answers[401] <= ADDRESS_MAX_FAILURES, answers
    assert answers[429] >= BURST - ADDRESS_MAX_FAILURES, answers
    # another address is not affected: the right password still gets in
    other = requests.get(
        f"{server.url}/api/v1/admin/status", headers=_basic("api-bea", address="198.51.100.7")
    )
    assert other.status_code == 200
