"""When to try again: the regular interval after success, jittered exponential backoff after
failures. Pure functions of the settings and a random source (tests pass a seeded one)."""

from __future__ import annotations

import random

from admin_sync.agent.settings import SyncSettings


def jittered(seconds: float, fraction: float, rng: random.Random) -> float:
    return max(0.0, seconds * (1 + rng.uniform(-fraction, fraction)))


def next_delay(consecutive_failures: int, settings: SyncSettings, rng: random.Random) -> float:
    """Seconds to wait before the next cycle."""
    if consecutive_failures <= 0:
        base = settings.interval_seconds
    else:
        exponent = min(consecutive_failures - 1, 30)
        base = min(settings.backoff_max_seconds, settings.backoff_initial_seconds * 2**exponent)
    return jittered(base, settings.jitter_fraction, rng)
