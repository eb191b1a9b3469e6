"""Administrators: argon2-hashed passwords, roles, sessions and sign-in throttling (`DIR/users.db`).

One kind of account for the web console and the administrators' HTTP API (publishing with
`safe-airports admin publish --server`, which sends the same name and password with HTTP Basic).
Roles: `viewer` (sees everything in the console) and `editor` (also publishes, rolls back, adds
and revokes kiosks, manages users). Passwords are hashed with argon2id (argon2-cffi defaults);
sessions are random tokens stored only as sha256 hashes, each with its own CSRF token.

Sign-in throttling, which holds however many attempts arrive at once: each attempt first
reserves a slot in one short SQLite transaction (`reserve_attempt`: a row in `sign_in_pending`),
and only then is the password checked (`verify_attempt`, argon2, the slow part, which the caller
may run anywhere) and the outcome recorded (`finish_attempt`). A name has `max_failures` minus
its recent failures slots; while all are taken by attempts being checked, further attempts are
refused unchecked (429, retry in seconds): of any burst for one name at most `max_failures`
wrong passwords are checked (as if the attempts came one after another: a correct one among
them clears the count). The failure that fills the count locks the name for `lock_seconds`,
doubling with each further lock but never longer than `max_lock_seconds` (15 minutes), so a
burst cannot keep a person out for hours; a correct password clears the count, one arriving
while locked is refused unchecked. A reservation whose process died stops counting after
`PENDING_SECONDS`.
Client addresses are throttled too: `address_max_failures` failed attempts from one address
(any names, known or not) within `address_window_seconds` refuse that address until the window
ends. Console sign-ins and API requests count against the same lock.

`safe-airports admin add-user NAME --data DIR --role editor --password-stdin` creates a user
(`register` is called by `admin_sync.admin_cli`).
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import re
import secrets
import sqlite3
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from admin_sync.server.db import migrate_file, sqlite_connection

ROLES = ("viewer", "editor")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 256
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$")

MAX_LOCK_SECONDS = 15 * 60
PENDING_SECONDS = 60  # a reservation older than this (its process died) no longer counts
BUSY_RETRY_SECONDS = 2

MIGRATIONS: tuple[str, ...] = (
    # 1: users, sessions, failed sign-ins
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
        created_at TEXT NOT NULL,
        disabled_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        locks INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
    );
    CREATE TABLE sessions (
        token_sha256 TEXT PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name),
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    """,
    # 2: failed sign-ins per client address (throttling by address as well as by name)
    """
    CREATE TABLE sign_in_addresses (
        address TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_start TEXT NOT NULL,
        blocked_until TEXT
    ) WITHOUT ROWID;
    CREATE INDEX sign_in_addresses_window ON sign_in_addresses(window_start);
    CREATE TABLE sign_in_pending (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        started_at TEXT NOT NULL
    );
    CREATE INDEX sign_in_pending_name ON sign_in_pending(name, started_at);
    """,
)


