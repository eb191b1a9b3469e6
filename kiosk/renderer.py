"""Which Qt Quick backend the kiosk draws with: the `renderer` setting.

Qt Quick's default backend draws through OpenGL (Qt's RHI): on a kiosk with a GPU that is the
right one. Without a GPU, Mesa draws that OpenGL on the CPU (llvmpipe), which measured slower
and heavier than Qt Quick's own software backend inside cage (kiosk/README.md, "Benchmarks");
and where OpenGL cannot start at all (no Mesa driver, a broken GPU driver) the default backend
does not fall back: Qt logs "Failed to initialize graphics backend for OpenGL" and the kiosk
never draws.

So `auto` (the default) keeps Qt's default backend only where the kernel offers a GPU render
node (/dev/dri/renderD*) and an OpenGL context made there names a hardware renderer; otherwise
it chooses the software backend. `opengl` always keeps Qt's default, `software` never does.
QT_QUICK_BACKEND set in the environment wins over the setting (the tests and Makefile set it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

RENDERER_CHOICES = ("auto", "opengl", "software")
DRI = Path("/dev/dri")
# GL_RENDERER strings of Mesa's CPU rasterisers (llvmpipe, softpipe; "Software Rasterizer"
# is swrast's).
SOFTWARE_GL = ("llvmpipe", "softpipe", "swrast", "software rasterizer")
GL_RENDERER = 0x1F01


@dataclass(frozen=True)
class RendererChoice:
    software: bool  # True: Qt Quick's software backend; False: Qt's default (or the env's)
    reason: str


def render_nodes(dri: Path = DRI) -> list[Path]:
    """The GPU render nodes the kernel offers (none on a machine without a GPU driver)."""
    return sorted(dri.glob("renderD*")) if dri.is_dir() else []


def choose_renderer(
    setting: str,
    environ: Mapping[str, str],
    nodes: list[Path],
    gl_renderer: Callable[[], str | None],
) -> RendererChoice:
    """The backend for `setting`; `gl_renderer` makes an OpenGL context and returns its
    GL_RENDERER (None: no context), asked only for `auto` where there is a render node."""
    backend = environ.get("QT_QUICK_BACKEND", "")
    if backend:
        return RendererChoice(backend == "software", f"QT_QUICK_BACKEND={backend} (environment)")
    if setting == "software":
        return RendererChoice(True, "renderer = software")
    if setting == "opengl":
        return RendererChoice(False, "renderer = opengl: Qt Quick's default backend")
    if not nodes:
        return RendererChoice(
            True,
            "auto: no GPU render node in /dev/dri (OpenGL would be Mesa's llvmpipe, on the CPU)",
        )
    name = gl_renderer()
    if name is None:
        return RendererChoice(True, f"auto: {nodes[0]} present but OpenGL cannot start")
    if any(word in name.lower() for word in SOFTWARE_GL):
        return RendererChoice(True, f"auto: OpenGL is {name!r}, a CPU rasteriser")
    return RendererChoice(False, f"auto: OpenGL on {name!r}")


def probe_gl_renderer() -> str | None:
    """GL_RENDERER of an OpenGL context made as Qt Quick would; needs the QGuiApplication."""
    from PySide6.QtGui import QOffscreenSurface, QOpenGLContext

    context = QOpenGLContext()
    if not context.create():
        return None
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not surface.isValid() or not context.makeCurrent(surface):
            return None
        name = context.functions().glGetString(GL_RENDERER)
        context.doneCurrent()
        return str(name) if name else None
    finally:
        surface.destroy()


def apply_renderer(
    setting: str,
    environ: Mapping[str, str],
    dri: Path = DRI,
    gl_renderer: Callable[[], str | None] = probe_gl_renderer,
) -> RendererChoice:
    """Choose and set the backend: after the QGuiApplication exists, before any window."""
    from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

    choice = choose_renderer(setting, environ, render_nodes(dri), gl_renderer)
    # Qt reads QT_QUICK_BACKEND itself; asking again once a window exists only gets a warning.
    chosen = environ.get("QT_QUICK_BACKEND") or QQuickWindow.sceneGraphBackend()
    if choice.software and chosen != "software":
        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
    log.info("renderer: %s (%s)", "software" if choice.software else "Qt default", choice.reason)
    return choice
