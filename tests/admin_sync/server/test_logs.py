"""The server's JSON log lines are written by a thread of their own, and none is lost at stop."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest

from admin_sync.server.logs import configure_json_logging


class RecordingStream(io.StringIO):
    """A stream that remembers which threads wrote to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[str] = set()

    def write(self, text: str) -> int:
        self.writers.add(threading.current_thread().name)
        return super().write(text)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_json_logging changes the root logger and uvicorn's: put them back after."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = [
        (logging.getLogger(n), logging.getLogger(n).handlers[:], logging.getLogger(n).level)
        for n in names
    ]
    saved_flags = [(lg, lg.propagate, lg.disabled) for lg, _, _ in saved]
    yield
    for logger, handlers, level in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
    for logger, propagate, disabled in saved_flags:
        logger.propagate, logger.disabled = propagate, disabled


def test_lines_are_written_off_the_calling_thread_and_all_reach_the_stream(
    restored_logging: None,
) -> None:
    stream = RecordingStream()
    stop = configure_json_logging("info", stream)
    log = logging.getLogger("safe_airports.test")
    for n in range(200):
        log.info("request %d", n, extra={"ms": 1.5, "path": "/api/v1/heartbeat"})
    try:
        raise ValueError("broken")
    except ValueError:
        log.exception("it failed")
    logging.getLogger("uvicorn.error").info("Finished server process [1]")
    stop()
    stop()  # a second stop is harmless (SIGTERM after the normal end)
    logging.getLogger("safe_airports.test").warning("after stop")  # written directly
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e["message"] for e in lines[:200]] == [f"request {n}" for n in range(200)]
    assert lines[0]["ms"] == 1.5 and lines[0]["path"] == "/api/v1/heartbeat"
    assert lines[0]["level"] == "info" and lines[0]["logger"] == "safe_airports.test"
    assert lines[200]["message"] == "it failed"
    assert 'raise ValueError("broken")' in lines[200]["exception"]
    assert lines[201]["message"] == "Finished server process [1]"
    assert lines[202]["message"] == "after stop"
    assert len(lines) == 203
    # the 202 lines before stop were written by the listener thread, not by this one
    assert threading.current_thread().name in stream.writers  # the line after stop
    assert len(stream.writers) == 2
