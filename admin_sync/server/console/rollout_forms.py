"""The staged-rollout fields of the releases page: "who gets it first", and what is staged now.

`rollout_from_form` reads the fields that `_rollout_fields.html` draws (one radio `first_to`:
all, kiosks, airport or ring; a checkbox `kiosk:<id>` per registered kiosk, so each is its own
field; an `airport` and a `ring` select). A bad choice raises `RolloutError` with a sentence for
the page. `rollout_values` is what the releases page shows about the staged release.
"""

from __future__ import annotations

import logging
from typing import Any

from admin_sync.audit_log import AuditFilter
from admin_sync.datadir import DataDir
from admin_sync.rollout import Rollout, RolloutError
from admin_sync.rollout_publish import RolloutActionError, rollout_status
from admin_sync.server import registry
from admin_sync.server.console.forms import PostedForm
from admin_sync.server.console.providers import console_services
from admin_sync.server.db import Database
from admin_sync.server.rollout_audience import (
    RINGS,
    airport_audience,
    kiosks_audience,
    ring_audience,
)

log = logging.getLogger("safe_airports.server.console")

KIOSK_FIELD = "kiosk:"


def rollout_from_form(form: PostedForm, db: Database, *, allow_all: bool = True) -> Rollout:
    """The audience chosen in the form (`Rollout.to_all()` for "all kiosks at once"); the
    checks are rollout_audience's, the same as the administrator API's."""
    choice = form.text("first_to", 20) or ("all" if allow_all else "")
    if choice == "all" and allow_all:
        return Rollout.to_all()
    if choice == "kiosks":
        return kiosks_audience(
            db,
            (
                name[len(KIOSK_FIELD) :]
                for name, value in form.fields.items()
                if name.startswith(KIOSK_FIELD) and value == "on"
            ),
        )
    if choice == "airport":
        return airport_audience(form.text("airport", 3))
    if choice == "ring":
        return ring_audience(form.text("ring", 2))
    raise RolloutError("Choose who gets the release first: kiosks, an airport or a ring.")


def rollout_values(request_holder: Any, db: Database) -> dict[str, Any]:
    """Template values: the staged release (if any), the kiosks to tick, the rings."""
    data = console_services(request_holder.request).data
    try:
        status = rollout_status(data)
        problem = ""
    except RolloutActionError as exc:  # a damaged staged file: shown, never a 500
        log.error("cannot read the staged release: %s", exc)
        status, problem = None, str(exc)
    return {
        "rollout": status,
        "rollout_problem": problem,
        "rollout_kiosks": [k for k in registry.list_kiosks(db) if not k.revoked],
        "rollout_rings": RINGS,
        "halted": halted_versions(data),
    }


def halted_versions(data: DataDir) -> set[int]:
    """Content versions an administrator halted (from the audit log's halt rows)."""
    entries = data.audit_log().entries(AuditFilter(action="halt"), limit=1000)
    return {
        int(e.item.rsplit(" ", 1)[-1])
        for e in entries
        if e.item.startswith("content version ") and e.item.rsplit(" ", 1)[-1].isdigit()
    }
