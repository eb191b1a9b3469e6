"""The kiosk in real display servers: fullscreen under Xvfb (X11) and inside cage (Wayland).

Each test starts the kiosk as `safe-airports kiosk` would (kiosk mode, the settings file, the
platform plugin of that display server; tests/kiosk/kiosk_probe.py adds a test hook), takes a
screenshot with the display server's own tool (xwd, grim), checks that the attract screen
covers the whole screen, taps through to the help screen, and checks that every touch target
there is at least 9 mm on that panel. Screenshots are kept in $SAFE_AIRPORTS_SCREENSHOTS when
that is set. A test skips, saying what to install, only when the display server is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kiosk.screens import (
    REPO,
    Probe,
    check_targets,
    fill_report,
    keep_screenshot,
    write_config,
    xvfb,
    xwd_screenshot,
)

# (width, height, panel diagonal in inches; 0: what the display server reports)
PANELS = [
    (1080, 1920, 21.5),
    (1920, 1080, 21.5),
    (1366, 768, 18.5),
    (768, 1366, 18.5),
    (2160, 3840, 21.5),
    (1920, 1080, 0),
]


def _need(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed: apt-get install xvfb x11-apps xdotool "
            "(make test installs them when run as root)"
        )


def _start_probe(config: Path, socket: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.kiosk.kiosk_probe",
            "--config",
            str(config),
            "--socket",
            str(socket),
        ],
        env=env,
        cwd=REPO,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize(("width", "height", "diagonal"), PANELS)
def test_fullscreen_under_xvfb(tmp_path, sample_cache, width, height, diagonal) -> None:
    _need("Xvfb", "xwd", "xdotool")
    config = write_config(tmp_path, sample_cache, diagonal)
    name = f"xvfb-{width}x{height}-{diagonal:g}in"
    log = tmp_path / "kiosk.log"
    with xvfb(width, height) as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env["PYTHONPATH"] = str(REPO)
        env.pop("QT_QUICK_BACKEND", None)  # Qt Quick's default renderer (OpenGL: Mesa here)
        env.pop("WAYLAND_DISPLAY", None)
        kiosk = _start_probe(config, tmp_path / "probe.sock", env, log)
        try:
            probe = Probe(tmp_path / "probe.sock", lambda: kiosk.poll() is None)
            state = probe.wait_until(
                lambda s: (
                    s["frames"] > 0
                    and s["window"] == [0, 0, width, height]
                    and s["screen"] == "attract"
                ),
                f"the attract screen filling {width}×{height}",
            )
            assert min(state["design"]) == pytest.approx(1080, abs=2) or diagonal == 0
            probe.ask("frame")
            shot = xwd_screenshot(display, tmp_path / f"{name}-attract.png")
            keep_screenshot(tmp_path / f"{name}-attract.png")
            assert shot.size == (width, height)
            assert fill_report(shot) == []

            def tap(item: str) -> None:  # a real click through the X server
                x, y, w, h = probe.ask(f"where {item}")
                subprocess.run(
                    [
                        "xdotool",
                        "mousemove",
                        str(round(x + w / 2)),
                        str(round(y + h / 2)),
                        "click",
                        "1",
                    ],
                    env=env,
                    check=True,
                    timeout=30,
                )

            tap("attract.start")
            state = probe.wait_until(lambda s: s["screen"] == "language", "the language screen")
            check_targets(probe, state, f"{name} language screen")
            tap("nav.help")
            state = probe.wait_until(lambda s: s["screen"] == "help", "the help screen")
            check_targets(probe, state, f"{name} help screen")
            probe.ask("frame")
            xwd_screenshot(display, tmp_path / f"{name}-help.png")
            keep_screenshot(tmp_path / f"{name}-help.png")
            probe.ask("quit")
            assert kiosk.wait(timeout=60) == 0, log.read_text()[-3000:]
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait()
    assert "Traceback" not in log.read_text()
