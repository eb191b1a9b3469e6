"""Verification: what is due for checking, one action to mark an item checked, and what blocks
a production release.

Due: articles past their `review_by` or within `DUE_WITHIN_DAYS` of it, and every contact still
`sample` (contacts have no review date). "Checked today" sets `verified_on` to today and
`source` to the source used (an article also gets its next `review_by`; a contact becomes
`verified`), commits it with the checker as author and adds a "verify" row to the audit log.
The production rule (`content check --production`) runs on the newest version; each problem is
listed with a link to the form where it is fixed.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.content_edit import (
    LIST_FILES,
    form_values,
    item_blocks,
    item_text,
    parse_list,
    render_front_matter,
    render_item,
    replace_item,
    split_article,
)
from admin_sync.content_history import ContentHistory, EditConflict, HistoryError
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import AuditDep, ClockDep, HistoryDep
from content.validate import validate_source
from content.yaml_lines import LineDict

router = APIRouter(prefix="/console", include_in_schema=False)

DUE_WITHIN_DAYS = 30
_ARTICLE = re.compile(r"^articles/([^/]+)/([^/]+)/([^/]+)\.md$")


def due_items(history: ContentHistory, today: date) -> list[dict[str, str]]:
    due: list[dict[str, str]] = []
    raw = history.read(LIST_FILES["contact"])
    for entry in parse_list(raw.decode("utf-8"), "contacts.yaml") if raw else []:
        if isinstance(entry, LineDict) and entry.get("status") == "sample":
            due.append(
                {
                    "kind": "contact",
                    "id": str(entry.get("id")),
                    "why": "still sample",
                    "date": str(entry.get("verified_on", "")),
                    "href": f"/console/items/contacts/edit?id={entry.get('id')}",
                }
            )
    soon = today + timedelta(days=DUE_WITHIN_DAYS)
    for path in history.files():
        match = _ARTICLE.match(path)
        if not match:
            continue
        values, _ = split_article((history.read(path) or b"").decode("utf-8"))
        try:
            review_by = date.fromisoformat(values.get("review_by", ""))
        except ValueError:
            review_by = today
        if review_by <= soon:
            scope, topic, lang = match.groups()
            due.append(
                {
                    "kind": "article",
                    "id": f"{scope}/{topic}/{lang}",
                    "why": "past its review date" if review_by < today else "review date soon",
                    "date": review_by.isoformat(),
                    "href": f"/console/articles/edit?scope={scope}&topic={topic}&lang={lang}",
                }
            )
    return sorted(due, key=lambda d: (d["kind"] != "contact", d["date"], d["id"]))


def production_blockers(history: ContentHistory, today: date) -> list[dict[str, str]]:
    head = history.head()
    if head is None:
        return []
    with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
        folder = history.export(Path(tmp) / "content", head)
        report = validate_source(folder, production=True, today=today)
    contacts = (history.read("contacts.yaml") or b"").decode("utf-8")
    blocks = item_blocks(contacts, "contacts.yaml") if contacts else {}
    out = []
    for problem in report.sorted():
        if problem.severity != "error":
            continue
        href = f"/console/content/file?path={problem.file}"
        if problem.file == "contacts.yaml":
            for item_id, (start, end) in blocks.items():
                if start < problem.line <= end:
                    href = f"/console/items/contacts/edit?id={item_id}"
        elif match := _ARTICLE.match(problem.file):
            scope, topic, lang = match.groups()
            href = f"/console/articles/edit?scope={scope}&topic={topic}&lang={lang}"
        elif problem.file.startswith("ui/"):
            href = f"/console/ui?lang={Path(problem.file).stem}"
        out.append(
            {"where": f"{problem.file}:{problem.line}", "message": problem.message, "href": href}
        )
    return out


@router.get("/verification")
def verification(you: SignedInDep, history: HistoryDep, clock: ClockDep) -> Response:
    return _page(you, history, clock().date())


def _page(
    you: SignedIn,
    history: ContentHistory,
    today: date,
    *,
    status: int = 200,
    ok: str = "",
    message: str = "",
) -> Response:
    if history.head() is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    return you.render(
        "verification.html",
        status=status,
        title="Verification",
        due=due_items(history, today),
        blockers=production_blockers(history, today),
        today=today.isoformat(),
        next_review=(today + timedelta(days=182)).isoformat(),
        within=DUE_WITHIN_DAYS,
        ok=ok,
        message=message,
    )


@router.post("/verification/checked")
def mark_checked(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "mark content checked"))],
    history: HistoryDep,
    audit: AuditDep,
    clock: ClockDep,
) -> Response:
    today = clock().date()
    kind, item_id, source = form.text("kind", 16), form.text("id", 200), form.text("source", 1000)
    if not source:
        return _page(
            you, history, today, status=400, message="Say which source you checked it against."
        )
    head = history.head()
    if head is None:
        return you.error(404, "No content yet.")
    try:
        if kind == "contact":
            path = LIST_FILES["contact"]
            text = (history.read(path) or b"").decode("utf-8")
            original = item_text(text, path, item_id)
            if original is None:
                raise HistoryError(f"there is no contact {item_id!r}")
            values = form_values("contact", parse_list(original, path)[0])
            # the source used is an editorial note (what was checked, by whom); the public
            # source label per language (`source`) stays as the editors wrote it
            checked = f"Checked {today.isoformat()} by {you.user.name} against: {source}"
            earlier = str(values.get("notes") or "").strip()
            values.update(
                verified_on=today.isoformat(),
                status="verified",
                notes=f"{earlier} | {checked}" if earlier else checked,
            )
            new_text = replace_item(
                text, path, item_id, render_item("contact", item_id, values, original)
            )
        elif kind == "article" and (match := re.fullmatch(r"([^/]+)/([^/]+)/([^/]+)", item_id)):
            path = "articles/{}/{}/{}.md".format(*match.groups())
            raw = history.read(path)
            if raw is None:
                raise HistoryError(f"there is no article {item_id}")
            values, body = split_article(raw.decode("utf-8"))
            next_review = form.text("review_by", 10)
            try:
                if date.fromisoformat(next_review) <= today:
                    raise ValueError
            except ValueError:
                return _page(
                    you,
                    history,
                    today,
                    status=400,
                    message="Give the next review date, after today.",
                )
            checked = f"Checked {today.isoformat()} by {you.user.name} against: {source}"
            earlier = str(values.get("notes") or "").strip()
            values.update(
                verified_on=today.isoformat(),
                review_by=next_review,
                notes=f"{earlier} | {checked}" if earlier else checked,  # editorial, not shown
            )
            original = raw.decode("utf-8")
            new_text = render_front_matter(values, original) + body.strip("\n") + "\n"
        else:
            return you.error(404, "Nothing to mark checked.")
        with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
            folder = history.export(Path(tmp) / "content", head)
            (folder / path).write_text(new_text, encoding="utf-8")
            report = validate_source(folder, today=today)
        lines = item_blocks(new_text, path).get(item_id) if kind == "contact" else None
        mine = [
            p.format()
            for p in report.errors
            if p.file == path and (lines is None or lines[0] < p.line <= lines[1])
        ]
        if mine:
            return _page(
                you, history, today, status=422, message="Not marked: " + "; ".join(mine[:5])
            )
        commit = history.commit_files(
            {path: new_text.encode("utf-8")},
            author=you.user.name,
            message=f"Checked {kind} {item_id} against: {source[:150]}",
            base=head,
        )
    except EditConflict:
        return _page(
            you,
            history,
            today,
            status=409,
            message="Someone saved it at the same moment; try again.",
        )
    except HistoryError as exc:
        return you.error(400, str(exc))
    audit.record(you.user.name, "verify", f"{kind} {item_id}", source[:300], via="console")
    return _page(
        you,
        history,
        today,
        ok=f"{kind.capitalize()} {item_id} marked checked today ({commit[:10]}).",
    )
