"""One update check: refresh signed metadata, fetch the changed parts, install the new content.

Every cycle uses a new `tuf.ngclient.Updater` bootstrapped from the root metadata the kiosk was
provisioned with; python-tuf then walks any root rotations, and checks the timestamp, snapshot
and targets metadata against what it saw last time (kept in `state_dir/tuf`). Anything refused
leaves the installed content untouched, and the reason is logged in plain words.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tuf.api import exceptions as tuf_errors
from tuf.ngclient import FetcherInterface, Updater, UpdaterConfig

from admin_sync.agent.install import Installer
from admin_sync.agent.notices_sync import sync_notices
from admin_sync.agent.part_cache import PartCache
from admin_sync.agent.release_choice import choose_release
from admin_sync.protocol import (
    TUF_PATH,
    ProtocolError,
    ReleaseManifest,
    part_target,
)
from admin_sync.rollout import KioskIdentity
from content.durable import write_atomic
from content.notices import NoticeError

log = logging.getLogger("safe_airports.sync")

# Caps for metadata with no signed length (python-tuf's defaults are larger than we need).
UPDATER_CONFIG = UpdaterConfig(
    root_max_length=256_000,
    timestamp_max_length=16_384,
    snapshot_max_length=1_000_000,
    targets_max_length=4_000_000,
    app_user_agent="safe-airports-agent",
)


@dataclass
class UpdateReport:
    outcome: str  # installed | up-to-date | no-release | refused | failed
    message: str
    offered_version: int | None = None
    installed_version: int | None = None
    bytes_fetched: int = 0
    parts_total: int = 0
    parts_downloaded: int = 0
    parts_reused: int = 0
    part_bytes_downloaded: int = 0
    parts_skipped: int = 0  # audio of languages this kiosk's airport does not play
    notices: str = ""  # what the urgent notices step did (notices_sync)

    @property
    def ok(self) -> bool:
        return self.outcome in {"installed", "up-to-date", "no-release"}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(exc: BaseException) -> str:
    """A plain-words reason for a refused or failed update."""
    detail = str(exc) or exc.__class__.__name__
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return f"the server's signed metadata has expired (frozen or stale server): {detail}"
    if isinstance(exc, tuf_errors.BadVersionNumberError):
        return f"metadata version is older than what this kiosk already trusts (rollback): {detail}"
    if isinstance(exc, tuf_errors.UnsignedMetadataError):
        return f"metadata is not signed by the trusted keys: {detail}"
    if isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        return f"a downloaded file does not match its signed length or hash (tampered): {detail}"
    if isinstance(exc, tuf_errors.DownloadLengthMismatchError):
        return f"the server sent more data than the signed metadata allows: {detail}"
    if isinstance(exc, tuf_errors.SlowRetrievalError):
        return f"the server is too slow: {detail}"
    if isinstance(exc, tuf_errors.DownloadHTTPError) and exc.status_code == 401:
        return f"the server does not know this kiosk's token (HTTP 401): {detail}"
    if isinstance(exc, tuf_errors.DownloadHTTPError) and exc.status_code == 403:
        return f"the server refused this kiosk: token revoked (HTTP 403): {detail}"
    if isinstance(exc, tuf_errors.DownloadHTTPError):
        return f"the server answered with an error: {detail}"
    if isinstance(exc, tuf_errors.DownloadError):
        return f"cannot download from the server: {detail}"
    if isinstance(exc, tuf_errors.RepositoryError):
        return f"signed metadata refused: {detail}"
    if isinstance(exc, NoticeError):
        return f"the urgent notices were refused: {detail}"
    if isinstance(exc, ProtocolError):
        return f"the release manifest is malformed: {detail}"
    return f"{exc.__class__.__name__}: {detail}"


def _is_refusal(exc: BaseException) -> bool:
    return isinstance(
        exc,
        tuf_errors.RepositoryError
        | tuf_errors.DownloadLengthMismatchError
        | ProtocolError
        | NoticeError,
    )


def repository_url(server_url: str, tuf_url: str | None = None) -> str:
    """Where the signed repository is (no trailing slash): `tuf_url`, a mirror, when set;
    otherwise the server's own `/tuf`."""
    if tuf_url:
        return tuf_url.rstrip("/")
    return server_url.rstrip("/") + TUF_PATH


