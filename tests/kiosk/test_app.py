"""The real kiosk (QML, controller, content cache, usage file) driven by taps on objectNames."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from content.cache import ContentCache
from content.installed import InstalledStore
from kiosk.app import FatalError, KioskApp, is_escape_combo
from kiosk.content_loader import FALLBACK, INSTALLED, SAMPLE_DIR
from kiosk.usage_metrics import is_allowed
from kiosk.usage_store import UsageStore
from tests.kiosk.conftest import TEST_PIN


def names_with_prefix(driver, prefix: str) -> list[str]:
    from kiosk.tour import is_shown, walk

    return [
        i.objectName()
        for i in walk(driver.window.contentItem())
        if i.objectName().startswith(prefix) and is_shown(i)
    ]


def wait_until(driver, condition, timeout_ms: int = 5000):
    """condition()'s value once it is true (screens build what is below the fold after their
    first frame), or its last value after the timeout."""
    from PySide6.QtCore import QElapsedTimer

    timer = QElapsedTimer()
    timer.start()
    while not (value := condition()) and timer.elapsed() < timeout_ms:
        driver.process(10)
    return value


def wait_names(driver, prefix: str) -> list[str]:
    """The shown items named with `prefix`, once there are some."""
    return wait_until(driver, lambda: names_with_prefix(driver, prefix))


def test_navigation_through_every_screen(make_kiosk, sample_cache: Path) -> None:
    d = make_kiosk()
    c = d.controller
    assert c.screen == "attract" and not c.barVisible
    assert d.find("attract.title").property("text")
    d.tap("attract.start")
    assert c.screen == "language"
    cache = ContentCache.open(sample_cache)
    airport = cache.airport("TAS", "ru")
    cache.close()
    assert names_with_prefix(d, "language.") == [f"language.{x.id}" for x in airport.languages]
    d.tap("language.ru")
    assert (c.screen, c.language) == ("home", "ru")
    assert c.strings["home.title"] and d.find("nav.help")
    prefix = "home.destination."
    destinations = [n.removeprefix(prefix) for n in names_with_prefix(d, prefix)]
    assert destinations == [x.id for x in airport.destinations]  # the airport's order
    d.tap("home.destination.RU")
    assert c.screen == "destination"
    assert len(names_with_prefix(d, "topic.")) == 9
    d.tap("topic.get-help")
    assert c.screen == "article" and c.page["topic"] == "get-help"
    assert wait_names(d, "article.contact.")
    d.tap("nav.back")
    assert c.screen == "destination"
    d.tap("nav.help")
    # the code saving every number comes after the destination's cards, built after the first frame
    assert c.screen == "help"
    assert d.wait_for("help.vcard.0").property("payload").startswith("BEGIN:VCARD")
    assert wait_names(d, "help.contact.ru-")  # the destination's contacts
    assert wait_names(d, "help.contact.uz-")  # and the home country's
    d.tap("nav.home")
    assert c.screen == "home"
    d.tap("home.checklist")
    assert c.screen == "checklist" and c.page["items"]
    d.tap("checklist.item.0")
    d.tap("checklist.item.2")
    ids = c.page["ids"]
    assert sorted(c.checkedItems) == sorted([ids[0], ids[2]])
    # ticks are kept by item id: rebuilt in another language, for another nationality, the
    # same items stay ticked (kiosk/screens/checklist.py; the shift itself: test_screens_checklist)
    c.chooseLanguage("uz")
    c.chooseNationality("KG")
    d.process()
    assert c.language == "uz" and c.page["ids"] == ids
    ticked = [d.find(f"checklist.item.{i}").property("checked") for i in range(3)]
    assert ticked == [True, False, True]
    d.tap("checklist.item.2")
    assert c.checkedItems == [ids[0]]
    c.chooseLanguage("ru")
    c.chooseNationality("UZ")
    d.tap("nav.home")
    d.tap("home.search")
    assert c.screen == "search"
    for key in "виз":
        d.tap(f"key.{key}")
    assert c.searchText == "виз" and c.searchResults
    d.tap("key.backspace")
    assert c.searchText == "ви"
    d.tap("search.result.0")
    assert c.screen == "article"
    d.tap("nav.language")
    d.tap("language.en")
    assert (c.screen, c.language) == ("article", "en")
    d.tap("nav.textSize")
    assert c.largeText


def test_usage_file_holds_only_allow_listed_values_after_a_session(make_kiosk, settings) -> None:
    d = make_kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.uz")
    d.tap("home.destination.KZ")
    d.tap("topic.warning-signs")
    d.tap("nav.help")
    d.tap("nav.home")
    d.tap("home.search")
    for key in ("p", "a", "s"):
        d.tap(f"key.{key}")
    d.tap("nav.home")
    c.finish()
    d.app.recorder.flush()
    cells = UsageStore(settings.usage_file).cells()
    pairs = {(cell.metric, cell.value) for cell in cells}
    assert all(is_allowed(m, v) for m, v in pairs)
    assert {
        ("session", "start"),
        ("language", "uz"),
        ("destination", "KZ"),
        ("topic", "warning-signs"),
        ("help_opened", "1"),
        ("search_used", "1"),
        ("screen", "help"),
        ("qr_shown", "tel"),
        ("qr_shown", "vcard"),
        ("session_length", "lt30s"),
    } <= pairs
    assert not any("pas" in v for _, v in pairs)
    conn = sqlite3.connect(settings.usage_file)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert tables == ["counters"]


def test_idle_overlay_counts_down_and_reset_clears_the_session(make_kiosk, qtbot) -> None:
    d = make_kiosk(idle_seconds=1, countdown_seconds=1)
    c = d.controller
    d.tap("attract.start")
    d.tap("language.ru")
    d.tap("home.destination.RU")
    d.tap("nav.textSize")
    d.tap("topic.entry-registration")
    d.find("scrollPage").setProperty("contentY", 400.0)
    d.tap("nav.home")
    d.tap("home.checklist")
    d.tap("checklist.item.1")
    d.tap("nav.home")
    d.tap("home.search")
    d.tap("key.а")
    assert not c.session.is_default()
    d.wait_for("idle.continue", timeout_ms=5000)  # the timer shows the overlay by itself
    assert c.idleAsking and c.idleSecondsLeft == 1
    d.tap("idle.continue")  # any touch: the person is still there
    assert not c.idleAsking and c.screen == "search" and c.searchText == "а"
    d.wait_for("idle.continue", timeout_ms=5000)
    with qtbot.waitSignal(c.sessionReset, timeout=5000):
        pass
    assert c.screen == "attract" and not c.idleAsking
    assert c.session.is_default()
    assert (c.language, c.largeText, c.searchText, c.checkedItems) == ("uz", False, "", [])
    assert c.session.scroll == {}
    d.wait_for("attract.start")
    # The next person starts from scratch: the article opens at the top.
    d.tap("attract.start")
    d.tap("language.ru")
    d.tap("home.destination.RU")
    d.tap("topic.entry-registration")
    assert d.find("scrollPage").property("contentY") == 0


def test_scroll_position_is_restored_on_back(make_kiosk) -> None:
    d = make_kiosk()
    d.tap("attract.start")
    d.tap("language.en")
    d.tap("home.destination.RU")
    d.tap("topic.get-help")
    assert wait_names(d, "article.contact.")  # the whole page is built
    d.find("scrollPage").setProperty("contentY", 700.0)
    d.tap("nav.help")
    d.tap("nav.back")
    assert d.controller.screen == "article"
    assert wait_until(d, lambda: d.find("scrollPage").property("contentY") == 700.0)


def test_new_content_is_shown_only_after_the_session_reset(
    make_kiosk, installed_dir: Path, tmp_path: Path
) -> None:
    from content.build import build_cache
    from content.source import load_source

    d = make_kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.en")
    before = (c.loaded.path, c.cache.content_version)
    parsed, _ = load_source(SAMPLE_DIR)
    newer = replace(parsed, release={**parsed.release, "title": "Second release"})
    build_cache(newer, tmp_path / "new.db", content_version=before[1] + 1)
    InstalledStore(installed_dir).install_file(tmp_path / "new.db")
    d.tap("home.destination.RU")
    d.tap("topic.money")
    d.tap("nav.help")
    assert (c.loaded.path, c.cache.content_version) == before  # never mid-session
    c.finish()
    assert c.cache.content_version == before[1] + 1
    assert c.cache.release_title == "Second release" and c.loaded.origin == INSTALLED
    d.wait_for("attract.start")


@pytest.mark.parametrize("damage", ["missing", "corrupt", "schema-too-new"])
def test_falls_back_to_the_packaged_sample(
    make_kiosk, tmp_path: Path, sample_cache: Path, damage: str
) -> None:
    root = tmp_path / f"store-{damage}"
    root.mkdir()
    if damage == "corrupt":
        (root / "cache-v7.db").write_bytes(b"this is not SQLite" * 100)
        (root / "current").write_text("cache-v7.db")
    elif damage == "schema-too-new":
        data = sample_cache.read_bytes()
        (root / "cache-v7.db").write_bytes(data)
        conn = sqlite3.connect(root / "cache-v7.db")
        conn.execute("PRAGMA user_version = 999")
        conn.close()
        (root / "current").write_text("cache-v7.db")
    d = make_kiosk(content_dir=root)
    c = d.controller
    assert c.loaded.origin == FALLBACK and c.cache.is_sample
    assert d.find("attract.title").property("text")
    # The maintenance screen says so.
    d.corner_taps()
    assert c.pinOpen
    for digit in TEST_PIN:
        d.tap(f"pin.{digit}")
    d.tap("pin.ok")
    assert c.screen == "maintenance"
    rows = {r["label"]: r["value"] for r in c.page["rows"]}
    assert rows[c.strings["maintenance.content_source"]].startswith(
        c.strings["maintenance.content_fallback"]
    )
    assert rows[c.strings["maintenance.kiosk_id"]] == "test-kiosk-1"
    assert rows[c.strings["maintenance.last_sync"]] == c.strings["maintenance.never"]
    d.tap("maintenance.close")
    assert c.screen == "attract"


def test_wrong_pin_does_not_open_maintenance(make_kiosk) -> None:
    d = make_kiosk()
    c = d.controller
    d.corner_taps()
    for digit in "0000":
        d.tap(f"pin.{digit}")
    d.tap("pin.ok")
    assert c.pinFailed and c.screen != "maintenance"
    d.tap("pin.cancel")
    assert not c.pinOpen


def test_an_error_in_a_slot_returns_to_attract(make_kiosk, caplog) -> None:
    d = make_kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.en")
    c.openTopic("no-such-topic")  # the content has no such article: the slot raises
    assert c.screen == "attract" and c.session.is_default()
    assert "returning to the attract screen" in caplog.text
    d.wait_for("attract.start")
    d.tap("attract.start")
    assert c.screen == "language"


@pytest.mark.qt_log_ignore("failed to load component", "No module named")
def test_missing_qml_is_fatal(qapp, settings) -> None:
    with pytest.raises(FatalError, match="did not load"):
        KioskApp(settings, qml_module="SafeAirports.NoSuchModule")


def test_kiosk_mode_swallows_escape_keys_and_close(make_kiosk, settings) -> None:
    kiosk_app = KioskApp(settings, windowed=False)
    try:
        window = kiosk_app.window
        assert window.flags() & Qt.WindowType.FramelessWindowHint
        assert window.cursor().shape() == Qt.CursorShape.BlankCursor
        for key, mods in [
            (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_F2, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        ]:
            assert is_escape_combo(key, mods.value)
            event = QKeyEvent(QEvent.Type.KeyPress, key, mods)
            assert kiosk_app._filter.eventFilter(window, event) is True
        assert not is_escape_combo(Qt.Key.Key_A, 0)
        window.close()
        assert window.isVisible()
    finally:
        kiosk_app.close()


def test_systemd_watchdog_is_fed_from_the_qt_loop(make_kiosk, tmp_path: Path, qtbot) -> None:
    import socket

    from kiosk.app import start_watchdog

    d = make_kiosk()
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        server.setblocking(False)
        env = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "200000"}  # ping every 0.1 s
        watchdog = start_watchdog(d.app, env)
        assert watchdog.enabled
        received: list[str] = []

        def pings() -> int:
            try:
                while True:
                    received.append(server.recv(4096).decode())
            except BlockingIOError:
                pass
            return sum("WATCHDOG=1" in m for m in received)

        qtbot.waitUntil(lambda: pings() >= 3, timeout=5000)
        assert received[0].startswith("READY=1")
        assert "STATUS=kiosk test-kiosk-1: installed content" in received[0]


def test_an_abandoned_maintenance_screen_times_out(make_kiosk, qtbot) -> None:
    d = make_kiosk(idle_seconds=1, countdown_seconds=1)
    c = d.controller
    d.corner_taps()
    for digit in TEST_PIN:
        d.tap(f"pin.{digit}")
    d.tap("pin.ok")
    assert c.screen == "maintenance"
    with qtbot.waitSignal(c.sessionReset, timeout=5000):
        pass
    assert c.screen == "attract" and not c.pinOpen


def test_uncaught_exceptions_are_logged_and_return_to_attract(make_kiosk, caplog) -> None:
    import sys

    from kiosk.app import install_excepthook

    d = make_kiosk()
    d.tap("attract.start")
    d.tap("language.ru")
    previous = sys.excepthook
    try:
        install_excepthook(lambda: d.app)
        try:
            raise RuntimeError("something broke in a callback")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
    assert "something broke in a callback" in caplog.text
    assert d.controller.screen == "attract" and d.controller.session.is_default()


def test_no_content_at_all_exits_non_zero(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "kiosk.toml"
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    config.write_text(
        f'content_dir = "{tmp_path / "none"}"\nusage_file = "{tmp_path / "usage.db"}"\n'
        f'fallback_cache_dir = "{blocker / "cache"}"\n'
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "safe_airports_cli",
            "kiosk",
            "--config",
            str(config),
            "--platform",
            "offscreen",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 3
    assert "cannot start" in result.stderr and "no installed content" in result.stderr


def test_any_touch_restarts_the_idle_time(make_kiosk) -> None:
    d = make_kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.en")
    d.clock.advance(50)
    d.tap("nav.home")  # a touch that changes nothing on the home screen
    d.clock.advance(50)
    c.check_idle()
    assert not c.idleAsking  # 50 s since the last touch
    d.clock.advance(11)
    c.check_idle()
    assert c.idleAsking and c.screen == "home"


def test_maintenance_shows_the_agents_last_sync(make_kiosk, tmp_path: Path) -> None:
    import json

    state_dir = tmp_path / "sync"
    state_dir.mkdir()
    (state_dir / "state.json").write_text(
        json.dumps(
            {
                "last_success": "2026-11-20T08:00:00+00:00",
                "last_error": "server unreachable",
                "last_error_at": "2026-11-21T08:00:00+00:00",
            }
        )
    )
    d = make_kiosk(sync_state_dir=state_dir)
    c = d.controller
    d.corner_taps()
    for digit in TEST_PIN:
        d.tap(f"pin.{digit}")
    d.tap("pin.ok")
    rows = {r["label"]: r["value"] for r in c.page["rows"]}
    last = rows[c.strings["maintenance.last_sync"]]
    assert last.startswith("2026-11-20T08:00:00+00:00") and "server unreachable" in last


SHUTDOWN_SCRIPT = """
import sys
from pathlib import Path
from kiosk.app import KioskApp
from kiosk.settings import KioskSettings

