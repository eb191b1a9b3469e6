"""Helpers for the tests that run the kiosk in real display servers (Xvfb, cage).

Screenshots are taken by the display server's own tools (xwd for X11, grim for wlroots) and
read here: `read_xwd` turns xwd's dump of the root window into a Pillow image, and
`fill_report` says whether the attract screen covers the whole screen.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import site
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from PIL import Image

# The kiosk's background colour (Theme.background) and the primary blue of the attract screen.
BACKGROUND = (0xF4, 0xF1, 0xEA)
PRIMARY = (0x0B, 0x3D, 0x6E)


def read_xwd(path: Path) -> Image.Image:
    """An XWD file (xwd -root, TrueColor 24/32 bits per pixel) as an RGB image."""
    data = path.read_bytes()
    header = struct.unpack(">25I", data[:100])
    header_size, version, pixmap_format = header[0], header[1], header[2]
    width, height = header[4], header[5]
    byte_order, bits_per_pixel, bytes_per_line = header[7], header[11], header[12]
    ncolors = header[19]
    if version != 7 or pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError(f"{path}: not a 24/32-bit ZPixmap XWD file")
    offset = header_size + 12 * ncolors
    raw_mode = {32: "BGRX", 24: "BGR"}[bits_per_pixel]
    if byte_order == 1:  # MSBFirst
        raw_mode = {32: "XRGB", 24: "RGB"}[bits_per_pixel]
    pixels = data[offset : offset + bytes_per_line * height]
    return Image.frombuffer("RGB", (width, height), pixels, "raw", raw_mode, bytes_per_line, 1)


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def fill_report(image: Image.Image) -> list[str]:
    """What is wrong with a screenshot of the attract screen (empty: it fills the screen).

    The attract screen is the primary blue with the background colour nowhere; a window that
    does not fill the screen leaves black (or another colour) in a band on the right or at the
    bottom. Checked: the four corners, the right-most and bottom-most columns and rows sampled
    every 16 px, and that most of the screen is the attract screen's blue.
    """
    rgb = image.convert("RGB")
    width, height = rgb.size
    problems = []
    edges = {
        "right edge": [(width - 1, y) for y in range(0, height, 16)],
        "bottom edge": [(x, height - 1) for x in range(0, width, 16)],
        "left edge": [(0, y) for y in range(0, height, 16)],
        "top edge": [(x, 0) for x in range(0, width, 16)],
    }
    for name, points in edges.items():
        wrong = [p for p in points if not _near(rgb.getpixel(p), PRIMARY, 40)]
        # Text or the touch badge may reach an edge on a small screen; a band never does.
        if len(wrong) > len(points) // 4:
            sample = rgb.getpixel(wrong[0])
            problems.append(
                f"{name}: {len(wrong)}/{len(points)} pixels not the attract blue, "
                f"e.g. {sample} at {wrong[0]}"
            )
    small = rgb.resize((64, 64), Image.Resampling.NEAREST)
    blue = sum(
        1 for y in range(64) for x in range(64) if _near(small.getpixel((x, y)), PRIMARY, 40)
    )
    if blue < 0.6 * 64 * 64:
        problems.append(f"only {blue}/4096 sampled pixels are the attract blue")
    return problems


class Probe:
    """Client of the kiosk's test hook (tests/kiosk/kiosk_probe.py) on its Unix socket."""

    def __init__(self, path: Path, alive: Callable[[], bool], timeout: float = 60.0) -> None:
        self.path = path
        deadline = time.monotonic() + timeout
        while True:
            if not alive():
                raise ProbeError("the kiosk exited before its test hook answered")
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise ProbeError(f"no test hook on {path} after {timeout} s") from None
                time.sleep(0.1)  # polling for the socket to appear: there is no signal for it
        self.sock.settimeout(120)
        self.file = self.sock.makefile("rwb")

    def ask(self, command: str) -> Any:
        self.file.write(command.encode() + b"\n")
        self.file.flush()
        line = self.file.readline()
        if not line:
            raise ProbeError(f"the kiosk closed the test hook on {command!r}")
        reply = json.loads(line)
        if "error" in reply:
            raise ProbeError(f"{command!r}: {reply['error']}")
        return reply["ok"]

    def wait_until(
        self, check: Callable[[dict], bool], what: str, timeout: float = 60.0, frames: bool = True
    ) -> dict:
        """Ask for the state (each time after the next frame) until `check` holds.

        frames=False polls instead: where the compositor may hold back frame callbacks while
        nothing changes (cage on wlroots' x11 backend), "the next frame" may never come."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.ask("state")
            if check(state):
                return state
            if time.monotonic() > deadline:
                raise ProbeError(f"{what}: not reached in {timeout} s; last state {state}")
            if frames:
                self.ask("frame")
            else:
                time.sleep(0.1)  # polling the kiosk's state: no frame to wait on

    def close(self) -> None:
        self.file.close()
        self.sock.close()


class ProbeError(Exception):
    """The kiosk's test hook did not answer as expected."""


