"""Kiosks in the server database; their tokens are stored only as sha256 hashes.

A token is 32 random bytes (URL-safe base64), so a plain sha256 is enough: there is nothing to
guess, and a stolen database does not let anyone act as a kiosk. (Administrators are console
users with argon2-hashed passwords: admin_sync/users.py.)
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from admin_sync.server.db import Database

_AIRPORT = re.compile(r"^[A-Z]{3}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$")


class RegistryError(ValueError):
    """Bad kiosk or user data (the message says what), or an unknown kiosk/user."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Kiosk:
    id: str
    airport: str
    name: str
    created_at: str
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _kiosk(row: sqlite3.Row) -> Kiosk:
    return Kiosk(row["id"], row["airport"], row["name"], row["created_at"], row["revoked_at"])


def add_kiosk(db: Database, *, airport: str, name: str) -> tuple[Kiosk, str]:
    """Register a kiosk; returns it and its secret token (shown once, stored only as a hash)."""
    if not _AIRPORT.match(airport):
        raise RegistryError(f"airport {airport!r}: expected a 3-letter IATA code such as TAS")
    if not _NAME.match(name):
        raise RegistryError(
            f"kiosk name {name!r}: use 1-63 letters, digits, spaces, dots, dashes or underscores"
        )
    kiosk_id = f"{airport.lower()}-{secrets.token_hex(4)}"
    token = new_token("sak")
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM kiosks WHERE name = ?", (name,)).fetchone():
            raise RegistryError(f"a kiosk named {name!r} already exists")
        conn.execute(
            "INSERT INTO kiosks (id, airport, name, token_sha256, created_at) VALUES (?,?,?,?,?)",
            (kiosk_id, airport, name, hash_token(token), _now()),
        )
    return Kiosk(kiosk_id, airport, name, _now(), None), token


def find_kiosk(db: Database, id_or_name: str) -> Kiosk | None:
    with db.connect() as conn:
        row = conn.execute(
            "SELECT * FROM kiosks WHERE id = ? OR name = ?", (id_or_name, id_or_name)
        ).fetchone()
    return _kiosk(row) if row else None


def kiosk_for_token(db: Database, token: str) -> Kiosk | None:
    return kiosk_for_token_hash(db, hash_token(token))


def kiosk_for_token_hash(db: Database, digest: str) -> Kiosk | None:
    row = db.reader().execute("SELECT * FROM kiosks WHERE token_sha256 = ?", (digest,)).fetchone()
    return _kiosk(row) if row else None


def revoke_kiosk(db: Database, id_or_name: str) -> Kiosk:
    kiosk = find_kiosk(db, id_or_name)
    if kiosk is None:
        raise RegistryError(f"no kiosk with id or name {id_or_name!r}")
    with db.transaction() as conn:
        conn.execute(
            "UPDATE kiosks SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (_now(), kiosk.id),
        )
    db.kiosk_tokens.clear()  # the server refuses its token from now on, not in a few seconds
    return find_kiosk(db, kiosk.id)  # type: ignore[return-value]


def list_kiosks(db: Database) -> list[Kiosk]:
    with db.connect() as conn:
        return [_kiosk(r) for r in conn.execute("SELECT * FROM kiosks ORDER BY airport, name")]


@dataclass(frozen=True)
class Heartbeat:
    """A kiosk's last heartbeat (written by the kiosk API, read by the console's fleet page)."""

    kiosk_id: str
    received_at: str
    app_version: str
    content_version: int | None
    uptime_seconds: int
    free_disk_bytes: int | None
    last_error: str | None


def latest_heartbeats(db: Database) -> dict[str, Heartbeat]:
    """Each kiosk's last heartbeat, by kiosk id (kiosks never heard from are absent)."""
    with db.connect() as conn:
        return {
            r["kiosk_id"]: Heartbeat(
                r["kiosk_id"],
                r["received_at"],
                r["app_version"],
                r["content_version"],
                r["uptime_seconds"],
                r["free_disk_bytes"],
                r["last_error"],
            )
            for r in conn.execute("SELECT * FROM heartbeats")
        }
