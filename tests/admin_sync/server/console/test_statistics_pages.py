"""Statistics pages: the chosen period (clock and settings by override), labels, CSV, report."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from admin_sync.server.console import providers
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.console.statistics_pages import labelled, parse_day
from admin_sync.server.stats_db import StatsDB
from tests.admin_sync.console_env import ConsoleEnv


def filter_values(page: str) -> tuple[str, str]:
    def value(field_id: str) -> str:
        start = page.index(f'id="{field_id}"')
        return page[start:].split('value="', 1)[1].split('"', 1)[0]

    return value("f-from"), value("f-to")


def test_parse_day() -> None:
    assert str(parse_day("2026-02-28")) == "2026-02-28"
    for text in (None, "", "2026-02-30", "26-02-01", "2026-2-1", "2026-02-01T00:00"):
        assert parse_day(text) is None


def test_labelled() -> None:
    rows = [("tel", 7), ("vcard", 5), ("_suppressed", 9), ("other", 5)]
    assert labelled("qr_shown", rows) == [
        ("phone number", 7),
        ("contact card", 5),
        ("other (small groups merged)", 9),
        ("other", 5),
    ]
    assert labelled("language", [("ru", 3)]) == [("ru", 3)]


def test_default_period_comes_from_the_clock_and_settings(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    assert filter_values(env.client.get("/console/stats").text) == ("2026-10-24", "2026-11-22")
    env.override(providers.clock, lambda: datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    env.override(providers.console_settings, ConsoleSettings(stats_default_days=7))
    for path in ("/console/stats", "/console/report"):
        assert filter_values(env.client.get(path).text) == ("2027-02-23", "2027-03-01")
    csv_name = env.client.get("/console/stats.csv").headers["content-disposition"]
    assert "safe-airports-stats-2027-02-23-2027-03-01.csv" in csv_name


def test_bad_ranges_are_corrected_and_said(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    page = env.client.get("/console/stats?from=2026-11-20&to=2026-11-01&airport=XYZ").text
    assert "they were swapped" in page and "Unknown airport &#39;XYZ&#39;" in page
    assert filter_values(page) == ("2026-11-01", "2026-11-20")
    page = env.client.get("/console/report?from=2020-01-01&to=2026-11-22").text
    assert "Ranges are limited to 800 days." in page
    assert filter_values(page) == ("2024-09-13", "2026-11-22")


def test_pages_read_the_statistics_database_they_are_given(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    assert env.upload_batch("2026-11-21", 1, [("session", "start", 23)]).status_code == 201
    url = "?from=2026-11-01&to=2026-11-22"
    assert "<strong>23</strong> kiosk sessions" in env.client.get("/console/report" + url).text
    empty = StatsDB(tmp_path / "empty-stats.db")
    empty.migrate()
    env.override(providers.stats_db, empty)
    assert "<strong>0</strong> kiosk sessions" in env.client.get("/console/report" + url).text
    rows = list(csv.reader(io.StringIO(env.client.get("/console/stats.csv" + url).text)))
    assert rows == [["day", "airport", "kiosk", "day_part", "metric", "value", "count"]]
