"""kiosk/screens/attract.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.attract import build_attract
from kiosk.screens.place import Place


def test_attract_invites_in_every_language_of_the_airport(cache: ContentCache, tas: Place) -> None:
    page = build_attract(cache, tas)
    assert [i.language for i in page.invitations] == list(tas.languages)
    assert page.invitations[2].title == cache.ui_strings("ru")["attract.title"]
    assert [(x.id, x.name) for x in page.languages] == [
        (x, tas.language_names[x]) for x in tas.languages
    ]
    assert page.languages[0].name == "Oʻzbekcha"
