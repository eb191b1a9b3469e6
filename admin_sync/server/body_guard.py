"""A pure ASGI middleware in front of the whole app: no request body is read before its sender is
known and its size allowed (the table: `request_limits`).

For each request, before one byte of its body is read:
1. the route's rule (or `DEFAULT_MAX_BYTES`); a declared Content-Length above the limit is 413;
2. the credentials the rule asks for (kiosk token, HTTP Basic of an editor, console session):
   refused with 401/403/429 (the console: a redirect to the sign-in page, 403 for a viewer);
3. the content type (415 when it is not what the route takes).
Then the body is let through, counted while it streams: past the limit (chunked bodies have no
Content-Length) the app's reading stops and the answer is 413. JSON bodies are read here
(they are small) and parsed strictly (`strict_json`: 400 with the reason), then handed on.
A refusal sent before the body was read closes the connection, so the rest is never buffered:
a refused request costs a few kilobytes however large its body.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from admin_sync.server import strict_json
from admin_sync.server.auth import STATE_ADMIN, STATE_KIOSK, Refusal, check_admin, check_kiosk
from admin_sync.server.console.pages import SECURITY_HEADERS as CONSOLE_SECURITY_HEADERS
from admin_sync.server.request_limits import DEFAULT_MAX_BYTES, BodyRule, find_rule
from admin_sync.users import UsersDB

log = logging.getLogger("safe_airports.server.guard")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONSOLE_SESSION_COOKIE = "sa_console"  # the console's session cookie (console/routes.py)
CONSOLE_SIGN_IN = "/console/sign-in"
_JSON_TYPES = ("application/json",)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_ARCHIVE_TYPES = ("application/gzip", "application/x-gzip", "application/x-tar",
                  "application/octet-stream")  # fmt: skip
_REFUSAL_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


class BodyTooLarge(Exception):
    """Raised inside the app's `receive` when a streamed body passes its limit."""


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _type_refusal(rule: BodyRule, request: Request) -> Refusal | None:
    kind = _media_type(request)
    if rule.body == "json":
        ok = kind in _JSON_TYPES or kind.endswith("+json") or kind == ""  # none: taken as JSON
        wanted = "application/json"
    elif rule.body == "form":
        # An empty form (no fields at all) goes on to the form's own checks (a missing CSRF
        # token is a 403 that says so, clearer than "wrong content type").
        empty = kind == "" and request.headers.get("content-length") == "0"
        ok, wanted = kind in _FORM_TYPES or empty, "a form (urlencoded or multipart)"
    elif rule.body == "image":
        ok, wanted = kind == "image/png", "image/png"
    else:
        ok, wanted = kind in _ARCHIVE_TYPES or kind == "", "a tar.gz archive"
    if ok:
        return None
    return Refusal(415, f"Content-Type {kind or '(none)'!r}: this route takes {wanted}")


class BodyGuard:
    """`BodyGuard(app, rules)`: enforce `rules` (see `request_limits.body_rules`) on `app`."""

    def __init__(self, app: ASGIApp, rules: tuple[BodyRule, ...]) -> None:
        self.app = app
        self.rules = rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        rule = find_rule(self.rules, scope["method"], scope["path"])
        limit = rule.max_bytes if rule else DEFAULT_MAX_BYTES
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            too_large = Refusal(413, f"body too large: more than {limit} bytes")
            await _refuse(send, too_large, console=scope["path"].startswith("/console/"))
            return
        if rule is not None:
            refusal = await self._check(rule, request, scope)
            if refusal is None:
                refusal = _type_refusal(rule, request)
            if refusal is not None:
                await _refuse(send, refusal, console=rule.path.startswith("/console/"))
                return
            if rule.body == "json":
                await self._json(scope, receive, send, limit)
                return
        await self._capped(scope, receive, send, limit)

    async def _check(self, rule: BodyRule, request: Request, scope: Scope) -> Refusal | None:
        state: dict[str, Any] = scope.setdefault("state", {})
        app_state = request.app.state
        authorization = request.headers.get("authorization")
        if rule.auth == "kiosk":
            kiosk = await check_kiosk(app_state.db, authorization)
            if isinstance(kiosk, Refusal):
                return kiosk
            state[STATE_KIOSK] = kiosk
        elif rule.auth == "editor":
            admin = await check_admin(request, authorization, editor=True)
            if isinstance(admin, Refusal):
                return admin
            state[STATE_ADMIN] = admin
        elif rule.auth in ("console", "console_editor"):
            users: UsersDB = app_state.users_db
            token = request.cookies.get(CONSOLE_SESSION_COOKIE)
            session = await run_in_threadpool(users.session, token)
            if session is None:
                return Refusal(303, "sign in first", {"Location": CONSOLE_SIGN_IN})
            if rule.auth == "console_editor" and not session.user.is_editor:
                return Refusal(403, f"Your role ({session.user.role}) cannot do this.")
        return None

    async def _json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the (small, authenticated) body, parse it strictly, hand it on."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send, Refusal(413, f"body larger than {limit} bytes"))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            strict_json.loads(body)
        except strict_json.JSONRejected as exc:
            await _refuse(send, Refusal(400, str(exc)), read_all=True)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _capped(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Let the app read the body as it streams, but never more than `limit` bytes."""
        size = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal size, exceeded
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    exceeded = True
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app answers after its read failed, the answer is 413
            started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _refuse(send, Refusal(413, f"body larger than {limit} bytes"))


async def _refuse(
    send: Send, refusal: Refusal, *, console: bool = False, read_all: bool = False
) -> None:
    """Answer `refusal`; unless the whole body was read, close the connection afterwards so
    the server never reads (or buffers) the rest."""
    headers = dict(_REFUSAL_HEADERS)
    headers.update(refusal.headers)
    if not read_all:
        headers["Connection"] = "close"
    if console:
        headers.update(CONSOLE_SECURITY_HEADERS)  # the same headers as every console page
        text = html.escape(refusal.detail)
        body = f"<!doctype html><title>Console</title><p>{text}</p>".encode()
        headers["Content-Type"] = "text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": refusal.detail}).encode()
        headers["Content-Type"] = "application/json"
    headers["Content-Length"] = str(len(body))
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