REPO = Path(__file__).resolve().parents[2]


def write_config(
    folder: Path, sample_cache: Path, diagonal: float, installed: Path | None = None
) -> Path:
    """A kiosk settings file using the packaged sample (pre-built) as its content, or
    `installed` installed in its content store as the sync agent leaves it."""
    if installed is not None:
        from content.installed import InstalledStore

        InstalledStore(folder / "content").install_file(installed)
    fallback = folder / "fallback"
    fallback.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample_cache, fallback / sample_cache.name)
    config = folder / "kiosk.toml"
    config.write_text(
        'airport = "TAS"\nkiosk_id = "display-test"\n'
        f'content_dir = "{folder / "content"}"\nusage_file = "{folder / "usage.db"}"\n'
        f'fallback_cache_dir = "{fallback}"\npanel_diagonal_inches = {diagonal}\n'
    )
    return config


@contextmanager
def xvfb(width: int, height: int) -> Iterator[str]:
    """An Xvfb server of one screen `width`×`height`; yields its DISPLAY once it is ready."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as ready:
            number = ready.readline().strip()  # written once Xvfb accepts clients
        if not number:
            raise ProbeError(f"Xvfb did not start: {proc.stderr.read().decode()[-500:]}")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def xwd_screenshot(display: str, out: Path) -> Image.Image:
    """The whole X screen as xwd dumps it, saved as PNG at `out`."""
    dump = out.with_suffix(".xwd")
    subprocess.run(
        ["xwd", "-root", "-silent", "-display", display, "-out", str(dump)],
        check=True,
        timeout=60,
    )
    image = read_xwd(dump)
    dump.unlink()
    image.save(out)
    return image


def keep_screenshot(path: Path) -> None:
    """Copy a screenshot to $SAFE_AIRPORTS_SCREENSHOTS (if set) for a person to look at."""
    folder = os.environ.get("SAFE_AIRPORTS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def check_targets(probe: Probe, state: dict, where: str) -> None:
    """Every visible touch target measures at least 9 mm (and 60 px on the reference panel),
    and any two targets side by side have at least 2 mm between them."""
    targets = probe.ask("targets")
    assert targets, f"no touch targets found on {where}"
    px_per_mm = state["px_per_mm"]
    for target in targets:
        _, _, w, h = target["rect"]
        side = min(w, h)
        assert side / px_per_mm >= 9.0 - 0.05, (
            f"{where}: {target['name']!r} is {side:.0f} px = {side / px_per_mm:.1f} mm"
        )
        assert side / state["scale"] >= 60, f"{where}: {target['name']!r} under 60 design px"
    for i, a in enumerate(targets):
        for b in targets[i + 1 :]:
            ax, ay, aw, ah = a["rect"]
            bx, by, bw, bh = b["rect"]
            gap_x = max(bx - (ax + aw), ax - (bx + bw))
            gap_y = max(by - (ay + ah), ay - (by + bh))
            gap = max(gap_x, gap_y) / px_per_mm
            assert gap >= 2.0 - 0.05, (
                f"{where}: {a['name']!r} and {b['name']!r} are {gap:.1f} mm apart"
            )


# Inside cage, as the systemd unit runs it: the kiosk user (here `nobody`), a private runtime
# directory, QT_QPA_PLATFORM=wayland, wlroots' headless backend (no GPU, no input devices).
CAGE_USER = "nobody"
# Each renderer tested: the kiosk's `renderer` setting and the session's extra environment.
RENDERERS = {
    "software": ("software", {}),
    # Qt Quick's default (hardware) backend, on Mesa's software OpenGL.
    "llvmpipe": ("opengl", {"LIBGL_ALWAYS_SOFTWARE": "1"}),
}


def unprivileged_venv(base: Path, venv: Path | None = None, project: Path = REPO) -> str | None:
    """Make `venv` (default `base/venv`), which the kiosk user can run: Debian's python3 with
    `project` and this interpreter's site-packages on its path (no copy, no download), and a
    `safe-airports` command. None when it works, else why not."""
    base.chmod(0o755)
    venv = venv or base / "venv"
    system_python = "/usr/bin/python3"
    version = subprocess.run(
        [system_python, "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if version != str(sys.version_info[:2]):
        return f"{system_python} is {version or 'missing'}, the tests run {sys.version_info[:2]}"
    subprocess.run(
        [system_python, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    site_dir = next((venv / "lib").glob("python3*/site-packages"))
    paths = [str(project), *site.getsitepackages()]
    (site_dir / "safe_airports_tests.pth").write_text("\n".join(paths) + "\n")
    command = venv / "bin" / "safe-airports"  # what pip would make of [project.scripts]
    command.write_text(f'#!/bin/sh\nexec "{venv}/bin/python" -m safe_airports_cli "$@"\n')
    command.chmod(0o755)
    check = subprocess.run(
        [
            "runuser",
            "-u",
            CAGE_USER,
            "--",
            str(venv / "bin" / "python"),
            "-c",
            "import PySide6.QtQuick, kiosk.app",
        ],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
    )
    if check.returncode != 0:
        return (
            f"user {CAGE_USER} cannot read the project or its packages "
            f"({', '.join(paths)}): {check.stderr.strip()[-300:]}"
        )
    return None


def start_cage(
    base: Path,
    sample_cache: Path,
    renderer: str,
    rotation: int = 0,
    x_display: str = "",
    diagonal: float = 0,
    installed: Path | None = None,
) -> tuple[subprocess.Popen, Path, Path]:
    """deploy/kiosk/kiosk-session.sh as the kiosk user, with the probe as the app.

    wlroots' headless backend (one 1280×720 output, no input devices), or with `x_display`
    its x11 backend: cage's output is then a window on that X server (1024×768 at first),
    which follows that window's size and passes the X server's pointer on as a real Wayland
    pointer. `diagonal` is the panel_diagonal_inches setting (0: what the display reports);
    `installed` a content cache installed for the kiosk (else the sample is shown).

    Returns the session process, its runtime directory (the probe's socket is `probe.sock`
    there) and its work folder (log; `first-frame` holds the monotonic time of the first
    frame)."""
    work = Path(tempfile.mkdtemp(prefix=f"{renderer}-", dir=base))
    run_dir, data = work / "run", work / "data"
    run_dir.mkdir(mode=0o700)
    data.mkdir()
    config = write_config(data, sample_cache, diagonal, installed)
    setting, renderer_env = RENDERERS[renderer]
    config.write_text(config.read_text() + f'renderer = "{setting}"\n')
    app = work / "kiosk-app"
    app.write_text(
        "#!/bin/sh\n"
        f"exec {base}/venv/bin/python -m tests.kiosk.kiosk_probe --config {config} "
        f"--socket {run_dir}/probe.sock --first-frame {work}/first-frame\n"
    )
    app.chmod(0o755)
    for path in (work, run_dir, data, *data.rglob("*")):
        shutil.chown(path, CAGE_USER)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(data),
        "WLR_BACKENDS": "x11" if x_display else "headless",
        "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        # What safe-airports-kiosk.service sets, and kiosk-session's runtime directory.
        "XDG_SESSION_TYPE": "wayland",
        "QT_QPA_PLATFORM": "wayland",
        "QT_WAYLAND_DISABLE_WINDOWDECORATION": "1",
        "RUNTIME_DIRECTORY": str(run_dir),
        "KIOSK_APP": str(app),
        "ROTATION": str(rotation),  # /etc/safe-airports/display.conf
        "PYTHONPATH": str(REPO),
        **renderer_env,
    }
    if x_display:
        env["DISPLAY"] = x_display
    session = subprocess.Popen(
        [
            "runuser",
            "-u",
            CAGE_USER,
            "--",
            "env",
            "-i",
            *[f"{k}={v}" for k, v in env.items()],
            "bash",
            str(REPO / "deploy" / "kiosk" / "kiosk-session.sh"),
        ],
        cwd=REPO,
        stdout=(work / "cage.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stop_cage() ends cage and the app too
    )
    return session, run_dir, work


def grim_screenshot(run_dir: Path, out: Path) -> Image.Image:
    """cage's output as the compositor composed it (grim, through wlr-screencopy)."""
    subprocess.run(
        ["grim", str(out)],
        env={"XDG_RUNTIME_DIR": str(run_dir), "WAYLAND_DISPLAY": "wayland-0"},
        check=True,
        timeout=60,
    )
    with Image.open(out) as image:
        return image.convert("RGB")


def stop_like_systemd(session: subprocess.Popen, timeout: float = 30) -> int:
    """Stop a session started by start_cage as `systemctl stop` stops the unit: its ExecStop
    (`kiosk-session --stop`, as the kiosk user, with cage's PID as $MAINPID), then SIGTERM to
    every process still left. The session's exit status (runuser passes on cage's)."""
    listing = subprocess.run(
        ["ps", "-o", "pid=,comm=", "-g", str(session.pid)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    (cage,) = [
        int(line.split()[0]) for line in listing.splitlines() if line.split()[1:] == ["cage"]
    ]
    subprocess.run(
        ["runuser", "-u", CAGE_USER, "--", "env", f"MAINPID={cage}", "bash"]
        + [str(REPO / "deploy" / "kiosk" / "kiosk-session.sh"), "--stop"],
        check=True,
        timeout=timeout,
    )
    with suppress(ProcessLookupError):
        os.killpg(session.pid, signal.SIGTERM)
    return session.wait(timeout=timeout)


def stop_cage(session: subprocess.Popen) -> None:
    """Kill what is left of a session started by start_cage (runuser, cage, the kiosk)."""
    if session.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(session.pid, signal.SIGKILL)
        session.wait(timeout=30)
