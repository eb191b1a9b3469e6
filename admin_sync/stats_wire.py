"""The usage-statistics wire format shared by the kiosk's agent and the server.

A *batch* is what one kiosk counted in one 6-hour part of one (kiosk-local) day, after the
privacy rules below. It travels as canonical JSON in `PUT /api/v1/stats/{batch_id}`:

```json
{"schema": 1, "kiosk_id": "tas-01", "day": "2026-11-21", "part": 2, "k": 5,
 "dropped_batches": 0,
 "cells": [{"metric": "language", "value": "uz", "count": 12}, ...]}
```

No other field exists: no timestamps finer than the day part, no free text, no sequences.

Small-cell suppression (the rule, applied per metric within one batch):

1. A cell whose count is at least `k` is sent as it is.
2. Cells whose count is under `k` are merged into one cell of the same metric with the value
   `_suppressed` whose count is their sum.
3. If that suppressed total is itself under `k`, it is dropped entirely: a total of 1..k-1 would
   still say "a handful of people did something rare at this kiosk in these six hours", and
   together with the other (exact) cells of the metric it could be subtracted back out.

So every count that leaves a kiosk is at least `k`. The price is a bounded undercount: at most
k-1 events per metric per kiosk per 6-hour part are withheld (for `session`, at most k-1
sessions). The console states that its figures are lower bounds.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

WIRE_SCHEMA = 1
SUPPRESSED = "_suppressed"
DEFAULT_K = 5
DAY_PARTS = (0, 1, 2, 3)
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KIOSK_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_CELLS_PER_BATCH = 2000
MAX_COUNT = 10_000_000
MAX_DROPPED_BATCHES = 10_000_000
MAX_BODY_BYTES = 256 * 1024


@dataclass(frozen=True)
class SealedCell:
    metric: str
    value: str
    count: int


def allowed_metrics() -> Mapping[str, Any]:
    """The kiosk's allow-list (`kiosk.usage_metrics.METRICS`), imported when first needed."""
    from kiosk.usage_metrics import METRICS

    return METRICS


def value_allowed(metric: str, value: str, metrics: Mapping[str, Any] | None = None) -> bool:
    """Whether (metric, value) is on the allow-list. `_suppressed` is allowed for any metric."""
    metrics = allowed_metrics() if metrics is None else metrics
    rule = metrics.get(metric)
    if rule is None or not isinstance(value, str):
        return False
    if value == SUPPRESSED:
        return True
    if isinstance(rule, (frozenset, set, tuple, list)):
        return value in rule
    if callable(rule):
        try:
            return bool(rule(value))
        except (TypeError, ValueError):
            return False
    return False


def suppress(cells: Iterable[tuple[str, str, int]], k: int) -> list[SealedCell]:
    """Apply the small-cell rule (module docstring) to one batch's (metric, value, count) cells.

    Returns cells sorted by (metric, value); every returned count is >= k.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for metric, value, count in cells:
        if count > 0:
            totals[(metric, value)] += count
    kept: list[SealedCell] = []
    small: dict[str, int] = defaultdict(int)
    for (metric, value), count in totals.items():
        if count >= k and value != SUPPRESSED:
            kept.append(SealedCell(metric, value, count))
        else:
            small[metric] += count
    for metric, count in small.items():
        if count >= k:
            kept.append(SealedCell(metric, SUPPRESSED, count))
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
