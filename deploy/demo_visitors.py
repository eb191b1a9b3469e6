"""Demo only: play visitor sessions through the real kiosk so that the statistics have data.

    python deploy/demo_visitors.py --config .demo/kiosk/kiosk.toml --sessions 60

The kiosk's usage counters only leave a kiosk once their 6-hour part of the day is over, and
cells under k are suppressed. So that `make demo` shows real uploads at once, this script runs
the real kiosk app offscreen (its controller, content and usage recorder) and taps through
scripted sessions with the usage clock set to yesterday morning. The agent then seals and
uploads those counters exactly as it would on a kiosk at an airport.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path


def yesterday_morning(now: datetime | None = None) -> datetime:
    now = now or datetime.now()
    return (now - timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)


def play(config: Path, sessions: int, seed: int = 7) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    from kiosk.app import KioskApp
    from kiosk.settings import load_settings

    settings = load_settings(config)
    when = yesterday_morning()
    app = KioskApp(settings, windowed=True, usage_clock=lambda: when)
    c = app.controller
    cache = c.cache
    airport = cache.airport(settings.airport, "en")
    languages = [lang.id for lang in airport.languages]
    destinations = [dest.id for dest in airport.destinations]
    topics = [topic.id for topic in cache.topics("en")]
    rng = random.Random(seed)
    for _ in range(sessions):
        c.start()
        # Most visitors read the airport's first languages and go to its first destinations.
        c.chooseLanguage(rng.choices(languages, weights=range(len(languages), 0, -1))[0])
        c.openDestination(rng.choices(destinations, weights=range(len(destinations), 0, -1))[0])
        for topic in rng.sample(topics, rng.randint(1, 3)):
            c.openTopic(topic)
            c.back()
        if rng.random() < 0.6:
            c.openHelp()
        c.finish()
    app.recorder.flush()
    app.recorder.close()
    return sessions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True, help="the demo kiosk's TOML file")
    parser.add_argument("--sessions", type=int, default=60)
    args = parser.parse_args(argv)
    played = play(args.config, args.sessions)
    print(f"played {played} visitor sessions dated {yesterday_morning():%Y-%m-%d} (morning)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
