"""Start the kiosk: Qt application, fonts, QML module, image providers, kiosk mode.

`KioskApp` puts the parts together; `run()` is what `safe-airports kiosk` calls. Qt messages go
to the log; a Python exception anywhere on the event loop is logged and the kiosk returns to
the attract screen; if the QML cannot be loaded the process exits non-zero so that its service
manager restarts it.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QKeyEvent, QPointerEvent
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from content.kiosk_commands import Mailbox, mailbox_dir
from kiosk.content_loader import ContentSource, ContentUnavailable
from kiosk.controller import KioskController
from kiosk.display_metrics import (
    REFERENCE_SIZE_PX,
    DisplayMetrics,
    default_window_size,
    display_metrics,
)
from kiosk.first_frame import write_first_frame
from kiosk.frame_damage import damage_every_frame
from kiosk.images import AssetImageProvider, QrImageProvider
from kiosk.remote_commands import RemoteCommands
from kiosk.renderer import apply_renderer
from kiosk.usage_store import UsageError, UsageRecorder, UsageStore

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"
QML_MODULE = "SafeAirports"
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
EXIT_FATAL = 3


class FatalError(Exception):
    """The kiosk cannot show anything (no content at all, or no QML root object)."""


def prepare_platform(platform: str | None) -> None:
    """Choose the Qt platform plugin; must run before the QGuiApplication exists."""
    if platform:
        os.environ["QT_QPA_PLATFORM"] = platform
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("QT_QUICK_BACKEND", "software")


def find_font_files() -> list[Path]:
    found = []
    for name in FONT_FILES:
        for folder in FONT_DIRS:
            if (folder / name).is_file():
                found.append(folder / name)
                break
    return found


def load_fonts() -> str | None:
    """Register Noto Sans and make it the application font; its family, or None if missing."""
    family = None
    for path in find_font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        family = family or (families[0] if families else None)
    if family is None:
        log.error("Noto Sans not found in %s: install fonts-noto-core", FONT_DIRS[0])
        return None
    font = QFont(family)
    font.setPixelSize(28)
    QGuiApplication.setFont(font)
    return family


# Keys that could close the app or switch away: swallowed in kiosk mode.
def is_escape_combo(key: int, modifiers: int) -> bool:
    mods = Qt.KeyboardModifier(modifiers)
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    meta = bool(mods & Qt.KeyboardModifier.MetaModifier)
    k = Qt.Key
    if key in (k.Key_Escape, k.Key_Super_L, k.Key_Super_R, k.Key_Meta, k.Key_Close, k.Key_Menu):
        return True
    if alt and key in (k.Key_F4, k.Key_Tab, k.Key_Backtab, k.Key_Escape):
        return True
    if ctrl and key in (k.Key_Q, k.Key_W, k.Key_Escape):
        return True
    if ctrl and alt and (k.Key_F1 <= key <= k.Key_F12 or key in (k.Key_Delete, k.Key_Backspace)):
        return True
    return meta


class KioskApp:
    """The running kiosk: owns the engine, window, controller, content and usage recorder."""

    def __init__(
        self,
        settings: Any,
        *,
        windowed: bool = True,
        size: tuple[int, int] | None = None,
        usage_clock: Callable[[], datetime] = datetime.now,
        monotonic: Callable[[], float] = time.monotonic,
        qml_module: str = QML_MODULE,
        remote_commands: bool = True,
    ) -> None:
        self.qt_app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
        self.renderer = apply_renderer(settings.renderer, os.environ)  # before the window
        self.settings = settings
        self.windowed = windowed
        self.font_family = load_fonts()

        self.source = ContentSource(
            settings.content_dir, settings.fallback_cache_dir, settings.airport
        )
        try:
            self.source.open()
        except ContentUnavailable as exc:
            raise FatalError(str(exc)) from exc
        try:
            store: UsageStore | None = UsageStore(settings.usage_file)
        except UsageError as exc:
            log.error("usage counters disabled: %s", exc)
            store = None
        self.recorder = UsageRecorder(store, usage_clock)

        engine = QQmlApplicationEngine()
        self.engine: QQmlApplicationEngine | None = engine
        engine.addImportPath(str(QML_DIR))
        self.qr_provider = QrImageProvider()
        self.asset_provider = AssetImageProvider(self._read_asset)
        engine.addImageProvider("qr", self.qr_provider)
        engine.addImageProvider("asset", self.asset_provider)
        self.controller = KioskController(
            settings,
            self.source,
            self.recorder,
            monotonic=monotonic,
            screen_size=self._screen_size,
            warm_up_now=False,  # QR encoding would delay the first frame: start after it
            # A child of the engine: it outlives every QML object, whatever order Python frees
            # things in at exit (no "Cannot read property ... of null" at shutdown).
            parent=engine,
        )
        self.controller.bind_engine(engine)  # the module's `Kiosk` singleton
        engine.loadFromModule(qml_module, "Main")
        roots = engine.rootObjects()
        if not roots or not isinstance(roots[0], QQuickWindow):
            self.recorder.close()
            self.controller.unbind_engine(engine)
            self.engine = None
            shiboken6.delete(engine)
            self.source.close()
            raise FatalError(f"the QML module {qml_module} did not load (see the errors above)")
        self.window: QQuickWindow = roots[0]
        self._warm_up_started = False
        self.restarting = False  # a remote restart asked the event loop to end
        self.watchdog: Any = None  # kiosk.sd_notify.Watchdog, once started
        self.watchdog_timer: QTimer | None = None
        self.window.frameSwapped.connect(self._after_first_frame)
        # Software backend under Wayland: every frame damages a pixel, or cage 0.1.4 may stop
        # sending frame callbacks and the kiosk stops drawing (kiosk/frame_damage.py).
        self.damage_pixel = damage_every_frame(self.window)
        self.remote = RemoteCommands(
            Mailbox(mailbox_dir(settings.usage_file)),
            self.controller,
            self._grab,
            self._restart,
            parent=self.controller,
        )
        if remote_commands:  # off for the screenshot tour: no agent, nothing to report
            self.remote.start()
        self._filter = WindowFilter(self, parent=self.window)
        self.window.installEventFilter(self._filter)
        self.metrics: DisplayMetrics | None = None
        self._watched_screen: Any = None
        self.window.widthChanged.connect(self._update_metrics)
        self.window.heightChanged.connect(self._update_metrics)
        self.window.screenChanged.connect(self._on_screen_changed)
        self._on_screen_changed(self.window.screen())
        if not windowed:
            self.window.setCursor(Qt.CursorShape.BlankCursor)
            self.window.setFlags(self.window.flags() | Qt.WindowType.FramelessWindowHint)
            self._fill_screen()
            self.window.showFullScreen()
        else:
            self.window.resize(*(size or self._default_window_size()))
            self.window.show()

    # Window geometry: the kiosk fills its screen and follows it; the layout inside is scaled
    # from design pixels by kiosk/display_metrics.py.

    def _offscreen(self) -> bool:
        return QGuiApplication.platformName() == "offscreen"

    def _default_window_size(self) -> tuple[int, int]:
        screen = self.window.screen()
        if screen is None or self._offscreen():
            return REFERENCE_SIZE_PX  # no real screen: the reference panel's size
        available = screen.availableGeometry()
        return default_window_size((available.width(), available.height()))

    def _fill_screen(self) -> None:
        """Kiosk mode: cover the whole screen. showFullScreen() alone relies on a window
        manager, which a bare X server does not have; cage sizes the window itself."""
        screen = self.window.screen()
        if screen is not None and not self.windowed and not self._offscreen():
            self.window.setGeometry(screen.geometry())

    def _on_screen_changed(self, screen: Any) -> None:
        if self._watched_screen is not None:
            for signal in self._screen_signals(self._watched_screen):
                signal.disconnect(self._on_screen_resized)
        self._watched_screen = screen
        if screen is not None:
            for signal in self._screen_signals(screen):
                signal.connect(self._on_screen_resized)
        self._on_screen_resized()

    @staticmethod
    def _screen_signals(screen: Any) -> tuple[Any, ...]:
        return (screen.geometryChanged, screen.physicalSizeChanged)

    def _on_screen_resized(self, *_: Any) -> None:
        self._fill_screen()
        self._update_metrics()

    def _update_metrics(self, *_: Any) -> None:
        """Recompute the scale for the window's current size and screen; pass it to QML."""
        window = self.window
        if window.width() <= 0 or window.height() <= 0:
            return
        screen = window.screen()
        window_px = (window.width(), window.height())
        if screen is None or self._offscreen():
            screen_px, physical, dpr = window_px, None, 1.0
        else:
            geometry, size_mm = screen.geometry(), screen.physicalSize()
            screen_px = (geometry.width(), geometry.height())
            physical = (size_mm.width(), size_mm.height())
            dpr = screen.devicePixelRatio()
        metrics = display_metrics(
            window_px,
            screen_px,
            diagonal_in=self.settings.panel_diagonal_inches,
            physical_mm=physical,
            device_pixel_ratio=dpr,
        )
        if metrics != self.metrics:
            if self.metrics is None or metrics.px_per_mm != self.metrics.px_per_mm:
                log.info("display: %s (window %d×%d px)", metrics.describe(), *window_px)
            self.metrics = metrics
            window.setProperty("uiScale", metrics.scale)
            window.setProperty("designPxPerMm", metrics.design_px_per_mm)

    def _after_first_frame(self) -> None:
        # With a threaded render loop (a GPU, or llvmpipe) frameSwapped comes from the render
        # thread, queued: a second frame may already be queued when this runs.
        if self._warm_up_started:
            return
        self._warm_up_started = True
        self.window.frameSwapped.disconnect(self._after_first_frame)
        self.controller.start_warm_up()
        write_first_frame(self.settings.usage_file)  # swupdate: health of a software update

    def _grab(self, path: Path) -> bool:
        """Save what the window shows as PNG (only called between sessions)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        return bool(self.window.grabWindow().save(str(path)))  # PNG: from the suffix

    def _restart(self) -> None:
        """A remote restart: leave the event loop with status 0 (systemd starts the app
        again). exit(), not quit(): Qt 6's quit() first closes the windows, which kiosk mode
        refuses."""
        self.restarting = True
        QTimer.singleShot(0, lambda: self.qt_app.exit(0))

    def _read_asset(self, path: str) -> bytes | None:
        current = self.source.current
        return None if current is None else current.cache.asset(path)

    def _screen_size(self) -> str:
        window = getattr(self, "window", None)
        if window is None:
            return ""
        screen = window.screen()
        geometry = screen.geometry() if screen is not None else None
        text = f"{window.width()}×{window.height()} px (window)"
        if geometry is not None:
            text += f", {geometry.width()}×{geometry.height()} px (screen)"
        if self.metrics is not None:
            text += f"; {self.metrics.describe()}"
        return text

    def close(self) -> None:
        """Stop everything: QML first (so no binding outlives the controller), then the rest.

        Deferred deletions are flushed before and after the engine goes, so that no QML object
        is deleted later, during some other event loop run, after its engine is gone.
        """
        self.remote.stop()
        self.controller.shutdown()
        self.recorder.close()
        self.window.removeEventFilter(self._filter)
        self.window.hide()
        _flush_deletions()
        engine, self.engine = self.engine, None
        if engine is not None:
            self.controller.unbind_engine(engine)
            shiboken6.delete(engine)
        _flush_deletions()
        self.source.close()
        if shiboken6.isValid(self.controller):  # deleted with the engine, its parent
            shiboken6.delete(self.controller)
        gc.collect()


def _flush_deletions() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class WindowFilter(QObject):
    """Any touch resets the idle timer; escape keys and window close are swallowed."""

    def __init__(self, kiosk_app: KioskApp, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = kiosk_app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        try:
            if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
                controller = self._app.controller
                controller.user_activity()
                pos = cast(QPointerEvent, event).points()[0].position()
                w = self._app.window
                # In design pixels, the unit of the corner's size.
                scale = self._app.metrics.scale if self._app.metrics is not None else 1.0
                controller.corner_press(
                    pos.x() / scale, pos.y() / scale, w.width() / scale, w.height() / scale
                )
            elif kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
                if not self._app.windowed:
                    return True  # a touch kiosk has no use for keys: none may escape
                key_event = cast(QKeyEvent, event)
                return is_escape_combo(key_event.key(), key_event.modifiers().value)
            elif kind == QEvent.Type.Close and not self._app.windowed:
                event.ignore()
                return True
        except Exception:
            log.exception("error in the window event filter")
        return False


def install_excepthook(get_app: Callable[[], KioskApp | None]) -> None:
    """Log uncaught exceptions (slots included) and go back to the attract screen."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        kiosk_app = get_app()
        if kiosk_app is not None:
            kiosk_app.controller.recover()

    sys.excepthook = hook


