"""The alerts page: what is wrong now (grouped per airport), the recent changes, the e-mail
sent, and the signed-in user's own e-mail choice (off, each change, or a daily digest).

The alerts are found by the server's background checker (admin_sync/server/alerts/); this page
only reads its tables. Any signed-in user, viewer or editor, may choose their own e-mail; the
choice is written to the audit log.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from admin_sync.server.alerts import store
from admin_sync.server.alerts.mail import describe, group_label
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.console.access import SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.pages import secure
from admin_sync.server.console.providers import (
    AlertSettingsDep,
    AuditDep,
    ClockDep,
    ServerDbDep,
    SettingsDep,
)
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import Database

router = APIRouter(prefix="/console", include_in_schema=False)

# one address, as people type it; the SMTP server has the last word
_EMAIL = re.compile(r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
MODE_LABELS = {
    "off": "No e-mail",
    "immediate": "An e-mail at each change (grouped per airport, at most a few an hour)",
    "digest": "One daily digest",
}


def alerts_page(
    you: SignedIn,
    db: Database,
    alerts: AlertSettings,
    console: ConsoleSettings,
    *,
    status: int = 200,
    message: str = "",
    ok: str = "",
    typed_email: str | None = None,
) -> HTMLResponse:
    with db.connect() as conn:
        current = store.current_alerts(conn)
        events = store.recent_events(conn)
        mail = store.recent_mail(conn)
        mine = store.subscription(conn, you.user.name)
    groups: dict[str, list[store.Alert]] = {}
    for alert in current:
        groups.setdefault(alert.group, []).append(alert)
    return you.render(
        "alerts.html",
        status=status,
        title="Alerts",
        groups=[(group_label(g), rows) for g, rows in groups.items()],
        total=len(current),
        events=events,
        mail=mail,
        mine=mine,
        email=typed_email if typed_email is not None else (mine.email if mine else ""),
        mode=mine.mode if mine else "off",
        modes=MODE_LABELS,
        describe=describe,
        when=_when,
        group_label=group_label,
        alerts=alerts,
        console=console,
        message=message,
        ok=ok,
    )


def _when(stamp: str) -> str:
    """ "2026-11-30T23:05:55+00:00" as "2026-11-30 23:05" (the page says UTC)."""
    return stamp[:16].replace("T", " ")


@router.get("/alerts")
def show_alerts(
    you: SignedInDep,
    db: ServerDbDep,
    alerts: AlertSettingsDep,
    console: SettingsDep,
    saved: str = "",
) -> Response:
    ok = ""
    if saved:
        with db.connect() as conn:
            mine = store.subscription(conn, you.user.name)
        ok = f"Saved: {MODE_LABELS[mine.mode]}." if mine else ""
    return alerts_page(you, db, alerts, console, ok=ok)


@router.post("/alerts/subscription")
def save_subscription(
    form: FormDep,
    you: SignedInDep,
    db: ServerDbDep,
    alerts: AlertSettingsDep,
    console: SettingsDep,
    clock: ClockDep,
    audit: AuditDep,
) -> Response:
    email = form.text("email", 320)
    mode = form.text("mode", 20)
    if mode not in MODE_LABELS:
        return alerts_page(
            you,
            db,
            alerts,
            console,
            status=400,
            message="Choose one of the e-mail options.",
            typed_email=email,
        )
    if mode != "off" and not _EMAIL.fullmatch(email):
        return alerts_page(
            you,
            db,
            alerts,
            console,
            status=400,
            message=f"{email or 'An empty address'} is not an e-mail address such as "
            "name@example.org; nothing was changed.",
            typed_email=email,
        )
    with db.transaction() as conn:
        store.set_subscription(conn, you.user.name, email, mode, clock())
    audit.record(you.user.name, "alert-mail", you.user.name, f"{mode} {email}", via="console")
    # after a post, a redirect: reloading the page does not send the form again
    return secure(RedirectResponse("/console/alerts?saved=1", status_code=303))
