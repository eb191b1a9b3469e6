"""Which signed content release this kiosk installs: the staged-rollout rule on the agent side.

The targets metadata may hold two releases: `release.json` (everyone's) and
`staged/release.json`, whose signed custom field names the kiosks, airports or ring it is
offered to (admin_sync.rollout). The agent fetches the manifest of each release offered to it
and picks the newest (`choose_newest`); its parts are the targets under the same prefix.
A staged release whose signed rollout is malformed is offered to nobody.

A manifest is downloaded only when it changed: the copy kept in the download folder is used
while it matches the hash and length in the (freshly refreshed) signed targets metadata, so an
unchanged release costs no request, and a promotion or a new release, which changes the signed
hash, is fetched at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from tuf.ngclient import Updater

from admin_sync.protocol import MANIFEST_TARGET, ProtocolError, ReleaseManifest
from admin_sync.rollout import (
    STAGED_MANIFEST,
    VERSION_KEY,
    Candidate,
    KioskIdentity,
    RolloutError,
    choose_newest,
    rollout_of,
)

log = logging.getLogger("safe_airports.sync")

RELEASE_TARGETS = (MANIFEST_TARGET, STAGED_MANIFEST)


@dataclass(frozen=True)
class ChosenRelease:
    manifest: ReleaseManifest
    prefix: str  # "" or "staged/": where its parts are among the targets
    signed_versions: frozenset[int]  # every release version in the targets, offered or not


def choose_release(
    updater: Updater, download_dir: Path, kiosk: KioskIdentity | None
) -> ChosenRelease | None:
    """The newest release the signed targets offer `kiosk` (None: none offered)."""
    candidates: list[Candidate[tuple[str, ReleaseManifest]]] = []
    signed: set[int] = set()
    for path in RELEASE_TARGETS:
        info = updater.get_targetinfo(path)
        if info is None:
            continue
        custom = info.custom if isinstance(info.custom, dict) else {}
        if isinstance(custom.get(VERSION_KEY), int):
            signed.add(custom[VERSION_KEY])
        try:
            rollout = rollout_of(custom)
        except RolloutError as exc:
            log.warning("release %s: its signed rollout is malformed (%s); skipping it", path, exc)
            continue
        if not rollout.includes(kiosk):
            log.info("release %s is staged to %s, not this kiosk", path, rollout.describe())
            continue
        local = download_dir / path.replace("/", "-")
        # the copy kept from an earlier check, when it still matches the signed hash and
        # length: an unchanged release costs no request at all
        kept = updater.find_cached_target(info, str(local))
        fetched = kept if kept is not None else updater.download_target(info, str(local))
        manifest = ReleaseManifest.from_bytes(Path(fetched).read_bytes())
        if custom.get(VERSION_KEY, manifest.content_version) != manifest.content_version:
            raise ProtocolError(
                f"{path}: signed as version {custom.get(VERSION_KEY)} but the manifest says "
                f"{manifest.content_version}"
            )
        signed.add(manifest.content_version)
        prefix = path[: -len(MANIFEST_TARGET)]
        candidates.append(Candidate(manifest.content_version, rollout, (prefix, manifest)))
    chosen = choose_newest(candidates, kiosk)
    if chosen is None:
        return None
    prefix, manifest = chosen
    if prefix:
        log.info(
            "this kiosk is in the staged rollout of content version %s", manifest.content_version
        )
    return ChosenRelease(manifest, prefix, frozenset(signed))
