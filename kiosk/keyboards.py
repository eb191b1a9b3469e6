"""On-screen keyboard layouts per language (Qt-free): a row of digits, then letters in rows,
lower case.

Search folds case and diacritics, so lower-case keys are enough. Space, backspace and clear are
added by the QML keyboard itself. Digits are on every keyboard (a phone number, a hotline's
short number such as 1345).
"""

from __future__ import annotations

_RU = ["йцукенгшщзх", "фывапролджэ", "ячсмитьбюъё"]

LAYOUTS: dict[str, list[str]] = {
    "en": ["qwertyuiop", "asdfghjkl", "zxcvbnm"],
    # Uzbek Latin: oʻ and gʻ are letters of their own (written with the turned comma), and the
    # tutuq belgisi ʼ (U+02BC, the apostrophe of maʼlumot); search folds ' ‘ ’ to the same.
    "uz": ["qwertyuiop", "asdfghjkl", "zxcvbnm", "oʻ gʻ \u02bc"],
    "tk": ["ertyuiopäž", "asdfghjklň", "zçbnmşüýöw"],
    "ru": _RU,
    "uz-Cyrl": ["йцукенгшзхў", "фвапролджэқ", "ячсмитьбюъғ", "ёҳ"],
    "ky": [*_RU, "ңөү"],
}
_CYRILLIC_DEFAULT = _RU
DIGITS = "1234567890"


def layout_for(language: str) -> list[list[str]]:
    """The rows of keys for a language (by its id; Cyrillic or Latin by the id's script)."""
    rows = LAYOUTS.get(language)
    if rows is None:
        cyrillic = language in ("kk", "tg") or "Cyrl" in language
        rows = _CYRILLIC_DEFAULT if cyrillic else LAYOUTS["en"]
    return [list(DIGITS)] + [row.split(" ") if " " in row else list(row) for row in rows]


def all_keys(language: str) -> set[str]:
    return {key for row in layout_for(language) for key in row}
