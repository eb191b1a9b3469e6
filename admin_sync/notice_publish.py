"""Signing the urgent notices: one TUF target, `notices.json`, beside the live release.

The notices file holds every notice not withdrawn and not yet expired (scheduled ones too, so a
kiosk shows them at their start with no network). Publishing it signs a new targets version
that keeps the release's targets as they are (`TufRepository.put_targets`): kiosks fetch it at
their next check without a new content version. A release published later keeps the live
notices target (`publish.STANDING_TARGETS`).
"""

from __future__ import annotations

import logging

from admin_sync.datadir import DataDir
from admin_sync.keys import KeyFileError
from admin_sync.server.db import Database
from admin_sync.server.notices_db import live_notices
from admin_sync.tuf_repo import (
    HASH_ALGORITHM,
    Clock,
    Expiries,
    RepositoryError,
    hashed_target_name,
    utc_now,
)
from content.notices import NOTICES_TARGET, NoticeError, NoticeSet, format_time

log = logging.getLogger("safe_airports.notices")


class NoticePublishError(Exception):
    """The notices could not be signed (no repository yet, unreadable keys); nothing changed for
    kiosks."""


def live_notice_serial(data: DataDir) -> int:
    """The serial of the notices the repository serves now (0 when none)."""
    repo = data.repository()
    info = repo.targets().signed.targets.get(NOTICES_TARGET)
    if info is None:
        return 0
    blob = data.store().read_target(hashed_target_name(NOTICES_TARGET, info.hashes[HASH_ALGORITHM]))
    try:
        return NoticeSet.from_bytes(blob).serial if blob else 0
    except NoticeError:
        return 0


def publish_notices(
    data: DataDir,
    *,
    db: Database | None = None,
    clock: Clock = utc_now,
    expiries: Expiries | None = None,
) -> NoticeSet:
    """Sign the server's live notices as the `notices.json` target; returns what was signed."""
    with data.lock():
        repo = data.repository(clock=clock, expiries=expiries)
        if not repo.is_initialized():
            raise NoticePublishError(
                f"{data.path}: no TUF repository here; run `safe-airports admin init-keys` first"
            )
        now = clock()
        notices = NoticeSet(
            serial=live_notice_serial(data) + 1,
            published_at=format_time(now),
            notices=tuple(live_notices(db or data.database(), now)),
        )
        try:
            version = repo.put_targets({NOTICES_TARGET: notices.to_bytes()}, data.online_signers())
        except (RepositoryError, KeyFileError) as exc:
            log.error("notices not signed: %s", exc)
            raise NoticePublishError(f"the server cannot sign now: {exc}") from exc
    log.info(
        "signed %d notice(s) as notices serial %d (targets version %d)",
        len(notices.notices),
        notices.serial,
        version,
    )
    return notices
