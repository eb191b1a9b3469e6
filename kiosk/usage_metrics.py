"""The allow-list of anonymous usage counters, as the kiosk sees it.

The list itself lives in `admin_sync.stats_wire` (shared with the agent and the server, which
must not import the kiosk); this module re-exports what the kiosk uses.
"""

from __future__ import annotations

from admin_sync.stats_wire import (
    LISTEN_KINDS,
    METRICS,
    SCREENS,
    SESSION_LENGTH_BUCKETS,
    is_allowed,
    session_length_bucket,
)

__all__ = [
    "LISTEN_KINDS",
    "METRICS",
    "SCREENS",
    "SESSION_LENGTH_BUCKETS",
    "is_allowed",
    "session_length_bucket",
]
