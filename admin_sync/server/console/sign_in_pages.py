"""Signing in and out of the console, and `/console/` itself (on to the fleet page).

The sign-in form is protected by a double-submit token: the page sets it in a short-lived
cookie and in the form. A good name and password open a session (cookie `sa_console`,
HttpOnly, SameSite=Strict, Secure behind TLS); repeated failures lock the name for a while
(`admin_sync.users`).
"""

from __future__ import annotations

import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from admin_sync.server.auth import client_address
from admin_sync.server.console.access import (
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    SignedInDep,
    cookie_secure,
)
from admin_sync.server.console.forms import FormDep, SignInFormDep
from admin_sync.server.console.pages import render, secure
from admin_sync.server.console.providers import PasswordChecksDep, SettingsDep, UsersDep
from admin_sync.server.console.settings import ConsoleSettings

log = logging.getLogger("safe_airports.server.console")

router = APIRouter(prefix="/console", include_in_schema=False)


def sign_in_page(
    request: Request, settings: ConsoleSettings, message: str = "", status: int = 200
) -> Response:
    """The sign-in form (with `message` above it) and a fresh sign-in token in its cookie."""
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        None,
        "sign_in.html",
        status=status,
        title="Sign in",
        message=message,
        signin_csrf=token,
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request, settings),
        path="/console",
        max_age=3600,
    )
    return response


@router.get("/sign-in")
def show_sign_in(request: Request, settings: SettingsDep) -> Response:
    return sign_in_page(request, settings)


@router.post("/sign-in")
async def sign_in(
    request: Request,
    form: SignInFormDep,
    users: UsersDep,
    checks: PasswordChecksDep,
    settings: SettingsDep,
) -> Response:
    # Attempts for one name are reserved before argon2 runs (at most the allowed number of
    # passwords checked, however many arrive at once), and throttled by client address too.
    name = form.text("username", 64)
    result = await checks.sign_in(users, name, form.raw("password"), client_address(request))
    if result.token is None:
        if result.locked_until is not None:
            when = result.locked_until.strftime("%H:%M UTC")
            log.warning("console sign-in refused for locked user %s", name)
            return sign_in_page(
                request,
                settings,
                f"Too many failed sign-ins for this user. Try again after {when}.",
                429,
            )
        log.warning("console sign-in failed for %r", name)
        return sign_in_page(request, settings, "Wrong user name or password.", 401)
    log.info("console sign-in: %s", name)
    response = RedirectResponse("/console/fleet", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request, settings),
        path="/console",
        max_age=settings.session_hours * 3600,
    )
    response.delete_cookie(SIGNIN_COOKIE, path="/console")
    return secure(response)


@router.post("/sign-out")
def sign_out(request: Request, form: FormDep, users: UsersDep) -> Response:
    users.sign_out(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return secure(response)


@router.get("/")
@router.get("")
def home(you: SignedInDep) -> Response:
    return secure(RedirectResponse("/console/fleet", status_code=303))
