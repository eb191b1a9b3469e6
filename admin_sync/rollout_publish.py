"""An administrator's staged-rollout actions: see, promote (widen or to all) and halt.

Staging itself is a publish with a rollout (`publish_source(..., rollout=...)`). Each action here
re-signs the targets under the data folder's lock and writes one audit row (stage, promote,
halt); the console (rollout_pages.py) and `safe-airports admin rollout` call them.

Halting is safety first: the staged release is withdrawn, and the release everyone else has is
republished under a new, higher content version (as `rollback_to` does). Kiosks that already
installed the halted release therefore go back to the previous content at their next check,
without any exception to "a kiosk never installs an older version". Kiosks outside the rollout
install the same content again under the new number (all its parts are in their cache: they
download only the manifest). When nothing was ever released to everyone, halting only withdraws
the staged release (there is nothing to go back to).
"""

from __future__ import annotations

from dataclasses import dataclass

from admin_sync.datadir import DataDir
from admin_sync.publish import PublishError, live_content_version, rollback_to
from admin_sync.rollout import Rollout
from admin_sync.rollout_targets import (
    StagedRelease,
    StagingError,
    promote_to_all,
    read_staged,
    widen,
    withdraw,
)
from admin_sync.tuf_repo import Clock, Expiries, utc_now


class RolloutActionError(Exception):
    """The action was refused (nothing staged, unreadable); nothing changed for kiosks."""


@dataclass(frozen=True)
class RolloutStatus:
    """What kiosks are offered now: the release for everyone and the staged one, if any."""

    general_version: int | None
    staged: StagedRelease | None


def rollout_status(data: DataDir) -> RolloutStatus:
    repo = data.repository()
    if not repo.is_initialized():
        return RolloutStatus(None, None)
    try:
        staged = read_staged(repo)
    except StagingError as exc:
        raise RolloutActionError(str(exc)) from exc
    return RolloutStatus(live_content_version(data), staged)


def _check_expected(staged: StagedRelease, expected: int | None) -> None:
    """Refuse to act on another staged release than the one the administrator looked at."""
    if expected is not None and staged.version != expected:
        raise RolloutActionError(
            f"content version {staged.version} is staged now, not {expected}: look at the "
            "page again before promoting or halting"
        )


def promote(
    data: DataDir,
    to: Rollout,
    *,
    who: str,
    via: str,
    clock: Clock = utc_now,
    expiries: Expiries | None = None,
    expect_version: int | None = None,
) -> tuple[int, Rollout]:
    """Offer the staged release to `to` as well (`Rollout.to_all()`: make it everyone's).
    Returns the staged content version and its audience now. `expect_version`: refuse unless
    that version is the one staged (the page the administrator acted on)."""
    with data.lock():
        repo = data.repository(clock=clock, expiries=expiries)
        try:
            staged = read_staged(repo)
            if staged is None:
                raise RolloutActionError("no release is staged: there is nothing to promote")
            _check_expected(staged, expect_version)
            wider = staged.rollout.widened(to)
            if wider.everyone:
                promote_to_all(repo, data.online_signers())
            else:
                widen(repo, data.online_signers(), staged, to)
        except StagingError as exc:
            raise RolloutActionError(str(exc)) from exc
    data.audit_log(clock=clock).record(
        who,
        "promote",
        f"content version {staged.version}",
        f"was staged to {staged.rollout.describe()}; now offered to {wider.describe()}",
        via=via,
    )
    return staged.version, wider


def halt(
    data: DataDir,
    *,
    who: str,
    via: str,
    clock: Clock = utc_now,
    expiries: Expiries | None = None,
    expect_version: int | None = None,
) -> tuple[int, int | None]:
    """Withdraw the staged release; kiosks on it go back to the previous content (module
    docstring). Returns the halted version and the new version republishing the previous
    content (None when there was no previous release)."""
    with data.lock():
        repo = data.repository(clock=clock, expiries=expiries)
        try:
            staged = read_staged(repo)
        except StagingError as exc:
            raise RolloutActionError(str(exc)) from exc
        if staged is None:
            raise RolloutActionError("no release is staged: there is nothing to halt")
        _check_expected(staged, expect_version)
        previous = live_content_version(data)
        if previous is None:
            withdraw(repo, data.online_signers())
    republished: int | None = None
    if previous is not None:
        try:  # one signed step: drops the staged targets and republishes `previous` for all
            republished = rollback_to(
                data,
                previous,
                published_by=who if via == "cli" else f"{via}:{who}",
                author=who,
                via=via,
                clock=clock,
                expiries=expiries,
            ).content_version
        except PublishError as exc:
            raise RolloutActionError(str(exc)) from exc
    data.audit_log(clock=clock).record(
        who,
        "halt",
        f"content version {staged.version}",
        f"withdrawn from {staged.rollout.describe()}; "
        + (
            f"the content of version {previous} republished as {republished} for all kiosks"
            if republished is not None
            else "no earlier release to go back to"
        ),
        via=via,
    )
    return staged.version, republished
