"""The one place where screens' dataclasses become values QML binds to (Qt-free).

Dataclasses become maps with camelCase keys (`rows_first` → `rowsFirst`), tuples become lists,
so QML reads `page.rowsFirst[0].text`. Nothing else is converted anywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

QmlValue = Any  # what a QVariant holds: str, int, float, bool, None, list, dict

# The UI strings QML reads itself (`Theme.strings["..."]`); a language without one of them shows
# "" there (a test checks this list against the QML files).
QML_STRING_KEYS = (
    "article.contacts",
    "article.links",
    "article.sample_notice",
    "article.scan_hint",
    "checklist.hint",
    "help.save_all",
    "home.before_you_go",
    "home.get_help_now",
    "home.search",
    "home.title",
    "idle.continue",
    "idle.finish",
    "idle.still_there",
    "keyboard.clear",
    "keyboard.space",
    "maintenance.close",
    "maintenance.pin",
    "nav.back",
    "nav.help",
    "nav.home",
    "nav.language",
    "nav.text_large",
    "nav.text_normal",
    "search.placeholder",
)


def qml_strings(strings: Mapping[str, str]) -> dict[str, str]:
    """The language's UI strings with every key QML reads present."""
    return {**dict.fromkeys(QML_STRING_KEYS, ""), **strings}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def to_qml(value: object) -> QmlValue:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {camel(f.name): to_qml(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_qml(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_qml(v) for k, v in value.items()}
    return value
