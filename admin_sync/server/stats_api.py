"""`PUT /api/v1/stats/{batch_id}`: a kiosk's sealed usage batch, validated strictly, stored once.

Answers:
- 201 stored; 200 the same batch again (nothing counted twice);
- 400 malformed (not JSON, bad id), 403 the body names another kiosk than the token's,
  409 the id was used for a different body, 413 too large, 422 a value outside the rules
  (closed sets, ranges, k, dates) — each with a `detail` saying what and where. Never a 500
  for anything the client sends.

The router is built by `make_stats_router(...)` with the kiosk-token dependency of the server
passed in, so this module does not depend on how tokens are stored.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from admin_sync.server import strict_json
from admin_sync.server.stats_db import BatchConflict, StatsDB
from admin_sync.stats_wire import (
    DAY_PARTS,
    DAY_PATTERN,
    DEFAULT_K,
    KIOSK_ID_PATTERN,
    MAX_CELLS_PER_BATCH,
    MAX_COUNT,
    MAX_DROPPED_BATCHES,
    MIN_K,
    WIRE_SCHEMA,
    allowed_metrics,
    canonical_json,
    value_allowed,
)
from content.settings_base import setting

log = logging.getLogger("safe_airports.server.stats")

MAX_METRIC_CHARS = 32
MAX_VALUE_CHARS = 64


@dataclass(frozen=True)
class StatsSettings:
    """Server-side statistics settings."""

    min_k: int = setting(
        DEFAULT_K,
        help="Smallest k accepted (never under stats_wire.MIN_K); a batch declaring a smaller "
        "k, or any cell under it, is refused with 422.",
    )
    max_age_days: int = setting(
        400, help="Oldest day (before the server's today) a batch may be about."
    )
    max_future_days: int = setting(
        1, help="Days after the server's today a batch may be about (kiosks in UTC+5/+6)."
    )


@dataclass(frozen=True)
class AuthenticatedKiosk:
    kiosk_id: str
    airport: str


class BatchError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class ValidBatch:
    kiosk_id: str
    day: str
    part: int
    k: int
    dropped_batches: int
    cells: list[tuple[str, str, int]]
    canonical: bytes


def _int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BatchError(422, f"{where}: must be an integer, got {type(value).__name__}")
    if not low <= value <= high:
        raise BatchError(422, f"{where}: {value} is outside {low}..{high}")
    return value


def _str(value: Any, where: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise BatchError(422, f"{where}: must be a string, got {type(value).__name__}")
    if not 0 < len(value) <= max_chars:
        raise BatchError(422, f"{where}: must be 1..{max_chars} characters")
    return value


def validate_batch(data: Any, *, settings: StatsSettings, today: date) -> ValidBatch:
    """Check a parsed body against every rule; raises BatchError(status, what and where)."""
    if not isinstance(data, dict):
        raise BatchError(422, "body: must be a JSON object")
    expected = {"schema", "kiosk_id", "day", "part", "k", "dropped_batches", "cells"}
    unknown = sorted(set(data) - expected)
    if unknown:
        raise BatchError(422, f"body: unknown field(s) {', '.join(map(repr, unknown))}")
    missing = sorted(expected - set(data))
    if missing:
        raise BatchError(422, f"body: missing field(s) {', '.join(missing)}")
    if data["schema"] != WIRE_SCHEMA or isinstance(data["schema"], bool):
        raise BatchError(422, f"schema: only {WIRE_SCHEMA} is understood")
    kiosk_id = _str(data["kiosk_id"], "kiosk_id", 64)
    if not KIOSK_ID_PATTERN.match(kiosk_id):
        raise BatchError(422, "kiosk_id: not a kiosk id")
    day_text = _str(data["day"], "day", 10)
    try:
        if not DAY_PATTERN.match(day_text):
            raise ValueError
        day = date.fromisoformat(day_text)
    except ValueError:
        raise BatchError(422, f"day: {day_text!r} is not a date YYYY-MM-DD") from None
    if day > today + timedelta(days=settings.max_future_days):
        raise BatchError(422, f"day: {day_text} is in the future")
    if day < today - timedelta(days=settings.max_age_days):
        raise BatchError(422, f"day: {day_text} is older than {settings.max_age_days} days")
    part = _int(data["part"], "part", min(DAY_PARTS), max(DAY_PARTS))
    k = _int(data["k"], "k", max(settings.min_k, MIN_K), 1000)
    dropped = _int(data["dropped_batches"], "dropped_batches", 0, MAX_DROPPED_BATCHES)
    raw_cells = data["cells"]
    if not isinstance(raw_cells, list):
        raise BatchError(422, "cells: must be a list")
    if len(raw_cells) > MAX_CELLS_PER_BATCH:
        raise BatchError(422, f"cells: more than {MAX_CELLS_PER_BATCH} cells")
    metrics = allowed_metrics()
    seen: set[tuple[str, str]] = set()
    cells: list[tuple[str, str, int]] = []
    for index, cell in enumerate(raw_cells):
        where = f"cells[{index}]"
        if not isinstance(cell, dict) or set(cell) != {"metric", "value", "count"}:
            raise BatchError(422, f"{where}: must be an object with metric, value and count")
        metric = _str(cell["metric"], f"{where}.metric", MAX_METRIC_CHARS)
        if metric not in metrics:
            raise BatchError(422, f"{where}.metric: {metric!r} is not an allowed metric")
        value = _str(cell["value"], f"{where}.value", MAX_VALUE_CHARS)
        if not value_allowed(metric, value, metrics):
            raise BatchError(422, f"{where}.value: {value!r} is not allowed for {metric!r}")
        count = _int(cell["count"], f"{where}.count", 1, MAX_COUNT)
        if count < k:
            raise BatchError(422, f"{where}.count: {count} is under k={k} (must be suppressed)")
        if (metric, value) in seen:
            raise BatchError(422, f"{where}: {metric}={value} appears twice")
        seen.add((metric, value))
        cells.append((metric, value, count))
    canonical = canonical_json(
        {
            "schema": WIRE_SCHEMA,
            "kiosk_id": kiosk_id,
            "day": day_text,
            "part": part,
            "k": k,
            "dropped_batches": dropped,
            "cells": [{"metric": m, "value": v, "count": n} for m, v, n in sorted(cells)],
        }
    )
    return ValidBatch(kiosk_id, day_text, part, k, dropped, sorted(cells), canonical)


def batch_json_schema() -> dict[str, Any]:
    """The request body's JSON Schema (for the OpenAPI document and the fuzzer)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "kiosk_id", "day", "part", "k", "dropped_batches", "cells"],
        "properties": {
            "schema": {"type": "integer", "enum": [WIRE_SCHEMA]},
            "kiosk_id": {"type": "string", "pattern": KIOSK_ID_PATTERN.pattern},
            "day": {"type": "string", "pattern": DAY_PATTERN.pattern},
            "part": {"type": "integer", "minimum": 0, "maximum": 3},
            "k": {"type": "integer", "minimum": 1, "maximum": 1000},
            "dropped_batches": {"type": "integer", "minimum": 0},
            "cells": {
                "type": "array",
                "maxItems": MAX_CELLS_PER_BATCH,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["metric", "value", "count"],
                    "properties": {
                        "metric": {"type": "string", "maxLength": MAX_METRIC_CHARS},
                        "value": {"type": "string", "maxLength": MAX_VALUE_CHARS},
                        "count": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
                    },
                },
            },
        },
    }


