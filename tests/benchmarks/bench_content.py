"""Benchmark of the content cache: build time and size (sample and a 10x synthetic release),
and the read API the kiosk calls on every tap.

`python -m tests.benchmarks content` runs it. Times are measured with time.perf_counter over
several runs; the minimum and median are reported (the minimum is the least noisy on a shared
machine).
"""

from __future__ import annotations

import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from content.build import build_cache
from content.cache import ContentCache, NotFound
from content.installed import InstalledStore
from content.model import GENERAL_SCOPE, Content
from content.parts import join_parts, split_parts
from content.source import load_source

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"
BUILD_RUNS = 5
BIG_BUILD_RUNS = 3
READ_CALLS = 2000


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(min, median) seconds of fn over runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def per_call_ms(fn: Callable[[Any], Any], args: list[Any]) -> dict[str, float]:
    times = []
    for arg in args:
        start = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 4),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 4),
        "max_ms": round(times[-1], 4),
    }


def tenfold(content: Content) -> Content:
    """A release 10x larger: nine more copies of every destination with all its contacts and
    articles, and nine synthetic destinations holding copies of the general articles."""
    copies = range(1, 10)
    own = [d for d in content.destinations if d.kind == "destination"]
    synthetic = [replace(own[0], id=f"G{n}", name={"en": f"Synthetic {n}"}) for n in copies]
    destinations = (
        *content.destinations,
        *(replace(d, id=f"{d.id}{n}") for d in own for n in copies),
        *synthetic,
    )
    articles = (
        *content.articles,
        *(
            replace(
                a,
                scope=f"{'G' if a.scope == GENERAL_SCOPE else a.scope}{n}",
                body=f"{a.body}\n\nCopy {n}.\n",  # distinct text, as in a real release
            )
            for a in content.articles
            for n in copies
        ),
    )
    own_ids = {d.id for d in own}
    contacts = (
        *content.contacts,
        *(
            replace(c, id=f"{c.id}-{n}", country=f"{c.country}{n}")
            for c in content.contacts
            if c.country in own_ids
            for n in copies
        ),
    )
    airports = tuple(
        replace(
            a,
            destinations=(
                *a.destinations,
                *(f"{d}{n}" for d in a.destinations for n in copies),
                *(d.id for d in synthetic),
            ),
        )
        for a in content.airports
    )
    return replace(
        content, destinations=destinations, articles=articles, contacts=contacts, airports=airports
    )


def run() -> dict[str, Any]:
    figures: dict[str, Any] = {}
    start = time.perf_counter()
    content, report = load_source(SAMPLE)
    figures["sample_load_s"] = round(time.perf_counter() - start, 4)
    if report.errors:
        raise RuntimeError(f"the sample does not load: {report.errors[:3]}")
    big = tenfold(content)
    figures["sample_articles"] = len(content.articles)
    figures["big_articles"] = len(big.articles)
    figures["big_destinations"] = sum(1 for d in big.destinations if d.kind == "destination")
    figures["big_contacts"] = len(big.contacts)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sample_db, big_db = tmp / "sample.db", tmp / "big.db"
        best, median = timed(lambda: build_cache(content, sample_db, content_version=1), BUILD_RUNS)
        figures["sample_build_s"] = {"min": round(best, 4), "median": round(median, 4)}
        figures["sample_cache_bytes"] = sample_db.stat().st_size
        best, median = timed(lambda: build_cache(big, big_db, content_version=1), BIG_BUILD_RUNS)
        figures["big_build_s"] = {"min": round(best, 4), "median": round(median, 4)}
        figures["big_cache_bytes"] = big_db.stat().st_size

        parts = split_parts(big)
        figures["big_parts"] = len(parts)
        figures["big_parts_bytes"] = sum(len(p) for p in parts.values())
        best, _ = timed(lambda: join_parts(split_parts(big)), 3)
        figures["big_split_join_s"] = round(best, 4)

        store = InstalledStore(tmp / "store")
        best, _ = timed(
            lambda: InstalledStore(tmp / f"s{time.perf_counter_ns()}").install_file(big_db), 3
        )
        figures["big_install_s"] = round(best, 4)
        del store

        best, _ = timed(lambda: ContentCache.open(big_db).close(), 20)
        figures["open_ms"] = round(best * 1000, 3)
        figures.update(read_api_figures(big_db, big))
    return figures


def read_api_figures(path: Path, content: Content) -> dict[str, Any]:
    rng = random.Random(7)
    figures: dict[str, Any] = {}
    with ContentCache.open(path) as cache:
        airports = {a.id: a for a in content.airports}
        taps = []
        for _ in range(READ_CALLS):
            airport = airports[rng.choice(sorted(airports))]
            taps.append(
                (
                    rng.choice(airport.destinations),
                    rng.choice(content.topics).id,
                    rng.choice(airport.languages),
                )
            )

        def article(tap: tuple[str, str, str]) -> None:
            with contextlib.suppress(NotFound):
                cache.article(*tap)

        figures["article_lookup"] = per_call_ms(article, taps)
        figures["airport_view"] = per_call_ms(
            lambda a: cache.airport(a, "ru"), [rng.choice(sorted(airports)) for _ in range(500)]
        )
        figures["topics"] = per_call_ms(lambda lang: cache.topics(lang), ["uz"] * 500)
        figures["help_contacts"] = per_call_ms(
            lambda t: cache.help_contacts(t[0], "UZ", t[2]), taps[:500]
        )
        queries = ["p", "pa", "pas", "pasp", "passport", "reg", "регистр", "ish", "oʻz", "ýaşa"]
        figures["search_as_you_type"] = per_call_ms(
            lambda q: cache.search("ru" if q[0] in "рп" else "uz", q), queries * 20
        )
        figures["ui_strings"] = per_call_ms(lambda lang: cache.ui_strings(lang), ["ky"] * 200)
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
