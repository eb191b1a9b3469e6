"""The one table of request bodies the server accepts: per route, the largest body, who must be
signed in before a byte of it is read, and what it must be.

`body_guard.BodyGuard` enforces it in front of FastAPI; deploy/server/nginx-safe-airports.conf
repeats the sizes (`client_max_body_size` of the location named here), and
tests/deploy/test_request_limits_nginx.py checks that the two agree for the default settings.
A route with a body that is not in this table gets `DEFAULT_MAX_BYTES` (a test checks that every
route of the app taking a body is listed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from admin_sync.protocol import (
    ADMIN_HALT_PATH,
    ADMIN_PROMOTE_PATH,
    ADMIN_PUBLISH_PATH,
    ADMIN_ROLLBACK_PATH,
    COMMAND_SCREENSHOT_PATH,
    HEARTBEAT_PATH,
    MAX_SCREENSHOT_BYTES,
)
from admin_sync.stats_wire import MAX_BODY_BYTES as STATS_MAX_BODY_BYTES

KIB = 1024
MIB = 1024 * KIB

# Who must be known before the body is read:
#   kiosk: a valid, unrevoked kiosk token (Authorization: Bearer)
#   editor: HTTP Basic with an editor's console name and password (throttled like sign-in)
#   console: a console session cookie; console_editor: the same, of an editor
#   anyone: nobody can be known yet (the sign-in form itself): only the size is limited
Auth = Literal["kiosk", "editor", "console", "console_editor", "anyone"]
# What the body must be: json (parsed strictly by the guard: strict_json), form (urlencoded or
# multipart), archive (the raw bytes of a tar.gz), image (a PNG: a kiosk's screenshot)
BodyKind = Literal["json", "form", "archive", "image"]

# Requests that match no rule (GET, HEAD, unknown paths...) may carry at most this much.
DEFAULT_MAX_BYTES = KIB
# The console's small forms (sign-out, kiosks, users, rollback): a few fields and a CSRF token.
CONSOLE_FORM_MAX_BYTES = 64 * KIB
# The publish form carries the archive plus its other fields and the multipart boundaries.
MULTIPART_OVERHEAD_BYTES = 64 * KIB


_CONSOLE_FORMS: tuple[tuple[str, Auth], ...] = (
    ("/console/sign-out", "console"),
    ("/console/releases/rollback", "console_editor"),
    ("/console/kiosks/add", "console_editor"),
    ("/console/kiosks/revoke", "console_editor"),
    ("/console/users/{action}", "console_editor"),
    # content editing (issue 12): an article is a few KB; urlencoded Cyrillic triples it
    ("/console/releases/publish-current", "console_editor"),
    ("/console/content/restore", "console_editor"),
    ("/console/items/{slug}/save", "console_editor"),
    ("/console/items/{slug}/check", "console_editor"),
    ("/console/articles/save", "console_editor"),
    ("/console/ui/save", "console_editor"),
    ("/console/review/approve", "console_editor"),
    ("/console/verification/checked", "console_editor"),
    ("/console/notices/save", "console_editor"),  # urgent notices
    ("/console/notices/expire", "console_editor"),
    ("/console/alerts/subscription", "console"),  # alerts: a user's own e-mail choice
    ("/console/releases/promote", "console_editor"),  # staged rollout
    ("/console/releases/halt", "console_editor"),
    # commands: any signed-in user may ask; the handler checks the role per command and
    # writes refusals to the audit log
    ("/console/kiosks/{kiosk_id}/command", "console"),
)


@dataclass(frozen=True)
class BodyRule:
    method: str
    path: str  # a route path; "{name}" stands for one path segment
    max_bytes: int
    auth: Auth
    body: BodyKind
    nginx_location: str  # the nginx location serving it, as written after `location`
    sample_path: str = ""  # a concrete path for the tests (defaults to `path`)

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and _pattern(self.path).fullmatch(path) is not None

    def example_path(self) -> str:
        return self.sample_path or self.path


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("[^/]+".join(re.escape(p) for p in parts))


def body_rules(*, max_upload_bytes: int, max_archive_bytes: int) -> tuple[BodyRule, ...]:
    """The table, for the server's `max_upload_bytes` and the console's `max_archive_bytes`."""
    return (
        BodyRule("POST", HEARTBEAT_PATH, 16 * KIB, "kiosk", "json", f"= {HEARTBEAT_PATH}"),
        BodyRule(
            "PUT",
            "/api/v1/stats/{batch_id}",
            STATS_MAX_BODY_BYTES,
            "kiosk",
            "json",
            "/api/v1/stats/",
            sample_path="/api/v1/stats/9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4",
        ),
        BodyRule(
            "POST",
            ADMIN_PUBLISH_PATH,
            max_upload_bytes,
            "editor",
            "archive",
            f"= {ADMIN_PUBLISH_PATH}",
        ),
        BodyRule("POST", ADMIN_ROLLBACK_PATH, 4 * KIB, "editor", "json", "/api/v1/admin/"),
        # staged rollout: promote names at most a few hundred kiosk ids
        BodyRule("POST", ADMIN_PROMOTE_PATH, 4 * KIB, "editor", "json", "/api/v1/admin/"),
        BodyRule("POST", ADMIN_HALT_PATH, 4 * KIB, "editor", "json", "/api/v1/admin/"),
        BodyRule(
            "PUT",
            COMMAND_SCREENSHOT_PATH,
            MAX_SCREENSHOT_BYTES,
            "kiosk",
            "image",
            "/api/v1/commands/",
            sample_path=COMMAND_SCREENSHOT_PATH.replace("{command_id}", "7"),
        ),
        BodyRule("POST", "/console/sign-in", 8 * KIB, "anyone", "form", "= /console/sign-in"),
        BodyRule(
            "POST",
            "/console/releases/publish",
            max_archive_bytes + MULTIPART_OVERHEAD_BYTES,
            "console_editor",
            "form",
            "= /console/releases/publish",
        ),
        *(
            BodyRule(
                "POST",
                path,
                CONSOLE_FORM_MAX_BYTES,
                auth,
                "form",
                "/console/",
                sample_path=path.replace("{action}", "add")
                .replace("{slug}", "contacts")
                .replace("{kiosk_id}", "tas-0123abcd"),
            )
            for path, auth in _CONSOLE_FORMS
        ),
    )


def find_rule(rules: tuple[BodyRule, ...], method: str, path: str) -> BodyRule | None:
    for rule in rules:
        if rule.matches(method, path):
            return rule
    return None
