"""Preview of an article: an approximation in HTML, clearly labelled as such.

The article is parsed by the kiosk's own parser (`content.markdown_subset.parse_blocks`: the
same blocks the kiosk lays out) and shown in a box of the kiosk's proportions (portrait 1080 x
1920 or landscape, at half size), in normal or large text. Line breaks and overflow follow the
browser's fonts, not the kiosk's: pictures from the kiosk's own renderer (a worker running the
kiosk offscreen where the kiosk extra is installed) are not done yet.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from admin_sync.content_edit import split_article
from admin_sync.content_history import HistoryError
from admin_sync.server.console.access import SignedInDep
from admin_sync.server.console.article_pages import article_path
from admin_sync.server.console.providers import HistoryDep
from content.markdown_subset import parse_blocks

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/preview/article")
def preview_article(
    you: SignedInDep,
    history: HistoryDep,
    scope: str = "",
    topic: str = "",
    lang: str = "",
    orientation: str = "portrait",
    size: str = "normal",
    rev: str = "",
) -> Response:
    try:
        raw = history.read(article_path(scope, topic, lang), rev or None)
    except HistoryError as exc:
        return you.error(404, str(exc))
    if raw is None:
        return you.error(404, f"There is no article {scope}/{topic} in {lang} to preview.")
    values, body = split_article(raw.decode("utf-8"))
    return you.render(
        "preview.html",
        title=f"Preview: {scope}/{topic} in {lang}",
        article_title=values.get("title", ""),
        blocks=parse_blocks(body),
        scope=scope,
        topic=topic,
        lang=lang,
        orientation="landscape" if orientation == "landscape" else "portrait",
        size="large" if size == "large" else "normal",
    )
