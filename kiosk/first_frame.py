"""The kiosk's first-frame record: written once the first frame is drawn (Qt-free).

The sync agent reads it to tell that a newly installed software version works
(admin_sync/agent/software_update.py): the record names the software version that drew the
frame. It sits next to the usage counters, the one folder both the kiosk and the agent may write.
"""

from __future__ import annotations

import logging
import os
import time
from importlib import metadata
from pathlib import Path

from admin_sync.protocol import FIRST_FRAME_FILE, FirstFrame
from content.durable import write_atomic

log = logging.getLogger("safe_airports.kiosk")


def running_version() -> str:
    try:
        return metadata.version("safe-airports")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def first_frame_path(usage_file: Path) -> Path:
    return usage_file.parent / FIRST_FRAME_FILE


def write_first_frame(usage_file: Path) -> None:
    """Record that this process drew its first frame; a failure is logged, never fatal."""
    record = FirstFrame(running_version(), os.getpid(), time.time())
    try:
        write_atomic(first_frame_path(usage_file), record.to_bytes())
    except OSError as exc:
        log.warning("cannot write the first-frame record: %s", exc)
