"""A real server (create_app + the stats endpoint + the console) on a temporary data folder."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from argon2 import PasswordHasher

import safe_airports_cli
from admin_sync.content_history import ContentHistory
from admin_sync.server.app import create_app
from admin_sync.server.console import providers
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.registry import add_kiosk
from admin_sync.server.settings import ServerSettings
from admin_sync.users import UsersDB, users_db_path
from tests.admin_sync.asgi_client import TestClient

# argon2id with small costs: the tests check the logic, not the cost parameters
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
EDITOR = ("edna", "editor password 1")
VIEWER = ("vic", "viewer password 1")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
T = TypeVar("T")


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 22, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def init_data(root: Path) -> Path:
    data = root / "data"
    code = safe_airports_cli.main(
        ["admin", "init-keys", "--data", str(data), "--root-key", str(root / "root.pem")]
    )
    assert code == 0
    return data


class ConsoleEnv:
    def __init__(self, root: Path, **console_settings: object) -> None:
        self.clock = Clock()
        self.data = init_data(root)
        settings = ServerSettings.from_mapping({"data_dir": str(self.data)}, where="test")
        cs = ConsoleSettings(**console_settings)  # type: ignore[arg-type]
        self.app = create_app(settings, clock=self.clock, console_settings=cs)
        # the same users.db with a cheap argon2 hasher, given to the console's handlers
        self.users = UsersDB(
            users_db_path(self.data),
            clock=self.clock,
            hasher=FAST_HASHER,
            max_failures=cs.max_failures,
            lock_seconds=cs.lock_seconds,
            session_seconds=cs.session_hours * 3600,
        )
        self.app.dependency_overrides[providers.users_db] = lambda: self.users
        self.users.add_user(*EDITOR, "editor")
        self.users.add_user(*VIEWER, "viewer")
        self.client = TestClient(self.app)
        self.kiosk, self.kiosk_token = add_kiosk(self.app.state.db, airport="TAS", name="TAS-T2-01")

    def override(self, provider: Callable[..., T], value: T) -> None:
        """Give the console's handlers `value` instead of what `provider` provides."""
        self.app.dependency_overrides[provider] = lambda: value

    def new_client(self) -> TestClient:
        return TestClient(self.app)

    def sign_in(self, who: tuple[str, str] = EDITOR, client: TestClient | None = None):
        client = client or self.client
        page = client.get("/console/sign-in")
        token = _CSRF.search(page.text).group(1)
        return client.post(
            "/console/sign-in",
            data={"csrf": token, "username": who[0], "password": who[1]},
            follow_redirects=False,
        )

    @staticmethod
    def csrf(html: str) -> str:
        return _CSRF.search(html).group(1)

    def commit_sample(self, source: Path, *, author: str = "setup") -> None:
        """Commit a copy of the sample content (`valid_source(source)`) at the test clock."""
        self.app.state.data.content_history(clock=self.clock).commit_folder(
            valid_source(source), author=author, message="Sample"
        )

    def heartbeat(self, **fields: object):
        body = {"kiosk_id": self.kiosk.id, "app_version": "0.1.0", "uptime_seconds": 60}
        body.update(fields)
        return self.client.post(
            "/api/v1/heartbeat", json=body, headers={"Authorization": f"Bearer {self.kiosk_token}"}
        )

    def upload_batch(self, day: str, part: int, cells: list[tuple[str, str, int]]):
        body = {
            "schema": 1,
            "kiosk_id": self.kiosk.id,
            "day": day,
            "part": part,
            "k": 5,
            "dropped_batches": 0,
            "cells": [{"metric": m, "value": v, "count": n} for m, v, n in cells],
        }
        return self.client.put(
            f"/api/v1/stats/{uuid.uuid4()}",
            json=body,
            headers={"Authorization": f"Bearer {self.kiosk_token}"},
        )


def history(env: ConsoleEnv) -> ContentHistory:
    """The console's content sources (the git repository in the data folder)."""
    return env.app.state.data.content_history()


def sample_env(root: Path, **console_settings: object) -> ConsoleEnv:
    """A console whose content is the sample (committed by "setup"), the editor signed in."""
    env = ConsoleEnv(root, **console_settings)
    env.commit_sample(root / "content")
    env.sign_in()
    return env


SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


def valid_source(dest: Path) -> Path:
    """A copy of the sample content (a valid source folder)."""
    import shutil

    shutil.copytree(SAMPLE, dest)
    # While the sample is still being written, some UI languages may be missing; the console
    # tests need a valid folder, not a complete translation.
    for lang in ("tk", "ky"):
        if not (dest / "ui" / f"{lang}.yaml").exists():
            shutil.copy(dest / "ui" / "en.yaml", dest / "ui" / f"{lang}.yaml")
    return dest


def zip_folder(folder: Path, *, prefix: str = "content") -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{prefix}/{path.relative_to(folder)}")
    return buffer.getvalue()


def tar_folder(folder: Path) -> bytes:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(folder, arcname=".")
    return buffer.getvalue()


def production_source(dest: Path) -> Path:
    """A copy of the sample that a production release accepts: every contact and article
    marked checked, and a country number for Turkmenistan. A test fixture only: "000" is not a
    number anyone should call."""
    source = valid_source(dest)
    contacts = source / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace("  status: sample\n", "  status: verified\n"), "utf-8")
    countries = source / "destinations.yaml"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace("emergency: none\n", 'emergency: "000"\n'), "utf-8")
    for article in (source / "articles").rglob("*.md"):
        body = article.read_text(encoding="utf-8")
        article.write_text(body.replace("status: sample\n", "status: verified\n"), "utf-8")
    return source
