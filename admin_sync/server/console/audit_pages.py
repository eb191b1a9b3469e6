"""The audit log page: who edited, approved, published, rolled back, verified or uploaded what.

Anyone signed in can read it; filters (who, action, item, from, to) are query parameters, so a
filtered view can be bookmarked, and `/console/audit.csv` downloads the same rows as CSV.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.audit_log import ACTIONS, AuditFilter, to_csv
from admin_sync.server.console.access import SignedInDep
from admin_sync.server.console.pages import secure
from admin_sync.server.console.providers import AuditDep

router = APIRouter(prefix="/console", include_in_schema=False)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ROWS = 2000


def _filters(
    who: str = "", action: str = "", item: str = "", since: str = "", until: str = ""
) -> AuditFilter:
    """The page's and the CSV's query parameters, cleaned (one declaration for both routes)."""
    return AuditFilter(
        who=who.strip()[:64],
        action=action if action in ACTIONS else "",
        item=item.strip()[:200],
        since=since if _DATE.match(since) else "",
        until=until if _DATE.match(until) else "",
    )


FiltersDep = Annotated[AuditFilter, Depends(_filters)]


@router.get("/audit")
def audit_page(you: SignedInDep, audit: AuditDep, filters: FiltersDep) -> Response:
    entries = audit.entries(filters, limit=MAX_ROWS)
    query = "&".join(f"{name}={value}" for name, value in vars(filters).items() if value)
    return you.render(
        "audit.html",
        title="Audit log",
        entries=entries,
        filters=filters,
        actions=ACTIONS,
        people=audit.people(),
        csv_href="/console/audit.csv" + (f"?{query}" if query else ""),
        cut=len(entries) >= MAX_ROWS,
    )


@router.get("/audit.csv")
def audit_csv(you: SignedInDep, audit: AuditDep, filters: FiltersDep) -> Response:
    body = to_csv(audit.entries(filters, limit=1_000_000))
    return secure(
        Response(
            body.encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
        )
    )
