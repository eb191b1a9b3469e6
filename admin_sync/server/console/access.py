"""Who is asking: the session cookie, "signed in", "signed in with role X", and refusals.

    @router.get("/fleet")
    def fleet(you: SignedInDep) -> Response: return you.render("fleet.html", ...)

    @router.post("/kiosks/revoke")
    def revoke(
        form: Annotated[PostedForm, Depends(checked_form)],  # the CSRF check (forms.py)
        you: Annotated[SignedIn, Depends(RoleRequired("editor", "revoke kiosks"))],
    ) -> Response: ...

FastAPI solves a handler's dependencies in the order of its parameters: the form comes first, so
a request is checked for a session, then for its CSRF token, then for the role.

Without a valid session a request raises `NeedSignIn` (answered with a redirect to the sign-in
page, so a signed-out visitor sees nothing else); a refused action raises `Refused` (answered
with the error page, or the sign-in page again for the sign-in form). `install` registers both
answers on the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from admin_sync.server.console.pages import error_page, render
from admin_sync.server.console.providers import SettingsDep, UsersDep
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.users import Session, User

SESSION_COOKIE = "sa_console"
SIGNIN_COOKIE = "sa_signin"


class NeedSignIn(Exception):
    """The request has no valid session."""


class Refused(Exception):
    """The console refuses the request; `session` is None for the sign-in form."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        session: Session | None,
        settings: ConsoleSettings,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.session = session
        self.settings = settings


def cookie_secure(request: Request, settings: ConsoleSettings) -> bool:
    """Whether the console's cookies get the Secure flag (see ConsoleSettings.secure_cookies)."""
    mode = settings.secure_cookies
    if mode == "always":
        return True
    if mode == "never":
        return False
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def current_session(request: Request, users: UsersDep) -> Session | None:
    """The session of the request's cookie, or None (no cookie, expired, signed out, disabled)."""
    return users.session(request.cookies.get(SESSION_COOKIE))


SessionDep = Annotated[Session | None, Depends(current_session)]


@dataclass(frozen=True)
class SignedIn:
    """A signed-in user's request: renders pages with their navigation and CSRF token."""

    request: Request
    session: Session
    settings: ConsoleSettings

    @property
    def user(self) -> User:
        return self.session.user

    def render(self, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
        return render(self.request, self.session, template, status=status, **values)

    def error(self, status: int, message: str) -> HTMLResponse:
        return error_page(self.request, self.session, status, message)

    def refuse(self, status: int, message: str) -> Refused:
        return Refused(status, message, session=self.session, settings=self.settings)


def signed_in(request: Request, session: SessionDep, settings: SettingsDep) -> SignedIn:
    if session is None:
        raise NeedSignIn()
    return SignedIn(request, session, settings)


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


class RoleRequired:
    """A signed-in user with `role`; anyone else is refused (403) with what they cannot do."""

    def __init__(self, role: str, what: str) -> None:
        self.role = role
        self.what = what

    def __call__(self, you: SignedInDep) -> SignedIn:
        if you.user.role != self.role:
            raise you.refuse(403, f"Your role ({you.user.role}) cannot {self.what}. Ask an editor.")
        return you