class UserError(ValueError):
    """Bad user data or an unknown user; the message says what."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str
    disabled_at: str | None

    @property
    def is_editor(self) -> bool:
        return self.role == "editor"


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires_at: str


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    token: str | None = None
    locked_until: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Attempt:
    """A reserved sign-in attempt: the password may now be checked against `password_hash`."""

    name: str
    address: str
    password_hash: str  # the dummy hash for an unknown name, so it takes as long
    user: User | None  # None: no such user, or a disabled one (the check fails either way)
    pending_id: int | None = None  # the reservation's row (None for an unknown name)


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def check_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise UserError(
            f"password: use {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters "
            "(a few words make a good one)"
        )
    return password


class UsersDB:
    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        hasher: PasswordHasher | None = None,
        max_failures: int = 5,
        lock_seconds: int = 300,
        max_lock_seconds: int = MAX_LOCK_SECONDS,
        address_max_failures: int = 20,
        address_window_seconds: int = 15 * 60,
        session_seconds: int = 12 * 3600,
    ) -> None:
        self.path = Path(path)
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._hasher = hasher or PasswordHasher()
        self.max_failures = max(1, max_failures)
        self.lock_seconds = lock_seconds
        self.max_lock_seconds = max_lock_seconds
        self.address_max_failures = max(1, address_max_failures)
        self.address_window_seconds = address_window_seconds
        self.session_seconds = session_seconds
        # verified against unknown names so that they take as long as known ones
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_connection(self.path)

    def migrate(self) -> int:
        return migrate_file(
            self.path,
            self._connect,
            MIGRATIONS,
            what=f"{self.path}: users",
            newer_hint="this program knows",
        )

    # -- users -----------------------------------------------------------------------------

    def add_user(self, name: str, password: str, role: str) -> User:
        if not _NAME.match(name):
            raise UserError(
                f"user name {name!r}: use 1-63 letters, digits, dots, dashes, @ or underscores"
            )
        if role not in ROLES:
            raise UserError(f"role {role!r}: must be one of {', '.join(ROLES)}")
        password_hash = self._hasher.hash(check_password(password))
        now = _iso(self._clock())
        with self._connect() as conn:
            try:
                conn.execute(
                    "INSERT INTO users (name, password_hash, role, created_at) VALUES (?,?,?,?)",
                    (name, password_hash, role, now),
                )
            except sqlite3.IntegrityError:
                raise UserError(f"a user named {name!r} already exists") from None
        return User(name, role, now, None)

    def users(self) -> list[User]:
        with self._connect() as conn:
            return [
                User(r["name"], r["role"], r["created_at"], r["disabled_at"])
                for r in conn.execute("SELECT * FROM users ORDER BY name")
            ]

    def get(self, name: str) -> User | None:
        with self._connect() as conn:
            r = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        return User(r["name"], r["role"], r["created_at"], r["disabled_at"]) if r else None

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise UserError(f"role {role!r}: must be one of {', '.join(ROLES)}")
        self._update(name, "UPDATE users SET role = ? WHERE name = ?", (role, name))
        if role != "editor":
            self._ensure_an_editor(name)

    def set_disabled(self, name: str, disabled: bool) -> None:
        when = _iso(self._clock()) if disabled else None
        self._update(name, "UPDATE users SET disabled_at = ? WHERE name = ?", (when, name))
        if disabled:
            with self._connect() as conn:
                conn.execute("DELETE FROM sessions WHERE user = ?", (name,))
            self._ensure_an_editor(name)

    def set_password(self, name: str, password: str) -> None:
        password_hash = self._hasher.hash(check_password(password))
        self._update(
            name,
            "UPDATE users SET password_hash = ?, failures = 0, locked_until = NULL WHERE name = ?",
            (password_hash, name),
        )

    def _update(self, name: str, sql: str, params: tuple[object, ...]) -> None:
        with self._connect() as conn:
            if conn.execute(sql, params).rowcount == 0:
                raise UserError(f"no user named {name!r}")

    def _ensure_an_editor(self, changed: str) -> None:
        """Refuse (and undo) a change that would leave no active editor."""
        with self._connect() as conn:
            left = conn.execute(
                "SELECT count(*) FROM users WHERE role = 'editor' AND disabled_at IS NULL"
            ).fetchone()[0]
            if left == 0:
                conn.execute(
                    "UPDATE users SET role = 'editor', disabled_at = NULL WHERE name = ?",
                    (changed,),
                )
                raise UserError("at least one active editor must remain")

    # -- sign-in and sessions --------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def authenticate(self, name: str, password: str, address: str = "") -> SignInResult:
        """Check a name and password without opening a session (the administrators' API).

        The same throttling as `sign_in`: failures count towards the lock, a locked user is
        refused even with the right password, a success resets the count. `token` stays None.
        Everything runs in the calling thread: async callers use `auth.PasswordChecks`.
        """
        reserved = self.reserve_attempt(name, address)
        if isinstance(reserved, SignInResult):
            return reserved
        return self.finish_attempt(reserved, password, self.verify_attempt(reserved, password))

    def sign_in(self, name: str, password: str, address: str = "") -> SignInResult:
        checked = self.authenticate(name, password, address)
        if checked.user is None:
            return checked
        return SignInResult(checked.user, token=self.open_session(checked.user.name))

    def reserve_attempt(self, name: str, address: str = "") -> Attempt | SignInResult:
        """Take one attempt's slot for `name` and `address` atomically, before any password is
        checked; a SignInResult (with `locked_until`) when the name or address is locked."""
        now = self._clock()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                refused = self._reserve_address(conn, address, now) if address else None
                row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
                pending: int | None = None
                if refused is None and row is not None:
                    reserved = self._reserve_name(conn, row, now)
                    if isinstance(reserved, SignInResult):
                        refused = reserved
                    else:
                        pending = reserved
                if refused is not None:
                    conn.execute("ROLLBACK")
                    return refused
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        if row is None:
            return Attempt(name, address, self._dummy_hash, None)
        user = None
        if not row["disabled_at"]:
            user = User(row["name"], row["role"], row["created_at"], None)
        return Attempt(name, address, row["password_hash"], user, pending)

    def _reserve_name(
        self, conn: sqlite3.Connection, row: sqlite3.Row, now: datetime
    ) -> int | SignInResult:
        """The reservation's id, or why not: locked, or as many attempts as may still fail
        before the lock are being checked right now (each might be the one that locks)."""
        locked_until = _parse(row["locked_until"])
        if locked_until is not None and locked_until > now:
            return SignInResult(None, locked_until=locked_until, reason="too many failed sign-ins")
        conn.execute(
            "DELETE FROM sign_in_pending WHERE started_at < ?",
            (_iso(now - timedelta(seconds=PENDING_SECONDS)),),
        )
        pending = conn.execute(
            "SELECT count(*) FROM sign_in_pending WHERE name = ?", (row["name"],)
        ).fetchone()[0]
        if row["failures"] + pending >= self.max_failures:
            return SignInResult(
                None,
                locked_until=now + timedelta(seconds=BUSY_RETRY_SECONDS),
                reason="too many sign-ins for this name at once",
            )
        cursor = conn.execute(
            "INSERT INTO sign_in_pending (name, started_at) VALUES (?, ?)",
            (row["name"], _iso(now)),
        )
        return int(cursor.lastrowid or 0)

    def lock_duration(self, earlier_locks: int) -> int:
        """Seconds of the next lock: `lock_seconds`, doubled per earlier lock, at most the cap."""
        return min(self.max_lock_seconds, self.lock_seconds << min(earlier_locks, 20))

    def _reserve_address(
        self, conn: sqlite3.Connection, address: str, now: datetime
    ) -> SignInResult | None:
        window = timedelta(seconds=self.address_window_seconds)
        conn.execute(
            "DELETE FROM sign_in_addresses WHERE window_start < ? "
            "AND (blocked_until IS NULL OR blocked_until < ?)",
            (_iso(now - window), _iso(now)),
        )
        row = conn.execute(
            "SELECT failures, window_start, blocked_until FROM sign_in_addresses WHERE address = ?",
            (address,),
        ).fetchone()
        blocked = _parse(row["blocked_until"]) if row else None
        if blocked is not None and blocked > now:
            return SignInResult(
                None, locked_until=blocked, reason="too many failed sign-ins from this address"
            )
        start = _parse(row["window_start"]) if row else None
        if row is None or start is None or start + window <= now:
            failures, start = 1, now
        else:
            failures = row["failures"] + 1
        until = _iso(start + window) if failures >= self.address_max_failures else None
        conn.execute(
            "INSERT OR REPLACE INTO sign_in_addresses (address, failures, window_start, "
            "blocked_until) VALUES (?, ?, ?, ?)",
            (address, failures, _iso(start), until),
        )
        return None

    def verify_attempt(self, attempt: Attempt, password: str) -> bool:
        """The slow part (argon2), no database: is `password` the attempt's user's password?"""
        if len(password) > MAX_PASSWORD_CHARS:
            return False
        good = self._verify(attempt.password_hash, password)
        return good and attempt.user is not None

    def finish_attempt(self, attempt: Attempt, password: str, good: bool) -> SignInResult:
        """Record a checked attempt: a failure counts (the one that fills the count locks the
        name), a success clears the name's count and lock and gives the address its slot back."""
        ok = good and attempt.user is not None
        rehash = None
        if ok and self._hasher.check_needs_rehash(attempt.password_hash):
            rehash = self._hasher.hash(password)
        now = self._clock()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if attempt.pending_id is not None:
                    conn.execute("DELETE FROM sign_in_pending WHERE id = ?", (attempt.pending_id,))
                if ok:
                    self._succeeded(conn, attempt, rehash)
                elif attempt.pending_id is not None:
                    self._failed(conn, attempt.name, now)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        if not ok:
            return SignInResult(None, reason="wrong user name or password")
        return SignInResult(attempt.user)

    def _failed(self, conn: sqlite3.Connection, name: str, now: datetime) -> None:
        row = conn.execute("SELECT failures, locks FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            return
        failures, locks, until = row["failures"] + 1, row["locks"], None
        if failures >= self.max_failures:
            until = _iso(now + timedelta(seconds=self.lock_duration(locks)))
            failures, locks = 0, locks + 1
        conn.execute(
            "UPDATE users SET failures = ?, locks = ?, locked_until = ? WHERE name = ?",
            (failures, locks, until, name),
        )

    def _succeeded(self, conn: sqlite3.Connection, attempt: Attempt, rehash: str | None) -> None:
        conn.execute(
            "UPDATE users SET failures = 0, locks = 0, locked_until = NULL WHERE name = ?",
            (attempt.name,),
        )
        if rehash is not None:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?",
                (rehash, attempt.name, attempt.password_hash),
            )
        if attempt.address:
            conn.execute(
                "UPDATE sign_in_addresses SET failures = max(0, failures - 1), "
                "blocked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE blocked_until END "
                "WHERE address = ?",
                (self.address_max_failures, attempt.address),
            )

    def open_session(self, name: str) -> str:
        """A new session for a user whose password was just checked; returns its token."""
        now = self._clock()
        token = secrets.token_urlsafe(32)
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (_iso(now),))
            conn.execute(
                "INSERT INTO sessions (token_sha256, user, csrf, created_at, expires_at) "
                "VALUES (?,?,?,?,?)",
                (
                    _sha(token),
                    name,
                    secrets.token_urlsafe(32),
                    _iso(now),
                    _iso(now + timedelta(seconds=self.session_seconds)),
                ),
            )
            conn.execute("COMMIT")
        return token

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def session(self, token: str | None) -> Session | None:
        if not token or len(token) > 200:
            return None
        now = _iso(self._clock())
        with self._connect() as conn:
            r = conn.execute(
                "SELECT s.csrf, s.expires_at, u.* FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE s.token_sha256 = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
                (_sha(token), now),
            ).fetchone()
        if r is None:
            return None
        return Session(
            User(r["name"], r["role"], r["created_at"], None), r["csrf"], r["expires_at"]
        )

    def sign_out(self, token: str | None) -> None:
        if token:
            with self._connect() as conn:
                conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (_sha(token),))


