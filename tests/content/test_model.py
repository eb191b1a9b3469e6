"""The content model (content/model.py): the one fallback rule."""

from __future__ import annotations

from content.model import Language, fallback_chain


def test_fallback_chain_is_language_then_its_fallbacks_then_english() -> None:
    assert fallback_chain(Language("uz-Cyrl", "Ўзбекча", "Cyrl", ("uz", "ru"))) == (
        "uz-Cyrl",
        "uz",
        "ru",
        "en",
    )
    assert fallback_chain(Language("en", "English", "Latn", ())) == ("en",)
    assert fallback_chain(Language("ky", "Кыргызча", "Cyrl", ("ru", "en", "ru"))) == (
        "ky",
        "ru",
        "en",
    )
