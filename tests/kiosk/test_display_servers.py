"""The kiosk in real display servers: fullscreen under Xvfb (X11) and inside cage (Wayland).

Each test starts the kiosk as `safe-airports kiosk` would (kiosk mode, the settings file, the
platform plugin of that display server; tests/kiosk/kiosk_probe.py adds a test hook), checks
that the attract screen covers the whole screen, taps through to the help screen, and (under
Xvfb) checks that every touch target there is at least 9 mm on that panel.

Screenshots: under Xvfb, xwd's dump of the X screen, and the taps are real X clicks (xdotool).
Under cage, Qt's own grab of the window (whose size is checked against the output's), and
taps through the test hook, as wlroots' headless backend has no input devices; grim's capture
is kept beside it, but with Debian 12's cage 0.1.4 (wlroots 0.15, headless, pixman) it comes
out all black, so it is not checked. Screenshots are kept in $SAFE_AIRPORTS_SCREENSHOTS when
that is set. A test skips, saying what to install, only when the display server is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.kiosk.screens import (
    REPO,
    Probe,
    check_targets,
    fill_report,
    grim_screenshot,
    keep_screenshot,
    start_cage,
    stop_cage,
    unprivileged_venv,
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
            # The scaled QR codes still scan (whole modules are no longer whole pixels).
            if shutil.which("zbarimg"):
                codes = subprocess.run(
                    ["zbarimg", "-q", "--raw", str(tmp_path / f"{name}-help.png")],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                ).stdout
                assert "tel:" in codes or "BEGIN:VCARD" in codes, f"{name}: no QR code decoded"
            # The on-screen keyboard has the smallest targets.
            tap("nav.home")
            probe.wait_until(lambda s: s["screen"] == "home", "the home screen")
            tap("home.search")
            state = probe.wait_until(lambda s: s["screen"] == "search", "the search screen")
            check_targets(probe, state, f"{name} search screen")
            probe.ask("quit")
            assert kiosk.wait(timeout=60) == 0, log.read_text()[-3000:]
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait()
    assert "Traceback" not in log.read_text()


@pytest.fixture(scope="module")
def unprivileged() -> Iterator[Path]:
    """A world-readable folder with a venv the kiosk user can run."""
    _need("cage", "grim", "runuser")
    if os.geteuid() != 0:
        pytest.skip("the cage test runs the kiosk as another user: run the tests as root")
    base = Path(tempfile.mkdtemp(prefix="safe-airports-cage-", dir="/tmp"))
    why_not = unprivileged_venv(base)
    if why_not:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(why_not)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize(
    ("renderer", "rotation"),
    [("software", 0), ("software", 90), ("software", 180), ("llvmpipe", 0), ("llvmpipe", 270)],
)
def test_inside_cage_headless(unprivileged, sample_cache, renderer, rotation) -> None:
    # wlroots' headless output is 1280×720; ROTATION=90 or 270 (display.conf) makes it 720×1280.
    session, run_dir, work = start_cage(unprivileged, sample_cache, renderer, rotation)
    log = work / "cage.log"
    try:
        probe = Probe(run_dir / "probe.sock", lambda: session.poll() is None)
        state = probe.wait_until(
            lambda s: s["frames"] > 0 and s["screen"] == "attract", "the attract screen"
        )
        # cage gives the window its whole output (wlroots' headless output: 1280×720).
        assert state["platform"] == "wayland"
        assert state["window"][2:] == state["screen_geometry"], state
        assert (state["window"][2] < state["window"][3]) == (rotation in (90, 270)), state
        assert min(state["design"]) == pytest.approx(1080, abs=2)
        if renderer == "software":
            assert state["graphics_api"] == "Software"
        else:
            assert state["graphics_api"] == "OpenGL"
            assert "llvmpipe" in (state["gl_renderer"] or ""), state
        probe.ask("frame")
        width, height = state["window"][2:]
        name = f"cage-{renderer}-{width}x{height}-r{rotation}"
        shot = work / f"{name}-attract.png"
        probe.ask(f"grab {shot}")
        keep_screenshot(shot)
        assert fill_report(Image.open(shot)) == []
        if rotation:
            # What the compositor put on its output. Not at rotation 0: there cage 0.1.4 scans
            # the kiosk's buffer out directly (one fullscreen surface, same transform), and
            # wlroots 0.15's screencopy of a directly scanned-out shared-memory buffer on the
            # headless backend gives black (see the module notes).
            grim = grim_screenshot(run_dir, work / f"{name}-grim.png")
            keep_screenshot(work / f"{name}-grim.png")
            assert grim.size == (width, height)
            assert fill_report(grim) == []
        # No input devices in wlroots' headless backend: the taps go through the test hook.
        probe.ask("tap attract.start")
        probe.ask("tap nav.help")
        state = probe.wait_until(lambda s: s["screen"] == "help", "the help screen")
        probe.ask(f"grab {work / f'{name}-help.png'}")
        keep_screenshot(work / f"{name}-help.png")
        probe.ask("quit")
        assert session.wait(timeout=60) == 0
    finally:
        stop_cage(session)
    text = log.read_bytes().decode(errors="replace")
    assert "Traceback" not in text, text[-3000:]
