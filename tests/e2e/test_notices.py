"""Urgent notices end to end, across real processes on 127.0.0.1: an editor writes notices in
the console of a real server process (HTTP, sign-in, CSRF), the server signs them as the
`notices.json` target without a release, the real agent fetches them over HTTP with TUF
verification at its next check, and the kiosk's controller (no window) shows them on the
destination and help screens in the reader's language, for its airport only, and hides them
at expiry by a clock passed in, with the server gone. A tampered notices file is refused."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from admin_sync.datadir import DataDir
from admin_sync.tuf_repo import HASH_ALGORITHM, hashed_target_name
from content.installed import InstalledStore
from content.notices import NOTICES_FILE, NOTICES_TARGET, NoticeSet
from content.translit import latin_to_cyrillic
from kiosk.content_loader import ContentSource
from kiosk.controller import KioskController
from kiosk.settings import KioskSettings
from kiosk.usage_store import UsageRecorder, UsageStore
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin, wait_until
from tests.e2e.server_process import ServerProcess, init_data
from tests.e2e.test_updates_security import cli

pytestmark = pytest.mark.e2e

EDITOR = ("notice-editor", "notice editor password 1")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RU_EN = "Russia: from 1 December a new registration card is needed at the border."
RU_RU = "Россия: с 1 декабря на границе нужна новая миграционная карта."
RU_UZ = "Rossiya: 1-dekabrdan chegarada yangi migratsiya kartasi kerak."
FRU_EN = "Manas airport: check-in for Moscow flights moves to hall B."
FRU_RU = "Аэропорт Манас: регистрация на рейсы в Москву перенесена в зал B."


class Console:
    """The console of the real server, as a browser without JavaScript uses it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        page = self.http.get(f"{url}/console/sign-in", timeout=30)
        response = self.http.post(
            f"{url}/console/sign-in",
            data={
                "csrf": _CSRF.search(page.text).group(1),
                "username": EDITOR[0],
                "password": EDITOR[1],
            },  # fmt: skip
            timeout=60,
        )
        assert response.status_code == 200 and "Sign out" in response.text, response.text

    def write(self, **fields: str) -> requests.Response:
        page = self.http.get(f"{self.url}/console/notices", timeout=30)
        csrf = _CSRF.search(page.text).group(1)
        return self.http.post(
            f"{self.url}/console/notices/save", data={"csrf": csrf, **fields}, timeout=60
        )


