"""The usage allow-list and the statistics wire format, shared by the kiosk, its agent and the
server. Qt-free, stdlib plus `content.model`: the one module of `admin_sync/` that `kiosk/`
imports (the server never imports `kiosk`).

**The allow-list.** Each metric maps to a closed set of values, or to a validator for values
that come from the content (language and destination ids), which accepts only the whole shape
of such an id. Nothing else (no free text, no timestamps, no sequences) is ever recorded, sent
or stored.

**A batch** is what one kiosk counted in one 6-hour part of one (kiosk-local) day, after the
small-cell rule below. It travels as canonical JSON in `PUT /api/v1/stats/{batch_id}`:

```json
{"schema": 1, "kiosk_id": "tas-01", "day": "2026-11-21", "part": 2, "k": 5,
 "dropped_batches": 0,
 "cells": [{"metric": "language", "value": "uz", "count": 12}, ...]}
```

**The small-cell rule** (per metric within one batch; `admin_sync/STATISTICS.md` explains why):

1. If the metric's total is under `k`, nothing of the metric is sent.
2. Else, if every cell is at least `k`, every cell is sent as it is.
3. Else the cells under `k` are merged into one cell `_suppressed`, the others are sent as they
   are, *unless* that merged total is under `k` or every merged cell equals `k - 1`: then the
   metric is sent as one `_suppressed` cell holding its total (complementary suppression).

So every count that leaves a kiosk is at least `k`, a metric's cells always add up to its true
total (or the metric is absent and its total is under `k`), and no withheld cell, nor any sum
of withheld cells under `k`, can be computed from a batch, even knowing the allow-list, the rule
and every metric's true total (tests/admin_sync/test_stats_privacy.py checks this
exhaustively over all counts consistent with what was sent).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from content.model import TOPIC_IDS

WIRE_SCHEMA = 1
SUPPRESSED = "_suppressed"
# The smallest k anywhere: the kiosk refuses to start, the agent to seal and the server to
# store with a smaller one. Raising it is a privacy decision for the whole programme.
MIN_K = 5
DEFAULT_K = MIN_K
DAY_PARTS = (0, 1, 2, 3)
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KIOSK_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_CELLS_PER_BATCH = 2000
MAX_COUNT = 10_000_000
MAX_DROPPED_BATCHES = 10_000_000
MAX_BODY_BYTES = 256 * 1024


def k_problem(k: object) -> str | None:
    """Why `k` cannot be a kiosk's k, `[sync] stats_k` (None if it can): the server refuses
    batches sealed with a k under the shared `MIN_K`, so such a setting would lose figures."""
    if isinstance(k, bool) or not isinstance(k, int):
        return f"must be a whole number, got {k!r}"
    if k < MIN_K:
        return (
            f"must be at least {MIN_K} (admin_sync.stats_wire.MIN_K, the smallest k the "
            f"server accepts), got {k}"
        )
    return None


# --- the allow-list ------------------------------------------------------------------------

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

# Screens with a listen button: the "listened" counter's value is `<kind>:<language>`.
LISTEN_KINDS: frozenset[str] = frozenset({"article", "help", "checklist", "language", "attract"})


def _is_listened(value: str) -> bool:
    kind, sep, lang = value.partition(":")
    return bool(sep) and kind in LISTEN_KINDS and _is_language_id(lang)


SESSION_LENGTH_BUCKETS: tuple[tuple[float, str], ...] = (
    (30.0, "lt30s"),
    (60.0, "30s-1m"),
    (180.0, "1-3m"),
    (600.0, "3-10m"),
)
LONGEST_SESSION_BUCKET = "gt10m"

Rule = frozenset[str] | Callable[[str], bool]

METRICS: Mapping[str, Rule] = {
    "session": frozenset({"start"}),
    "language": _is_language_id,
    "destination": _is_country_id,
    "nationality": _is_country_id,  # a nationality chosen instead of the airport's own
    "topic": frozenset(TOPIC_IDS),
    "screen": SCREENS,
    "qr_shown": frozenset({"tel", "url", "messenger", "vcard"}),
    "help_opened": frozenset({"1"}),
    "search_used": frozenset({"1"}),
    "session_length": frozenset(
        {name for _, name in SESSION_LENGTH_BUCKETS} | {LONGEST_SESSION_BUCKET}
    ),
    "idle_reset": frozenset({"1"}),
    "listened": _is_listened,
}


def allowed_metrics() -> Mapping[str, Rule]:
    """The allow-list (kept as a function for callers that pass it around)."""
    return METRICS


def is_allowed(metric: str, value: str) -> bool:
    """True if (metric, value) may be recorded on a kiosk (`_suppressed` may not)."""
    rule = METRICS.get(metric)
    if rule is None or not isinstance(value, str):
        return False
    if isinstance(rule, frozenset):
        return value in rule
    return rule(value)


def value_allowed(metric: str, value: str, metrics: Mapping[str, Rule] | None = None) -> bool:
    """Whether (metric, value) may travel in a batch: on the allow-list, or `_suppressed`."""
    metrics = METRICS if metrics is None else metrics
    rule = metrics.get(metric)
    if rule is None or not isinstance(value, str):
        return False
    if value == SUPPRESSED:
        return True
    if isinstance(rule, frozenset):
        return value in rule
    try:
        return bool(rule(value))
    except (TypeError, ValueError):
        return False


def session_length_bucket(seconds: float) -> str:
    """The coarse bucket a session length falls in (never the length itself)."""
    for limit, name in SESSION_LENGTH_BUCKETS:
        if seconds < limit:
            return name
    return LONGEST_SESSION_BUCKET


# --- the wire format -----------------------------------------------------------------------


@dataclass(frozen=True)
class SealedCell:
    metric: str
    value: str
    count: int


def suppress_metric(counts: Mapping[str, int], k: int) -> dict[str, int]:
    """The small-cell rule (module docstring) for one metric: value -> count to send."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    cells = {value: count for value, count in counts.items() if count > 0}
    total = sum(cells.values())
    if total < k:
        return {}
    small = {value: count for value, count in cells.items() if count < k}
    if not small:
        return dict(cells)
    merged = sum(small.values())
    if merged < k or all(count == k - 1 for count in small.values()):
        return {SUPPRESSED: total}
    sent = {value: count for value, count in cells.items() if count >= k}
    sent[SUPPRESSED] = merged
    return sent


