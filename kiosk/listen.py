"""Which audio a screen's listen button plays — Qt-free, tested without a window.

The audio comes with the content (release assets `audio/<item>.<lang>.ogg`, made at publish by
`content/speech.py`); the kiosk never synthesizes. A screen has a listen button only when every
clip it would play is in the cache and looks like Ogg Opus; a missing or damaged file means no
button, never a broken screen. Names of the items: `content/speech_text.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache, NotFound
from content.speech_text import (
    AUDIO_DIR,
    CHECKLIST_TOPIC,
    article_item,
    attract_item,
    audio_path,
    checklist_item,
    help_item,
    language_item,
    speech_parts,
)
from kiosk.screens.place import Place
from kiosk.usage_metrics import LISTEN_KINDS

__all__ = ["LISTEN_KINDS", "Clips", "clips_for_screen", "language_clip", "listened_value"]


@dataclass(frozen=True)
class Clips:
    kind: str  # the screen kind, for the "listened" counter
    paths: tuple[str, ...] = ()  # asset paths, played one after the other

    def __bool__(self) -> bool:
        return bool(self.paths)


NO_CLIPS = Clips("")


def audio_paths(cache: ContentCache) -> frozenset[str]:
    """The asset paths of every audio file in the cache (read once per content)."""
    return frozenset(p for p in cache.asset_paths(f"{AUDIO_DIR}/"))


def looks_like_ogg_opus(data: bytes | None) -> bool:
    """The first Ogg page of an Opus stream: 'OggS' then the 'OpusHead' packet."""
    return bool(data) and data[:4] == b"OggS" and b"OpusHead" in data[:64]  # type: ignore[index]


def _sections_clips(
    cache: ContentCache,
    dest: str,
    topic: str,
    lang: str,
    item: str,
    available: frozenset[str],
    nationality: str,
) -> tuple[str, ...]:
    """The clips of each section, in order: an article with nationality marks is split into
    parts at publish (`speech_parts`); only the parts for `nationality` are played, as the
    screen shows only those."""
    try:
        article = cache.article(dest, topic, lang)
    except NotFound:
        return ()
    paths = []
    for section in article.sections:
        checklist = item == "checklist"
        name = checklist_item(section.scope) if checklist else article_item(section.scope, topic)
        for part in speech_parts(section.title, section.blocks, prose=not checklist):
            if part.applies(nationality):
                paths.append(audio_path(part.item(name), section.language))
    return tuple(paths) if paths and all(p in available for p in paths) else ()


def clips_for_screen(
    kind: str,
    params: dict[str, str],
    *,
    cache: ContentCache,
    place: Place,
    lang: str,
    destination: str,
    available: frozenset[str],
) -> Clips:
    """What the screen's big listen button plays (empty: no button).

    `destination`: the session's destination ("" or "general" before one is chosen).
    """
    dest = "" if destination in ("", "general") else destination
    if kind == "article":
        paths = _sections_clips(
            cache,
            params.get("dest", "general"),
            params.get("topic", ""),
            lang,
            "article",
            available,
            place.nationality,
        )
    elif kind == "checklist":
        paths = _sections_clips(
            cache,
            dest or "general",
            CHECKLIST_TOPIC,
            lang,
            "checklist",
            available,
            place.nationality,
        )
    elif kind == "help":
        help_dest = params.get("dest", dest) or ""
        path = audio_path(help_item(help_dest, place.home_country, place.nationality), lang)
        paths = (path,) if path in available else ()
    elif kind == "attract":
        found = [audio_path(attract_item(), x) for x in place.languages]
        paths = tuple(p for p in found if p in available)
    else:
        paths = ()
    return Clips(kind, paths) if paths else NO_CLIPS


def language_clip(lang: str, available: frozenset[str]) -> str:
    """The language's name said in it (language screen), "" when there is none."""
    path = audio_path(language_item(), lang)
    return path if path in available else ""


def listened_value(kind: str, lang: str) -> str:
    """The "listened" counter's value: screen kind and language (`article:uz`)."""
    return f"{kind}:{lang}"
