"""Throttling of sign-ins: the lock after repeated failures (doubled per earlier lock, capped, the
doubling itself bounded) and the count by client address, through sign_in and authenticate."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher

from admin_sync.users import MAX_LOCK_SECONDS, UsersDB

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_the_lock_doubles_per_earlier_lock_up_to_the_cap(tmp_path: Path) -> None:
    db = UsersDB(tmp_path / "users.db", hasher=FAST, lock_seconds=300)
    assert [db.lock_duration(n) for n in range(4)] == [300, 600, 900, 900]
    assert db.max_lock_seconds == MAX_LOCK_SECONDS == 900


def test_the_doubling_stops_after_20_earlier_locks(tmp_path: Path) -> None:
    db = UsersDB(tmp_path / "users.db", hasher=FAST, lock_seconds=1, max_lock_seconds=10**9)
    assert db.lock_duration(19) == 2**19
    assert db.lock_duration(20) == db.lock_duration(21) == db.lock_duration(500) == 2**20


def people(tmp_path: Path) -> UsersDB:
    db = UsersDB(tmp_path / "users.db", hasher=FAST, max_failures=100, address_max_failures=2)
    db.migrate()
    db.add_user("ann", "a long passphrase", "editor")
    return db


def test_sign_in_and_authenticate_count_failures_by_client_address(tmp_path: Path) -> None:
    db = people(tmp_path)
    assert db.sign_in("ann", "wrong password", "10.0.0.1").user is None
    assert db.authenticate("ann", "wrong password", "10.0.0.1").user is None
    for check in (db.sign_in, db.authenticate):
        refused = check("ann", "a long passphrase", "10.0.0.1")
        assert refused.user is None
        assert refused.reason == "too many failed sign-ins from this address"
    assert db.sign_in("ann", "a long passphrase", "10.0.0.2").token is not None


def test_without_an_address_only_the_name_counts(tmp_path: Path) -> None:
    db = people(tmp_path)
    for _ in range(3):
        assert db.sign_in("ann", "wrong password").user is None
        assert db.authenticate("ann", "wrong password").user is None
    assert db.sign_in("ann", "a long passphrase").token is not None
    assert db.authenticate("ann", "a long passphrase").user is not None
