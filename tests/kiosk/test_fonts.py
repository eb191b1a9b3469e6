"""Every string the kiosk can show is covered by the font it uses (no missing glyphs)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont

from kiosk.app import find_font_files
from kiosk.keyboards import LAYOUTS, layout_for


@pytest.fixture
def fonts(qapp) -> list[QRawFont]:
    files = find_font_files()
    if not files:
        pytest.skip(
            "Noto Sans is not installed (Debian package fonts-noto-core); `make` "
            "installs it when run as root"
        )
    loaded = [QRawFont(str(path), 28) for path in files]
    assert all(font.isValid() for font in loaded)
    return loaded


def shown_characters(sample_cache: Path) -> dict[str, str]:
    """Each character shown anywhere -> one text it appears in (for the error message)."""
    from content.cache import ContentCache

    cache = ContentCache.open(sample_cache)
    texts: list[str] = []
    try:
        texts += [text for _, text in cache.all_texts() if text]
        for language in cache.languages():
            texts.append(language.name)
            texts += list(cache.ui_strings(language.id).values())
            texts += [key for row in layout_for(language.id) for key in row]
    finally:
        cache.close()
    for rows in LAYOUTS.values():
        texts += rows
    found: dict[str, str] = {}
    for text in texts:
        for ch in text:
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            found.setdefault(ch, text)
    return found


def test_every_character_shown_has_a_glyph(fonts: list[QRawFont], sample_cache: Path) -> None:
    chars = shown_characters(sample_cache)
    assert set("ўқғҳңөүçäžňöşüýʻ") <= set(chars)  # the scripts of Central Asia are there
    missing = {
        f"U+{ord(ch):04X} {ch!r} in {text[:60]!r}"
        for ch, text in chars.items()
        if not all(font.supportsCharacter(ord(ch)) for font in fonts)
    }
    assert not missing, "no glyph in Noto Sans for:\n" + "\n".join(sorted(missing))
