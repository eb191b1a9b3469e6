"""Reusable FastAPI dependencies: the kiosk (bearer token) and the administrator behind a request.

    @router.put("/api/v1/stats/{batch_id}")
    def upload(batch_id: str, kiosk: KioskDep, db: DbDep): ...

An unknown or missing token is 401; a revoked kiosk is 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from admin_sync.server.db import Database
from admin_sync.server.registry import Kiosk, admin_for_token, kiosk_for_token

_bearer = HTTPBearer(auto_error=False, description="Kiosk or administrator token")


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


def require_admin(
    credentials: Credentials,
    db: DbDep,
) -> str:
    """The administrator's name (token auth for now; the console may add sessions)."""
    name = admin_for_token(db, _token(credentials, "administrator"))
    if name is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="unknown or disabled administrator token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return name


KioskDep = Annotated[Kiosk, Depends(require_kiosk)]
AdminDep = Annotated[str, Depends(require_admin)]
