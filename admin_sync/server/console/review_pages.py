"""Review: the draft (the newest version of the content) against the last production release,
with who last changed each file, the diff, and the approvals (four eyes, `admin_sync.review`).

Anyone signed in sees it; an editor who is not the last author of a changed file approves the
version shown (exactly that version: a later save needs a new approval). Publishing it as a
production release (releases page) then goes through; with `four_eyes` off it needs none.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.content_history import ContentHistory, HistoryError
from admin_sync.review import (
    ReviewPlan,
    approval_item,
    approvers,
    last_production_commit,
    refusal,
    review_plan,
)
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.content_pages import diff_lines
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import AuditDep, HistoryDep, ServerDbDep, SettingsDep
from admin_sync.server.db import Database

router = APIRouter(prefix="/console", include_in_schema=False)


def current_plan(history: ContentHistory, db: Database) -> ReviewPlan | None:
    head = history.head()
    return review_plan(history, last_production_commit(db), head) if head else None


def _page(
    you: SignedIn,
    history: ContentHistory,
    db: Database,
    audit: AuditDep,
    four_eyes: bool,
    *,
    status: int = 200,
    ok: str = "",
    message: str = "",
) -> Response:
    plan = current_plan(history, db)
    if plan is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    lines = diff_lines(history.diff(plan.base, plan.head)) if plan.changed else []
    who = approvers(audit, plan.head)
    return you.render(
        "review.html",
        status=status,
        title="Review",
        plan=plan,
        head=history.revision(plan.head),
        approvals=[(name, not refusal(plan, name)) for name in who],
        why_not=refusal(plan, you.user.name)
        or ("you approved this version already" if you.user.name in who else ""),
        lines=lines[:4000],
        cut=len(lines) > 4000,
        four_eyes=four_eyes,
        ok=ok,
        message=message,
    )


@router.get("/review")
def review(
    you: SignedInDep, history: HistoryDep, db: ServerDbDep, audit: AuditDep, settings: SettingsDep
) -> Response:
    return _page(you, history, db, audit, settings.four_eyes)


@router.post("/review/approve")
def approve(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "approve releases"))],
    history: HistoryDep,
    db: ServerDbDep,
    audit: AuditDep,
    settings: SettingsDep,
) -> Response:
    seen = form.text("commit", 64)
    plan = current_plan(history, db)
    if plan is None or seen != plan.head:
        return _page(
            you,
            history,
            db,
            audit,
            settings.four_eyes,
            status=409,
            message="The content changed since this page was opened: review the newest version.",
        )
    why = refusal(plan, you.user.name)
    if why:
        return _page(
            you, history, db, audit, settings.four_eyes, status=403, message=f"Not approved: {why}."
        )
    if you.user.name not in approvers(audit, plan.head):
        try:
            files = len(plan.changed)
            audit.record(
                you.user.name,
                "approve",
                approval_item(plan.head),
                f"{files} changed file(s) since {plan.base[:10] if plan.base else 'the start'}",
                via="console",
            )
        except HistoryError as exc:  # pragma: no cover - the plan was just computed
            return you.error(400, str(exc))
    return _page(
        you,
        history,
        db,
        audit,
        settings.four_eyes,
        ok=f"You approved version {plan.head[:10]}. It can now be published for production.",
    )
