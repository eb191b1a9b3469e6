"""The attract loop: the invitation in each language of the airport, one after another."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from kiosk.screens.place import Place


@dataclass(frozen=True)
class Invitation:
    language: str
    title: str
    subtitle: str
    touch: str


@dataclass(frozen=True)
class AttractLanguage:
    """A button that starts the session in this language in one tap."""

    id: str
    name: str  # named in itself


@dataclass(frozen=True)
class AttractScreen:
    invitations: tuple[Invitation, ...] = ()
    languages: tuple[AttractLanguage, ...] = ()  # every language of the airport, in its order


def build_attract(cache: ContentCache, place: Place) -> AttractScreen:
    invitations = []
    for lang in place.languages:
        s = cache.ui_strings(lang)
        invitations.append(
            Invitation(
                language=lang,
                title=s.get("attract.title", ""),
                subtitle=s.get("attract.subtitle", ""),
                touch=s.get("attract.touch_to_start", ""),
            )
        )
    languages = tuple(AttractLanguage(x, place.language_names[x]) for x in place.languages)
    return AttractScreen(tuple(invitations), languages)