content, fallback, usage, sync = map(Path, sys.argv[1:5])
settings = KioskSettings(
    airport="TAS", kiosk_id="k", content_dir=content, fallback_cache_dir=fallback,
    usage_file=usage, sync_state_dir=sync,
)


def visit():
    # No close(): when this returns Python frees the app's parts in whatever order it likes
    # (before, the controller could go first: a screen of "Cannot read property ... of null").
    app = KioskApp(settings, windowed=True)
    c = app.controller
    c.start()
    c.chooseLanguage("en")
    c.openDestination(c.page["destinations"][0]["id"])
    c.openHelp()
    app.qt_app.processEvents()
    app.recorder.close()
    print("visited")


visit()
"""


def test_leaving_without_close_prints_no_qml_error(settings, tmp_path: Path) -> None:
    """As deploy/demo_visitors.py does: bindings must never see the controller gone."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SHUTDOWN_SCRIPT,
            str(settings.content_dir),
            str(settings.fallback_cache_dir),
            str(tmp_path / "usage.db"),
            str(tmp_path / "sync"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0 and "visited" in result.stdout, result.stderr
    assert "TypeError" not in result.stderr and "qml" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_a_language_button_on_the_attract_screen_starts_in_it(make_kiosk, size) -> None:
    d = make_kiosk(size=size)
    c = d.controller
    button = d.wait_for("attract.lang.ru")
    assert button.height() >= 60 and button.width() >= 60
    pill = d.find("attract.touch")  # the invitation is not covered by the buttons
    pill_bottom = pill.mapToScene(pill.boundingRect().bottomLeft()).y()
    for lang in c.place.languages:
        item = d.find(f"attract.lang.{lang}")
        assert item.mapToScene(item.boundingRect().topLeft()).y() > pill_bottom
    d.tap("attract.lang.ru")
    d.wait_for("home.search")
    assert (c.screen, c.language) == ("home", "ru")


def test_the_countdown_over_qr_codes_is_a_bar_that_leaves_them_visible(make_kiosk, qtbot) -> None:
    from kiosk.tour import ShiftableClock, walk

    clock = ShiftableClock()
    d = make_kiosk(idle_seconds=10, qr_idle_seconds=30, countdown_seconds=20, clock=clock)
    c = d.controller
    d.tap("attract.lang.ru")
    d.tap("nav.help")
    assert c.screenHasCodes

    def qr_images() -> list:
        return [
            i
            for i in walk(d.window.contentItem())
            if i.objectName().startswith("qr.") and d.items(i.objectName())
        ]

    qtbot.waitUntil(lambda: bool(qr_images()), timeout=5000)  # cards come after the first frame
    scanned = qr_images()[0]
    d.ensure_visible(scanned)  # the person scrolled to a code and is scanning it
    clock.advance(31)
    c.check_idle()
    box = d.wait_for("idle.box")
    d.wait_for("idle.barContinue")
    assert not d.items("idle.continue")  # the full cover's buttons are not shown
    height = d.window.contentItem().height()
    box_top = box.mapToScene(box.boundingRect().topLeft()).y()
    assert box.height() < height / 4 and box_top > height / 2
    top = scanned.mapToScene(scanned.boundingRect().topLeft()).y()
    assert top >= 0 and top + scanned.height() <= box_top, (top, scanned.height(), box_top)
    d.tap("idle.barContinue")
    assert not c.idleAsking and c.screen == "help"
    # a second time, after the person went to a screen without codes and came back
    d.tap("nav.home")
    clock.advance(11)
    c.check_idle()
    d.tap("idle.continue")
    d.tap("nav.help")
    clock.advance(31)
    c.check_idle()
    d.wait_for("idle.barContinue")
    assert box.height() < height / 4
    assert box.mapToScene(box.boundingRect().topLeft()).y() > height / 2


def test_typing_a_number_finds_its_contact_and_opens_help(make_kiosk) -> None:
    d = make_kiosk()
    c = d.controller
    d.tap("attract.lang.ru")
    d.tap("home.search")
    for key in "1345":
        d.tap(f"key.{key}")
    assert c.searchText == "1345"
    snippet = d.wait_for("search.snippet.0")
    assert "<b>1345</b>" in snippet.property("text")
    d.tap("search.result.0")
    assert c.screen == "help" and c.session.destination == "KR"
