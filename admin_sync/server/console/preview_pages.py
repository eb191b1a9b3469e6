"""Preview: an article, a country's help screen (who to call) or the home screen in a language
(its screen texts), as the kiosk shows it.

Where the kiosk's renderer is installed (`admin_sync.server.preview_worker`), the page shows
pictures made by the real kiosk running offscreen on exactly the version of the content chosen
(the draft by default): in the chosen language, at an airport that offers it, portrait or
landscape, normal or large text, one picture per screenful down to the end. Otherwise (a server
without Qt, setting `preview_worker = off`, or the worker failed) the article is shown in HTML
in a box of the kiosk's proportions, parsed by the kiosk's own parser and clearly labelled as an
approximation: line breaks and overflow then follow the browser's fonts.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from admin_sync.content_edit import split_article
from admin_sync.content_history import ContentHistory, HistoryError
from admin_sync.server.console.access import SignedIn, SignedInDep
from admin_sync.server.console.article_pages import article_path
from admin_sync.server.console.item_pages import _list
from admin_sync.server.console.pages import secure
from admin_sync.server.console.providers import HistoryDep, PreviewDep
from admin_sync.server.preview_worker import (
    ORIENTATIONS,
    SIZES,
    PreviewFailed,
    PreviewKey,
    PreviewPictures,
    PreviewWorker,
)
from content.markdown_subset import parse_blocks

router = APIRouter(prefix="/console", include_in_schema=False)
GENERAL = "general"
HELP = "help"
HOME = "home"
SCREENS = (HELP, HOME)  # screens previewed by name; any other topic is an article


@dataclass(frozen=True)
class Choice:
    """What the editor asked to see, checked against the content of that version."""

    key: PreviewKey
    airports: tuple[str, ...]  # airports offering the language (and destination)


def _choice(
    history: ContentHistory,
    you: SignedIn,
    *,
    scope: str,
    topic: str,
    lang: str,
    airport: str,
    orientation: str,
    size: str,
    rev: str,
) -> Choice:
    try:
        commit = history.resolve(rev) if rev else history.head()
    except HistoryError as exc:
        raise you.refuse(404, str(exc)) from exc
    if commit is None:
        raise you.refuse(404, "No content yet: upload a content folder on the releases page.")
    try:
        airports = _list(history, "airports.yaml", commit)
    except (HistoryError, ValueError) as exc:
        raise you.refuse(404, f"The airports of this version cannot be read: {exc}") from exc
    offering = []
    for entry in airports:
        langs = entry.get("languages") or []
        dests = entry.get("destinations") or []
        home = entry.get("country")
        if lang in langs and (scope in (GENERAL, home) or scope in dests):
            offering.append(str(entry.get("id")))
    if topic not in SCREENS:
        try:
            found = history.read(article_path(scope, topic, lang), commit)
        except HistoryError as exc:
            raise you.refuse(404, str(exc)) from exc
        if found is None:
            raise you.refuse(404, f"There is no article {scope}/{topic} in {lang} to preview.")
    if not offering:
        raise you.refuse(
            404,
            f"No airport offers {lang!r} with {scope!r} in this version: nothing to preview.",
        )
    key = PreviewKey(
        commit=commit,
        airport=airport if airport in offering else offering[0],
        lang=lang,
        scope=scope,
        topic=topic,
        orientation=orientation if orientation in ORIENTATIONS else ORIENTATIONS[0],
        size=size if size in SIZES else SIZES[0],
    )
    return Choice(key, tuple(offering))


async def _pictures(
    worker: PreviewWorker, history: ContentHistory, key: PreviewKey
) -> tuple[PreviewPictures | None, str]:
    if not worker.available:
        return None, ""
    try:
        return await run_in_threadpool(worker.pictures, history, key), ""
    except (PreviewFailed, HistoryError) as exc:
        return None, str(exc)


@router.get("/preview/article")
async def preview_article(
    you: SignedInDep,
    history: HistoryDep,
    worker: PreviewDep,
    scope: str = "",
    topic: str = "",
    lang: str = "",
    airport: str = "",
    orientation: str = "portrait",
    size: str = "normal",
    rev: str = "",
) -> Response:
    choice = _choice(
        history,
        you,
        scope=scope,
        topic=topic,
        lang=lang,
        airport=airport,
        orientation=orientation,
        size=size,
        rev=rev,
    )
    key = choice.key
    raw = history.read(article_path(scope, topic, lang), key.commit) or b""
    pictures, failed = await _pictures(worker, history, key)
    values, body = split_article(raw.decode("utf-8"))
    return you.render(
        "preview.html",
        title=f"Preview: {scope}/{topic} in {lang}",
        choice=choice,
        key=key,
        pictures=pictures,
        failed=failed,
        worker=worker.available,
        article_title=values.get("title", ""),
        blocks=parse_blocks(body),
        screen="article",
    )


async def _screen_preview(
    you: SignedIn,
    history: ContentHistory,
    worker: PreviewWorker,
    choice: Choice,
    title: str,
    screen: str,
) -> Response:
    """A screen with no text of its own to approximate (help, home): the worker's pictures, or
    why there are none."""
    pictures, failed = await _pictures(worker, history, choice.key)
    return you.render(
        "preview.html",
        title=title,
        choice=choice,
        key=choice.key,
        pictures=pictures,
        failed=failed or ("" if worker.available else "the kiosk's renderer is not installed"),
        worker=worker.available,
        article_title="",
        blocks=[],
        screen=screen,
    )


@router.get("/preview/help")
async def preview_help(
    you: SignedInDep,
    history: HistoryDep,
    worker: PreviewDep,
    scope: str = "",
    lang: str = "",
    airport: str = "",
    orientation: str = "portrait",
    size: str = "normal",
    rev: str = "",
) -> Response:
    choice = _choice(
        history,
        you,
        scope=scope,
        topic=HELP,
        lang=lang,
        airport=airport,
        orientation=orientation,
        size=size,
        rev=rev,
    )
    title = f"Preview: who to call, {scope} in {lang}"
    return await _screen_preview(you, history, worker, choice, title, "help")


@router.get("/preview/home")
async def preview_home(
    you: SignedInDep,
    history: HistoryDep,
    worker: PreviewDep,
    lang: str = "",
    airport: str = "",
    orientation: str = "portrait",
    size: str = "normal",
    rev: str = "",
) -> Response:
    """The home screen in a language: its screen texts as the kiosk lays them out."""
    choice = _choice(
        history,
        you,
        scope=GENERAL,
        topic=HOME,
        lang=lang,
        airport=airport,
        orientation=orientation,
        size=size,
        rev=rev,
    )
    title = f"Preview: the home screen in {lang}"
    return await _screen_preview(you, history, worker, choice, title, "home")


@router.get("/preview/picture")
async def preview_picture(
    you: SignedInDep,
    history: HistoryDep,
    worker: PreviewDep,
    commit: str = "",
    scope: str = "",
    topic: str = "",
    lang: str = "",
    airport: str = "",
    orientation: str = "portrait",
    size: str = "normal",
    page: int = 1,
) -> Response:
    """One screenful as PNG (made by the worker when it is not in its cache yet)."""
    choice = _choice(
        history,
        you,
        scope=scope,
        topic=topic,
        lang=lang,
        airport=airport,
        orientation=orientation,
        size=size,
        rev=commit,
    )
    pictures, failed = await _pictures(worker, history, choice.key)
    if pictures is None:
        return you.error(404, failed or "The kiosk's renderer is not installed on this server.")
    path = pictures.page(page)
    if path is None:
        return you.error(404, f"There is no picture {page} of this preview.")
    data = await run_in_threadpool(path.read_bytes)
    return secure(Response(data, media_type="image/png"))