def install_qt_message_handler() -> None:
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("qt")

    def handler(mode: Any, context: Any, message: str) -> None:
        qt_log.log(levels.get(mode, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def run(settings: Any, *, windowed: bool, tour: Path | None = None) -> int:
    """The kiosk's main loop (or the tour); the process exit status."""
    install_qt_message_handler()
    holder: list[KioskApp] = []
    install_excepthook(lambda: holder[0] if holder else None)
    try:
        if tour is not None:
            from kiosk.tour import run_tour

            return run_tour(settings, tour)
        kiosk_app = KioskApp(settings, windowed=windowed)
    except FatalError as exc:
        log.critical("the kiosk cannot start: %s", exc)
        return EXIT_FATAL
    holder.append(kiosk_app)
    watchdog = start_watchdog(kiosk_app)
    status = kiosk_app.qt_app.exec()
    if watchdog is not None:
        watchdog.stopping()
    kiosk_app.close()
    return int(status)


def start_watchdog(kiosk_app: KioskApp, environ: Mapping[str, str] | None = None) -> Any:
    """Tell systemd the kiosk is ready and feed its watchdog from the Qt event loop.

    The ping runs on a QTimer of the GUI thread, so a frozen event loop stops the pings and
    systemd restarts the kiosk. Outside systemd this does nothing. Returns the Watchdog.
    """
    from content.sd_notify import Watchdog

    try:
        watchdog = Watchdog(environ)
    except ValueError as exc:
        log.error("systemd watchdog settings ignored: %s", exc)
        return None
    loaded = kiosk_app.source.current
    if loaded is not None:
        version = loaded.cache.content_version
        watchdog.ready(f"kiosk {kiosk_app.settings.kiosk_id}: {loaded.origin} content v{version}")
    if watchdog.enabled:
        timer = QTimer(kiosk_app.controller)
        timer.setInterval(watchdog.interval_ms)
        timer.timeout.connect(watchdog.ping)
        timer.start()
        kiosk_app.watchdog_timer = timer
        watchdog.ping()
    kiosk_app.watchdog = watchdog
    return watchdog
