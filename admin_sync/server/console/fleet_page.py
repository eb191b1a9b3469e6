"""The fleet page: every kiosk, whether it is online, late or offline, and what it runs.

The status comes from the age of the kiosk's last heartbeat, measured with the server's clock
against the console's `late_after_minutes` and `offline_after_minutes`. `fleet_rows` is a pure
function of the kiosks, their heartbeats, the time and the latest release.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response

from admin_sync.datadir import DataDir
from admin_sync.notice_publish import live_notice_serial
from admin_sync.rollout_publish import RolloutActionError, RolloutStatus, rollout_status
from admin_sync.server import registry
from admin_sync.server.console.access import SignedInDep
from admin_sync.server.console.pages import AIRPORTS
from admin_sync.server.console.providers import ClockDep, DataDep, ServerDbDep, SettingsDep
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.kiosk_api import stats_rejections
from admin_sync.server.notices_db import kiosk_notice_serials, notice_note
from admin_sync.server.registry import Heartbeat, Kiosk

router = APIRouter(prefix="/console", include_in_schema=False)

STATUSES = ("online", "late", "offline", "never seen", "revoked")


@dataclass(frozen=True)
class FleetRow:
    kiosk: Kiosk
    airport_name: str
    status: str  # one of STATUSES
    last_seen: str  # "12 min ago"
    received_at: str | None
    content_version: int | None
    version_note: str  # "up to date", "2 behind", "unknown"
    app_version: str | None
    free_disk: int | None
    last_error: str | None


def kiosk_status(kiosk: Kiosk, age_min: float | None, settings: ConsoleSettings) -> str:
    """One of STATUSES, from the age of the last heartbeat in minutes (None: never)."""
    if kiosk.revoked:
        return "revoked"
    if age_min is None:
        return "never seen"
    if age_min <= settings.late_after_minutes:
        return "online"
    if age_min <= settings.offline_after_minutes:
        return "late"
    return "offline"


def version_note(version: int | None, latest: int | None, staged: int | None = None) -> str:
    """How a kiosk's content version compares with the release for all (`latest`) and the
    staged release (staged rollout), if any."""
    if version is not None and version == staged:
        return "staged release"
    if version is None or latest is None:
        return "unknown"
    if version >= latest:
        return "up to date"
    return f"{latest - version} behind"


def fleet_rows(
    kiosks: list[Kiosk],
    beats: dict[str, Heartbeat],
    *,
    now: datetime,
    latest: int | None,
    settings: ConsoleSettings,
    staged: int | None = None,
) -> list[FleetRow]:
    rows = []
    for kiosk in kiosks:
        beat = beats.get(kiosk.id)
        age_min: float | None = None
        if beat is not None:
            seen = datetime.fromisoformat(beat.received_at)
            age_min = max(0.0, (now - seen).total_seconds() / 60)
        version = beat.content_version if beat else None
        rows.append(
            FleetRow(
                kiosk=kiosk,
                airport_name=AIRPORTS.get(kiosk.airport, kiosk.airport),
                status=kiosk_status(kiosk, age_min, settings),
                last_seen=ago(age_min),
                received_at=beat.received_at if beat else None,
                content_version=version,
                version_note=version_note(version, latest, staged),
                app_version=beat.app_version if beat else None,
                free_disk=beat.free_disk_bytes if beat else None,
                last_error=beat.last_error if beat else None,
            )
        )
    return rows


def latest_notices_serial(data: DataDir) -> int:
    """The serial of the urgent notices the server signs now (0: none, or no repository)."""
    return live_notice_serial(data) if data.repository().is_initialized() else 0


def ago(minutes: float | None) -> str:
    if minutes is None:
        return "never"
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes:.0f} min ago"
    if minutes < 48 * 60:
        return f"{minutes / 60:.0f} h ago"
    return f"{minutes / 1440:.0f} days ago"


@router.get("/fleet")
def fleet(
    you: SignedInDep, db: ServerDbDep, data: DataDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    latest = data.latest_content_version()
    try:
        rollout: RolloutStatus | None = rollout_status(data)
    except RolloutActionError:  # a damaged staged file: the releases page says so
        rollout = None
    staged = rollout.staged if rollout else None
    if rollout is not None and staged is not None:
        latest = rollout.general_version  # the staged one is not everyone's yet
    rows = fleet_rows(
        registry.list_kiosks(db),
        registry.latest_heartbeats(db),
        now=clock(),
        latest=latest,
        settings=settings,
        staged=staged.version if staged else None,
    )
    notices_latest = latest_notices_serial(data)
    serials = kiosk_notice_serials(db)
    notices = {row.kiosk.id: notice_note(serials.get(row.kiosk.id), notices_latest) for row in rows}
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return you.render(
        "fleet.html",
        title="Fleet",
        rows=rows,
        rejections=stats_rejections(db),
        counts=counts,
        latest=latest,
        settings=settings,
        staged=staged,
        notices=notices,
        notices_latest=notices_latest,
    )
