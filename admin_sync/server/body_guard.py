"""A pure ASGI middleware in front of the whole app: no request body is read before its sender is
known and its size allowed (the table: `request_limits`).

For each request, before one byte of its body is read:
1. the route's rule (or `DEFAULT_MAX_BYTES`); a declared Content-Length above the limit is 413;
2. the credentials the rule asks for (kiosk token, HTTP Basic of an editor, console session):
   refused with 401/403/429 (the console: a redirect to the sign-in page, 403 for a viewer);
   a console form sent from another site (`Origin`, `Sec-Fetch-Site`), or a sign-in form
   without its sign-in cookie, cannot carry a good CSRF token: 403 unread (the sign-in page
   again for the latter; the token itself is in the body: `console.forms` checks it once the
   capped form is read);
3. the content type (415 when it is not what the route takes).
Then the body is let through, counted while it streams: past the limit (chunked bodies have no
Content-Length) the app's reading stops and the answer is 413. JSON bodies are read here
(they are small) and parsed strictly (`strict_json`: 400 with the reason), then handed on.
A refusal sent before the body was read closes the connection, so the rest is never buffered:
a refused request costs a few kilobytes however large its body. The console's refusals are its
error page (templates/error.html) with the reason; the API's are JSON (`{"detail": ...}`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from admin_sync.server import strict_json
from admin_sync.server.auth import STATE_ADMIN, STATE_KIOSK, Refusal, check_admin, check_kiosk
from admin_sync.server.console.access import SIGNIN_COOKIE
from admin_sync.server.console.forms import EXPIRED
from admin_sync.server.console.pages import SECURITY_HEADERS as CONSOLE_SECURITY_HEADERS
from admin_sync.server.console.pages import error_html, format_bytes
from admin_sync.server.console.providers import STATE_NAME, ConsoleServices
from admin_sync.server.console.sign_in_pages import sign_in_page
from admin_sync.server.request_limits import DEFAULT_MAX_BYTES, BodyRule, find_rule
from admin_sync.users import Session, UsersDB

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


NOTHING_SAVED = "Nothing was read or saved."
SIGN_IN_EXPIRED = 419  # not sent: the sign-in form without its cookie gets the sign-in page


class BodyTooLarge(Exception):
    """Raised inside the app's `receive` when a streamed body passes its limit."""


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _is_console(path: str) -> bool:
    return path.startswith("/console/")


def _too_large(limit: int, *, console: bool, declared: int | None = None) -> Refusal:
    if not console:
        if declared is None:
            return Refusal(413, f"body larger than {limit} bytes")
        return Refusal(413, f"body too large: more than {limit} bytes")
    at_most = format_bytes(limit)
    shown = format_bytes(declared) if declared is not None else at_most
    sent = f" ({shown})" if shown != at_most else ""  # not "64.0 KB is more than 64.0 KB"
    # declared: refused from the headers; streamed: read up to the limit, then refused
    outcome = NOTHING_SAVED if declared is not None else "Nothing was saved."
    return Refusal(
        413,
        f"What you sent{sent} is too large: the console takes at most {at_most} here. {outcome}",
    )


def _foreign_origin(request: Request) -> str | None:
    """Where a console form came from, when a browser says it was not the console's own page
    (None: the console itself, or a client that does not say)."""
    site = request.headers.get("sec-fetch-site", "").strip().lower()
    origin = request.headers.get("origin")
    if site in ("cross-site", "same-site"):
        return origin or f"a {site} page"
    if origin is None:
        return None
    try:
        origin_host = urlsplit(origin).hostname if origin != "null" else None
        own_host = urlsplit("//" + request.headers.get("host", "")).hostname
    except ValueError:
        return origin
    return None if origin_host is not None and origin_host == own_host else origin


