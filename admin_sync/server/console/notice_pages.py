"""The urgent notices page: the notices written, and (editors) a form to write one, edit a live
one or withdraw one. Saving checks the form (each error beside its field, the form keeps what
was typed), stores the notice, signs the live notices as the `notices.json` target (no new
release: kiosks fetch it at their next check; an edit replaces the old text under the same
notice id, with a new serial) and writes an audit row ("notice", "edit-notice",
"expire-notice"). The page also says which kiosks show the latest serial (their heartbeats).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends
from fastapi.responses import Response

import content
from admin_sync.content_history import ContentHistory, HistoryError
from admin_sync.datadir import DataDir
from admin_sync.notice_publish import NoticePublishError, publish_notices
from admin_sync.server import registry
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.fleet_page import latest_notices_serial
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.pages import AIRPORTS
from admin_sync.server.console.providers import (
    AuditDep,
    ClockDep,
    DataDep,
    HistoryDep,
    ServerDbDep,
)
from admin_sync.server.db import Database
from admin_sync.server.notices_db import (
    TIME_ZONES,
    NoticeRow,
    add_notice,
    check_notice,
    derive_texts,
    get_notice,
    kiosk_notice_serials,
    list_notices,
    notice_note,
    update_notice,
    withdraw_notice,
)
from admin_sync.tuf_repo import Clock
from content.notices import MAX_HEADING_CHARS, MAX_TEXT_CHARS
from content.translit import cyrillic_to_latin, latin_to_cyrillic

log = logging.getLogger("safe_airports.server.console")
router = APIRouter(prefix="/console", include_in_schema=False)
SAMPLE_DIR = Path(content.__file__).resolve().parent / "sample"
EditorDep = Annotated[SignedIn, Depends(RoleRequired("editor", "write or withdraw notices"))]


def _content_list(history: ContentHistory, name: str) -> list[dict[str, Any]]:
    """A YAML list of the content as the console holds it (the sample before any commit)."""
    try:
        data = history.read(name)
    except HistoryError:
        data = None
    if data is None:
        data = (SAMPLE_DIR / name).read_bytes()
    loaded = yaml.safe_load(data)
    return [x for x in loaded if isinstance(x, dict)] if isinstance(loaded, list) else []


def _generated(history: ContentHistory) -> dict[str, tuple[str, Callable[[str], str]]]:
    """The languages written by transliteration (uz-Cyrl from uz): target -> (source, how)."""
    langs = {str(x["id"]): x for x in _content_list(history, "languages.yaml") if "id" in x}
    out: dict[str, tuple[str, Callable[[str], str]]] = {}
    for lang_id, lang in langs.items():
        source = langs.get(str(lang.get("generated_from", "")))
        if source is None:
            continue
        scripts = (source.get("script"), lang.get("script"))
        if scripts == ("Latn", "Cyrl"):
            out[lang_id] = (str(source["id"]), latin_to_cyrillic)
        elif scripts == ("Cyrl", "Latn"):
            out[lang_id] = (str(source["id"]), cyrillic_to_latin)
    return out


def _choices(history: ContentHistory) -> tuple[dict[str, str], dict[str, str]]:
    """(language id -> name in itself, destination id -> English name)."""
    languages = {
        str(x["id"]): str(x.get("name", x["id"]))
        for x in _content_list(history, "languages.yaml")
        if "id" in x and not x.get("generated_from")
    }
    destinations = {
        str(x["id"]): str((x.get("name") or {}).get("en", x["id"]))
        for x in _content_list(history, "destinations.yaml")
        if "id" in x and x.get("kind", "destination") == "destination"
    }
    return languages, destinations


def kiosks_showing(db: Database, data: DataDir) -> dict[str, Any]:
    """Which active kiosks show the latest signed notices (from their last heartbeats)."""
    latest = latest_notices_serial(data)
    serials = kiosk_notice_serials(db)
    active = [k for k in registry.list_kiosks(db) if not k.revoked]
    notes = [(k, notice_note(serials.get(k.id), latest)) for k in active]
    return {
        "latest": latest,
        "total": len(active),
        "showing": sum(1 for _, note in notes if note == "latest"),
        "behind": [(k, note) for k, note in notes if note != "latest"],
    }


def _typed_from(row: NoticeRow) -> dict[str, str]:
    """The form's fields for editing `row` (times in UTC)."""
    n = row.notice
    typed = {
        "edit": str(n.id),
        "airport": n.airport,
        "destination": n.destination,
        "tz": "+00:00",
        "starts_at": n.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "expires_at": n.expires_at.strftime("%Y-%m-%dT%H:%M"),
    }
    typed.update({f"text_{lang}": text for lang, text in n.texts.items()})
    typed.update({f"heading_{lang}": text for lang, text in n.headings.items()})
    return typed


