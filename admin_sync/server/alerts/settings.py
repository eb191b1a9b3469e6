"""Alert settings, declared as data (environment: `SAFE_AIRPORTS_ALERTS_<NAME>`, e.g. in the
server's `/etc/safe-airports-server/server.env`). When a kiosk counts as late or offline comes
from the console's `late_after_minutes` and `offline_after_minutes`, so that the fleet page and
the e-mails agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from content.settings_base import from_environ, in_range, setting

ENV_PREFIX = "SAFE_AIRPORTS_ALERTS_"


@dataclass(frozen=True)
class AlertSettings:
    check_seconds: int = setting(
        60,
        help="How often the server's background task looks for alerts and sends queued "
        "e-mail; 0 turns the checker off (no alerts, no e-mail).",
        check=in_range(0, 86400),
    )
    low_disk_bytes: int = setting(
        500 * 1024 * 1024,
        help="A kiosk whose last heartbeat reports less free disk than this has a low-disk alert.",
    )
    contact_review_days: int = setting(
        365,
        help="A contact (hotline) is due for checking this many days after its verified_on; "
        "past that it has an alert until someone checks it again.",
        check=in_range(1, 3650),
    )
    group_wait_seconds: int = setting(
        420,
        help="A change waits this long before it is mailed, so that the other kiosks of an "
        "airport losing its network join the same message (the agent's heartbeat interval, "
        "300 s, plus its jitter).",
        check=in_range(0, 86400),
    )
    max_mails_per_hour: int = setting(
        4,
        help="At most this many alert e-mails per administrator per hour; further changes wait "
        "and go together in the next message allowed.",
        check=in_range(1, 1000),
    )
    digest_hour: int = setting(
        7,
        help="Hour of the day (UTC) at which administrators who chose the daily digest get it.",
        check=in_range(0, 23),
    )
    retry_seconds: int = setting(
        300,
        help="After a failed SMTP delivery, wait this long before trying again (doubling with "
        "each failure, at most an hour); a message is given up after a day.",
        check=in_range(1, 86400),
    )
    smtp_host: str = setting(
        "", help="SMTP server for alert e-mail; empty: alerts only show in the console."
    )
    smtp_port: int = setting(587, help="SMTP port (587: submission with STARTTLS).")
    smtp_starttls: bool = setting(
        True, help="Upgrade the SMTP connection with STARTTLS (certificate checked) before login."
    )
    smtp_user: str = setting("", help="SMTP login name; empty: no login.")
    smtp_password_file: str = setting(
        "",
        help="File holding the SMTP password (read at each delivery, so it can be rotated; keep "
        "it readable by the server only).",
    )
    mail_from: str = setting(
        "", help="Sender address of alert e-mail, e.g. Safe Airports <alerts@example.org>."
    )
    console_url: str = setting(
        "",
        help="Address of the console written into e-mails as a link to the alerts page "
        "(e.g. https://safe-airports.example.org); empty: no link.",
    )

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host and self.mail_from)

    def smtp_password(self) -> str:
        """The password from `smtp_password_file` ("" without one); OSError when unreadable."""
        if not self.smtp_password_file:
            return ""
        return Path(self.smtp_password_file).read_text(encoding="utf-8").strip()

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> AlertSettings:
        return from_environ(cls, environ, prefix=ENV_PREFIX, where="alert settings")