def make_stats_router(
    *,
    stats_db: Callable[[], StatsDB],
    kiosk_auth: Callable[..., Any],
    settings: StatsSettings | None = None,
    clock: Callable[[], datetime] | None = None,
) -> APIRouter:
    """The stats router. `kiosk_auth` is the server's FastAPI dependency for a kiosk token;
    it must answer 401 itself for a bad token and return an object with the kiosk's id and
    airport (attributes `kiosk_id`/`id` and `airport`, or a mapping with those keys)."""
    settings = settings or StatsSettings()
    now = clock or (lambda: datetime.now(UTC))
    router = APIRouter()

    @router.put(
        "/api/v1/stats/{batch_id}",
        summary="Upload one sealed usage-statistics batch (idempotent by batch id)",
        tags=["kiosk"],
        responses={
            200: {"description": "already stored (same id, same body): not counted again"},
            201: {"description": "stored"},
            400: {"description": "malformed request"},
            401: {"description": "missing or invalid kiosk token"},
            403: {"description": "the batch names another kiosk"},
            409: {"description": "the id was used for a different body"},
            413: {"description": "body too large"},
            422: {"description": "a value breaks the rules; detail says which"},
            503: {"description": "the statistics store is busy; retry later"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": batch_json_schema()}},
            }
        },
    )
    async def put_stats(
        batch_id: str,
        request: Request,
        kiosk: Any = Depends(kiosk_auth),  # noqa: B008 (a closure: Annotated cannot see it)
    ) -> JSONResponse:
        try:
            # the body's size was capped by body_guard (request_limits: the stats rule), which
            # parsed it too (strict_json.PARSED_STATE)
            return await _store(batch_id, await request.body(), kiosk, request.scope)
        except BatchError as exc:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    async def _store(
        batch_id: str, body: bytes, kiosk: Any, scope: Mapping[str, Any]
    ) -> JSONResponse:
        try:
            parsed_id = uuid.UUID(batch_id)
        except ValueError:
            raise BatchError(400, "batch id: must be a UUID") from None
        if str(parsed_id) != batch_id or parsed_id.version != 4:
            raise BatchError(400, "batch id: must be a lower-case random (version 4) UUID")
        try:
            data = strict_json.guarded_loads(scope, body)
        except strict_json.JSONRejected as exc:
            raise BatchError(400, str(exc)) from None
        current = now()
        batch = validate_batch(data, settings=settings, today=current.date())
        who = _kiosk_identity(kiosk)
        if batch.kiosk_id != who.kiosk_id:
            raise BatchError(403, "kiosk_id: the batch names another kiosk than the token's")
        try:
            outcome = await stats_db().store_batch_async(
                batch_id=batch_id,
                kiosk_id=who.kiosk_id,
                airport=who.airport,
                day=batch.day,
                part=batch.part,
                cells=batch.cells,
                dropped_batches=batch.dropped_batches,
                body_sha256=hashlib.sha256(batch.canonical).hexdigest(),
                received_at=current.isoformat(timespec="seconds"),
            )
        except BatchConflict as exc:
            raise BatchError(409, str(exc)) from None
        except sqlite3.OperationalError as exc:  # busy or full disk: the kiosk retries later
            log.error("could not store statistics batch %s: %s", batch_id, exc)
            raise BatchError(503, "statistics store busy; retry later") from None
        status = 201 if outcome == "stored" else 200
        return JSONResponse(
            {"batch_id": batch_id, "stored": outcome == "stored", "cells": len(batch.cells)},
            status_code=status,
        )

    return router


