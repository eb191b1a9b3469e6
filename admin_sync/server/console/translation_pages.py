"""Translation status: per language, counts and the list to work through (filterable by
destination, topic and status); each row opens the article with its source text beside it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from admin_sync.server.console.access import SignedInDep
from admin_sync.server.console.item_pages import _ids
from admin_sync.server.console.providers import HistoryDep
from admin_sync.translation_status import (
    STATUSES,
    counts,
    declared_sources,
    translation_rows,
)

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/translations")
def translations(
    you: SignedInDep,
    history: HistoryDep,
    lang: str = "",
    source: str = "",
    scope: str = "",
    topic: str = "",
    status: str = "",
) -> Response:
    if history.head() is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    languages = _ids(history, "languages.yaml")
    if source not in languages:  # the release's source language (release.yaml), else English
        source = next((s for s in declared_sources(history) if s in languages), "en")
    if lang not in languages:
        lang = next((lang for lang in languages if lang != source), source)
    rows = translation_rows(history, [lang], source)
    shown = [
        r
        for r in rows
        if (not scope or r.scope == scope)
        and (not topic or r.topic == topic)
        and (not status or r.status == status)
    ]
    return you.render(
        "translations.html",
        title=f"Translations: {lang}",
        lang=lang,
        source=source,
        languages=languages,
        counts=counts(rows),
        rows=shown,
        scopes=sorted({r.scope for r in rows}),
        topics=sorted({r.topic for r in rows}),
        statuses=STATUSES,
        scope=scope,
        topic=topic,
        wanted=status,
    )
