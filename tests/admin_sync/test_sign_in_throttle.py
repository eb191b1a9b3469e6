"""The sign-in throttle of `UsersDB` in one process: concurrent attempts reserve their slot before
any password is checked, locks are bounded, addresses are throttled."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher

from admin_sync.users import MAX_LOCK_SECONDS, Attempt, UsersDB
from tests.admin_sync.console_env import Clock


class CountingHasher(PasswordHasher):
    """FAST_HASHER's costs, counting the passwords it checks."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        with self._lock:
            self.checked += 1
        return super().verify(hash, password)


def _users(tmp_path, **kw) -> tuple[UsersDB, CountingHasher, Clock]:
    hasher, clock = CountingHasher(), Clock()
    users = UsersDB(tmp_path / "users.db", hasher=hasher, clock=clock, **kw)
    users.migrate()
    users.add_user("edna", "editor password 1", "editor")
    hasher.checked = 0
    return users, hasher, clock


def test_forty_concurrent_attempts_check_at_most_five_passwords(tmp_path) -> None:
    users, hasher, _ = _users(tmp_path)
    gate = threading.Barrier(40)

    def attempt(i: int):
        gate.wait()
        return users.authenticate("edna", f"wrong password {i}", "192.0.2.1")

    with ThreadPoolExecutor(40) as pool:
        results = list(pool.map(attempt, range(40)))
    assert hasher.checked <= 5
    refused = [r for r in results if r.locked_until is not None]
    assert len(refused) >= 35
    assert all(r.user is None for r in results)
    # the person who knows the password, right after: locked, for minutes
    late = users.authenticate("edna", "editor password 1", "192.0.2.2")
    assert late.user is None and late.locked_until is not None
    assert hasher.checked <= 5


def test_a_reservation_left_by_a_dead_process_stops_counting(tmp_path) -> None:
    users, _, clock = _users(tmp_path)
    for _ in range(5):  # five attempts reserved, never finished (the process died)
        assert isinstance(users.reserve_attempt("edna", ""), Attempt)
    busy = users.authenticate("edna", "editor password 1", "")
    assert busy.user is None and busy.locked_until is not None
    clock.advance(seconds=61)
    assert users.authenticate("edna", "editor password 1", "").user is not None


def test_the_lock_doubles_but_never_passes_fifteen_minutes(tmp_path) -> None:
    users, _, clock = _users(tmp_path, lock_seconds=300)
    durations = []
    for _ in range(6):
        for _ in range(5):
            users.authenticate("edna", "a wrong password", "")
        locked = users.authenticate("edna", "editor password 1", "")
        assert locked.locked_until is not None and locked.user is None
        durations.append((locked.locked_until - clock.now).total_seconds())
        clock.now = locked.locked_until
    assert durations == [300, 600, MAX_LOCK_SECONDS, MAX_LOCK_SECONDS, MAX_LOCK_SECONDS, 900]
    assert users.authenticate("edna", "editor password 1", "").user is not None


def test_an_address_is_throttled_across_names_and_released_after_its_window(tmp_path) -> None:
    users, hasher, clock = _users(tmp_path, address_max_failures=3, address_window_seconds=600)
    for name in ("a", "b", "c"):
        assert users.authenticate(name, "some guess here", "192.0.2.9").locked_until is None
    blocked = users.authenticate("edna", "editor password 1", "192.0.2.9")
    assert blocked.locked_until is not None and "address" in blocked.reason
    assert hasher.checked == 3
    # another address still gets in; the blocked one after its window
    assert users.authenticate("edna", "editor password 1", "192.0.2.10").user is not None
    clock.advance(seconds=601)
    assert users.authenticate("edna", "editor password 1", "192.0.2.9").user is not None


def test_a_success_gives_the_address_its_slot_back(tmp_path) -> None:
    users, _, _ = _users(tmp_path, address_max_failures=2)
    for _ in range(5):
        assert users.authenticate("edna", "editor password 1", "192.0.2.20").user is not None
