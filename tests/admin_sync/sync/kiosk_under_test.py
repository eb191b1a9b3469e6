"""Shared helpers for the sync tests: the sample content, one-article edits, and a kiosk (its
installed-content store and agent state folder) updated through the real agent code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from admin_sync.agent.install import ContentInstaller
from admin_sync.agent.update import UpdateReport, check_for_update
from content.cache import ContentCache
from content.model import Content
from content.source import load_source
from tests.admin_sync.sync.simulator import BASE_URL, SimulatedServer

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLE_DIR = REPO_ROOT / "content" / "sample"


def load_sample() -> Content:
    content, report = load_source(SAMPLE_DIR)
    assert content.articles, f"{SAMPLE_DIR}: no articles loaded: {report.format()[:5]}"
    return content


def edit_one_article(content: Content, marker: str) -> tuple[Content, tuple[str, str, str]]:
    """The content with one destination article's body changed (a marker sentence appended)."""
    target = next(a for a in content.articles if a.scope != "general" and not a.generated)
    edited = tuple(
        dataclasses.replace(a, body=a.body + f"\n\n{marker}\n") if a is target else a
        for a in content.articles
    )
    return dataclasses.replace(content, articles=edited), target.key


def article_text(cache: ContentCache, key: tuple[str, str, str]) -> str:
    scope, topic, lang = key
    view = cache.article(scope, topic, lang)
    return "\n".join(
        block.text + "\n".join(block.items) for section in view.sections for block in section.blocks
    )


class Kiosk:
    """A kiosk's disk: installed-content store and agent state, updated by the real agent code."""

    def __init__(self, root: Path) -> None:
        self.content_dir = root / "content"
        self.state_dir = root / "sync"
        self.installer = ContentInstaller(self.content_dir)

    def update_from(self, server: SimulatedServer, root: bytes | None = None) -> UpdateReport:
        return check_for_update(
            server_url=BASE_URL,
            trusted_root=root or server.provisioned_root,
            state_dir=self.state_dir,
            fetcher=server.fetcher(),
            installer=self.installer,
        )

    def installed_version(self) -> int | None:
        return self.installer.installed_version()

    def open_cache(self) -> ContentCache:
        path = self.installer.store.current_path()
        assert path is not None, "no content installed"
        return ContentCache.open(path)
