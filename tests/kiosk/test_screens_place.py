"""kiosk/screens/place.py, from the real sample content."""

from __future__ import annotations

from kiosk.screens.place import Place


def test_place_of_tashkent(tas: Place) -> None:
    assert tas.languages == ("uz", "uz-Cyrl", "ru", "en")
    assert tas.default_language == "uz" and tas.home_country == "UZ"
    assert "RU" in tas.destination_ids and tas.language_names["ru"] == "Русский"
