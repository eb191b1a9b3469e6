"""The console's navigation on the real app: groups, the current group's pages, roles."""

from __future__ import annotations

import re

from admin_sync.server.console.navigation import GROUPS, navigation, visible_groups
from tests.admin_sync.console_env import EDITOR, VIEWER, ConsoleEnv

CURRENT_GROUP = re.compile(r'<a href="([^"]+)" aria-current="true">([^<]+)</a>')
CURRENT_PAGE = re.compile(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>')
NAV_LINK = re.compile(r'<li><a href="(/console/[^"]*)"')
GROUP_HREFS = {
    "Content": "/console/articles",
    "Publishing": "/console/review",
    "Kiosks": "/console/fleet",
    "Reports": "/console/stats",
    "Administration": "/console/users",
}


def header_of(text: str) -> str:
    return text.split("</header>")[0]


def test_each_page_marks_itself_and_its_group() -> None:
    assert visible_groups("editor") == GROUPS  # an editor sees every page
    for group in GROUPS:
        for page in group.pages:
            nav = navigation(page.href, "editor")
            assert [g.label for g in nav.groups if g.current] == [group.label]
            assert nav.group == group.label
            assert [(p.label, p.href) for p in nav.pages] == [
                (p.label, p.href) for p in group.pages
            ]
            assert [p.label for p in nav.pages if p.current] == [page.label]


def test_the_header_as_an_editor_sees_it(tmp_path) -> None:
    """Every group, the current group's pages, each marked; the pages open (all: e2e)."""
    env = ConsoleEnv(tmp_path)
    assert env.sign_in(EDITOR).status_code == 303
    for href, group, label in [
        ("/console/fleet", "Kiosks", "Fleet"),
        ("/console/users", "Administration", "Users"),
    ]:
        answer = env.client.get(href)
        assert answer.status_code == 200
        header = header_of(answer.text)
        assert CURRENT_GROUP.findall(header) == [(GROUP_HREFS[group], group)]
        assert CURRENT_PAGE.findall(header) == [(href, label)]
        assert f'<nav class="pages" aria-label="{group} pages">' in header
        # the header links to every group and to the current group's pages, nothing else
        pages = next(g.pages for g in GROUPS if g.label == group)
        assert NAV_LINK.findall(header) == list(GROUP_HREFS.values()) + [p.href for p in pages]


def test_a_viewer_is_not_shown_the_page_they_cannot_open(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    assert env.sign_in(VIEWER).status_code == 303
    hidden = [p for g in GROUPS for p in g.pages if p.roles and "viewer" not in p.roles]
    assert [p.href for p in hidden] == ["/console/users"]
    assert env.client.get("/console/users").status_code == 403
    header = header_of(env.client.get("/console/audit").text)
    assert "/console/users" not in header
    assert NAV_LINK.findall(header) == [
        "/console/articles",
        "/console/review",
        "/console/fleet",
        "/console/stats",
        "/console/audit",  # Administration opens on the audit log
        "/console/audit",  # the group's one page
    ]
    assert CURRENT_PAGE.findall(header) == [("/console/audit", "Audit log")]


def test_sub_pages_mark_the_page_they_belong_to() -> None:
    def here(path: str) -> tuple[str, list[str]]:
        nav = navigation(path, "editor")
        return nav.group, [link.label for link in nav.pages if link.current]

    assert here("/console/kiosks") == ("Kiosks", ["Registered kiosks"])
    assert here("/console/kiosks/add") == ("Kiosks", ["Registered kiosks"])
    assert here("/console/kiosks/k-123") == ("Kiosks", ["Fleet"])
    assert here("/console/kiosks/k-123/command") == ("Kiosks", ["Fleet"])
    assert here("/console/preview/article") == ("Content", ["Articles"])
    assert here("/console/articles/edit") == ("Content", ["Articles"])
    assert here("/console/items/airports/edit") == ("Content", ["Airports"])
    assert here("/console/content/history") == ("Content", ["Files and history"])
    assert here("/console/releases/publish") == ("Publishing", ["Releases"])
    assert here("/console/statsx") == ("", [])  # a prefix of a word is not a sub-page
    assert here("/console/sign-in") == ("", [])
