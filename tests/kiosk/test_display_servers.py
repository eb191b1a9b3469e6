"""The kiosk in real display servers: fullscreen under Xvfb (X11) and inside cage (Wayland).

Each test starts the kiosk as `safe-airports kiosk` would (kiosk mode, the settings file, the
platform plugin of that display server; tests/kiosk/kiosk_probe.py adds a test hook), checks
that the attract screen covers the whole screen, taps through to the help screen, and (under
Xvfb) checks that every touch target there is at least 9 mm on that panel.

Screenshots: under Xvfb, xwd's dump of the X screen, and the taps are real X clicks (xdotool).
Inside cage (wlroots' headless backend and pixman renderer, as the kiosk user, started by
deploy/kiosk/kiosk-session.sh), grim's capture of cage's output where it can see it, and Qt's
own grab of the window (whose size is checked against the output's) always; taps go through
the test hook, as the headless backend has no input devices.

Why grim is not used at rotation 0 on the headless backend: when one fullscreen surface covers
the output with the output's own transform, cage 0.1.4 hands the client's buffer straight to
the output (direct scan-out, cage's output.c) instead of composing a frame, and wlroots 0.15's
screencopy then gives all black for that shared-memory buffer on the headless backend. A
rotated output (the transforms differ) or wlroots' x11 backend (its output test refuses client
buffers, "Basic output test failed") makes cage compose, and grim shows the kiosk. On a real
panel (DRM backend, GPU renderer) scan-out buffers are captured normally.

Sound: once (software renderer, rotation 0) the kiosk's content has a tone for every listen
button; the help screen's clip must reach the PulseAudio server kiosk-session.sh starts (a null
sink here): a stream in `pactl list sink-inputs` and the tone recorded from the sink's monitor.

Output sizes: cage 0.1.4 has no option or protocol (wlr-output-management came in 0.1.5) to
size the headless output (1280×720; 720×1280 rotated). test_cage_follows_its_output_size runs
cage on wlroots' x11 backend inside Xvfb instead, whose output follows its X window's size, and
resizes that window to each panel size in turn; there the taps are real X clicks, which cage
passes on as a Wayland pointer. With the software backend this is also where the kiosk froze
after the first click until kiosk/frame_damage.py (cage 0.1.4 withheld the frame callback of a
commit without damage; kiosk/README.md, "The software renderer under cage 0.1.4"). Screenshots
are kept in
$SAFE_AIRPORTS_SCREENSHOTS when that is set. A test skips, saying what to install, only when
the display server is missing.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from tests.kiosk.screens import (
    CAGE_USER,
    REPO,
    Probe,
    check_targets,
    fill_report,
    grim_screenshot,
    keep_screenshot,
    start_cage,
    stop_cage,
    stop_like_systemd,
    unprivileged_venv,
    write_config,
    xvfb,
    xwd_screenshot,
)

# The sample with a tone for every listen button (built once per run, with sox and opusenc).
from tests.kiosk.test_audio_playback import audio_cache  # noqa: E402, F401

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
            f"{', '.join(missing)} not installed: apt-get install xvfb x11-apps x11-utils xdotool "
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
        env.pop("QT_QUICK_BACKEND", None)  # the kiosk chooses (renderer = auto: software here)
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
def test_inside_cage_headless(request, unprivileged, sample_cache, renderer, rotation) -> None:
    # wlroots' headless output is 1280×720; ROTATION=90 or 270 (display.conf) makes it 720×1280.
    # Once, the sample with a tone for every listen button: the kiosk's sound, heard through
    # the PulseAudio server kiosk-session.sh starts (a null sink: no sound card here).
    sound = renderer == "software" and rotation == 0
    if sound and (shutil.which("pulseaudio") is None or shutil.which("parec") is None):
        pytest.skip("no sound server to test with: apt-get install pulseaudio pulseaudio-utils")
    installed = request.getfixturevalue("audio_cache") if sound else None
    session, run_dir, work = start_cage(
        unprivileged, sample_cache, renderer, rotation, installed=installed
    )
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
        if sound:
            probe.ask("tap language.ru")  # listen buttons come with a chosen language
        probe.ask("tap nav.help")
        state = probe.wait_until(lambda s: s["screen"] == "help", "the help screen")
        probe.ask(f"grab {work / f'{name}-help.png'}")
        keep_screenshot(work / f"{name}-help.png")
        if sound:
            probe.ask("tap listenButton")
            _check_sound(probe, run_dir)
        probe.close()
        # Stopped as `systemctl stop` stops the unit. A SIGTERM to cage (as systemd sends one
        # to every process of the unit without ExecStop) made cage 0.1.4 abort in its cleanup
        # ("wl_display_terminate: Assertion ... failed", status 134) every time here.
        assert stop_like_systemd(session) == 0
    finally:
        stop_cage(session)
    text = log.read_bytes().decode(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "Assertion" not in text and "Aborted" not in text, text[-3000:]


def _check_sound(probe: Probe, run_dir: Path) -> None:
    """The kiosk's player is playing, and its tone reaches the session's sound server: recorded
    from the null sink's monitor, it is not silence."""
    probe.wait_until(lambda s: probe.ask("audio")["state"] == "playing", "the player playing")
    start = probe.ask("audio")["position"]
    probe.wait_until(lambda s: probe.ask("audio")["position"] > start, "the clip advancing")
    env = {"XDG_RUNTIME_DIR": str(run_dir), "PATH": "/usr/bin:/bin", "HOME": str(run_dir)}
    env["PULSE_COOKIE"] = str(run_dir / ".config" / "pulse" / "cookie")
    user = ["runuser", "-u", CAGE_USER, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()]]
    streams = subprocess.run(
        [*user, "pactl", "list", "sink-inputs"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert streams.returncode == 0, f"no sound server in the session: {streams.stderr.strip()}"
    assert "Sink Input #" in streams.stdout, "the kiosk plays no stream into the sound server"
    # Half a second of the monitor: 16-bit mono at 16 kHz.
    recorder = subprocess.Popen(
        [*user, "parec", "-d", "@DEFAULT_MONITOR@", "--raw", "--format=s16le", "--rate=16000"]
        + ["--channels=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # "Broken pipe" once it is stopped
    )
    try:
        assert recorder.stdout is not None
        samples = recorder.stdout.read(16000)
    finally:
        recorder.kill()
        recorder.wait(timeout=30)
    loudest = max(abs(v) for (v,) in struct.iter_unpack("<h", samples[: len(samples) // 2 * 2]))
    assert loudest > 1000, f"the sound server hears silence (loudest sample {loudest})"


# The panel sizes of the issue, in the order cage's output is resized to them.
CAGE_SIZES = [(2160, 3840), (1920, 1080), (1366, 768), (768, 1366), (1080, 1920)]


@pytest.mark.parametrize(
    ("renderer", "sizes"), [("software", CAGE_SIZES), ("llvmpipe", [(1080, 1920)])]
)
def test_cage_follows_its_output_size(unprivileged, sample_cache, renderer, sizes) -> None:
    """One cage, on wlroots' x11 backend inside Xvfb (cage 0.1.4 has no way to set the
    headless output's size: no output management, no mode option), whose output window is
    resized to each panel size in turn. At each size the kiosk follows, grim's capture of the
    output shows the attract screen filling it, and real clicks (the X pointer, passed on by
    cage as a Wayland pointer) go through the language screen to the help screen, which grim
    shows as the kiosk drew it.

    With the software backend at every size, then frames in which nothing changes: before
    kiosk/frame_damage.py such a frame committed a buffer with no damage, cage 0.1.4 never
    answered its frame callback and the kiosk drew nothing more (the first real click seemed
    to freeze it). Qt Quick's default renderer (OpenGL, on Mesa's llvmpipe here), as the
    systemd unit runs it, at one size: its frames always damage the whole surface."""
    _need("Xvfb", "xdotool", "xwininfo")
    with xvfb(*sizes[0]) as display:
        session, run_dir, work = start_cage(
            unprivileged, sample_cache, renderer, x_display=display, diagonal=21.5
        )
        log = work / "cage.log"
        x_env = dict(os.environ, DISPLAY=display)
        try:
            probe = Probe(run_dir / "probe.sock", lambda: session.poll() is None)
            state = probe.wait_until(lambda s: s["frames"] > 0, "the first frame", frames=False)
            assert state["graphics_api"] == ("Software" if renderer == "software" else "OpenGL")
            tree = subprocess.run(
                ["xwininfo", "-root", "-children"],
                env=x_env,
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout
            (output_window,) = [
                line.split()[0] for line in tree.splitlines() if line.strip().startswith("0x")
            ]
            for width, height in sizes:
                subprocess.run(
                    ["xdotool", "windowsize", output_window, str(width), str(height)],
                    env=x_env,
                    check=True,
                    timeout=30,
                )
                # Qt hears of the new output mode (the screen) and of the window's new size
                # (cage's configure) separately; the layout follows both.
                probe.wait_until(
                    lambda s, size=[width, height]: (
                        s["window"] == [0, 0, *size]
                        and s["screen_geometry"] == size
                        and abs(min(s["design"]) - 1080) <= 2
                        and s["screen"] == "attract"
                    ),
                    f"the kiosk laid out for cage's output at {width}×{height}",
                    frames=False,
                )
                name = f"cage-x11-{renderer}-{width}x{height}"
                _wait_for_output(probe, run_dir, work / f"{name}-grim.png", (width, height))
                # Real clicks, through the X server and cage (its output window sits at 0,0).
                _click(probe, "attract.start", x_env)
                probe.wait_until(
                    lambda s: s["screen"] == "language", "the language screen", frames=False
                )
                _click(probe, "nav.help", x_env)
                probe.wait_until(lambda s: s["screen"] == "help", "the help screen", frames=False)
                _wait_for_output(
                    probe, run_dir, work / f"{name}-help-grim.png", (width, height), attract=False
                )
                # Frames with nothing new in them (Qt redraws the unchanged window): each one
                # must reach the screen, or the kiosk has stopped drawing.
                for _ in range(3):
                    probe.ask("frame")
                # Back to the attract screen for the next size, as the idle overlay's button does.
                assert probe.ask("end") == "attract"
            probe.ask("quit")
            assert session.wait(timeout=60) == 0
        finally:
            stop_cage(session)
    text = log.read_bytes().decode(errors="replace")
    assert "Traceback" not in text, text[-3000:]


def _click(probe: Probe, item: str, x_env: dict[str, str]) -> None:
    """A real click at the item's centre: the X pointer, passed on by cage."""
    x, y, w, h = probe.ask(f"where {item}")
    centre = [str(round(x + w / 2)), str(round(y + h / 2))]
    subprocess.run(
        ["xdotool", "mousemove", *centre, "click", "1"], env=x_env, check=True, timeout=30
    )


def _wait_for_output(
    probe: Probe, run_dir: Path, shot: Path, size: tuple[int, int], attract: bool = True
) -> None:
    """grim's capture of the output, taken again until it shows what the kiosk's scene is now
    (Qt's own grab, kept beside it) and, on the attract screen, that fills the output. Nothing
    is done to make cage draw: a frame the kiosk does not get onto the output fails here."""
    reference = shot.with_name(shot.stem + "-qt.png")
    deadline = time.monotonic() + 60
    while True:
        probe.ask(f"grab {reference}")
        image = grim_screenshot(run_dir, shot)
        problems = [f"{image.size} != {size}"] if image.size != size else []
        if not problems and attract:
            problems = fill_report(image)
        if not problems:
            with Image.open(reference) as qt_image:
                expected = qt_image.convert("RGB").resize((96, 96))
            seen = image.resize((96, 96))
            diff = sum(ImageStat.Stat(ImageChops.difference(seen, expected)).mean) / 3
            if diff < 6:
                keep_screenshot(shot)
                return
            problems = [f"the output differs from the kiosk's scene (mean {diff:.1f}/255)"]
        if time.monotonic() > deadline:
            keep_screenshot(shot)
            raise AssertionError(f"{shot.name}: {problems}")
        time.sleep(0.2)  # polling: no event tells when cage has drawn the kiosk's next frame
