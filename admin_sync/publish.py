"""Publishing a release: validate, split into parts, sign with TUF, make it live atomically.

Plan, then apply: `plan_release` computes the manifest and the target files as plain data; one
small function (`apply_release`) writes and signs them under the repository lock. Content
versions only grow: "roll back to 41" republishes 41's parts as a new, higher version.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from admin_sync.content_history import HistoryError
from admin_sync.datadir import DataDir
from admin_sync.protocol import (
    MANIFEST_TARGET,
    PartInfo,
    ReleaseManifest,
    check_part_name,
    part_target,
)
from admin_sync.review import production_refusal
from admin_sync.rollout import Rollout
from admin_sync.rollout_targets import StagedRelease, StagingError, read_staged, stage
from admin_sync.server.db import release_source_commit
from admin_sync.tuf_repo import (
    HASH_ALGORITHM,
    Clock,
    Expiries,
    TufRepository,
    hashed_target_name,
    utc_now,
)
from content.audio_parts import airport_audio_languages, part_languages
from content.build import release_title
from content.notices import NOTICES_TARGET
from content.parts import split_parts
from content.source import load_source
from content.speech import SpeechError, Synthesizer, content_with_audio
from content.validate import validate_source

log = logging.getLogger("safe_airports.publish")
# Targets a release keeps from the live repository: signed apart from releases (admin_sync.notices)
STANDING_TARGETS = (NOTICES_TARGET,)


class PublishError(Exception):
    """Nothing was published; `lines` says why (for validation: `file:line: error: message`)."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or []


@dataclass(frozen=True)
class ReleasePlan:
    manifest: ReleaseManifest
    targets: dict[str, bytes]  # TUF target path -> bytes


def plan_release(
    parts: Mapping[str, bytes],
    *,
    content_version: int,
    title: str,
    published_at: str,
    rollback_of: int | None = None,
    source_languages: tuple[str, ...] = (),
) -> ReleasePlan:
    if not parts:
        raise PublishError("a release needs at least one part")
    heard_in = part_languages(parts)  # audio parts: a kiosk fetches its airport's only
    infos = {
        check_part_name(name): PartInfo(
            len(data), hashlib.sha256(data).hexdigest(), heard_in.get(name, ())
        )
        for name, data in parts.items()
    }
    manifest = ReleaseManifest(
        content_version=content_version,
        title=title,
        published_at=published_at,
        parts=infos,
        rollback_of=rollback_of,
        source_languages=source_languages,
        audio_languages=airport_audio_languages(parts) if heard_in else {},
    )
    targets = {MANIFEST_TARGET: manifest.to_bytes()}
    targets.update({part_target(name): data for name, data in parts.items()})
    return ReleasePlan(manifest, targets)