def notices_page(
    you: SignedIn,
    db: Database,
    history: ContentHistory,
    clock: Clock,
    *,
    data: DataDir | None = None,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    ok: str = "",
    message: str = "",
) -> Response:
    languages, destinations = _choices(history)
    now = clock()
    return you.render(
        "notices.html",
        status=status,
        title="Urgent notices",
        rows=[(row, row.state(now)) for row in list_notices(db)],
        languages=languages,
        destinations=destinations,
        time_zones=TIME_ZONES,
        max_chars=MAX_TEXT_CHARS,
        max_heading=MAX_HEADING_CHARS,
        kiosks=kiosks_showing(db, data) if data is not None else None,
        errors=errors or {},
        typed=typed or {},
        ok=ok,
        message=message,
    )


@router.get("/notices")
def notices(
    you: SignedInDep,
    db: ServerDbDep,
    history: HistoryDep,
    clock: ClockDep,
    data: DataDep,
    edit: int | None = None,
) -> Response:
    if edit is None or you.user.role != "editor":
        return notices_page(you, db, history, clock, data=data)
    row = get_notice(db, edit)
    if row is None or row.state(clock()) not in ("showing", "scheduled"):
        return notices_page(you, db, history, clock, data=data, status=404,
                            message=f"No live notice {edit} to edit.")  # fmt: skip
    return notices_page(you, db, history, clock, data=data, typed=_typed_from(row))


@router.post("/notices/save")
def save_notice(
    form: FormDep,
    you: EditorDep,
    db: ServerDbDep,
    data: DataDep,
    history: HistoryDep,
    audit: AuditDep,
    clock: ClockDep,
) -> Response:
    languages, destinations = _choices(history)
    names = ("airport", "destination", "starts_at", "expires_at", "tz", "edit")
    typed = {name: form.text(name, 40) for name in names}
    for lang in languages:  # kept whole (not cut) so that "too long" is reported, not hidden
        typed[f"text_{lang}"] = form.text(f"text_{lang}", 4 * MAX_TEXT_CHARS)
        typed[f"heading_{lang}"] = form.text(f"heading_{lang}", 4 * MAX_HEADING_CHARS)
    check = check_notice(
        typed,
        languages=languages,
        airports=list(AIRPORTS),
        destinations=list(destinations),
        now=clock(),
    )
    if check.draft is None:
        return notices_page(you, db, history, clock, data=data, status=400,
                            errors=check.errors, typed=typed)  # fmt: skip
    generated = _generated(history)
    draft = replace(
        check.draft,
        texts=derive_texts(check.draft.texts, generated),
        headings=derive_texts(check.draft.headings, generated),
    )
    editing = typed["edit"]
    if editing:
        if not editing.isdigit() or not update_notice(
            db, int(editing), draft, author=you.user.name, now=clock()
        ):
            return notices_page(you, db, history, clock, data=data, status=404,
                                message=f"No live notice {editing!r} to edit: it was withdrawn "
                                "or has expired.", typed=typed)  # fmt: skip
        notice_id = int(editing)
    else:
        notice_id = add_notice(db, draft, author=you.user.name, now=clock())
    where = " ".join(x for x in (draft.airport, draft.destination) if x)
    try:
        signed = publish_notices(data, db=db, clock=clock)
    except NoticePublishError as exc:
        return notices_page(
            you,
            db,
            history,
            clock,
            status=409,
            message=f"Notice {notice_id} saved, not sent: {exc}",
        )
    audit.record(
        you.user.name,
        "edit-notice" if editing else "notice",
        f"notice {notice_id}",
        f"{where}; {', '.join(sorted(draft.texts))}; until {draft.expires_at.isoformat()}"
        + (f"; signed as serial {signed.serial}" if editing else ""),
        via="console",
    )
    log.info("console: %s %s notice %d (%s)", you.user.name,
             "edited" if editing else "wrote", notice_id, where)  # fmt: skip
    if editing:
        ok = (f"Notice {notice_id} edited and signed (notices serial {signed.serial}): kiosks "
              "replace the old text at their next check.")  # fmt: skip
    else:
        ok = (f"Notice {notice_id} saved and signed (notices serial {signed.serial}): kiosks "
              "show it from its start, after their next check.")  # fmt: skip
    return notices_page(you, db, history, clock, data=data, ok=ok)


@router.post("/notices/expire")
def expire_notice(
    form: FormDep,
    you: EditorDep,
    db: ServerDbDep,
    data: DataDep,
    history: HistoryDep,
    audit: AuditDep,
    clock: ClockDep,
) -> Response:
    raw = form.text("notice", 12)
    if not raw.isdigit() or not withdraw_notice(db, int(raw), author=you.user.name, now=clock()):
        return notices_page(
            you, db, history, clock, data=data, status=404,
            message=f"No notice {raw!r} to withdraw.",
        )  # fmt: skip
    try:
        publish_notices(data, db=db, clock=clock)
    except NoticePublishError as exc:
        return notices_page(you, db, history, clock, data=data, status=409, message=str(exc))
    audit.record(you.user.name, "expire-notice", f"notice {raw}", "withdrawn", via="console")
    return notices_page(
        you, db, history, clock, data=data,
        ok=f"Notice {raw} withdrawn: kiosks remove it at their next check.",
    )  # fmt: skip
