"""The kiosk-token cache: remembered for `ttl` seconds exactly, bounded, cleared at once."""

from __future__ import annotations

from admin_sync.server.recent_lookups import KIOSK_TOKEN_TTL_S, RecentLookups


class Ticks:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_a_value_lives_ttl_seconds_then_is_forgotten() -> None:
    ticks = Ticks()
    cache: RecentLookups[str] = RecentLookups(2.0, clock=ticks)
    assert cache.get("a") is None
    cache.put("a", "kiosk A")
    ticks.now += 1.999
    assert cache.get("a") == "kiosk A"
    ticks.now += 0.001
    assert cache.get("a") is None
    assert "a" not in cache._entries  # an expired entry is dropped, not kept


def test_the_cache_is_bounded_and_clears() -> None:
    cache: RecentLookups[int] = RecentLookups(max_entries=3, clock=Ticks())
    for n in range(3):
        cache.put(str(n), n)
    assert [cache.get(str(n)) for n in range(3)] == [0, 1, 2]
    cache.put("3", 3)  # full: starts again rather than growing
    assert [cache.get(str(n)) for n in range(4)] == [None, None, None, 3]
    cache.clear()
    assert cache.get("3") is None


def test_the_kiosk_token_default_is_one_second() -> None:
    assert KIOSK_TOKEN_TTL_S == 1.0 and RecentLookups().ttl == 1.0
