"""Structured logs: one JSON object per line on stdout (time, level, logger, message, extras).

The server's lines are formatted and written by a thread of their own (`QueueListener`): the
event loop only hands each record over, it never waits for a write to stdout (one access-log
line per request was a tenth of the loop's time with 32 kiosks at once).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import queue
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType
from typing import TextIO

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's copy of the message with terminal colours
}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | str | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _HandOver(logging.handlers.QueueHandler):
    """Queue the record as it is: the writing thread formats it (exception included)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


def configure_json_logging(level: str = "info", stream: TextIO | None = None) -> Callable[[], None]:
    """Send the root logger and uvicorn's loggers to `stream` (stdout) as JSON lines, written by
    a thread of their own. Returns `stop`: it writes what is queued and ends the thread."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonLinesFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(records, handler)
    listener.start()
    root = logging.getLogger()
    root.handlers[:] = [_HandOver(records)]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # replaced by our request log
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            listener.stop()  # writes what is queued
            root.handlers[:] = [handler]  # later lines (if any) are written directly

    return stop


def flush_before_signals(stop: Callable[[], None], signals: tuple[int, ...]) -> None:
    """On each of `signals` (once uvicorn has shut down gracefully it raises the signal again,
    with the handler it found), write the queued lines with `stop`, then act as before."""

    def handler(sig: int, frame: FrameType | None) -> None:
        stop()
        signal.signal(sig, previous[sig] or signal.SIG_DFL)
        signal.raise_signal(sig)

    previous = {sig: signal.signal(sig, handler) for sig in signals}
