"""Who is behind a request: the kiosk (bearer token) or the administrator (HTTP Basic with a
console user's name and password), as FastAPI dependencies and as plain async checks that
`body_guard` runs before a request's body is read.

    @router.put("/api/v1/stats/{batch_id}")
    async def upload(batch_id: str, kiosk: KioskDep): ...

An unknown or missing token is 401; a revoked kiosk is 403. A wrong administrator password is 401,
a viewer 403, a locked user (or client address) 429 with Retry-After.

Nothing here blocks the event loop: token lookups (remembered for a few seconds:
`recent_lookups`) and the sign-in bookkeeping run in the thread pool, argon2 in
`PasswordChecks`' own small pool (at most `max_parallel` hashes at once, each uses 64 MiB, so
a burst of sign-ins cannot exhaust memory or starve the thread pool).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)
from starlette.concurrency import run_in_threadpool

from admin_sync.server.db import Database
from admin_sync.server.registry import Kiosk, hash_token, kiosk_for_token_hash
from admin_sync.users import MAX_PASSWORD_CHARS, SignInResult, User, UsersDB

log = logging.getLogger("safe_airports.server.auth")

_bearer = HTTPBearer(auto_error=False, description="Kiosk token")
_basic = HTTPBasic(
    auto_error=False,
    realm="safe-airports admin",
    description="An administrator's console name and password (editor role)",
)
ASK_BEARER = {"WWW-Authenticate": "Bearer"}
ASK_BASIC = {"WWW-Authenticate": 'Basic realm="safe-airports admin", charset="UTF-8"'}
MAX_TOKEN_CHARS = 200
# request.state keys set by body_guard once it has checked the credentials
STATE_KIOSK = "kiosk"
STATE_ADMIN = "admin"


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: an HTTP status, a reason and headers to send."""

    status: int
    detail: str
    headers: dict[str, str] = field(default_factory=dict)

    def http_exception(self) -> HTTPException:
        return HTTPException(self.status, detail=self.detail, headers=self.headers or None)


async def get_db(request: Request) -> Database:  # async: no trip to the thread pool
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
BasicCredentials = Annotated[HTTPBasicCredentials | None, Depends(_basic)]


def _scheme_param(authorization: str | None, scheme: str) -> str | None:
    if not authorization:
        return None
    given, _, param = authorization.partition(" ")
    if given.lower() != scheme or not param.strip():
        return None
    return param.strip()


