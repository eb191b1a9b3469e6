"""Administrators: argon2-hashed passwords, roles, sessions and sign-in throttling (`DIR/users.db`).

One kind of account for the web console and the administrators' HTTP API (publishing with
`safe-airports admin publish --server`, which sends the same name and password with HTTP Basic).
Roles: `viewer` (sees everything in the console) and `editor` (also publishes, rolls back, adds
and revokes kiosks, manages users). Passwords are hashed with argon2id (argon2-cffi defaults);
sessions are random tokens stored only as sha256 hashes, each with its own CSRF token.

Sign-in throttling: after `max_failures` wrong passwords in a row a user name is locked for
`lock_seconds`, doubling with each further lock (up to a day); a correct password while locked
is refused too, so guessing gains nothing from the lock ending early. Console sign-ins and API
requests count against the same lock.

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


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


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
        session_seconds: int = 12 * 3600,
    ) -> None:
        self.path = Path(path)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._hasher = hasher or PasswordHasher()
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
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
        if not _NAME.fullmatch(name):  # not match: "$" also matches before a final newline
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

    def _update(self, name: str, sql: str, params: tuple) -> None:
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

    def authenticate(self, name: str, password: str) -> SignInResult:
        """Check a name and password without opening a session (the administrators' API).

        The same throttling as `sign_in`: failures count towards the lock, a locked user is
        refused even with the right password, a success resets the count. `token` stays None.
        """
        return self._check(name, password, self._clock())

    def _check(self, name: str, password: str, now: datetime) -> SignInResult:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if row is None or len(password) > MAX_PASSWORD_CHARS:
            self._verify(self._dummy_hash, password[:MAX_PASSWORD_CHARS])
            return SignInResult(None, reason="wrong user name or password")
        if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
            return SignInResult(
                None,
                locked_until=datetime.fromisoformat(row["locked_until"]),
                reason="too many failed sign-ins",
            )
        good = self._verify(row["password_hash"], password)
        if not good or row["disabled_at"]:
            self._record_failure(name, now)
            return SignInResult(None, reason="wrong user name or password")
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE users SET failures = 0, locks = 0, locked_until = NULL WHERE name = ?",
                (name,),
            )
            if self._hasher.check_needs_rehash(row["password_hash"]):
                conn.execute(
                    "UPDATE users SET password_hash = ? WHERE name = ?",
                    (self._hasher.hash(password), name),
                )
            conn.execute("COMMIT")
        return SignInResult(User(row["name"], row["role"], row["created_at"], None))

    def sign_in(self, name: str, password: str) -> SignInResult:
        now = self._clock()
        checked = self._check(name, password, now)
        if checked.user is None:
            return checked
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
        return SignInResult(checked.user, token=token)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _record_failure(self, name: str, now: datetime) -> None:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            failures, locks = conn.execute(
                "SELECT failures + 1, locks FROM users WHERE name = ?", (name,)
            ).fetchone()
            locked_until = None
            if failures >= self.max_failures:
                seconds = min(86400, self.lock_seconds * 2**locks)
                locked_until = _iso(now + timedelta(seconds=seconds))
                failures, locks = 0, locks + 1
            conn.execute(
                "UPDATE users SET failures = ?, locks = ?, locked_until = ? WHERE name = ?",
                (failures, locks, locked_until, name),
            )
            conn.execute("COMMIT")

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


def register(sub: argparse._SubParsersAction) -> None:
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
