"""The console's navigation: a few groups of pages, as data, and what one page shows of it.

The top row names the groups (each a link to its first page); a second row lists the pages of
the current group. Which group and page are current follows from the request path; pages a
role cannot open (`roles`) are left out, and so is a group left with no page.
Plan as data here, `templates/base.html` only lays it out; the console runs no script.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    label: str
    href: str
    # other paths that belong to this page (its forms, previews, sub-pages)
    also: tuple[str, ...] = ()
    # roles that may open it; empty: every signed-in user
    roles: tuple[str, ...] = ()

    def owns(self, path: str) -> int:
        """How long a prefix of `path` this page claims (0: none), so the longest one wins."""
        best = 0
        for prefix in (self.href, *self.also):
            if path == prefix.rstrip("/") and prefix.endswith("/"):
                continue  # "/console/kiosks/" claims what is under it, not the list itself
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                best = max(best, len(prefix))
        return best


@dataclass(frozen=True)
class Group:
    label: str
    pages: tuple[Page, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "Content",
        (
            Page("Articles", "/console/articles", also=("/console/preview",)),
            Page("Contacts", "/console/items/contacts"),
            Page("Countries", "/console/items/countries"),
            Page("Airports", "/console/items/airports"),
            Page("Screen texts", "/console/ui"),
            Page("Translations", "/console/translations"),
            Page("Verification", "/console/verification"),
            Page("Files and history", "/console/content"),
        ),
    ),
    Group(
        "Publishing",
        (
            Page("Review", "/console/review"),
            Page("Releases", "/console/releases"),
        ),
    ),
    Group(
        "Kiosks",
        (
            # a kiosk's own page (/console/kiosks/ID) is opened from the fleet page
            Page("Fleet", "/console/fleet", also=("/console/kiosks/", "/console/commands")),
            Page("Alerts", "/console/alerts"),
            Page("Notices", "/console/notices"),
            Page(
                "Registered kiosks",
                "/console/kiosks",
                also=("/console/kiosks/add", "/console/kiosks/revoke"),
            ),
        ),
    ),
    Group(
        "Reports",
        (
            Page("Statistics", "/console/stats"),
            Page("Programme report", "/console/report"),
        ),
    ),
    Group(
        "Administration",
        (
            Page("Users", "/console/users", roles=("editor",)),
            Page("Audit log", "/console/audit"),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool


@dataclass(frozen=True)
class Navigation:
    """What one page shows: every group, and the current group's pages (empty if none)."""

    groups: tuple[Link, ...]
    group: str  # the current group's label, "" when the page belongs to none
    pages: tuple[Link, ...]


def visible_groups(role: str) -> tuple[Group, ...]:
    """The groups and pages `role` may open, in order; groups with no such page left out."""
    groups = []
    for group in GROUPS:
        pages = tuple(p for p in group.pages if not p.roles or role in p.roles)
        if pages:
            groups.append(Group(group.label, pages))
    return tuple(groups)


def navigation(path: str, role: str) -> Navigation:
    """The navigation as `role` sees it on the page at `path`."""
    groups = visible_groups(role)
    claims = [(page.owns(path), g, page) for g in groups for page in g.pages]
    best = max((claim for claim in claims if claim[0]), default=None, key=lambda c: c[0])
    here_group = best[1] if best else None
    here_page = best[2] if best else None
    return Navigation(
        groups=tuple(Link(g.label, g.pages[0].href, g is here_group) for g in groups),
        group=here_group.label if here_group else "",
        pages=tuple(Link(p.label, p.href, p is here_page) for p in here_group.pages)
        if here_group
        else (),
    )
