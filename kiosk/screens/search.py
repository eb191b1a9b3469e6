"""Search: results as you type from the cache's full-text index, and the line above them.

A query with digits also finds the contacts whose number holds them ("1345", "+7 495", "495 1"):
spaces, "+", "-" and brackets are ignored on both sides. Each result carries its title and
snippet as rich text with the matches in bold, escaped so that markup in the content is shown
as text, never interpreted.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from content.cache import ContactView, ContentCache, NotFound, match_spans
from kiosk.screens.place import Place
from kiosk.screens.text import Strings, fmt, t

MAX_RESULTS = 20
MIN_DIGITS = 3  # fewer digits would match almost every number
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class SearchScreen:
    title: str = ""


@dataclass(frozen=True)
class SearchResult:
    scope: str  # "general" or a destination id; for a contact, its country
    topic: str  # "" for a contact (it opens the help screen of its country)
    title: str
    snippet: str
    where: str  # "General" or the destination's name
    title_rich: str = ""  # the title, escaped, matches in <b>
    snippet_rich: str = ""


def build_search(strings: Strings) -> SearchScreen:
    return SearchScreen(t(strings, "search.title"))


def highlight(text: str, query: str) -> str:
    """`text` escaped for Qt's styled text, the matches of `query` in bold."""
    out: list[str] = []
    at = 0
    for start, end in match_spans(text, query):
        out += [html.escape(text[at:start]), "<b>", html.escape(text[start:end]), "</b>"]
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _highlight_digits(text: str, digits: str) -> str:
    """A phone number escaped, the digits of the query in bold wherever they run in it."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    only = "".join(text[i] for i in positions)
    found = only.find(digits)
    if found < 0:
        return html.escape(text)
    start, end = positions[found], positions[found + len(digits) - 1] + 1
    return (
        html.escape(text[:start])
        + "<b>"
        + html.escape(text[start:end])
        + "</b>"
        + html.escape(text[end:])
    )


def _contact_numbers(contact: ContactView) -> list[str]:
    return [n for n in [*contact.phones, contact.short or ""] if n]


def contact_results(
    cache: ContentCache, place: Place, lang: str, text: str
) -> tuple[SearchResult, ...]:
    """Contacts of the airport's destinations and home country whose number holds the digits
    typed (at least MIN_DIGITS of them; letters in the query: no contact search)."""
    if re.search(r"[^\d\s+\-()]", text):
        return ()
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < MIN_DIGITS:
        return ()
    countries = sorted(place.destination_ids) + [place.home_country]
    found: list[SearchResult] = []
    seen: set[str] = set()
    for contact in cache.contacts(countries, lang):
        numbers = [n for n in _contact_numbers(contact) if digits in _NOT_DIGIT.sub("", n)]
        if not numbers or contact.id in seen:
            continue
        seen.add(contact.id)
        try:
            where = cache.destination_name(contact.country, lang)
        except NotFound:
            where = contact.country
        found.append(
            SearchResult(
                scope=contact.country,
                topic="",
                title=contact.name,
                snippet=" · ".join(contact.display(n) for n in numbers),
                where=where,
                title_rich=html.escape(contact.name),
                snippet_rich=" · ".join(
                    _highlight_digits(contact.display(n), digits) for n in numbers
                ),
            )
        )
    return tuple(found)


def search_results(
    cache: ContentCache, lang: str, strings: Strings, text: str, place: Place | None = None
) -> tuple[SearchResult, ...]:
    """Contacts whose number holds the digits typed (with `place`), then articles."""
    if not text.strip():
        return ()

    def where(scope: str) -> str:
        if scope == "general":
            return strings.get("article.general", "")
        return cache.destination_name(scope, lang)

    contacts = contact_results(cache, place, lang, text) if place is not None else ()
    articles = tuple(
        SearchResult(
            h.scope,
            h.topic,
            h.title,
            h.snippet,
            where(h.scope),
            highlight(h.title, text),
            highlight(h.snippet, text),
        )
        for h in cache.search(
            lang, text, MAX_RESULTS, nationality=place.nationality if place else ""
        )
    )
    return (contacts + articles)[:MAX_RESULTS]


def search_status(strings: Strings, text: str, found: int) -> str:
    """ "3 results", "Nothing found", or "" while nothing is typed."""
    if not text.strip():
        return ""
    if not found:
        return strings.get("search.no_results", "")
    return fmt(strings.get("search.results", ""), count=str(found))
