"""Four eyes before production: who may approve a version of the content, and whether it is.

The draft is the newest version of the content history (`main`): every save lands there. A
production release of version C needs an approval of exactly C by an editor who is not the last
author of any file changed since the last production release (the "changed items"); the
setting `four_eyes` (ConsoleSettings) turns the rule off for a one-person team. Approvals are
rows of the audit log (`approve`, item `version <commit>`), so they are kept with everything
else that was done, and an approval of C says nothing about a later version.

Plan, then apply: `review_plan` computes the changed files and their last authors as data;
`refusal` and `valid_approvers` are pure functions of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from admin_sync.audit_log import AuditFilter, AuditLog
from admin_sync.content_history import ContentHistory


@dataclass(frozen=True)
class ChangedItem:
    path: str
    last_author: str
    last_message: str


@dataclass(frozen=True)
class ReviewPlan:
    base: str | None  # the commit of the last production release (None: nothing published yet)
    head: str
    changed: tuple[ChangedItem, ...]

    @property
    def authors(self) -> frozenset[str]:
        return frozenset(item.last_author for item in self.changed)


def approval_item(commit: str) -> str:
    return f"version {commit}"


def review_plan(history: ContentHistory, base: str | None, head: str) -> ReviewPlan:
    changed = []
    for path in history.changed_paths(base, head):
        last = history.log_at(head, path, limit=1)
        if last:
            changed.append(ChangedItem(path, last[0].author, last[0].message))
        else:  # deleted: the author of the commit that deleted it
            gone = history.log_at(head, path, limit=1, include_deleted=True)
            author = gone[0].author if gone else "unknown"
            changed.append(ChangedItem(path, author, gone[0].message if gone else ""))
    return ReviewPlan(base, head, tuple(changed))


def refusal(plan: ReviewPlan, approver: str) -> str:
    """Why `approver` may not approve this version ("" when they may)."""
    if not plan.changed:
        return "nothing changed since the last release: there is nothing to approve"
    if approver in plan.authors:
        own = [item.path for item in plan.changed if item.last_author == approver]
        return (
            f"you are the last author of {len(own)} changed file(s) ({', '.join(own[:3])}"
            f"{', ...' if len(own) > 3 else ''}): another editor must approve"
        )
    return ""


def approvers(audit: AuditLog, commit: str) -> list[str]:
    """Everyone who approved exactly this version (oldest first)."""
    rows = audit.entries(AuditFilter(action="approve", item=approval_item(commit)))
    return [row.who for row in reversed(rows) if row.item == approval_item(commit)]


def valid_approvers(plan: ReviewPlan, audit: AuditLog) -> list[str]:
    return [who for who in approvers(audit, plan.head) if not refusal(plan, who)]
