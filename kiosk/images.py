"""Image providers for QML: `image://qr/<kind>/<payload>` and `image://asset/<path>`.

QR codes are rendered by kiosk/qr.py at the size QML asks for (never below its minimum), so
every module is a whole number of pixels. Assets (topic icons, flags) come from the content
cache; SVGs are rasterised at the requested size.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider
from PySide6.QtSvg import QSvgRenderer

from kiosk.qr import MIN_MODULE_PX, MIN_SIZE, decode_id, gray_rows

log = logging.getLogger(__name__)


class _Lru:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str | int, ...], QImage] = OrderedDict()

    def get(self, key: tuple[str | int, ...]) -> QImage | None:
        image = self._items.get(key)
        if image is not None:
            self._items.move_to_end(key)
        return image

    def put(self, key: tuple[str | int, ...], image: QImage) -> None:
        self._items[key] = image
        while len(self._items) > self._size:
            self._items.popitem(last=False)


def _placeholder(width: int) -> QImage:
    image = QImage(width, width, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image


def qr_image(payload: str, size: int = MIN_SIZE) -> QImage:
    """The QR code as a crisp grayscale image: whole pixels per module, as big as fits in
    `size` pixels, at least `MIN_MODULE_PX` per module."""
    modules, data = gray_rows(payload)
    small = QImage(data, modules, modules, modules, QImage.Format.Format_Grayscale8).copy()
    # Whole pixels per module, no bigger than asked (QML shows it unscaled, centred), but
    # never under MIN_MODULE_PX per module (screens ask for kiosk.qr.display_size, which
    # leaves room for that).
    scale = max(size // modules, MIN_MODULE_PX)
    edge = modules * scale
    return small.scaled(
        edge, edge, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation
    )


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._cache = _Lru(32)

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802
        wanted = max(MIN_SIZE, requested.width() if requested.isValid() else 0)
        key = (image_id, wanted)
        image = self._cache.get(key)
        if image is None:
            try:
                _, payload = decode_id(image_id)
                image = qr_image(payload, wanted)
            except Exception:
                log.exception("cannot render QR code %s", image_id[:40])
                image = _placeholder(wanted)
            self._cache.put(key, image)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image


class AssetImageProvider(QQuickImageProvider):
    """Icons and flags stored in the content cache (`asset(path) -> bytes | None`)."""

    def __init__(self, read_asset: Callable[[str], bytes | None]) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._read = read_asset
        self._cache = _Lru(128)

    def set_reader(self, read_asset: Callable[[str], bytes | None]) -> None:
        self._read = read_asset
        self._cache = _Lru(128)

    def requestImage(self, path: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802
        edge = requested.width() if requested.isValid() and requested.width() > 0 else 128
        wanted = requested if requested.isValid() else QSize(edge, edge)
        # Both sides in the key: a width and height set one after the other (a binding
        # following the display scale) first ask for a box of the new width and the old height.
        key = (path, wanted.width(), wanted.height())
        image = self._cache.get(key)
        if image is None:
            image = self._load(path, wanted)
            self._cache.put(key, image)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image

    def _load(self, path: str, requested: QSize) -> QImage:
        try:
            data = self._read(path)
        except Exception:
            log.exception("cannot read asset %s", path)
            data = None
        if not data:
            log.error("asset %s is missing from the content", path)
            return _placeholder(requested.width())
        if path.endswith(".svg"):
            renderer = QSvgRenderer(QByteArray(data))
            if not renderer.isValid():
                log.error("asset %s is not a valid SVG", path)
                return _placeholder(requested.width())
            target = renderer.defaultSize().scaled(requested, Qt.AspectRatioMode.KeepAspectRatio)
            image = QImage(target, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor(0, 0, 0, 0))
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            return image
        image = QImage.fromData(QByteArray(data))
        if image.isNull():
            return _placeholder(requested.width())
        return image.scaled(
            requested,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
