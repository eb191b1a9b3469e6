"""Rendering a console page: the Jinja templates, the security headers, the error page."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from admin_sync.server.console.navigation import navigation
from admin_sync.users import Session

TEMPLATES_DIR = Path(__file__).parent / "templates"
AIRPORTS = {
    "TAS": "Tashkent",
    "TMJ": "Termez",
    "NMA": "Namangan",
    "KSQ": "Qarshi",
    "ASB": "Ashgabat",
    "FRU": "Bishkek Manas",
}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # script-src 'self': only same-origin files (the article editor's toolbar), never inline
    # script or eval; every page works without script.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}

R = TypeVar("R", bound=Response)


def secure(response: R) -> R:
    """The response with the console's security headers (those it does not set itself)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def format_bytes(value: float | None) -> str:
    if value is None:
        return "unknown"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(value)


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["bytes"] = format_bytes
_env.globals["AIRPORTS"] = AIRPORTS
_env.globals["navigation"] = navigation  # base.html: the groups and pages a role may open


def render(
    request: Request, session: Session | None, template: str, *, status: int = 200, **values: Any
) -> HTMLResponse:
    """A template as a page: `values` plus the signed-in user, their CSRF token and the path."""
    html = _env.get_template(template).render(
        session=session,
        user=session.user if session else None,
        csrf=session.csrf if session else "",
        path=request.url.path,
        **values,
    )
    return secure(HTMLResponse(html, status_code=status))


def error_html(message: str, session: Session | None = None) -> str:
    """The error page as text, for answers sent before FastAPI sees the request (body_guard)."""
    return _env.get_template("error.html").render(
        session=session,
        user=session.user if session else None,
        csrf=session.csrf if session else "",
        path="",
        title="Cannot do that",
        message=message,
    )


def error_page(
    request: Request, session: Session | None, status: int, message: str
) -> HTMLResponse:
    return render(
        request, session, "error.html", status=status, title="Cannot do that", message=message
    )