def publish_parts(
    data: DataDir,
    parts: Mapping[str, bytes],
    *,
    title: str,
    published_by: str,
    clock: Clock = utc_now,
    expiries: Expiries | None = None,
    rollback_of: int | None = None,
    source_commit: str | None = None,
    production: bool | None = None,
    source_languages: tuple[str, ...] = (),
    rollout: Rollout | None = None,
) -> ReleaseManifest:
    """Sign and publish `parts` as the next content version; returns its manifest.

    `source_commit`: the commit of the content history the parts were built from (recorded).
    `rollout`: stage it first to these kiosks (admin_sync.rollout_targets); None: everyone.
    """
    with data.lock():
        repo = data.repository(clock=clock, expiries=expiries)
        if not repo.is_initialized():
            raise PublishError(
                f"{data.path}: no TUF repository here; run `safe-airports admin init-keys` first"
            )
        staged = rollout is not None and not rollout.everyone
        if staged and (current := _staged_or_none(repo)) is not None:
            raise PublishError(
                f"content version {current.version} is staged to {current.rollout.describe()}: "
                "promote it or halt it before staging another release"
            )
        # versions only grow: above every recorded release and above what is live now
        version = max(data.latest_content_version() or 0, live_content_version(data) or 0) + 1
        plan = plan_release(
            parts,
            content_version=version,
            title=title,
            published_at=clock().replace(microsecond=0).isoformat(),
            rollback_of=rollback_of,
            source_languages=source_languages,
        )
        # Recorded before it goes live: a crash in between leaves a gap, never a reused number.
        data.save_release(plan.manifest)
        if staged and rollout is not None:
            targets_version = stage(
                repo, data.online_signers(), plan.targets, version=version, rollout=rollout
            )
        else:  # to everyone: also replaces a staged release (admin_sync.rollout_targets)
            targets_version = repo.publish(
                plan.targets, data.online_signers(), keep=STANDING_TARGETS
            )
        with data.database().transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO releases (content_version, title, published_at, "
                "published_by, targets_version, rollback_of, total_bytes, parts, source_commit, "
                "production, source_languages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    version,
                    title,
                    plan.manifest.published_at,
                    published_by,
                    targets_version,
                    rollback_of,
                    plan.manifest.total_bytes(),
                    len(plan.manifest.parts),
                    source_commit,
                    production,
                    " ".join(source_languages) or None,
                ),
            )
    log.info(
        "published content version %s (%d parts, %d bytes)%s",
        version,
        len(plan.manifest.parts),
        plan.manifest.total_bytes(),
        f", republishing version {rollback_of}" if rollback_of else "",
    )
    return plan.manifest


def _staged_or_none(repo: TufRepository) -> StagedRelease | None:
    try:
        return read_staged(repo)
    except StagingError as exc:
        raise PublishError(str(exc)) from exc


def speech_synthesizer(
    data: DataDir, enabled: bool, cache_dir: Path | None = None
) -> Synthesizer | None:
    """The synthesizer publishing uses (None: recordings only); its cache lives in the data
    folder (`speech-cache/`) unless `cache_dir` says where, so a publish synthesizes only the
    texts that changed."""
    return Synthesizer(cache_dir or data.path / "speech-cache") if enabled else None


def live_content_version(data: DataDir) -> int | None:
    """The content version of the release the repository serves now (None if none)."""
    repo = data.repository()
    if not repo.is_initialized():
        return None
    info = repo.targets().signed.targets.get(MANIFEST_TARGET)
    if info is None:
        return None
    blob = data.store().read_target(
        hashed_target_name(MANIFEST_TARGET, info.hashes[HASH_ALGORITHM])
    )
    return ReleaseManifest.from_bytes(blob).content_version if blob else None


DEFAULT_SOURCE_LANGUAGE = "en"  # content/sample/TRANSLATING.md: the English texts are the source


def source_languages(release: Mapping[str, object], languages: list[str]) -> tuple[str, ...]:
    """The languages the release's texts were written in: release.yaml's `source_languages`
    (a list of language ids), else English; every other language is a translation."""
    declared = release.get("source_languages")
    if declared is None:
        return (DEFAULT_SOURCE_LANGUAGE,) if DEFAULT_SOURCE_LANGUAGE in languages else ()
    if (
        not isinstance(declared, list)
        or not declared
        or not all(isinstance(lang, str) and lang in languages for lang in declared)
    ):
        raise PublishError(
            "release.yaml: source_languages must list the languages the texts were written in, "
            f"from languages.yaml ({', '.join(languages)}), e.g. [en]; got {declared!r}"
        )
    return tuple(dict.fromkeys(declared))