def repository_updater(
    *,
    tuf_url: str,
    metadata_dir: Path,
    download_dir: Path,
    fetcher: FetcherInterface,
    trusted_root: bytes,
) -> Updater:
    """A python-tuf updater for the repository at `tuf_url` (its metadata/ and targets/)."""
    return Updater(
        metadata_dir=str(metadata_dir),
        metadata_base_url=tuf_url + "/metadata/",
        target_base_url=tuf_url + "/targets/",
        target_dir=str(download_dir),
        fetcher=fetcher,
        config=UPDATER_CONFIG,
        bootstrap=trusted_root,
    )


def check_for_update(
    *,
    server_url: str,
    tuf_url: str | None = None,
    trusted_root: bytes,
    state_dir: Path,
    fetcher: FetcherInterface,
    installer: Installer,
    counter: object | None = None,
    notices_path: Path | None = None,
    kiosk: KioskIdentity | None = None,
    airports: tuple[str, ...] = (),
) -> UpdateReport:
    """Run one update check; never raises for network or trust problems (see the report).

    `tuf_url`: a mirror of the signed repository (None: the server's own `/tuf/`).
    `airports`: where this kiosk stands; only those airports' audio is fetched (empty: all).

    `counter` is the object whose `bytes_received` counts the bytes fetched (normally the
    fetcher itself). `notices_path`: where the signed urgent notices are kept (not fetched
    when None). `kiosk`: who this kiosk is, for staged releases (None: only releases to all)."""
    counter = counter if counter is not None else fetcher
    start_bytes = getattr(counter, "bytes_received", 0)
    installed: int | None = None
    notes: dict[str, str] = {}

    def fetched() -> int:
        return getattr(counter, "bytes_received", 0) - start_bytes

    try:
        installed = installer.installed_version()  # a damaged record stops the update here
        report = _check(
            tuf_url=repository_url(server_url, tuf_url),
            trusted_root=trusted_root,
            state_dir=state_dir,
            fetcher=fetcher,
            installer=installer,
            installed=installed,
            notices_path=notices_path,
            notes=notes,
            kiosk=kiosk,
            airports=airports,
        )
    except Exception as exc:
        reason = explain(exc)
        outcome = "refused" if _is_refusal(exc) else "failed"
        verb = "refused the update" if outcome == "refused" else "update failed"
        log.warning(
            "%s: %s; keeping installed content version %s", verb, reason, installed or "none"
        )
        return UpdateReport(
            outcome=outcome,
            message=reason,
            installed_version=installed,
            bytes_fetched=fetched(),
            notices=notes.get("notices", ""),
        )
    report.bytes_fetched = fetched()
    report.notices = notes.get("notices", "")
    if report.outcome == "installed":
        log.info("this update cost %d bytes from the server (metadata included)", fetched())
    return report