def suppress(cells: Iterable[tuple[str, str, int]], k: int) -> list[SealedCell]:
    """Apply the small-cell rule to one batch's (metric, value, count) cells.

    Returns cells sorted by (metric, value); every returned count is >= k. `_suppressed` is
    not a recorded value: such an input cell is refused (ValueError).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    per_metric: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for metric, value, count in cells:
        if value == SUPPRESSED:
            raise ValueError(f"{metric}={SUPPRESSED} is not a recorded value")
        if count > 0:
            per_metric[metric][value] += count
    kept = [
        SealedCell(metric, value, count)
        for metric, counts in per_metric.items()
        for value, count in suppress_metric(counts, k).items()
    ]
    return sorted(kept, key=lambda c: (c.metric, c.value))


def batch_body(
    *,
    kiosk_id: str,
    day: str,
    part: int,
    k: int,
    cells: Iterable[SealedCell],
    dropped_batches: int = 0,
) -> dict[str, Any]:
    """The JSON object of one batch (see the module docstring)."""
    return {
        "schema": WIRE_SCHEMA,
        "kiosk_id": kiosk_id,
        "day": day,
        "part": part,
        "k": k,
        "dropped_batches": dropped_batches,
        "cells": [{"metric": c.metric, "value": c.value, "count": c.count} for c in cells],
    }


def canonical_json(obj: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