def bearer_token(authorization: str | None) -> str | None:
    token = _scheme_param(authorization, "bearer")
    return token or None


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """(name, password) from an `Authorization: Basic` header, or None if absent or malformed."""
    param = _scheme_param(authorization, "basic")
    if param is None or len(param) > 4 * (MAX_PASSWORD_CHARS + 100):
        return None
    try:
        text = base64.b64decode(param, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    name, colon, password = text.partition(":")
    return (name, password) if colon and name else None


async def check_kiosk(db: Database, authorization: str | None) -> Kiosk | Refusal:
    token = bearer_token(authorization)
    if token is None:
        return Refusal(
            status.HTTP_401_UNAUTHORIZED,
            "missing kiosk token: send 'Authorization: Bearer <token>'",
            ASK_BEARER,
        )
    # an overlong token cannot be one we issued: no database look-up for it
    if len(token) > MAX_TOKEN_CHARS:
        return Refusal(status.HTTP_401_UNAUTHORIZED, "unknown kiosk token", ASK_BEARER)
    digest = hash_token(token)
    # a token seen in the last seconds is not looked up again (recent_lookups: the trip to the
    # thread pool costs more than the look-up; a revocation here clears it)
    kiosk = db.kiosk_tokens.get(digest)
    if kiosk is None:
        kiosk = await run_in_threadpool(kiosk_for_token_hash, db, digest)
        if kiosk is not None:
            db.kiosk_tokens.put(digest, kiosk)
    if kiosk is None:
        return Refusal(status.HTTP_401_UNAUTHORIZED, "unknown kiosk token", ASK_BEARER)
    if kiosk.revoked:
        return Refusal(
            status.HTTP_403_FORBIDDEN, f"kiosk {kiosk.id} was revoked on {kiosk.revoked_at}"
        )
    return kiosk


class PasswordChecks:
    """Checks names and passwords off the event loop, with the throttling of `UsersDB`: the
    attempt is reserved (thread pool), the password hashed (this object's pool of
    `max_parallel` threads) and the outcome recorded (thread pool)."""

    def __init__(self, max_parallel: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_parallel, thread_name_prefix="password-check")

    async def authenticate(
        self, users: UsersDB, name: str, password: str, address: str
    ) -> SignInResult:
        reserved = await run_in_threadpool(users.reserve_attempt, name, address)
        if isinstance(reserved, SignInResult):
            return reserved
        loop = asyncio.get_running_loop()
        good = await loop.run_in_executor(self._pool, users.verify_attempt, reserved, password)
        return await run_in_threadpool(users.finish_attempt, reserved, password, good)

    async def sign_in(self, users: UsersDB, name: str, password: str, address: str) -> SignInResult:
        checked = await self.authenticate(users, name, password, address)
        if checked.user is None:
            return checked
        token = await run_in_threadpool(users.open_session, checked.user.name)
        return SignInResult(checked.user, token=token)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def client_address(request: Request) -> str:
    """The client's address (uvicorn has already applied X-Forwarded-For from nginx)."""
    return request.client.host if request.client else ""


async def console_sign_in(request: Request, name: str, password: str) -> SignInResult:
    """The console's sign-in: the throttled check, then a new session (`token`) on success."""
    checks: PasswordChecks = request.app.state.password_checks
    users: UsersDB = request.app.state.users_db
    return await checks.sign_in(users, name, password, client_address(request))


def _locked(name: str, until: datetime, now: datetime, reason: str) -> Refusal:
    wait = max(1, int((until - now).total_seconds()))
    who = "this address" if "address" in reason else repr(name)
    return Refusal(
        status.HTTP_429_TOO_MANY_REQUESTS,
        f"too many failed sign-ins for {who}: try again after {until.strftime('%H:%M UTC')}",
        {"Retry-After": str(wait)},
    )


async def check_admin(
    request: Request, authorization: str | None, *, editor: bool
) -> User | Refusal:
    """The administrator behind an admin API request: HTTP Basic with a console user's name and
    password (DIR/users.db, argon2), any role (an editor if `editor`). Failures count towards the
    same lock as console sign-ins; a locked user gets 429 even with the right password."""
    credentials = basic_credentials(authorization)
    if credentials is None:
        return Refusal(
            status.HTTP_401_UNAUTHORIZED,
            "missing administrator credentials: send your console user name and "
            "password with HTTP Basic",
            ASK_BASIC,
        )
    name, password = credentials
    users: UsersDB = request.app.state.users_db
    checks: PasswordChecks = request.app.state.password_checks
    result = await checks.authenticate(users, name, password, client_address(request))
    if result.locked_until is not None:
        return _locked(name, result.locked_until, users.now(), result.reason)
    if result.user is None:
        log.warning("admin API: failed sign-in for %r", name)
        return Refusal(
            status.HTTP_401_UNAUTHORIZED,
            "wrong user name or password (or the user is disabled)",
            ASK_BASIC,
        )
    if editor and not result.user.is_editor:
        return Refusal(
            status.HTTP_403_FORBIDDEN,
            f"{result.user.name} is a viewer: publishing and rolling back need the editor role",
        )
    return result.user


async def require_kiosk(request: Request, credentials: Credentials) -> Kiosk:
    """The kiosk behind the request (checked by body_guard already for routes with a body)."""
    known = getattr(request.state, STATE_KIOSK, None)
    if isinstance(known, Kiosk):
        return known
    result = await check_kiosk(request.app.state.db, request.headers.get("authorization"))
    if isinstance(result, Refusal):
        raise result.http_exception()
    return result


async def require_admin(request: Request, credentials: BasicCredentials) -> User:
    known = getattr(request.state, STATE_ADMIN, None)
    if isinstance(known, User):
        return known
    result = await check_admin(request, request.headers.get("authorization"), editor=False)
    if isinstance(result, Refusal):
        raise result.http_exception()
    return result


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