def _console_refusal(rule: BodyRule, request: Request) -> Refusal | None:
    """The console's checks that need no body: the form came from the console's own pages."""
    foreign = _foreign_origin(request)
    if foreign is not None:
        return Refusal(
            403,
            f"This form was sent from {foreign!r}, not from the console's own pages, so it "
            f"was refused. {NOTHING_SAVED} Open the console and try again.",
        )
    if rule.auth == "anyone" and not request.cookies.get(SIGNIN_COOKIE):
        return Refusal(SIGN_IN_EXPIRED, EXPIRED)  # its CSRF token is the sign-in cookie's
    return None


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
    if _is_console(rule.path):
        return Refusal(
            415,
            f"This was not sent as the console's form (Content-Type {kind or '(none)'!r}; "
            f"the console takes {wanted} here). {NOTHING_SAVED}",
        )
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
        console = _is_console(scope["path"])
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            too_large = _too_large(limit, console=console, declared=int(declared))
            await _refuse(send, too_large, console=console)
            return
        if rule is not None:
            refusal, session = await self._check(rule, request, scope)
            if refusal is None:
                refusal = _type_refusal(rule, request)
            if refusal is not None and refusal.status == SIGN_IN_EXPIRED:
                # as forms.py answers a sign-in form with a wrong token: the sign-in page
                # again, with the reason and a fresh token (and the body left unread)
                services: ConsoleServices = getattr(request.app.state, STATE_NAME)
                page = sign_in_page(request, services.settings, refusal.detail, 403)
                page.headers["Connection"] = "close"
                await page(scope, receive, send)
                return
            if refusal is not None:
                await _refuse(send, refusal, console=console, session=session)
                return
            if rule.body == "json":
                await self._json(scope, receive, send, limit)
                return
        await self._capped(scope, receive, send, limit, console=console)

    async def _check(
        self, rule: BodyRule, request: Request, scope: Scope
    ) -> tuple[Refusal | None, Session | None]:
        """The refusal (None: go on) and, for the console, the session it found."""
        state: dict[str, Any] = scope.setdefault("state", {})
        app_state = request.app.state
        authorization = request.headers.get("authorization")
        if rule.auth == "kiosk":
            kiosk = await check_kiosk(app_state.db, authorization)
            if isinstance(kiosk, Refusal):
                return kiosk, None
            state[STATE_KIOSK] = kiosk
        elif rule.auth == "editor":
            admin = await check_admin(request, authorization, editor=True)
            if isinstance(admin, Refusal):
                return admin, None
            state[STATE_ADMIN] = admin
        elif rule.auth == "anyone":
            return _console_refusal(rule, request), None
        elif rule.auth in ("console", "console_editor"):
            users: UsersDB = app_state.users_db
            token = request.cookies.get(CONSOLE_SESSION_COOKIE)
            session = await run_in_threadpool(users.session, token)
            if session is None:
                return Refusal(303, "sign in first", {"Location": CONSOLE_SIGN_IN}), None
            if rule.auth == "console_editor" and not session.user.is_editor:
                return Refusal(403, f"Your role ({session.user.role}) cannot do this."), session
            return _console_refusal(rule, request), session
        return None, None

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
            parsed = strict_json.loads(body)
        except strict_json.JSONRejected as exc:
            await _refuse(send, Refusal(400, str(exc)), read_all=True)
            return
        scope.setdefault("state", {})[strict_json.PARSED_STATE] = (body, parsed)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _capped(
        self, scope: Scope, receive: Receive, send: Send, limit: int, *, console: bool
    ) -> None:
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
            await _refuse(send, _too_large(limit, console=console), console=console)


async def _refuse(
    send: Send,
    refusal: Refusal,
    *,
    console: bool = False,
    session: Session | None = None,
    read_all: bool = False,
) -> None:
    """Answer `refusal` (the console: its error page, with `session`'s navigation); unless the
    whole body was read, close the connection afterwards so the server never reads (or
    buffers) the rest."""
    headers = dict(_REFUSAL_HEADERS)
    headers.update(refusal.headers)
    if not read_all:
        headers["Connection"] = "close"
    if console:
        headers.update(CONSOLE_SECURITY_HEADERS)  # the same headers as every console page
        body = error_html(refusal.detail, session).encode()
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
