"""Four eyes before production: who may approve a version of the content, and whether it is.

The draft is the newest version of the content history (`main`): every save lands there. A
production release of version C needs an approval of exactly C by an editor who is not the last
author of any item changed since the last production release; the setting `four_eyes`
(ConsoleSettings, environment `SAFE_AIRPORTS_CONSOLE_FOUR_EYES`) turns the rule off for a
one-person team. The rule holds for every way of publishing: the console, `admin publish
--production` on the server and over HTTP (`publish_source` asks `production_refusal`).

An item is one entry (by id) of a list file (contacts, airports, countries, languages, topics):
two editors who each changed another contact in contacts.yaml are both authors of the changes,
so neither may approve alone. Any other file (an article, a language's screen texts) is one
item. Approvals are rows of the audit log (`approve`, item `version <commit>`), so they are kept
with everything else that was done, and an approval of C says nothing about a later version.

Plan, then apply: `review_plan` computes the changed items and their last authors as data;
`refusal` and `valid_approvers` are pure functions of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from admin_sync.audit_log import AuditFilter, AuditLog
from admin_sync.content_edit import item_blocks
from admin_sync.content_history import ContentHistory, Revision
from admin_sync.server.db import Database, release_history

ITEM_FILES = (
    "contacts.yaml",
    "airports.yaml",
    "destinations.yaml",
    "languages.yaml",
    "topics.yaml",
)
MAX_WALK = 300  # commits of one file looked at to find who last changed an item


@dataclass(frozen=True)
class ChangedItem:
    path: str
    last_author: str
    last_message: str
    item: str = ""  # the entry's id inside a list file; "" for the whole file (or its comments)

    @property
    def label(self) -> str:
        return f"{self.path}: {self.item}" if self.item else self.path


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


def last_production_commit(db: Database) -> str | None:
    """The commit of the last production release (sample releases are not reviewed)."""
    for release in release_history(db):
        if release.source_commit and release.production:
            return release.source_commit
    return None


def item_texts(text: bytes | None, path: str) -> dict[str, str] | None:
    """Each entry's lines by id, and under "" every line outside the entries (comments,
    blank lines); None when the file is not a readable list."""
    if text is None:
        return {}
    try:
        decoded = text.decode("utf-8")
        lines = decoded.splitlines(keepends=True)
        blocks = item_blocks(decoded, path)
    except (UnicodeDecodeError, ValueError):
        return None
    inside = {n for a, b in blocks.values() for n in range(a, b)}
    texts = {k: "".join(lines[a:b]) for k, (a, b) in blocks.items()}
    texts[""] = "".join(line for n, line in enumerate(lines) if n not in inside)
    return texts


class _Texts:
    """A file's items at commits, read once each."""

    def __init__(self, history: ContentHistory, path: str) -> None:
        self.history, self.path = history, path
        self._seen: dict[str | None, dict[str, str] | None] = {}

    def at(self, commit: str | None) -> dict[str, str] | None:
        if commit not in self._seen:
            raw = self.history.read(self.path, commit) if commit else None
            self._seen[commit] = item_texts(raw, self.path)
        return self._seen[commit]


def _file_change(history: ContentHistory, head: str, path: str) -> ChangedItem:
    last = history.log_at(head, path, limit=1)
    if last:
        return ChangedItem(path, last[0].author, last[0].message)
    gone = history.log_at(head, path, limit=1, include_deleted=True)  # deleted: who deleted it
    author = gone[0].author if gone else "unknown"
    return ChangedItem(path, author, gone[0].message if gone else "")


def _item_changes(
    history: ContentHistory, base: str | None, head: str, path: str
) -> list[ChangedItem] | None:
    """The entries of a list file that differ between base and head, each with the author of
    the last commit that changed it; None when the file cannot be read as a list."""
    texts = _Texts(history, path)
    old, new = texts.at(base), texts.at(head)
    if old is None or new is None:
        return None
    ids = [k for k in new if old.get(k) != new[k]] + [k for k in old if k not in new]
    if not ids:
        return None  # only the order changed: the file as a whole
    revisions: list[Revision] = history.log_at(head, path, limit=MAX_WALK, include_deleted=True)
    found: dict[str, Revision] = {}
    for revision in revisions:
        if len(found) == len(ids):
            break
        now, before = texts.at(revision.commit), texts.at(history.parent(revision.commit))
        for item in ids:
            if item not in found and (now or {}).get(item) != (before or {}).get(item):
                found[item] = revision
    fallback = _file_change(history, head, path)
    return [
        ChangedItem(path, found[i].author, found[i].message, i)
        if i in found
        else ChangedItem(path, fallback.last_author, fallback.last_message, i)
        for i in ids
    ]


def review_plan(history: ContentHistory, base: str | None, head: str) -> ReviewPlan:
    changed: list[ChangedItem] = []
    for path in history.changed_paths(base, head):
        items = _item_changes(history, base, head, path) if path in ITEM_FILES else None
        changed += items if items is not None else [_file_change(history, head, path)]
    return ReviewPlan(base, head, tuple(changed))


def refusal(plan: ReviewPlan, approver: str) -> str:
    """Why `approver` may not approve this version ("" when they may)."""
    if not plan.changed:
        return "nothing changed since the last release: there is nothing to approve"
    if approver in plan.authors:
        own = [item.label for item in plan.changed if item.last_author == approver]
        return (
            f"you are the last author of {len(own)} changed item(s) ({', '.join(own[:3])}"
            f"{', ...' if len(own) > 3 else ''}): another editor must approve"
        )
    return ""


def approvers(audit: AuditLog, commit: str) -> list[str]:
    """Everyone who approved exactly this version (oldest first)."""
    rows = audit.entries(AuditFilter(action="approve", item=approval_item(commit)))
    return [row.who for row in reversed(rows) if row.item == approval_item(commit)]


def valid_approvers(plan: ReviewPlan, audit: AuditLog) -> list[str]:
    return [who for who in approvers(audit, plan.head) if not refusal(plan, who)]


def production_refusal(history: ContentHistory, audit: AuditLog, db: Database, commit: str) -> str:
    """Why `commit` may not be published for production under four eyes ("" when it may)."""
    plan = review_plan(history, last_production_commit(db), commit)
    if not plan.changed or valid_approvers(plan, audit):
        return ""
    authors = ", ".join(sorted(plan.authors))
    return (
        f"version {commit[:10]} needs the approval of an editor who did not make these changes "
        f"(four eyes; changed by {authors}) before it can be published for production: "
        "ask a colleague to approve it on the console's review page, then publish again"
    )
