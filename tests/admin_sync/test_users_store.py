"""The administrators' store (users.db) on a real SQLite file: accounts, roles, sessions and
the sign-in lock, through its public methods."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from admin_sync.users import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, UserError, UsersDB
from tests.admin_sync.console_env import FAST_HASHER

PASSWORD = "a long passphrase"
LOCK_SECONDS = 300
MAX_FAILURES = 3
SESSION_SECONDS = 3600


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def open_db(path: Path, clock: Clock, hasher: PasswordHasher = FAST_HASHER) -> UsersDB:
    db = UsersDB(
        path,
        clock=clock,
        hasher=hasher,
        max_failures=MAX_FAILURES,
        lock_seconds=LOCK_SECONDS,
        session_seconds=SESSION_SECONDS,
    )
    db.migrate()
    return db


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> UsersDB:
    users = open_db(tmp_path / "users.db", clock)
    users.add_user("edna", PASSWORD, "editor")
    return users


# --- accounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "A" * 63, "edna.k", "e-k_2", "edna@ngo.org", "9lives"])
def test_acceptable_user_names(db: UsersDB, name: str) -> None:
    user = db.add_user(name, PASSWORD, "viewer")
    assert (user.name, user.role, user.disabled_at) == (name, "viewer", None)
    assert user.created_at == "2026-11-22T09:00:00+00:00"
    assert db.get(name) == user


@pytest.mark.parametrize("name", ["", "A" * 64, ".edna", "-edna", "ed na", "ed/na", "edna\n"])
def test_refused_user_names(db: UsersDB, name: str) -> None:
    with pytest.raises(UserError) as caught:
        db.add_user(name, PASSWORD, "viewer")
    assert str(caught.value) == (
        f"user name {name!r}: use 1-63 letters, digits, dots, dashes, @ or underscores"
    )
    assert db.get(name) is None


def test_roles_are_viewer_or_editor(db: UsersDB) -> None:
    with pytest.raises(UserError) as caught:
        db.add_user("root", PASSWORD, "admin")
    assert str(caught.value) == "role 'admin': must be one of viewer, editor"
    assert db.add_user("vic", PASSWORD, "viewer").is_editor is False
    assert db.get("edna").is_editor is True


@pytest.mark.parametrize(
    ("length", "ok"),
    [
        (MIN_PASSWORD_CHARS - 1, False),
        (MIN_PASSWORD_CHARS, True),
        (MAX_PASSWORD_CHARS, True),
        (MAX_PASSWORD_CHARS + 1, False),
    ],
)
def test_password_length_limits(db: UsersDB, length: int, ok: bool) -> None:
    password = "p" * length
    if ok:
        db.add_user("vic", password, "viewer")
        assert db.sign_in("vic", password).token is not None
        return
    with pytest.raises(UserError) as caught:
        db.add_user("vic", password, "viewer")
    assert str(caught.value) == (
        f"password: use {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters "
        "(a few words make a good one)"
    )
    assert db.get("vic") is None


def test_names_are_unique_and_listed_in_order(db: UsersDB) -> None:
    with pytest.raises(UserError, match="a user named 'edna' already exists"):
        db.add_user("edna", PASSWORD, "viewer")
    db.add_user("zoe", PASSWORD, "viewer")
    db.add_user("bob", PASSWORD, "editor")
    assert [u.name for u in db.users()] == ["bob", "edna", "zoe"]
    assert db.get("nobody") is None


def test_unknown_users_cannot_be_changed(db: UsersDB) -> None:
    for change in (
        lambda: db.set_role("nobody", "viewer"),
        lambda: db.set_disabled("nobody", True),
        lambda: db.set_password("nobody", PASSWORD),
    ):
        with pytest.raises(UserError) as caught:
            change()
        assert str(caught.value) == "no user named 'nobody'"
    with pytest.raises(UserError, match="role 'boss': must be one of viewer, editor"):
        db.set_role("edna", "boss")


def test_the_last_active_editor_stays_an_editor(db: UsersDB) -> None:
    with pytest.raises(UserError) as caught:
        db.set_role("edna", "viewer")
    assert str(caught.value) == "at least one active editor must remain"
    assert db.get("edna").role == "editor"
    with pytest.raises(UserError, match="at least one active editor must remain"):
        db.set_disabled("edna", True)
    assert db.get("edna").disabled_at is None
    # with a second editor both changes are allowed
    db.add_user("bob", PASSWORD, "editor")
    db.set_role("edna", "viewer")
    assert db.get("edna").role == "viewer"
    db.set_role("edna", "editor")
    db.set_disabled("edna", True)
    assert db.get("edna").disabled_at == "2026-11-22T09:00:00+00:00"
    db.set_disabled("edna", False)
    assert db.get("edna").disabled_at is None


# --- sessions ---------------------------------------------------------------------------------


def test_sign_in_opens_a_session_with_its_own_csrf_token(db: UsersDB, clock: Clock) -> None:
    first = db.sign_in("edna", PASSWORD)
    second = db.sign_in("edna", PASSWORD)
    assert first.user is not None and first.user.name == "edna" and first.token
    assert first.token != second.token
    one, two = db.session(first.token), db.session(second.token)
    assert one is not None and two is not None
    assert one.user.name == "edna" and one.user.role == "editor"
    assert one.user == db.get("edna")  # the user as stored: created_at too
    # 32 random bytes each (URL-safe base64: 43 characters), the token and its CSRF token
    assert len(first.token) == 43 and len(one.csrf) == 43
    assert one.csrf and one.csrf != two.csrf and one.csrf != first.token
    expected = (clock.now + timedelta(seconds=SESSION_SECONDS)).isoformat()
    assert one.expires_at == expected


@pytest.mark.parametrize("token", [None, "", "not a token", "x" * 201])
def test_no_session_for_a_bad_token(db: UsersDB, token: str | None) -> None:
    db.sign_in("edna", PASSWORD)
    assert db.session(token) is None


def test_a_session_ends_at_its_expiry(db: UsersDB, clock: Clock) -> None:
    token = db.sign_in("edna", PASSWORD).token
    clock.advance(SESSION_SECONDS - 1)
    assert db.session(token) is not None
    clock.advance(1)
    assert db.session(token) is None


def test_sign_out_ends_only_that_session(db: UsersDB) -> None:
    one, two = db.sign_in("edna", PASSWORD).token, db.sign_in("edna", PASSWORD).token
    db.sign_out(one)
    db.sign_out(None)
    db.sign_out("")
    assert db.session(one) is None and db.session(two) is not None


def test_disabling_a_user_ends_their_sessions_and_sign_ins(db: UsersDB) -> None:
    db.add_user("vic", PASSWORD, "viewer")
    token = db.sign_in("vic", PASSWORD).token
    edna = db.sign_in("edna", PASSWORD).token
    db.set_disabled("vic", True)
    assert db.session(token) is None
    assert db.session(edna) is not None
    result = db.sign_in("vic", PASSWORD)
    assert result.user is None and result.token is None
    assert result.reason == "wrong user name or password"
    db.set_disabled("vic", False)
    assert db.sign_in("vic", PASSWORD).token is not None


def test_wrong_passwords_and_unknown_names_say_the_same(db: UsersDB) -> None:
    for name, password in [("edna", "wrong password"), ("nobody", PASSWORD), ("edna", "")]:
        result = db.sign_in(name, password)
        assert (result.user, result.token, result.locked_until) == (None, None, None)
        assert result.reason == "wrong user name or password"
    too_long = db.authenticate("edna", "p" * (MAX_PASSWORD_CHARS + 1))
    assert too_long.user is None and too_long.reason == "wrong user name or password"


def test_authenticate_checks_without_opening_a_session(db: UsersDB, tmp_path: Path) -> None:
    result = db.authenticate("edna", PASSWORD)
    assert result.user is not None and result.user.name == "edna" and result.token is None
    with sqlite3.connect(tmp_path / "users.db") as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    conn.close()


# --- the lock ---------------------------------------------------------------------------------


def test_failures_in_a_row_lock_the_name_even_for_the_right_password(
    db: UsersDB, clock: Clock
) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert db.sign_in("edna", "wrong password").locked_until is None
    assert db.sign_in("edna", PASSWORD).token is not None  # a success resets the count
    for _ in range(MAX_FAILURES - 1):
        db.sign_in("edna", "wrong password")
    assert db.authenticate("edna", PASSWORD).user is not None
    for _ in range(MAX_FAILURES):
        db.sign_in("edna", "wrong password")
    locked = db.sign_in("edna", PASSWORD)
    assert locked.user is None and locked.token is None
    assert locked.reason == "too many failed sign-ins"
    assert locked.locked_until is not None and locked.locked_until > clock.now
    assert db.authenticate("edna", PASSWORD).locked_until == locked.locked_until
    clock.now = locked.locked_until
    assert db.sign_in("edna", PASSWORD).token is not None


def test_a_new_password_lifts_the_lock(db: UsersDB) -> None:
    for _ in range(MAX_FAILURES):
        db.sign_in("edna", "wrong password")
    assert db.sign_in("edna", PASSWORD).locked_until is not None
    db.set_password("edna", "a brand new passphrase")
    assert db.sign_in("edna", PASSWORD).token is None
    assert db.sign_in("edna", "a brand new passphrase").token is not None
    with pytest.raises(UserError, match="password: use"):
        db.set_password("edna", "short")


def test_the_lock_of_one_name_leaves_others_alone(db: UsersDB) -> None:
    db.add_user("vic", PASSWORD, "viewer")
    for _ in range(MAX_FAILURES):
        db.sign_in("edna", "wrong password")
    assert db.sign_in("vic", PASSWORD).token is not None


# --- storage ----------------------------------------------------------------------------------


def test_an_outdated_hash_is_replaced_at_the_next_sign_in(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "users.db"
    open_db(path, clock).add_user("edna", PASSWORD, "editor")
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    db = open_db(path, clock, hasher=stronger)

    def stored() -> str:
        with sqlite3.connect(path) as conn:
            value = conn.execute("SELECT password_hash FROM users").fetchone()[0]
        conn.close()
        return value

    before = stored()
    assert stronger.check_needs_rehash(before)
    assert db.sign_in("edna", PASSWORD).token is not None
    after = stored()
    assert after != before and not stronger.check_needs_rehash(after)
    assert stronger.verify(after, PASSWORD)
    assert db.sign_in("edna", PASSWORD).token is not None


def test_passwords_and_tokens_are_not_stored_in_clear(db: UsersDB, tmp_path: Path) -> None:
    token = db.sign_in("edna", PASSWORD).token
    raw = (tmp_path / "users.db").read_bytes()
    assert PASSWORD.encode() not in raw and token.encode() not in raw


def test_the_list_of_users_has_the_whole_records(db: UsersDB, clock: Clock) -> None:
    clock.advance(60)
    db.add_user("vic", PASSWORD, "viewer")
    db.add_user("bob", PASSWORD, "editor")
    db.set_disabled("vic", True)
    listed = db.users()
    assert listed == [db.get("bob"), db.get("edna"), db.get("vic")]
    assert [(u.role, u.created_at, u.disabled_at) for u in listed] == [
        ("editor", "2026-11-22T09:01:00+00:00", None),
        ("editor", "2026-11-22T09:00:00+00:00", None),
        ("viewer", "2026-11-22T09:01:00+00:00", "2026-11-22T09:01:00+00:00"),
    ]


def test_times_are_stored_in_utc_whatever_the_local_zone(
    db: UsersDB, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Expiry times are compared as text: they must all be written in UTC, even on a server
    whose local time zone is Tashkent's."""
    monkeypatch.setenv("TZ", "Asia/Tashkent")
    time.tzset()
    try:
        token = db.sign_in("edna", PASSWORD).token
        session = db.session(token)
        assert session is not None
        expected = (clock.now + timedelta(seconds=SESSION_SECONDS)).astimezone(UTC)
        assert session.expires_at == expected.replace(microsecond=0).isoformat()
        assert session.expires_at.endswith("+00:00")
    finally:
        monkeypatch.undo()  # TZ as it was, then the time module told so
        time.tzset()
