"""The kiosk as `safe-airports kiosk` runs it, plus a test hook on a Unix socket.

Run by the display-server tests (Xvfb, cage) and the kiosk benchmark in place of the kiosk
command: it reads the same settings file, builds the same `KioskApp` in kiosk mode
(fullscreen, or --windowed) on whatever platform Qt is given, and runs the Qt event loop.
The hook answers one JSON line per request line:

    state            window geometry, scale, visible screen, frames drawn, graphics API
    where NAME       the item's rectangle in window pixels (None if not shown)
    tap NAME         a synthetic click at the item's centre (where the compositor has no
                     input devices); answers with the milliseconds to the next frame
    frame            answers once the next frame is on screen
    grab PATH        saves what the window drew (Qt's own grab) as PNG at PATH
    targets          every visible touch target's size in window pixels (MouseArea, TapHandler)
    audio            the media player's own state ("playing"...) and position in milliseconds
    end              ends the visit as the idle overlay's button does (back to the attract screen)
    quit             leaves the event loop

`--first-frame FILE` writes time.monotonic() of the first frame there (the benchmark's cold
start; CLOCK_MONOTONIC is the same clock in every process).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--socket", type=Path, required=True)
    parser.add_argument("--windowed", action="store_true")
    parser.add_argument("--first-frame", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from kiosk.app import install_qt_message_handler, prepare_platform
    from kiosk.settings import load_settings

    settings = load_settings(args.config)
    prepare_platform(None)
    install_qt_message_handler()

    from PySide6.QtNetwork import QLocalServer

    from kiosk.app import KioskApp
    from kiosk.tour import TourDriver, is_shown, walk

    kiosk_app = KioskApp(settings, windowed=args.windowed)
    window = kiosk_app.window
    driver = TourDriver(kiosk_app)
    info: dict[str, Any] = {"frames": 0, "gl_renderer": None}

    def on_frame() -> None:
        info["frames"] += 1
        if info["frames"] == 1 and args.first_frame is not None:
            args.first_frame.write_text(f"{time.monotonic()}\n")

    window.frameSwapped.connect(on_frame)

    def on_scene_graph() -> None:  # on the render thread, with its context current
        from PySide6.QtGui import QOpenGLContext

        context = QOpenGLContext.currentContext()
        if context is not None:
            gl_renderer = 0x1F01
            info["gl_renderer"] = context.functions().glGetString(gl_renderer)

    from PySide6.QtCore import Qt, QTimer

    window.sceneGraphInitialized.connect(on_scene_graph, Qt.ConnectionType.DirectConnection)

    def visible_screen() -> str | None:
        for item in walk(window.contentItem()):
            name = item.objectName()
            if name.startswith("screen.") and is_shown(item):
                return name.removeprefix("screen.")
        return None

    def rect(item: Any) -> list[float]:
        r = item.mapRectToScene(item.boundingRect())
        return [r.x(), r.y(), r.width(), r.height()]

    def answer(line: str) -> Any:
        command, _, name = line.strip().partition(" ")
        if command == "state":
            g = window.geometry()
            screen = window.screen()
            sg = screen.geometry() if screen is not None else None
            metrics = kiosk_app.metrics
            api = window.rendererInterface().graphicsApi()
            return {
                "window": [g.x(), g.y(), g.width(), g.height()],
                "screen_geometry": None if sg is None else [sg.width(), sg.height()],
                "scale": None if metrics is None else metrics.scale,
                "px_per_mm": None if metrics is None else metrics.px_per_mm,
                "design": None
                if metrics is None
                else [metrics.design_width, metrics.design_height],
                "screen": visible_screen(),
                "frames": info["frames"],
                "graphics_api": api.name,
                "gl_renderer": info["gl_renderer"],
                "platform": kiosk_app.qt_app.platformName(),
            }
        if command == "where":
            found = driver.items(name)
            return rect(found[0]) if found else None
        if command == "tap":
            return driver.tap(name)
        if command == "frame":
            return driver.wait_frame()
        if command == "grab":
            driver.grab(Path(name))
            return name
        if command == "targets":
            return [
                {"name": item.parentItem().objectName(), "rect": rect(item)}
                for item in walk(window.contentItem())
                if is_shown(item)
                and (item.inherits("QQuickMouseArea") or item.inherits("QQuickTapHandler"))
                and item.property("enabled")
            ]
        if command == "audio":
            player = kiosk_app.controller.audio
            return {"state": player.playback_state(), "position": player.position_ms()}
        if command == "end":
            kiosk_app.controller.end_session()
            return visible_screen()
        if command == "quit":
            # exit(), not quit(): Qt 6's quit() first closes the windows, which kiosk mode refuses.
            QTimer.singleShot(0, lambda: kiosk_app.qt_app.exit(0))
            return "bye"
        raise ValueError(f"unknown command {command!r}")

    server = QLocalServer()
    args.socket.unlink(missing_ok=True)
    if not server.listen(str(args.socket)):
        print(f"probe: cannot listen on {args.socket}: {server.errorString()}", file=sys.stderr)
        return 2
    clients: list[Any] = []

    def on_connection() -> None:
        while server.hasPendingConnections():
            conn = server.nextPendingConnection()
            clients.append(conn)

            def on_ready(conn: Any = conn) -> None:
                while conn.canReadLine():
                    line = bytes(conn.readLine()).decode()
                    try:
                        reply: Any = {"ok": answer(line)}
                    except Exception as exc:  # the test sees the error
                        reply = {"error": f"{type(exc).__name__}: {exc}"}
                    conn.write((json.dumps(reply) + "\n").encode())
                    conn.flush()

            conn.readyRead.connect(on_ready)

    server.newConnection.connect(on_connection)
    status = kiosk_app.qt_app.exec()
    kiosk_app.close()
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