def users_db_path(data_dir: Path) -> Path:
    return Path(data_dir) / "users.db"


# -- command line (`safe-airports admin add-user`) ------------------------------------------


def read_password(args: argparse.Namespace, prompt: str) -> str:
    """The password from standard input (--password-stdin: its first line) or asked twice."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("again: ") != first:
        raise UserError("the two passwords differ")
    return first


def cmd_add_user(args: argparse.Namespace) -> int:
    """Create an administrator in DATA/users.db (argon2-hashed password)."""
    try:
        db = UsersDB(users_db_path(Path(args.data)))
        db.migrate()
        user = db.add_user(args.name, read_password(args, f"password for {args.name}: "), args.role)
    except UserError as exc:
        print(f"safe-airports admin add-user: {exc}", file=sys.stderr)
        return 2
    print(f"administrator {user.name} ({user.role}) created; sign in at <server>/console/")
    if user.is_editor:
        print(f"publish over HTTP with: admin publish DIR --server URL --user {user.name}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `admin add-user` to the `admin` command's subparsers."""
    p = sub.add_parser(
        "add-user",
        help="create an administrator (console and publishing; role viewer or editor)",
        description="Create an administrator who signs in to the web console at "
        "<server>/console/ and, as an editor, publishes over HTTP with the same name and "
        "password (admin publish --server URL --user NAME). The password is prompted for "
        "twice, or read from standard input with --password-stdin.",
    )
    p.add_argument("name", help="user name (letters, digits, dots, dashes, @, underscores)")
    p.add_argument("--data", required=True, help="the server's data folder")
    p.add_argument(
        "--role",
        choices=ROLES,
        default="viewer",
        help="viewer (reads the console) or editor (also publishes, manages kiosks and users); "
        "default: viewer",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of prompting",
    )
    p.set_defaults(handler=cmd_add_user)
