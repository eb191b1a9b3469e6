"""The language choice: each language of the airport named in its own script."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from kiosk.screens.place import Place
from kiosk.screens.text import Strings, t


@dataclass(frozen=True)
class LanguageChoice:
    id: str
    name: str
    current: bool  # the session's language, marked when a person comes back to change it


@dataclass(frozen=True)
class LanguageScreen:
    title: str = ""
    prompts: tuple[str, ...] = ()  # "Choose your language" in each language, the current first
    languages: tuple[LanguageChoice, ...] = ()


def build_language(
    cache: ContentCache, place: Place, lang: str, strings: Strings, *, changing: bool
) -> LanguageScreen:
    """`changing`: the person came from another screen to change the language (not at start)."""
    prompts: list[str] = []
    for other in [lang] + [x for x in place.languages if x != lang]:
        prompt = cache.ui_strings(other).get("language.choose", "")
        if prompt and prompt not in prompts:
            prompts.append(prompt)
    return LanguageScreen(
        title=t(strings, "language.choose"),
        prompts=tuple(prompts),
        languages=tuple(
            LanguageChoice(x, place.language_names[x], changing and x == lang)
            for x in place.languages
        ),
    )


def language_row(place: Place, lang: str) -> tuple[LanguageChoice, ...]:
    """Every language of the airport named in itself, the one shown marked: the row on the help
    screen opened before a language is chosen (issue 11 item 8)."""
    return tuple(LanguageChoice(x, place.language_names[x], x == lang) for x in place.languages)
