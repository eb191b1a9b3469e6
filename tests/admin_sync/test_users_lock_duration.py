"""The lock after repeated failed sign-ins: doubled per earlier lock, capped, and the doubling
itself bounded (a user locked many times never overflows into a huge or negative lock)."""

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
