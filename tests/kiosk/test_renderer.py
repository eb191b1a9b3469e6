"""The `renderer` setting: which Qt Quick backend the kiosk draws with (kiosk/renderer.py).

The choice itself is checked with a stand-in for the OpenGL probe; the probe is then run for
real, under Xvfb with Mesa (whose OpenGL here is llvmpipe: `auto` must choose the software
backend even where a render node exists) and with Mesa's drivers out of reach (OpenGL cannot
start: Qt Quick's default backend would never draw, so `auto` must choose software). Inside
cage the two backends draw the kiosk in tests/kiosk/test_display_servers.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.renderer import choose_renderer
from tests.kiosk.screens import REPO, xvfb

NODE = [Path("/dev/dri/renderD128")]


def _no_probe() -> str | None:
    raise AssertionError("OpenGL was probed where the choice did not need it")


def test_the_environment_wins_over_the_setting() -> None:
    choice = choose_renderer("opengl", {"QT_QUICK_BACKEND": "software"}, NODE, _no_probe)
    assert choice.software and "environment" in choice.reason
    assert not choose_renderer("software", {"QT_QUICK_BACKEND": "rhi"}, [], _no_probe).software


def test_software_and_opengl_are_obeyed_without_looking_at_the_machine() -> None:
    assert choose_renderer("software", {}, NODE, _no_probe).software
    assert not choose_renderer("opengl", {}, [], _no_probe).software


def test_auto_without_a_gpu_render_node_draws_in_software() -> None:
    choice = choose_renderer("auto", {}, [], _no_probe)
    assert choice.software and "no GPU render node" in choice.reason


@pytest.mark.parametrize(
    ("gl", "software"),
    [
        ("AMD Radeon Vega 8 Graphics (radeonsi, raven, LLVM 15.0.6, DRM 3.49)", False),
        ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)", False),
        ("llvmpipe (LLVM 15.0.6, 256 bits)", True),
        ("softpipe", True),
        (None, True),  # OpenGL cannot start: the default backend would never draw
    ],
)
def test_auto_with_a_render_node_asks_opengl_what_draws(gl: str | None, software: bool) -> None:
    assert choose_renderer("auto", {}, NODE, lambda: gl).software is software


_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickWindow
from kiosk.renderer import apply_renderer, probe_gl_renderer
app = QGuiApplication(sys.argv[:1])
gl = probe_gl_renderer()
choice = apply_renderer("auto", {}, dri=Path(sys.argv[1]))
print(json.dumps({"gl": gl, "reason": choice.reason, "backend": QQuickWindow.sceneGraphBackend()}))
"""


def test_the_opengl_probe_for_real(tmp_path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb not installed: apt-get install xvfb (make test installs it as root)")
    dri = tmp_path / "dri"
    dri.mkdir()
    (dri / "renderD128").touch()  # as if the kernel had a GPU driver: OpenGL is asked
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QUICK_BACKEND", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO))
    found = {}
    with xvfb(640, 480) as display:
        for case, extra in (("mesa", {}), ("no driver", {"LIBGL_DRIVERS_PATH": str(tmp_path)})):
            result = subprocess.run(
                [sys.executable, "-c", _PROBE, str(dri)],
                env={**env, "DISPLAY": display, **extra},
                capture_output=True,
                text=True,
                timeout=120,
                cwd=REPO,
            )
            assert result.returncode == 0, result.stderr[-2000:]
            found[case] = json.loads(result.stdout.strip().splitlines()[-1])
    assert "llvmpipe" in found["mesa"]["gl"], found
    assert "CPU rasteriser" in found["mesa"]["reason"], found
    assert found["no driver"]["gl"] is None, found
    assert "OpenGL cannot start" in found["no driver"]["reason"], found
    assert found["mesa"]["backend"] == found["no driver"]["backend"] == "software", found
