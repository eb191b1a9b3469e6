"""The statistics wire format: canonical bytes, the batch object, the small-cell rule at its
edges and the allow-list check, each pinned by examples."""

from __future__ import annotations

import pytest

from admin_sync.stats_wire import (
    SUPPRESSED,
    SealedCell,
    batch_body,
    canonical_json,
    suppress,
    value_allowed,
)


def test_canonical_json_is_sorted_compact_utf8() -> None:
    body = {"z": [1, {"b": "Oʻzbek", "a": None}], "a": "ü"}
    assert canonical_json(body) == '{"a":"ü","z":[1,{"a":null,"b":"Oʻzbek"}]}'.encode()
    # the same object in another key order gives the same bytes (the batch id's body)
    assert canonical_json({"a": "ü", "z": [1, {"a": None, "b": "Oʻzbek"}]}) == canonical_json(body)


def test_a_batch_has_exactly_the_wire_fields() -> None:
    cells = [SealedCell("language", "uz", 7), SealedCell("topic", SUPPRESSED, 9)]
    body = batch_body(kiosk_id="tas-01", day="2026-11-21", part=2, k=5, cells=cells)
    assert body == {
        "schema": 1,
        "kiosk_id": "tas-01",
        "day": "2026-11-21",
        "part": 2,
        "k": 5,
        "dropped_batches": 0,
        "cells": [
            {"metric": "language", "value": "uz", "count": 7},
            {"metric": "topic", "value": SUPPRESSED, "count": 9},
        ],
    }
    reported = batch_body(kiosk_id="k", day="2026-11-21", part=0, k=5, cells=[], dropped_batches=3)
    assert reported["dropped_batches"] == 3 and reported["cells"] == []


def cells_of(sealed: list[SealedCell]) -> list[tuple[str, str, int]]:
    return [(c.metric, c.value, c.count) for c in sealed]


def test_cells_at_k_are_kept_under_k_merged_and_a_small_total_dropped() -> None:
    sealed = suppress(
        [
            ("language", "uz", 5),  # exactly k: kept
            ("language", "ru", 4),
            ("language", "en", 1),  # 4 + 1 = k: one suppressed cell of 5
            ("topic", "money", 3),
            ("topic", "health", 1),  # 3 + 1 < k: dropped
            ("screen", "home", 6),
        ],
        k=5,
    )
    assert cells_of(sealed) == [
        ("language", SUPPRESSED, 5),
        ("language", "uz", 5),
        ("screen", "home", 6),
    ]


def test_repeated_cells_are_added_before_the_rule_and_empty_ones_ignored() -> None:
    sealed = suppress(
        [("language", "uz", 2), ("language", "uz", 3), ("language", "ru", 0), ("qr", "x", -4)],
        k=5,
    )
    assert cells_of(sealed) == [("language", "uz", 5)]


def test_an_incoming_suppressed_cell_is_refused_not_passed_through() -> None:
    # recorded counters never hold the merged cell: sealing refuses one rather than pass it on
    with pytest.raises(ValueError, match="_suppressed is not a recorded value"):
        suppress([("language", SUPPRESSED, 9), ("language", "uz", 2)], k=5)


def test_k_of_one_keeps_everything_and_below_one_is_refused() -> None:
    assert cells_of(suppress([("language", "uz", 1)], k=1)) == [("language", "uz", 1)]
    with pytest.raises(ValueError, match="k must be at least 1, got 0"):
        suppress([("language", "uz", 1)], k=0)


RULES = {
    "session": frozenset({"start"}),
    "screen": frozenset({"home", "help"}),
    "id": lambda v: v.isdigit() and len(v) == 2,
    "odd": lambda v: int(v) % 2 == 1,  # raises ValueError on non-numbers
    "broken": 42,  # not a rule the check knows
}


@pytest.mark.parametrize(
    ("metric", "value", "allowed"),
    [
        ("session", "start", True),
        ("session", "started", False),
        ("screen", "home", True),
        ("screen", "hom", False),
        ("id", "12", True),
        ("id", "123", False),
        ("odd", "3", True),
        ("odd", "4", False),
        ("odd", "x", False),  # the rule raises: not allowed, no error
        ("broken", "42", False),
        ("session", SUPPRESSED, True),  # the merged cell of a known metric
        ("nope", SUPPRESSED, False),
        ("nope", "1", False),
        ("session", 1, False),
    ],
)
def test_value_allowed(metric: str, value: object, allowed: bool) -> None:
    assert value_allowed(metric, value, RULES) is allowed  # type: ignore[arg-type]


def test_the_default_rules_are_the_kiosks() -> None:
    assert value_allowed("language", "uz-Cyrl") and value_allowed("destination", "RU")
    assert not value_allowed("language", "uzbek") and not value_allowed("free_text", "x")
