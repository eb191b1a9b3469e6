"""Alert e-mail: the text of a message (pure: `compose`, `compose_digest`) and its delivery
over SMTP (`send_smtp`, blocking: the checker calls it in its worker thread, never on the loop).

Changes are grouped per airport, and within an airport per kind of change, so ten kiosks of one
airport going offline read as one line: "went offline: TMJ-01, TMJ-02, ... (10 kiosks)".
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from admin_sync.server.alerts.rules import CONTENT_GROUP
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.alerts.store import Alert, Event

SUBJECT_PREFIX = "[Safe Airports]"
MAX_NAMES = 30  # per line of a message; a whole fleet going dark is not 10,000 names
MAX_DETAILS = 30
_NOUNS = {"connection": "kiosk", "error": "kiosk", "disk": "kiosk", "review": "contact"}


def group_label(group: str) -> str:
    # imported here: the console's package imports its alerts page, which imports this module
    from admin_sync.server.console.pages import AIRPORTS

    if group == CONTENT_GROUP:
        return "Content"
    return f"{AIRPORTS.get(group, group)} ({group})"


def describe(kind: str, change: str, level: str) -> str:
    """What happened, as a phrase after the names: "went offline", "error cleared"..."""
    if change == "closed":
        return {
            "connection": "back online",
            "error": "error cleared",
            "disk": "disk space back above the limit",
            "review": "checked again",
        }.get(kind, "cleared")
    return {
        ("connection", "late"): "late (no heartbeat)",
        ("connection", "offline"): "went offline",
        ("error", "error"): "reports an error",
        ("disk", "low"): "low on disk",
        ("review", "due"): "past its review date",
    }.get((kind, level), f"{kind}: {level}")


def _plural(noun: str, n: int) -> str:
    return f"{n} {noun}s" if n != 1 else f"1 {noun}"


def _buckets(events: Sequence[Event]) -> dict[str, dict[str, list[Event]]]:
    """group -> phrase -> events, in the order first seen (events come in id order)."""
    out: dict[str, dict[str, list[Event]]] = {}
    for e in events:
        out.setdefault(e.group, {}).setdefault(describe(e.kind, e.change, e.level), []).append(e)
    return out


def _lines(events: Sequence[Event]) -> list[str]:
    lines = []
    for group, phrases in _buckets(events).items():
        lines.append(f"{group_label(group)}")
        for phrase, found in phrases.items():
            names = sorted({e.subject for e in found})
            more = f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else ""
            lines.append(f"  {phrase}: {', '.join(names[:MAX_NAMES])}{more}")
            details = [e for e in found if e.change != "closed" and e.kind in ("error", "disk")]
            for e in details[:MAX_DETAILS]:
                lines.append(f"    {e.subject}: {e.detail}")
        lines.append("")
    return lines


def subject_for(events: Sequence[Event]) -> str:
    buckets = _buckets(events)
    if len(buckets) == 1:
        group, phrases = next(iter(buckets.items()))
        if len(phrases) == 1:
            phrase, found = next(iter(phrases.items()))
            names = sorted({e.subject for e in found})
            what = names[0] if len(names) == 1 else _plural(_NOUNS[found[0].kind], len(names))
            return f"{SUBJECT_PREFIX} {group_label(group)}: {what} {phrase}"
        return f"{SUBJECT_PREFIX} {group_label(group)}: {_plural('alert change', len(events))}"
    where = ", ".join(group_label(g) for g in buckets)
    return f"{SUBJECT_PREFIX} {_plural('alert change', len(events))}: {where}"


def _footer(settings: AlertSettings) -> list[str]:
    lines = ["--", "Open alerts and your e-mail choice: the console's Alerts page"]
    if settings.console_url:
        lines[-1] += f", {settings.console_url.rstrip('/')}/console/alerts"
    lines.append("You get this because you asked for alert e-mail in the console.")
    return lines


def compose(events: Sequence[Event], settings: AlertSettings) -> tuple[str, str]:
    """Subject and body of one message about `events` (not empty)."""
    body = ["What changed:", "", *_lines(events), *_footer(settings)]
    return subject_for(events), "\n".join(body) + "\n"


def compose_digest(
    events: Sequence[Event], still_open: Sequence[Alert], day: str, settings: AlertSettings
) -> tuple[str, str]:
    subject = (
        f"{SUBJECT_PREFIX} Daily digest {day}: {_plural('open alert', len(still_open))}, "
        f"{_plural('change', len(events))}"
    )
    body = [f"Open alerts ({len(still_open)}):", ""]
    groups: dict[str, list[Alert]] = {}
    for alert in still_open:
        groups.setdefault(alert.group, []).append(alert)
    for group, alerts in groups.items():
        body.append(group_label(group))
        if len(alerts) > MAX_NAMES:
            body.append(f"  ({len(alerts)} open; the first {MAX_NAMES} below, all on the page)")
        for a in alerts[:MAX_NAMES]:
            body.append(
                f"  {a.subject}: {describe(a.kind, 'opened', a.level)} since "
                f"{a.opened_at[:16].replace('T', ' ')} UTC ({a.detail})"
            )
        body.append("")
    if not still_open:
        body += ["  none", ""]
    body += [f"Changes since the last message ({len(events)}):", ""]
    body += _lines(events) if events else ["  none", ""]
    return subject, "\n".join([*body, *_footer(settings)]) + "\n"


def message(settings: AlertSettings, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain="safe-airports.invalid")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg


def send_smtp(settings: AlertSettings, msg: EmailMessage, timeout: float = 30.0) -> None:
    """Deliver one message; raises OSError or smtplib.SMTPException when it cannot."""
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
        smtp.ehlo()
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password())
        smtp.send_message(msg)
