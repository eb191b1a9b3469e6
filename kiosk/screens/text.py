"""Filling UI strings (Qt-free): `{name}` placeholders, missing keys shown as the key."""

from __future__ import annotations

import re
from collections.abc import Mapping

Strings = Mapping[str, str]


def fmt(template: str, **values: str) -> str:
    """Fill `{name}` placeholders; unknown placeholders are left as they are."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def t(strings: Strings, key: str, **values: str) -> str:
    """The string `key` of the language, filled; the key itself when the language lacks it."""
    return fmt(strings.get(key, key), **values)


def language_name(strings: Strings, lang: str, own_names: Mapping[str, str]) -> str:
    """A language named in the reader's language (`language.name.<id>`, "Russian" to a reader of
    English), else in itself ("Русский"), else its id: the languages a hotline speaks."""
    return strings.get(f"language.name.{lang}") or own_names.get(lang, lang)
