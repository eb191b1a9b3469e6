"""Search: results as you type from the cache's full-text index, and the line above them."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from kiosk.screens.text import Strings, fmt, t

MAX_RESULTS = 20


@dataclass(frozen=True)
class SearchScreen:
    title: str = ""


@dataclass(frozen=True)
class SearchResult:
    scope: str  # "general" or a destination id
    topic: str
    title: str
    snippet: str
    where: str  # "General" or the destination's name


def build_search(strings: Strings) -> SearchScreen:
    return SearchScreen(t(strings, "search.title"))


def search_results(
    cache: ContentCache, lang: str, strings: Strings, text: str
) -> tuple[SearchResult, ...]:
    if not text.strip():
        return ()

    def where(scope: str) -> str:
        if scope == "general":
            return strings.get("article.general", "")
        return cache.destination_name(scope, lang)

    return tuple(
        SearchResult(h.scope, h.topic, h.title, h.snippet, where(h.scope))
        for h in cache.search(lang, text, MAX_RESULTS)
    )


def search_status(strings: Strings, text: str, found: int) -> str:
    """ "3 results", "Nothing found", or "" while nothing is typed."""
    if not text.strip():
        return ""
    if not found:
        return strings.get("search.no_results", "")
    return fmt(strings.get("search.results", ""), count=str(found))