def local(moment: datetime) -> str:
    """The form's datetime-local value for `moment`, in UTC (the form's "+00:00" zone)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[ServerProcess, KioskDisk]]:
    data = init_data(tmp_path)
    assert cli("add-user", EDITOR[0], "--data", str(data), "--role", "editor",
               password=EDITOR[1]).returncode == 0  # fmt: skip
    admin("publish", str(SAMPLE_DIR), "--data", str(data))
    server = ServerProcess(data)
    server.start()
    kiosk = KioskDisk(
        tmp_path / "kiosk", data, server.url, "TAS-T1-07",
        interval_seconds=0.5, backoff_initial_seconds=0.3, backoff_max_seconds=1.0,
    )  # fmt: skip
    try:
        yield server, kiosk
    finally:
        server.stop()


def controller_for(kiosk: KioskDisk, airport: str, clock: list[datetime]) -> KioskController:
    settings = KioskSettings(
        airport=airport,
        kiosk_id="e2e",
        content_dir=kiosk.content_dir,
        usage_file=kiosk.root / f"usage-{airport}.db",
        fallback_cache_dir=kiosk.root / "fallback",
        sync_state_dir=kiosk.state_dir,
    )
    source = ContentSource(settings.content_dir, settings.fallback_cache_dir, airport)
    source.open()
    recorder = UsageRecorder(UsageStore(settings.usage_file), lambda: clock[0])
    return KioskController(
        settings, source, recorder, warm_up_now=False, wall_clock=lambda: clock[0]
    )


def texts(page: dict) -> list[str]:
    return [n["text"] for n in page["notices"]]


def test_a_notice_reaches_the_kiosk_shows_in_its_language_and_expires_offline(stack, qapp) -> None:
    server, kiosk = stack
    first = kiosk.sync_once()
    assert first.returncode == 0, first.stderr
    assert InstalledStore(kiosk.content_dir).installed_version() == 1
    notices_file = kiosk.content_dir / NOTICES_FILE
    assert not notices_file.exists()

    now = datetime.now(UTC)
    start, expiry = now - timedelta(minutes=5), now + timedelta(hours=2)
    console = Console(server.url)
    agent = kiosk.start_agent()
    try:
        wait_until(lambda: kiosk.state().get("totals", {}).get("cycles", 0) >= 1, 60, "a cycle")
        published = time.monotonic()
        response = console.write(
            airport="TAS", destination="RU", tz="+00:00", starts_at=local(start),
            expires_at=local(expiry), text_en=RU_EN, text_ru=RU_RU, text_uz=RU_UZ,
        )  # fmt: skip
        assert response.status_code == 200 and "saved and signed" in response.text
        assert RU_RU in response.text  # the page lists it
        wait_until(notices_file.exists, 60, "the agent to store the notices")
        stored_after = time.monotonic() - published
        clock = [datetime.now(UTC)]
        c = controller_for(kiosk, "TAS", clock)
        c.startIn("ru")
        c.openDestination("RU")
        shown = time.monotonic() - published
        print(
            f"\npublish -> stored by the agent {stored_after:.2f} s, -> shown on the kiosk's "
            f"destination screen {shown:.2f} s (agent checks every 0.5 s)"
        )
        assert texts(c.destinationPage) == [RU_RU]
        assert c.destinationPage["notices"][0]["language"] == "ru"
    finally:
        agent.terminate()
        agent.wait(timeout=30)
    # no new content version was needed
    assert InstalledStore(kiosk.content_dir).installed_version() == 1
    assert DataDir(server.data).latest_content_version() == 1

    # an airport-wide notice for Manas (FRU), in English and Russian (times at UTC+6)
    response = console.write(
        airport="FRU", destination="", tz="+06:00", starts_at=local(start + timedelta(hours=6)),
        expires_at=local(expiry + timedelta(hours=6)), text_en=FRU_EN, text_ru=FRU_RU,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert kiosk.sync_once().returncode == 0
    stored = NoticeSet.from_bytes(notices_file.read_bytes())
    assert len(stored.notices) == 2 and stored.serial == 2

    server.stop()  # from here the kiosk has no network
    c.openHelp()
    assert texts(c.helpPage) == [RU_RU]  # the help screen of the RU visit
    c.finish()
    c.startIn("uz")
    c.openDestination("RU")
    assert texts(c.destinationPage) == [RU_UZ]
    c.finish()
    c.startIn("uz-Cyrl")  # generated from Uzbek Latin by the server, as content is
    c.openDestination("RU")
    assert texts(c.destinationPage) == [latin_to_cyrillic(RU_UZ)]
    assert c.destinationPage["notices"][0]["language"] == "uz-Cyrl"
    c.openDestination("KZ")
    assert texts(c.destinationPage) == []  # RU's notice only on RU
    c.finish()
    c.startIn("en")
    c.openHelp()  # no destination chosen: airport-wide notices only, FRU's is not for TAS
    assert texts(c.helpPage) == []

    fru = controller_for(kiosk, "FRU", clock)
    fru.startIn("ky")
    fru.openHelp()
    # no Kyrgyz text: Russian, Kyrgyz's declared fallback, not English
    assert texts(fru.helpPage) == [FRU_RU]
    fru.openDestination("RU")
    assert texts(fru.destinationPage) == [FRU_RU]  # TAS's RU notice is not for FRU

    # the kiosk's own clock passes the expiry: the next screen build drops it, offline
    clock[0] = expiry + timedelta(minutes=1)
    c.home()
    c.openDestination("RU")
    assert texts(c.destinationPage) == []
    clock[0] = expiry - timedelta(minutes=2)  # before the (minute-rounded) expiry: still there
    c.home()
    c.openDestination("RU")
    assert texts(c.destinationPage) == [RU_EN]
    fru.home()
    fru.openDestination("RU")
    assert texts(fru.destinationPage) == [FRU_RU]  # FRU's expires 6 hours later
    for ctl in (c, fru):
        ctl.shutdown()
        ctl.recorder.close()
        ctl.source.close()


def test_a_tampered_notice_is_refused_and_the_stored_one_kept(stack) -> None:
    server, kiosk = stack
    console = Console(server.url)
    now = datetime.now(UTC)
    common = {"airport": "TAS", "destination": "", "tz": "+00:00",
              "starts_at": local(now - timedelta(minutes=5)),
              "expires_at": local(now + timedelta(hours=1))}  # fmt: skip
    assert console.write(**common, text_en="First notice.").status_code == 200
    assert kiosk.sync_once().returncode == 0
    stored = (kiosk.content_dir / NOTICES_FILE).read_bytes()
    assert b"First notice." in stored

    assert console.write(**common, text_en="Second notice.").status_code == 200
    data = DataDir(server.data)
    info = data.repository().targets().signed.targets[NOTICES_TARGET]
    target = data.store().target_file(
        hashed_target_name(NOTICES_TARGET, info.hashes[HASH_ALGORITHM])
    )
    assert target is not None
    original = target.read_bytes()
    forged = original.replace(b"Second notice.", b"Go to gate 99!")
    assert len(forged) == len(original) and forged != original
    target.write_bytes(forged)  # same length, changed bytes, on the server's disk
    refused = kiosk.sync_once()
    assert refused.returncode == 1
    assert "does not match its signed length or hash (tampered)" in refused.stderr
    assert (kiosk.content_dir / NOTICES_FILE).read_bytes() == stored  # kept as it was
    assert kiosk.state()["last_cycle"]["outcome"] == "refused"

    target.write_bytes(original)  # repaired: the next check takes it
    assert kiosk.sync_once().returncode == 0
    assert b"Second notice." in (kiosk.content_dir / NOTICES_FILE).read_bytes()
