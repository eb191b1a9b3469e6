"""kiosk/screens/language.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.language import build_language
from kiosk.screens.place import Place


def test_language_prompts_current_first_and_marks_it_only_when_changing(
    cache: ContentCache, tas: Place
) -> None:
    first = build_language(cache, tas, "ru", cache.ui_strings("ru"), changing=False)
    assert first.prompts[0] == cache.ui_strings("ru")["language.choose"]
    assert len(first.prompts) == len(set(first.prompts))
    assert [x.id for x in first.languages] == list(tas.languages)
    assert not any(x.current for x in first.languages)
    again = build_language(cache, tas, "ru", cache.ui_strings("ru"), changing=True)
    assert [x.id for x in again.languages if x.current] == ["ru"]
