""" "Before you go": the list items of the before-you-go article, to tick."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from kiosk.screens.text import Strings, t

CHECKLIST_TOPIC = "before-you-go"


@dataclass(frozen=True)
class ChecklistScreen:
    title: str = ""
    items: tuple[str, ...] = ()


def build_checklist(cache: ContentCache, lang: str, strings: Strings, dest: str) -> ChecklistScreen:
    """`dest`: the session's destination, or "general" before one is chosen."""
    article = cache.article(dest, CHECKLIST_TOPIC, lang)
    items: list[str] = []
    for section in article.sections:
        for block in section.blocks:
            if block.kind in ("bullets", "numbers"):
                items.extend(block.items)
    return ChecklistScreen(t(strings, "checklist.title"), tuple(items))
