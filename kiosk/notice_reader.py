"""The kiosk's reader of the urgent notices the agent stores beside the installed content
(`content_dir/notices.json`, see content/notices.py). Qt-free.

The file is read again only when it changed (size and modification time), and is asked at each
screen build which notices are live by the kiosk's own clock: a notice appears at its start and
disappears at its expiry with no network. A missing or damaged file shows no notices (logged
once per change), never an error on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from content.notices import (
    NOTICES_FILE,
    Notice,
    NoticeError,
    ShownNotice,
    notices_for,
    read_notice_set,
)

log = logging.getLogger("safe_airports.kiosk")


class NoticeReader:
    def __init__(self, content_dir: Path) -> None:
        self.path = content_dir / NOTICES_FILE
        self._seen: tuple[int, int] | None = None
        self._notices: tuple[Notice, ...] = ()
        self.serial: int | None = None  # of the file read last (None: none, or damaged)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def notices(self) -> tuple[Notice, ...]:
        """Every notice of the file (live or not), re-read when the file changed."""
        stamp = self._stamp()
        if stamp != self._seen:
            self._seen = stamp
            try:
                found = read_notice_set(self.path) if stamp else None
            except (OSError, NoticeError) as exc:
                log.warning("urgent notices not shown: %s: %s", self.path, exc)
                found = None
            self._notices = found.notices if found else ()
            self.serial = found.serial if found else None
        return self._notices

    def shown(
        self, *, now: datetime, airport: str, destination: str, chain: Sequence[str]
    ) -> tuple[ShownNotice, ...]:
        """The banners a screen shows now (see content.notices.notices_for)."""
        return notices_for(
            self.notices(), now=now, airport=airport, destination=destination, chain=chain
        )
