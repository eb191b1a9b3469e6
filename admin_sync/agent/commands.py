"""Remote commands on the agent's side: collected from the heartbeat's answer, carried out or
handed to the kiosk app, and their outcome reported with a later heartbeat.

- `sync`: the agent runs a cycle at once (`Agent.run_forever` stops waiting) and reports
  `done` with the heartbeat of that cycle;
- `screenshot`, `restart`: written to the mailbox the kiosk app watches
  (`content.kiosk_commands`); the app answers there (`busy` while a person uses the kiosk, it
  tries again between sessions). A screenshot is uploaded (`PUT` with the kiosk token) before
  it is reported done.

A command whose expiry has passed by the kiosk's clock is never carried out (`expired`); the
server hands out no expired command either. What the agent knows of each command lives in
`state.json` ("commands"), so a restarted agent neither repeats nor forgets one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from admin_sync.protocol import command_screenshot_path
from content.kiosk_commands import (
    BUSY_DETAIL,
    FINAL,
    KINDS,
    KIOSK_KINDS,
    CommandRequest,
    Mailbox,
)

log = logging.getLogger("safe_airports.sync")
KEEP_AFTER_EXPIRY = timedelta(days=1)  # remembered this long, so none is carried out twice


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class CommandHandler:
    """The agent's commands: `take` from an answer, `results` for a heartbeat, `reported`."""

    def __init__(
        self,
        state: dict[str, Any],
        mailbox: Mailbox,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.known: dict[str, dict[str, Any]] = state.setdefault("commands", {})
        self.mailbox = mailbox
        self.clock = clock

    # ---- from the server ----------------------------------------------------------------
    def take(self, raw: object) -> None:
        """The `commands` of a heartbeat answer: new ones are carried out or handed on."""
        if not isinstance(raw, list):
            return
        now = self.clock()
        for item in raw:
            if not isinstance(item, dict):
                continue
            ident, kind = item.get("id"), item.get("kind")
            expires = _parse_time(item.get("expires_at"))
            if not isinstance(ident, int) or isinstance(ident, bool) or str(ident) in self.known:
                continue
            entry: dict[str, Any] = {
                "kind": str(kind),
                "expires_at": expires.isoformat() if expires else now.isoformat(),
                "reported": "",
            }
            self.known[str(ident)] = entry
            if expires is None or expires <= now:
                self._set(entry, "expired", "expired before the kiosk could carry it out")
            elif kind not in KINDS:
                self._set(entry, "failed", f"this kiosk does not know the command {kind!r}")
            elif kind == "sync":
                self._set(entry, "waiting", "")
                log.info("command %d: sync now", ident)
            else:
                try:
                    self.mailbox.post(CommandRequest(ident, str(kind), expires))
                except OSError as exc:  # the folder is missing or not writable
                    self._set(entry, "failed", f"cannot hand it to the kiosk app: {exc}")
                    log.error("command %d: cannot write to %s: %s", ident, self.mailbox.path, exc)
                    continue
                self._set(entry, "posted", "")
                log.info("command %d: %s handed to the kiosk app", ident, kind)

    @staticmethod
    def _set(entry: dict[str, Any], status: str, detail: str) -> None:
        entry["status"] = status
        entry["detail"] = detail

    def sync_requested(self) -> bool:
        return any(e["kind"] == "sync" and e["status"] == "waiting" for e in self.known.values())

    def cycle_started(self) -> None:
        """A cycle begins: the sync commands waiting for one are done by it."""
        for entry in self.known.values():
            if entry["kind"] == "sync" and entry["status"] == "waiting":
                self._set(entry, "done", "sync cycle started")

    # ---- to the server ------------------------------------------------------------------
    def results(
        self, session: requests.Session, server_url: str, timeout: tuple[float, float]
    ) -> list[dict[str, object]]:
        """The outcomes not yet reported (after uploading any screenshot taken)."""
        now = self.clock()
        out: list[dict[str, object]] = []
        for key, entry in list(self.known.items()):
            ident = int(key)
            expires = _parse_time(entry["expires_at"]) or now
            if entry["status"] in ("posted", "busy") and entry["kind"] in KIOSK_KINDS:
                self._from_kiosk(ident, entry, session, server_url, timeout)
            if entry["status"] not in FINAL and expires <= now:
                self.mailbox.forget(ident)  # the kiosk app must not carry it out any more
                self._set(entry, "expired", "expired before the kiosk could carry it out")
            if entry["status"] in (*FINAL, "busy") and entry["reported"] != entry["status"]:
                out.append({"id": ident, "status": entry["status"], "detail": entry["detail"]})
            if entry["status"] in FINAL and expires + KEEP_AFTER_EXPIRY < now:
                del self.known[key]
        return out

    def _from_kiosk(
        self,
        ident: int,
        entry: dict[str, Any],
        session: requests.Session,
        server_url: str,
        timeout: tuple[float, float],
    ) -> None:
        try:
            answer = self.mailbox.result(ident)
        except (OSError, ValueError) as exc:
            self._set(entry, "failed", f"unreadable answer from the kiosk app: {exc}")
            return
        if answer is None:
            return
        if answer.status == "busy":
            self._set(entry, "busy", answer.detail or BUSY_DETAIL)
            return
        if answer.status == "done" and entry["kind"] == "screenshot":
            problem = self._upload(ident, session, server_url, timeout)
            if problem is None:
                self._set(entry, "done", "screenshot uploaded")
                self.mailbox.forget(ident)
            elif problem:
                self._set(entry, "failed", problem)
                self.mailbox.forget(ident)
            return  # problem == "": not delivered, tried again with the next heartbeat
        self._set(entry, answer.status, answer.detail)
        self.mailbox.forget(ident)

    def _upload(
        self, ident: int, session: requests.Session, server_url: str, timeout: tuple[float, float]
    ) -> str | None:
        """None: uploaded; "": not now (network), tried again; else why it cannot be."""
        path = self.mailbox.screenshot(ident)
        if path is None:
            return "the kiosk app said done but left no screenshot"
        try:
            response = session.put(
                server_url.rstrip("/") + command_screenshot_path(ident),
                data=path.read_bytes(),
                headers={"Content-Type": "image/png"},
                timeout=timeout,
            )
        except (OSError, requests.RequestException) as exc:
            log.warning("command %d: screenshot not uploaded (%s); will retry", ident, exc)
            return ""
        if response.status_code in (200, 201):
            log.info("command %d: screenshot uploaded", ident)
            return None
        if response.status_code in (400, 409, 413):
            return f"screenshot refused by the server: HTTP {response.status_code}"
        return ""

    def reported(self, results: list[dict[str, object]]) -> None:
        """The heartbeat carrying `results` was accepted."""
        for result in results:
            entry = self.known.get(str(result["id"]))
            if entry is not None:
                entry["reported"] = result["status"]

    def notices_serial(self) -> int | None:
        return self.mailbox.notices_serial()