def _kiosk_identity(kiosk: Any) -> AuthenticatedKiosk:
    if isinstance(kiosk, AuthenticatedKiosk):
        return kiosk
    if isinstance(kiosk, dict) or hasattr(kiosk, "keys"):
        kiosk_id, airport = kiosk.get("kiosk_id") or kiosk.get("id"), kiosk.get("airport")
    else:
        kiosk_id = getattr(kiosk, "kiosk_id", None) or getattr(kiosk, "id", None)
        airport = getattr(kiosk, "airport", None)
    if not kiosk_id or not airport:
        raise HTTPException(401, "kiosk token not recognised")
    return AuthenticatedKiosk(str(kiosk_id), str(airport))


def install(app: Any, settings: StatsSettings | None = None) -> StatsDB:
    """Add the stats endpoint to the server built by `create_app` (one line there).

    Uses `app.state.data` (the data folder: `stats.db` lives in it) and `app.state.clock`.
    """
    from admin_sync.server.auth import require_kiosk

    stats = getattr(app.state, "stats_db", None)
    if stats is None:
        stats = StatsDB(app.state.data.path / "stats.db")
        stats.migrate()
        app.state.stats_db = stats
    app.include_router(
        make_stats_router(
            stats_db=lambda: app.state.stats_db,
            kiosk_auth=require_kiosk,
            settings=settings,
            clock=app.state.clock,
        )
    )
    return stats