def _check(
    *,
    tuf_url: str,
    trusted_root: bytes,
    state_dir: Path,
    fetcher: FetcherInterface,
    installer: Installer,
    installed: int | None,
    notices_path: Path | None = None,
    notes: dict[str, str] | None = None,
    kiosk: KioskIdentity | None = None,
    airports: tuple[str, ...] = (),
) -> UpdateReport:
    metadata_dir = state_dir / "tuf"
    metadata_dir.mkdir(parents=True, exist_ok=True)
    download_dir = state_dir / "downloads"
    download_dir.mkdir(parents=True, exist_ok=True)
    parts = PartCache(state_dir / "parts")

    log.info("checking %s for new content (installed: %s)", tuf_url, installed or "none")
    updater = repository_updater(
        tuf_url=tuf_url,
        metadata_dir=metadata_dir,
        download_dir=download_dir,
        fetcher=fetcher,
        trusted_root=trusted_root,
    )
    updater.refresh()
    if notices_path is not None:  # before the release: notices do not wait for a new version
        (notes if notes is not None else {})["notices"] = sync_notices(
            updater, download_dir, notices_path
        )
    chosen = choose_release(updater, download_dir, kiosk)  # the staged-rollout rule
    if chosen is None:
        log.info("the server has no release published yet; nothing to do")
        return UpdateReport("no-release", "no release published yet", installed_version=installed)
    manifest = chosen.manifest
    offered = manifest.content_version
    if installed is not None and offered < installed and installed in chosen.signed_versions:
        message = (
            f"keeping content version {installed}: a staged release not offered to this "
            f"kiosk any more (the release for all is version {offered})"
        )
        log.info("%s", message)
        return UpdateReport("up-to-date", message, offered, installed)
    if installed is not None and offered < installed:
        message = (
            f"server offers content version {offered}, older than installed version "
            f"{installed}: refusing it"
        )
        log.warning("%s", message)
        return UpdateReport("refused", message, offered, installed)
    if installed is not None and offered == installed:
        log.info("content version %s is already installed; nothing to do", installed)
        return UpdateReport("up-to-date", "already up to date", offered, installed)

    log.info(
        "server offers content version %s (installed: %s); %d parts, %d bytes in all",
        offered,
        installed or "none",
        len(manifest.parts),
        manifest.total_bytes(),
    )
    wanted = manifest.parts_for(airports)
    if len(wanted) < len(manifest.parts):
        log.info(
            "fetching the audio of %s's languages only: %d audio parts (%d bytes) not needed",
            "/".join(airports),
            len(manifest.parts) - len(wanted),
            manifest.total_bytes() - sum(p.length for p in wanted.values()),
        )
    blobs: dict[str, bytes] = {}
    downloaded = reused = downloaded_bytes = 0
    for name, info in sorted(wanted.items()):
        target = updater.get_targetinfo(chosen.prefix + part_target(name))
        if target is None:
            raise ProtocolError(f"part {name} is in the manifest but not in the signed targets")
        if target.hashes.get("sha256") != info.sha256 or target.length != info.length:
            raise ProtocolError(f"part {name}: manifest and signed targets disagree on its hash")
        cached = parts.get(info.sha256)
        if cached is not None:
            blobs[name] = cached
            reused += 1
            continue
        log.info("part %s changed: downloading %d bytes", name, info.length)
        tmp = download_dir / f"{info.sha256}.part"
        updater.download_target(target, str(tmp))
        data = tmp.read_bytes()
        tmp.unlink(missing_ok=True)
        if hashlib.sha256(data).hexdigest() != info.sha256:  # belt and braces: TUF checked it
            raise tuf_errors.LengthOrHashMismatchError(f"part {name}: hash mismatch")
        parts.put(info.sha256, data)
        blobs[name] = data
        downloaded += 1
        downloaded_bytes += len(data)
    log.info(
        "downloaded %d changed parts (%d bytes), reused %d unchanged parts from the local cache",
        downloaded,
        downloaded_bytes,
        reused,
    )
    log.info("building and installing content version %s", offered)
    installer.install(blobs, offered)
    # keep the parts of this release and of the one before (a rollback then costs nothing)
    installed_manifest = state_dir / "installed-release.json"
    keep = {p.sha256 for p in manifest.parts.values()}
    try:
        previous = ReleaseManifest.from_bytes(installed_manifest.read_bytes())
        keep |= {p.sha256 for p in previous.parts.values()}
    except (OSError, ProtocolError):
        pass
    write_atomic(installed_manifest, manifest.to_bytes())
    removed = parts.keep_only(keep)
    log.info(
        "installed content version %s (previous: %s); removed %d stale cached parts",
        offered,
        installed or "none",
        removed,
    )
    return UpdateReport(
        "installed",
        f"installed content version {offered}",
        offered_version=offered,
        installed_version=offered,
        parts_total=len(manifest.parts),
        parts_downloaded=downloaded,
        parts_reused=reused,
        part_bytes_downloaded=downloaded_bytes,
        parts_skipped=len(manifest.parts) - len(wanted),
    )
