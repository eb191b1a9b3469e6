"""Fetching the urgent notices at each check: the signed `notices.json` target, verified by TUF
(length and sha256 from the signed targets metadata), checked, and written atomically next to
the installed content (`content_dir/notices.json`, `content.durable.write_atomic`: temporary
file, fsync, rename, fsync of the folder), where the kiosk reads it.

A tampered file is refused by python-tuf (the caller logs why and keeps what it has); a file
whose serial is lower than the stored one is refused too, even if TUF's local state was lost.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from tuf.ngclient import Updater

from content.durable import write_atomic
from content.notices import NOTICES_TARGET, NoticeError, NoticeSet

log = logging.getLogger("safe_airports.sync")


def _stored(path: Path) -> tuple[bytes | None, NoticeSet | None]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    try:
        return data, NoticeSet.from_bytes(data)
    except NoticeError as exc:  # damaged locally: replaced by the signed one
        log.warning("the stored notices file is damaged (%s); replacing it", exc)
        return data, None


def sync_notices(updater: Updater, download_dir: Path, path: Path) -> str:
    """Bring `path` up to the signed notices; returns what happened in a few words.

    Raises python-tuf's errors for a tampered or oversized file, NoticeError for a malformed or
    older one: the stored notices are then left as they were."""
    info = updater.get_targetinfo(NOTICES_TARGET)
    if info is None:
        return "none published"
    data, current = _stored(path)
    if data is not None and (
        len(data) == info.length and hashlib.sha256(data).hexdigest() == info.hashes.get("sha256")
    ):
        return "up to date"
    tmp = download_dir / "notices.json.download"
    updater.download_target(info, str(tmp))
    fetched = tmp.read_bytes()
    tmp.unlink(missing_ok=True)
    notices = NoticeSet.from_bytes(fetched)
    if current is not None and notices.serial < current.serial:
        raise NoticeError(
            f"server offers notices serial {notices.serial}, older than the stored "
            f"{current.serial}: refusing them"
        )
    write_atomic(path, fetched)
    log.info(
        "stored %d urgent notice(s) (serial %d) in %s", len(notices.notices), notices.serial, path
    )
    return f"stored serial {notices.serial}"
