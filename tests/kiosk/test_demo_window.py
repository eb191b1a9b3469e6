"""`make demo`'s kiosk window (deploy/demo_window.sh) on a desktop, as a user who is not root.

Run for real as an unprivileged user (`nobody`) on a copy of the tree with Debian's python3
(root's interpreter is not readable by others), on an X server (Xvfb), on a desktop that lacks
libxcb-cursor0: dpkg's database (a copy without that package, DPKG_ADMINDIR) and the library
itself (hidden by a bind mount in a private mount namespace) both say so. The script must print
the exact apt command, try the window, say in one line why it could not open (Qt's own reason)
and go on with the screenshot tour; the tour's first screenshot is awaited, then it is stopped
(the whole tour takes minutes). Needs root (runuser, mount namespace), Xvfb and unshare.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kiosk.screens import CAGE_USER, REPO, unprivileged_venv, write_config, xvfb

LIB = "libxcb-cursor0"


def _dpkg_without(package: str, admindir: Path) -> None:
    """A copy of dpkg's database in which `package` is not installed."""
    shutil.copytree("/var/lib/dpkg", admindir, ignore=shutil.ignore_patterns("info", "*-old"))
    (admindir / "info").mkdir()
    stanzas = (admindir / "status").read_text().split("\n\n")
    kept = [s for s in stanzas if not s.startswith(f"Package: {package}\n")]
    assert len(kept) == len(stanzas) - 1, f"{package} is not installed here"
    (admindir / "status").write_text("\n\n".join(kept))


@pytest.fixture
def desktop_copy() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("runs the demo as another user in a mount namespace: run the tests as root")
    missing = [p for p in ("Xvfb", "unshare", "runuser", "dpkg-query") if not shutil.which(p)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: apt-get install xvfb util-linux")
    if not Path(f"/var/lib/dpkg/info/{LIB}:amd64.list").exists():
        pytest.skip(f"{LIB} is not installed here, so there is nothing to hide")
    base = Path(tempfile.mkdtemp(prefix="safe-airports-demo-", dir="/tmp"))
    try:
        tree = base / "tree"
        files = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
        for name in files.decode().split("\0"):
            if name and (REPO / name).is_file():
                (tree / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, tree / name)
        why_not = unprivileged_venv(base, tree / ".venv", tree)
        if why_not:
            pytest.skip(why_not)
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_the_demo_window_as_a_desktop_user_without_qt_libraries(desktop_copy, sample_cache):
    base = desktop_copy
    tree, logs = base / "tree", base / "logs"
    logs.mkdir()
    config = write_config(base / "data", sample_cache, 0)
    _dpkg_without(LIB, base / "dpkg")
    for path in (tree, logs, base / "data", *tree.rglob("*"), *(base / "data").rglob("*")):
        shutil.chown(path, CAGE_USER)
    library = Path(
        subprocess.run(["dpkg", "-L", LIB], capture_output=True, text=True, check=True)
        .stdout.split("libxcb-cursor.so.0.0.0")[0]
        .splitlines()[-1]
        + "libxcb-cursor.so.0.0.0"
    )
    assert library.is_file()
    with xvfb(1280, 800) as display:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(base / "data"),
            "DISPLAY": display,
            "DPKG_ADMINDIR": str(base / "dpkg"),
        }
        demo = subprocess.Popen(
            [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                f'mount --bind /dev/null "{library}" && exec "$@"',
                "-",
                "runuser",
                "-u",
                CAGE_USER,
                "--",
                "env",
                "-i",
                *[f"{k}={v}" for k, v in env.items()],
                "bash",
                str(tree / "deploy" / "demo_window.sh"),
                str(config),
                str(logs),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert demo.stdout is not None
        lines: list[str] = []
        try:
            for line in demo.stdout:  # until the tour has begun
                lines.append(line.rstrip("\n"))
                if line.startswith("Running the kiosk's screenshot tour"):
                    break
            shots = tree / "demo-screens"
            deadline = time.monotonic() + 180
            while not any(shots.glob("*.png")):  # the tour's first screenshot
                assert demo.poll() is None, "\n".join(lines) + demo.stdout.read()
                assert time.monotonic() < deadline, "no tour screenshot in 180 s"
                time.sleep(0.2)
        finally:
            if demo.poll() is None:
                os.killpg(demo.pid, signal.SIGKILL)
            demo.wait(timeout=30)
    output = "\n".join(lines)
    assert f"  sudo apt-get install -y --no-install-recommends {LIB}\n" in output + "\n", output
    why = next(line for line in lines if line.startswith("The kiosk window could not open"))
    # Qt's own reason, in one line, without the log's time and level
    reason = why.split("): ", 1)[1]
    assert "xcb-cursor0" in reason and not reason.startswith(("WARNING", "20")), why
    assert output.endswith("Running the kiosk's screenshot tour into ./demo-screens instead.")
    # The unprivileged user ran it: what it wrote is its own, and nothing is root's.
    assert (tree / "demo-screens").stat().st_uid == (logs / "kiosk-window.log").stat().st_uid
    assert (logs / "kiosk-window.log").stat().st_uid != 0
