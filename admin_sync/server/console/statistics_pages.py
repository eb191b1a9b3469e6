"""Statistics: the charts page, the CSV export and the programme report, for a chosen period.

All three read the same query string (`from`, `to` as YYYY-MM-DD, `airport` as an IATA code)
through the `chosen_period` dependency: missing or bad values fall back to the last
`stats_default_days` days up to the server's today, and each correction is noted on the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from admin_sync.server.console.access import SignedInDep
from admin_sync.server.console.charts import bar_chart, day_range, line_chart
from admin_sync.server.console.pages import AIRPORTS, secure
from admin_sync.server.console.providers import ClockDep, SettingsDep, StatsDep
from admin_sync.server.stats_db import StatsFilter
from admin_sync.stats_wire import DEFAULT_K, SUPPRESSED

router = APIRouter(prefix="/console", include_in_schema=False)

METRIC_TITLES = {
    "language": "Languages chosen",
    "destination": "Destinations looked at",
    "topic": "Topics opened",
    "qr_shown": "QR codes shown",
    "session_length": "Session lengths",
}
QR_KINDS = {
    "tel": "phone number",
    "url": "web page",
    "messenger": "messenger",
    "vcard": "contact card",
}
MAX_RANGE_DAYS = 800


@dataclass(frozen=True)
class Period:
    """The filter the statistics pages show, and what was corrected in the request."""

    flt: StatsFilter
    day_from: date
    day_to: date
    notes: list[str] = field(default_factory=list)


def parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def chosen_period(request: Request, clock: ClockDep, settings: SettingsDep) -> Period:
    notes: list[str] = []
    q = request.query_params
    today = clock().date()
    day_to = parse_day(q.get("to")) or today
    day_from = parse_day(q.get("from")) or day_to - timedelta(days=settings.stats_default_days - 1)
    for name in ("from", "to"):
        if q.get(name) and parse_day(q.get(name)) is None:
            notes.append(f"'{q.get(name)}' is not a date (YYYY-MM-DD); showing defaults.")
    if day_from > day_to:
        notes.append("The start date was after the end date; they were swapped.")
        day_from, day_to = day_to, day_from
    if (day_to - day_from).days > MAX_RANGE_DAYS:
        day_from = day_to - timedelta(days=MAX_RANGE_DAYS)
        notes.append(f"Ranges are limited to {MAX_RANGE_DAYS} days.")
    airport = q.get("airport") or None
    if airport is not None and airport not in AIRPORTS:
        notes.append(f"Unknown airport {airport!r}; showing all.")
        airport = None
    flt = StatsFilter(airport, day_from.isoformat(), day_to.isoformat())
    return Period(flt, day_from, day_to, notes)


PeriodDep = Annotated[Period, Depends(chosen_period)]


def labelled(metric: str, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Rows of a breakdown with readable labels (merged small groups, kinds of QR code)."""
    out = []
    for value, count in rows:
        if value == SUPPRESSED:
            label = "other (small groups merged)"
        elif metric == "qr_shown":
            label = QR_KINDS.get(value, value)
        else:
            label = value
        out.append((label, count))
    return out


@router.get("/stats")
def stats_page(request: Request, you: SignedInDep, period: PeriodDep, stats: StatsDep) -> Response:
    flt = period.flt
    days = day_range(period.day_from, period.day_to)
    sessions = line_chart("Sessions per day, by airport", stats.sessions_per_day(flt), days)
    bars = [
        bar_chart(title, labelled(metric, stats.breakdown(metric, flt)))
        for metric, title in METRIC_TITLES.items()
    ]
    help_rows = [(AIRPORTS.get(a, a), n) for a, n in stats.by_airport("help_opened", flt)]
    bars.insert(4, bar_chart("Help screen opened, by airport", help_rows))
    return you.render(
        "stats.html",
        title="Statistics",
        flt=flt,
        notes=period.notes,
        sessions=sessions,
        bars=bars,
        query=request.url.query,
        k=DEFAULT_K,
    )


@router.get("/stats.csv")
def stats_csv(you: SignedInDep, period: PeriodDep, stats: StatsDep) -> Response:
    flt = period.flt

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["day", "airport", "kiosk", "day_part", "metric", "value", "count"])
        for row in stats.rows(flt):
            writer.writerow(row)
            if buffer.tell() > 16384:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    name = f"safe-airports-stats-{flt.day_from}-{flt.day_to}.csv"
    response = StreamingResponse(lines(), media_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return secure(response)


@router.get("/report")
def report(request: Request, you: SignedInDep, period: PeriodDep, stats: StatsDep) -> Response:
    flt = period.flt
    rows = stats.people_reached(flt)
    return you.render(
        "report.html",
        title="Programme report",
        flt=flt,
        notes=period.notes,
        rows=[(AIRPORTS.get(a, a), a, n, kiosks, d) for a, n, kiosks, d in rows],
        total=sum(r[1] for r in rows),
        languages=labelled("language", stats.breakdown("language", flt))[:8],
        destinations=labelled("destination", stats.breakdown("destination", flt))[:8],
        help_total=sum(n for _, n in stats.by_airport("help_opened", flt)),
        qr_total=sum(n for _, n in stats.breakdown("qr_shown", flt)),
        dropped=stats.dropped_reported(),
        k=DEFAULT_K,
        query=request.url.query,
    )
