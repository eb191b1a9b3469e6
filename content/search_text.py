"""Folding of searchable text, shared by the cache builder (indexed text) and reader (queries).

Kept apart from `content.build` so that the kiosk, which only reads the cache, does not import
the builder and sqlite-utils at start. See `content.build`'s docstring for why each fold exists.
"""

from __future__ import annotations

import re

# The apostrophe-like characters used inside Uzbek words (oʻ, gʻ, tutuq belgisi) and typed for them.
APOSTROPHES = "'\u2018\u2019\u02bb\u02bc`\u00b4"
_IN_WORD_APOSTROPHE = re.compile(rf"(?<=\w)[{APOSTROPHES}]+(?=\w)")
_MODIFIER_APOSTROPHES = {0x02BB: None, 0x02BC: None}


def search_fold(text: str) -> str:
    """Remove apostrophes inside words and fold ё to е; applied to indexed text and queries."""
    text = text.translate(_MODIFIER_APOSTROPHES)  # letters for SQLite: drop them everywhere
    return _IN_WORD_APOSTROPHE.sub("", text).replace("ё", "е").replace("Ё", "Е")
