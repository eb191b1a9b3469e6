"""Reusable FastAPI dependencies: the kiosk (bearer token) and the administrator (HTTP Basic with a
console user's name and password, editor role) behind a request.

    @router.put("/api/v1/stats/{batch_id}")
    def upload(batch_id: str, kiosk: KioskDep, db: DbDep): ...

An unknown or missing token is 401; a revoked kiosk is 403. A wrong administrator password is 401,
a viewer 403, a locked user 429.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)

from admin_sync.server.db import Database
from admin_sync.server.registry import Kiosk, kiosk_for_token
from admin_sync.users import User, UsersDB

log = logging.getLogger("safe_airports.server.auth")

_bearer = HTTPBearer(auto_error=False, description="Kiosk token")


def get_db(request: Request) -> Database:
    return request.app.state.db


DbDep = Annotated[Database, Depends(get_db)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _token(credentials: HTTPAuthorizationCredentials | None, who: str) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=f"missing {who} token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return credentials.credentials


def require_kiosk(
    credentials: Credentials,
    db: DbDep,
) -> Kiosk:
    kiosk = kiosk_for_token(db, _token(credentials, "kiosk"))
    if kiosk is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="unknown kiosk token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if kiosk.revoked:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"kiosk {kiosk.id} was revoked on {kiosk.revoked_at}"
        )
    return kiosk


_basic = HTTPBasic(
    auto_error=False,
    realm="safe-airports admin",
    description="An administrator's console name and password (editor role)",
)
BasicCredentials = Annotated[HTTPBasicCredentials | None, Depends(_basic)]
_ASK_BASIC = {"WWW-Authenticate": 'Basic realm="safe-airports admin", charset="UTF-8"'}


def require_admin(request: Request, credentials: BasicCredentials) -> User:
    """The administrator behind an admin API request: HTTP Basic with a console user's name and
    password (DIR/users.db, argon2), any role. Failures count towards the same lock as console
    sign-ins; a locked user gets 429 with Retry-After even with the right password."""
    if credentials is None or not credentials.username:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing administrator credentials: send your console user name and "
            "password with HTTP Basic",
            headers=_ASK_BASIC,
        )
    users: UsersDB = request.app.state.users_db
    result = users.authenticate(credentials.username, credentials.password)
    if result.locked_until is not None:
        wait = max(1, int((result.locked_until - request.app.state.clock()).total_seconds()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"too many failed sign-ins for {credentials.username!r}: try again after "
            f"{result.locked_until.strftime('%H:%M UTC')}",
            headers={"Retry-After": str(wait)},
        )
    if result.user is None:
        log.warning("admin API: failed sign-in for %r", credentials.username)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="wrong user name or password (or the user is disabled)",
            headers=_ASK_BASIC,
        )
    return result.user


def require_editor(user: Annotated[User, Depends(require_admin)]) -> User:
    """As `require_admin`, and the user must have the editor role (403 for a viewer)."""
    if not user.is_editor:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail=f"{user.name} is a viewer: publishing and rolling back need the editor role",
        )
    return user


KioskDep = Annotated[Kiosk, Depends(require_kiosk)]
AdminDep = Annotated[User, Depends(require_admin)]
EditorDep = Annotated[User, Depends(require_editor)]
