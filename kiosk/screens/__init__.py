"""What each screen shows, built by pure functions from the content cache (Qt-free).

One module per screen kind; each has a frozen dataclass (what QML lays out) and a `build_*`
function taking the cache, the language, its UI strings and what else that screen needs. The
controller only converts the dataclasses to QML values (kiosk/qml_values.py). `KINDS` is the one
list of screen kinds: their names and the QML component that lays each out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScreenKind:
    name: str  # as in the session's stack and the usage counters
    component: str  # the QML file of the SafeAirports module (without .qml)
    page_property: str  # the controller property holding this kind's page


def _kind(name: str, component: str) -> ScreenKind:
    return ScreenKind(name, component, f"{name}Page")


KINDS: dict[str, ScreenKind] = {
    k.name: k
    for k in (
        _kind("attract", "AttractScreen"),
        _kind("language", "LanguageScreen"),
        _kind("home", "HomeScreen"),
        _kind("destination", "DestinationScreen"),
        _kind("article", "ArticleScreen"),
        _kind("help", "HelpScreen"),
        _kind("search", "SearchScreen"),
        _kind("checklist", "ChecklistScreen"),
        _kind("maintenance", "MaintenanceScreen"),
    )
}
