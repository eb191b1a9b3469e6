"""The heartbeat: tells the server this kiosk is alive, what it runs and what went wrong last."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from admin_sync.protocol import HEARTBEAT_PATH, Heartbeat

log = logging.getLogger("safe_airports.sync")


def free_disk_bytes(path: Path) -> int | None:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def send_heartbeat(
    session: requests.Session,
    *,
    server_url: str,
    token: str,
    beat: Heartbeat,
    timeout: tuple[float, float],
    on_answer: Callable[[dict[str, Any]], None] | None = None,
) -> str | None:
    """POST the heartbeat; returns None on success, else the reason in plain words.
    `on_answer` is given the server's answer (a JSON object) when it was accepted."""
    url = server_url.rstrip("/") + HEARTBEAT_PATH
    try:
        response = session.post(
            url,
            json=beat.to_dict(),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
        if response.status_code == 422 and beat.has_extensions():
            # a server older than the heartbeat's extensions refuses unknown fields: say the
            # rest (the refused statistics also travel in last_error)
            log.info("server refused the heartbeat's newer fields; sending without them")
            response = session.post(
                url,
                json=beat.to_dict(extensions=False),
                headers={"Authorization": f"Bearer {token}"},
                timeout=timeout,
            )
    except requests.RequestException as exc:
        reason = f"heartbeat not delivered: cannot reach the server ({exc.__class__.__name__})"
        log.warning("%s", reason)
        return reason
    if response.status_code == 200:
        log.info("heartbeat delivered (content version %s)", beat.content_version)
        if on_answer is not None:
            try:
                answer = response.json()
            except ValueError:
                answer = None
            on_answer(answer if isinstance(answer, dict) else {})
        return None
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = response.text[:200]
    if response.status_code == 401:
        reason = f"heartbeat refused: the server does not know this kiosk's token ({detail})"
    elif response.status_code == 403:
        reason = f"heartbeat refused: this kiosk's token was revoked or does not match ({detail})"
    else:
        reason = f"heartbeat refused: HTTP {response.status_code} ({detail})"
    log.warning("%s", reason)
    return reason
