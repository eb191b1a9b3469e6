"""Keep frames coming under cage 0.1.4 with Qt Quick's software backend.

cage 0.1.4 (Debian 12) answers a surface's frame callbacks only when it draws its output, and
draws its output only when a surface commits damage. Qt Quick's software backend flushes only
what changed, so a frame in which nothing changed (a polish, an update() with no visible
effect) commits a new buffer with no damage, and Qt then waits for that frame callback before
drawing again. When no other frame of the output is in flight, the callback never comes and
the kiosk stops drawing, however it is touched (seen under cage with WAYLAND_DEBUG=client:
`attach; commit` with no `damage_buffer`, then no `wl_callback.done` until something else
made cage draw; kiosk/README.md, "The software renderer under cage 0.1.4").

The fix here: a one-pixel item in the window's top-left corner whose colour alternates between
two almost transparent blacks (alpha 1/255 and 2/255: no visible change) on every frame, set on
its scene-graph node just before the frame is rendered. Every flush then damages that pixel,
so every commit carries damage and cage always answers. The colour is changed on the node, not
the item, so it asks for no extra frame. OpenGL (and any RHI backend) frames damage the whole
surface anyway: this is installed only for the software backend on Wayland.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtQuick import QQuickItem, QQuickWindow, QSGRendererInterface, QSGSimpleRectNode

_SHADES = (QColor(0, 0, 0, 1), QColor(0, 0, 0, 2))


class _DamagePixel(QQuickItem):
    def __init__(self, parent: QQuickItem) -> None:
        super().__init__(parent)
        self.setFlag(QQuickItem.Flag.ItemHasContents, True)
        self.setSize(QSizeF(1, 1))
        self.setZ(1e9)
        self.node: QSGSimpleRectNode | None = None
        self.shade = 0

    def updatePaintNode(self, old: Any, _data: Any) -> Any:  # noqa: N802 (Qt's name)
        node = old if isinstance(old, QSGSimpleRectNode) else None
        if node is None:
            node = QSGSimpleRectNode()
        node.setRect(0, 0, 1, 1)
        node.setColor(_SHADES[self.shade])
        self.node = node
        return node

    def pulse(self) -> None:
        """On the render thread, before the frame is rendered: mark this pixel changed."""
        if self.node is not None:
            self.shade = 1 - self.shade
            self.node.setColor(_SHADES[self.shade])

    def forget(self) -> None:
        """The scene graph (and the node with it) is gone."""
        self.node = None


def needed(window: QQuickWindow) -> bool:
    """Whether `window` draws with the software backend on a Wayland compositor."""
    renderer = window.rendererInterface()
    return (
        QGuiApplication.platformName().startswith("wayland")
        and renderer is not None
        and renderer.graphicsApi() == QSGRendererInterface.GraphicsApi.Software
    )


def damage_every_frame(window: QQuickWindow) -> QQuickItem | None:
    """Install the damage pixel in `window` where it is needed; the item, or None."""
    if not needed(window):
        return None
    pixel = _DamagePixel(window.contentItem())
    direct = Qt.ConnectionType.DirectConnection
    window.beforeRendering.connect(pixel.pulse, direct)
    window.sceneGraphInvalidated.connect(pixel.forget, direct)
    return pixel
