"""Which release parts hold audio, in which language, and which languages each airport hears.

A kiosk needs the audio of its own airport's languages only (a Tashkent kiosk never plays
Turkmen), so the release manifest tags every audio part with its languages and lists, per
airport, the languages whose audio its kiosks need; the agent then skips the other audio parts
(admin_sync/protocol.py, `ReleaseManifest.parts_for`). Both are read here from the parts
themselves (the asset map and the airports of `shared.json`), so a release, a rollback and a
test simulator all tag their parts the same way.

An airport hears its languages and, as a screen may show an article in a fallback language
(content/cache.py: the language's `fallback` list, then English), those too. Pure and Qt-free.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from content.parts import SHARED_PART
from content.speech_text import AUDIO_DIR, AUDIO_SUFFIX

FINAL_FALLBACK = "en"  # content/cache.py: English when no fallback has the text


def audio_language(path: str) -> str | None:
    """The language of an audio asset path (`audio/<item>.<lang>.ogg`), None if not audio."""
    if not path.startswith(f"{AUDIO_DIR}/") or not path.endswith(AUDIO_SUFFIX):
        return None
    stem = path[len(AUDIO_DIR) + 1 : -len(AUDIO_SUFFIX)]
    return stem.rsplit(".", 1)[1] if "." in stem else None


def _shared(parts: Mapping[str, bytes]) -> dict[str, Any]:
    try:
        value = json.loads(parts[SHARED_PART])
    except (KeyError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def part_languages(parts: Mapping[str, bytes]) -> dict[str, tuple[str, ...]]:
    """Audio part name -> the languages it is heard in (one file may serve two: Uzbek Latin
    and Cyrillic read the same text); parts that are not audio are not listed."""
    assets = _shared(parts).get("assets")
    found: dict[str, set[str]] = {}
    if isinstance(assets, dict):
        for path, name in assets.items():
            lang = audio_language(str(path))
            if lang is not None and name in parts:
                found.setdefault(str(name), set()).add(lang)
    return {name: tuple(sorted(langs)) for name, langs in sorted(found.items())}


def airport_audio_languages(parts: Mapping[str, bytes]) -> dict[str, tuple[str, ...]]:
    """Airport id -> the languages whose audio its kiosks may play: its languages and their
    fallbacks (transitively), and English. Empty when the parts hold no airports."""
    shared = _shared(parts)
    fallbacks: dict[str, list[str]] = {}
    for lang in shared.get("languages") or []:
        if isinstance(lang, dict) and isinstance(lang.get("id"), str):
            fallbacks[lang["id"]] = [x for x in lang.get("fallback") or [] if isinstance(x, str)]
    out: dict[str, tuple[str, ...]] = {}
    for airport in shared.get("airports") or []:
        if not isinstance(airport, dict) or not isinstance(airport.get("id"), str):
            continue
        heard: set[str] = set()
        todo = [x for x in airport.get("languages") or [] if isinstance(x, str)]
        todo.append(FINAL_FALLBACK)
        while todo:
            lang = todo.pop()
            if lang not in heard:
                heard.add(lang)
                todo.extend(fallbacks.get(lang, []))
        out[airport["id"]] = tuple(sorted(heard))
    return out