def publish_source(
    data: DataDir,
    source_dir: Path,
    *,
    production: bool,
    published_by: str,
    clock: Clock = utc_now,
    expiries: Expiries | None = None,
    author: str | None = None,
    message: str = "",
    source_commit: str | None = None,
    via: str = "cli",
    four_eyes: bool = True,
    speech: Synthesizer | None = None,
    rollout: Rollout | None = None,
) -> ReleaseManifest:
    """Validate the content sources, commit them to the history and publish them.

    Audio for the listen buttons: the folder's recordings (`audio/`), and, with a `speech`
    synthesizer, espeak-ng speech for every other item that has a voice (content/speech.py).

    Invalid sources publish and commit nothing. The folder becomes a commit by `author`
    (default: `published_by`) on the data folder's content history, unless `source_commit` says
    it was exported from that commit already; the release records the commit. The audit log
    gets a "publish" row (`via`: cli, api or console).

    With `four_eyes` (the console setting; on by default) a production release is refused,
    whoever asks and however, unless another editor approved exactly that commit
    (`admin_sync.review`); the folder then stays in the history as the draft to approve (the
    same folder published again after the approval makes no new commit and goes through).
    """
    if not source_dir.is_dir():
        raise PublishError(f"{source_dir}: not a folder of content sources")
    report = validate_source(source_dir, production=production)
    if not report.ok:
        raise PublishError(
            f"{len(report.errors)} error(s) in the content sources: nothing was published",
            report.format(),
        )
    content, load_report = load_source(source_dir)
    if not load_report.ok:
        raise PublishError("the content sources could not be read", load_report.format())
    sources = source_languages(content.release, [lang.id for lang in content.languages])
    try:
        content, _ = content_with_audio(content, source_dir, speech)
    except SpeechError as exc:
        raise PublishError(f"no audio could be made: {exc}") from exc
    if source_commit is None:
        try:
            source_commit = data.content_history(clock=clock).commit_folder(
                source_dir,
                author=author or published_by,
                message=message or f"Publish {release_title(content.release)}",
            )
        except HistoryError as exc:
            raise PublishError(f"the content history could not record this folder: {exc}") from exc
    if production and four_eyes:
        why = production_refusal(
            data.content_history(clock=clock),
            data.audit_log(clock=clock),
            data.database(),
            source_commit,
        )
        if why:
            raise PublishError(f"not published: {why}")
    manifest = publish_parts(
        data,
        split_parts(content),
        title=release_title(content.release),
        published_by=published_by,
        clock=clock,
        expiries=expiries,
        source_commit=source_commit,
        production=production,
        source_languages=sources,
        rollout=rollout,
    )
    staged_to = (
        f", staged first to {rollout.describe()}" if rollout and not rollout.everyone else ""
    )
    data.audit_log(clock=clock).record(
        author or published_by,
        "stage" if staged_to else "publish",
        f"content version {manifest.content_version}",
        f"{'production' if production else 'sample'} release of commit {source_commit[:10]}"
        + staged_to,
        via=via,
    )
    return manifest


def rollback_to(
    data: DataDir,
    version: int,
    *,
    published_by: str,
    clock: Clock = utc_now,
    expiries: Expiries | None = None,
    author: str | None = None,
    via: str = "cli",
) -> ReleaseManifest:
    """Republish the content of `version` as a new, higher content version (audit: rollback)."""
    old = data.load_release(version)
    if old is None:
        known = ", ".join(map(str, data.release_versions())) or "none"
        raise PublishError(f"no content version {version} was ever published (known: {known})")
    store = data.store()
    parts: dict[str, bytes] = {}
    for name, info in old.parts.items():
        blob = store.read_target(hashed_target_name(part_target(name), info.sha256))
        if blob is None or hashlib.sha256(blob).hexdigest() != info.sha256:
            raise PublishError(
                f"content version {version}: part {name} is missing or damaged in {store.root}"
            )
        parts[name] = blob
    manifest = publish_parts(
        data,
        parts,
        title=old.title,
        published_by=published_by,
        clock=clock,
        expiries=expiries,
        rollback_of=version,
        source_commit=release_source_commit(data.database(), version),
        source_languages=old.source_languages,
    )
    data.audit_log(clock=clock).record(
        author or published_by,
        "rollback",
        f"content version {manifest.content_version}",
        f"republishes the content of version {version}",
        via=via,
    )
    return manifest
