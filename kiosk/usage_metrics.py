"""The allow-list of anonymous usage counters: the only metrics and values ever recorded.

Each metric maps to a closed set of values, or to a validator for values that come from the
content (language and destination ids), which only accepts the shape of such an id. The kiosk
additionally checks those against the content it shows. Nothing else (no free text, no
timestamps, no sequences) can be written to the usage file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from content.model import TOPIC_IDS

_LANGUAGE_ID = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?")
_COUNTRY_ID = re.compile(r"[A-Z]{2}")


def _is_language_id(value: str) -> bool:
    return bool(_LANGUAGE_ID.fullmatch(value))


def _is_country_id(value: str) -> bool:
    return bool(_COUNTRY_ID.fullmatch(value))


SCREENS: frozenset[str] = frozenset(
    {
        "attract",
        "language",
        "home",
        "destination",
        "article",
        "help",
        "search",
        "checklist",
        "maintenance",
    }
)

SESSION_LENGTH_BUCKETS: tuple[tuple[float, str], ...] = (
    (30.0, "lt30s"),
    (60.0, "30s-1m"),
    (180.0, "1-3m"),
    (600.0, "3-10m"),
)

METRICS: dict[str, frozenset[str] | Callable[[str], bool]] = {
    "session": frozenset({"start"}),
    "language": _is_language_id,
    "destination": _is_country_id,
    "topic": frozenset(TOPIC_IDS),
    "screen": SCREENS,
    "qr_shown": frozenset({"tel", "url", "messenger", "vcard"}),
    "help_opened": frozenset({"1"}),
    "search_used": frozenset({"1"}),
    "session_length": frozenset({"lt30s", "30s-1m", "1-3m", "3-10m", "gt10m"}),
    "idle_reset": frozenset({"1"}),
}


def is_allowed(metric: str, value: str) -> bool:
    """True if (metric, value) is on the allow-list."""
    rule = METRICS.get(metric)
    if rule is None or not isinstance(value, str):
        return False
    if isinstance(rule, frozenset):
        return value in rule
    return rule(value)


def session_length_bucket(seconds: float) -> str:
    """The coarse bucket a session length falls in (never the length itself)."""
    for limit, name in SESSION_LENGTH_BUCKETS:
        if seconds < limit:
            return name
    return "gt10m"
