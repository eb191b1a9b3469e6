"""Editing contacts, airports and countries in the browser (forms built from `content.fields`).

Everyone signed in sees the list and each item's form; only editors can save. A save:
1. reads the form into values (phone numbers checked with `phonenumbers`, kept in E.164);
2. refuses to overwrite silently: the form carries the content version it was opened at
   (`base`); if this item changed on the content's newest version since then, the editor sees
   the other change (who, when, their text) and decides: keep theirs, or save theirs over with
   the form again (now based on the newest version);
3. writes only this item's lines in the file and runs the project's checker on the whole
   content; its messages for this item are shown beside their fields, and nothing is saved
   while there is an error (the form keeps what the editor typed);
4. commits the file with the editor as author, and adds an "edit" row to the audit log.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.content_edit import (
    CHOICES,
    LIST_FILES,
    MAX_PHONES,
    ItemEdit,
    PhoneCheck,
    check_file,
    check_phone,
    check_phone_details,
    form_values,
    grouped,
    item_text,
    parse_list,
    read_item,
    render_item,
    replace_item,
    specs,
    values_from_form,
)
from admin_sync.content_history import ContentHistory, EditConflict, HistoryError
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import AuditDep, ClockDep, HistoryDep
from content.yaml_lines import LineDict

router = APIRouter(prefix="/console", include_in_schema=False)

TITLES = {"contact": "Contacts", "airport": "Airports", "destination": "Countries"}
ITEM_WORDS = {"contact": "contact", "airport": "airport", "destination": "country"}
KINDS = {"contacts": "contact", "airports": "airport", "countries": "destination"}
SLUGS = {kind: slug for slug, kind in KINDS.items()}
MAX_FIELD_CHARS = 8000  # longer is refused with a reason, never cut


def _list(history: ContentHistory, file: str, rev: str | None = None) -> list[LineDict]:
    text = history.read(file, rev)
    if text is None:
        return []
    return [e for e in parse_list(text.decode("utf-8"), file) if isinstance(e, LineDict)]


def _ids(history: ContentHistory, file: str) -> list[str]:
    return [str(e.get("id")) for e in _list(history, file) if e.get("id")]


def _kind(slug: str, you: SignedIn) -> str:
    kind = KINDS.get(slug)
    if kind is None:
        raise you.refuse(404, "There is no such list of content items.")
    return kind


@router.get("/items/{slug}")
def item_list(slug: str, you: SignedInDep, history: HistoryDep) -> Response:
    kind = _kind(slug, you)
    if history.head() is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    rows = []
    for entry in _list(history, LIST_FILES[kind]):
        name = entry.get("name")
        rows.append(
            {
                "id": entry.get("id"),
                "name": name.get("en", "") if isinstance(name, dict) else "",
                "kind": entry.get("kind", ""),
                "country": entry.get("country", ""),
                "status": entry.get("status", ""),
                "verified_on": entry.get("verified_on", ""),
                "phones": [grouped(str(p)) for p in entry.get("phones") or []],
                "short": entry.get("short", ""),
            }
        )
    return you.render(
        "items.html",
        title=TITLES[kind],
        kind=kind,
        slug=slug,
        word=ITEM_WORDS[kind],
        rows=rows,
    )


def _form_page(
    you: SignedIn,
    history: HistoryDep,
    kind: str,
    edit: ItemEdit,
    *,
    base: str,
    new: bool,
    status: int = 200,
    ok: str = "",
    conflict: EditConflict | None = None,
    theirs: str = "",
    phone_checks: list[PhoneCheck] | None = None,
) -> Response:
    word = ITEM_WORDS[kind]
    languages = _ids(history, "languages.yaml")
    countries = _ids(history, "destinations.yaml")
    fields: list[dict[str, Any]] = []
    for spec in specs(kind):
        value = edit.values.get(spec.name)
        if spec.type in ("texts",) and isinstance(value, list):
            value = ", ".join(value)
        if spec.type == "map" and isinstance(value, dict):
            value = "\n".join(f"{k}: {v}" for k, v in value.items())
        choices = CHOICES.get((kind, spec.name))
        if spec.name == "country" and kind == "contact":
            choices = tuple(countries)
        phones: list[tuple[str, str]] = []
        if spec.type == "phones":
            typed = list(value or [])[:MAX_PHONES]
            typed += [""] * (MAX_PHONES - len(typed))
            phones = [(t, grouped(t) if check_phone(t)[0] else "") for t in typed]
        fields.append(
            {
                "spec": spec,
                "value": value,
                "choices": choices,
                "phones": phones,
                "problems": edit.problems.get(spec.name, []),
                "warnings": edit.warnings.get(spec.name, []),
            }
        )
    return you.render(
        "item_form.html",
        status=status,
        title=f"New {word}" if new else f"{word.capitalize()} {edit.item_id}",
        kind=kind,
        slug=SLUGS[kind],
        edit=edit,
        fields=fields,
        languages=languages,
        base=base,
        new=new,
        ok=ok,
        other=edit.problems.get("", []) + edit.problems.get("id", []),
        conflict=conflict,
        theirs=theirs,
        file=LIST_FILES[kind],
        phone_checks=phone_checks,
    )


@router.get("/items/{slug}/edit")
def item_form(slug: str, you: SignedInDep, history: HistoryDep, id: str = "") -> Response:  # noqa: A002
    kind = _kind(slug, you)
    head = history.head()
    if head is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    text = history.read(LIST_FILES[kind])
    entry = read_item(text.decode("utf-8"), LIST_FILES[kind], id) if (text and id) else None
    if id and entry is None:
        return you.error(404, f"There is no {ITEM_WORDS[kind]} {id!r}.")
    edit = ItemEdit(kind, id, form_values(kind, entry))
    return _form_page(you, history, kind, edit, base=head, new=not id)


@router.post("/items/{slug}/check")
def item_check(
    slug: str,
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "change content"))],
    history: HistoryDep,
) -> Response:
    """The form's phone numbers checked (no JavaScript: the form is posted and shown again
    with each number's verdict, E.164, grouped form, country, kind and tel: link); nothing is
    saved and the rest of the form stays as typed."""
    kind = _kind(slug, you)
    if history.head() is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    item_id, base, new = form.text("id", 64), form.text("base", 64), form.raw("new") == "1"
    fields = {name: form.raw(name).strip() for name in form.fields}
    edit = values_from_form(kind, item_id, fields, _ids(history, "languages.yaml"))
    edit.problems = {k: v for k, v in edit.problems.items() if k == "phones"}
    typed = [fields.get(f"phones.{i}", "").strip() for i in range(MAX_PHONES)]
    checks = [check_phone_details(t) for t in typed if t]
    return _form_page(you, history, kind, edit, base=base, new=new, phone_checks=checks)


@router.post("/items/{slug}/save")
def item_save(
    slug: str,
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "change content"))],
    history: HistoryDep,
    audit: AuditDep,
    clock: ClockDep,
) -> Response:
    kind = _kind(slug, you)
    file = LIST_FILES[kind]
    item_id, base, new = form.text("id", 64), form.text("base", 64), form.raw("new") == "1"
    head = history.head()
    if head is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    fields = {name: form.raw(name).strip() for name in form.fields}
    edit = values_from_form(kind, item_id, fields, _ids(history, "languages.yaml"))
    for name, value in fields.items():
        if len(value) > MAX_FIELD_CHARS:
            edit.add(
                name.split(".")[0],
                f"{len(value)} characters: at most {MAX_FIELD_CHARS} fit in one field",
            )
    try:
        base_text = (history.read(file, base) or b"").decode("utf-8")
        head_text = (history.read(file, head) or b"").decode("utf-8")
    except HistoryError as exc:
        return you.error(400, str(exc))
    # 1. someone else changed this item since the form was opened: show it, save nothing
    theirs = item_text(head_text, file, item_id)
    if base != head and item_text(base_text, file, item_id) != theirs:
        revision = history.log(file, limit=1)[0]
        conflict = EditConflict(file, base, revision, (theirs or "").encode())
        return _form_page(
            you,
            history,
            kind,
            edit,
            base=head,
            new=new,
            status=409,
            conflict=conflict,
            theirs=theirs or "(deleted)",
        )
    if new and theirs is not None:
        edit.add("id", f"there is already a {ITEM_WORDS[kind]} {item_id!r}: choose another id")
    if not edit.ok:
        return _form_page(you, history, kind, edit, base=base, new=new, status=422)
    # 2. the project's checker on the whole content with this item changed
    block = render_item(kind, item_id, edit.values, theirs)
    new_text = replace_item(head_text, file, item_id, block)
    with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
        source = history.export(Path(tmp) / "content", head)
        check_file(source, file, new_text, item_id, edit, today=clock().date())
    if not edit.ok:
        return _form_page(you, history, kind, edit, base=base, new=new, status=422)
    # 3. commit (refused if the file moved meanwhile: the form is shown again, nothing lost)
    try:
        commit = history.commit_files(
            {file: new_text.encode("utf-8")},
            author=you.user.name,
            message=f"{'Add' if new else 'Edit'} {ITEM_WORDS[kind]} {item_id}",
            base=head,
        )
    except EditConflict:
        edit.add("", "Someone saved this file at the same moment; save again.")
        return _form_page(you, history, kind, edit, base=base, new=new, status=409)
    audit.record(you.user.name, "edit", f"{ITEM_WORDS[kind]} {item_id}", commit[:10], via="console")
    return _form_page(
        you,
        history,
        kind,
        edit,
        base=commit,
        new=False,
        ok=f"Saved as version {commit[:10]}. It reaches kiosks with the next published release.",
    )
