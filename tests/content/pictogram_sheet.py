"""Contact sheet of the sample's pictures, to look at them the way the kiosk draws them.

    QT_QPA_PLATFORM=offscreen python -m tests.content.pictogram_sheet /tmp/pictures.png [size]

Every SVG under content/sample/assets/ (topic icons, indicators, checklist, flags) is rendered
with QSvgRenderer at `size` pixels high (96 by default), with its file name underneath, one row
per folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ASSETS = Path(__file__).resolve().parents[2] / "content" / "sample" / "assets"
FOLDERS = ("topics", "indicators", "checklist", "flags")


def render(path: Path, height: int) -> QImage:
    """The picture at `height` pixels high (width from its viewBox), on a transparent ground."""
    renderer = QSvgRenderer(QByteArray(path.read_bytes()))
    if not renderer.isValid():
        raise ValueError(f"{path} is not an SVG that Qt can draw")
    box = renderer.viewBoxF()
    width = round(height * box.width() / box.height())
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return image


def contact_sheet(size: int = 96, columns: int = 6) -> QImage:
    cell_w, cell_h, label_h, pad = size * 2, size + 44, 36, 16
    rows: list[list[Path]] = []
    for folder in FOLDERS:
        files = sorted((ASSETS / folder).glob("*.svg"))
        rows.extend(files[i : i + columns] for i in range(0, len(files), columns))
    sheet = QImage(
        cell_w * columns + 2 * pad, cell_h * len(rows) + 2 * pad, QImage.Format.Format_RGB32
    )
    sheet.fill(QColor("#ffffff"))
    painter = QPainter(sheet)
    font = QFont()
    font.setPixelSize(13)
    painter.setFont(font)
    for r, row in enumerate(rows):
        for c, path in enumerate(row):
            x, y = pad + c * cell_w, pad + r * cell_h
            image = render(path, size)
            painter.drawImage(x + (cell_w - image.width()) // 2, y, image)
            painter.setPen(QColor("#444444"))
            painter.drawText(
                QRectF(x, y + size + 4, cell_w, label_h),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                f"{path.parent.name}/{path.stem}",
            )
    painter.end()
    return sheet


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    app = QGuiApplication.instance() or QGuiApplication([])  # fonts need an application
    size = int(argv[2]) if len(argv) > 2 else 96
    if not contact_sheet(size).save(argv[1]):
        print(f"cannot write {argv[1]}", file=sys.stderr)
        return 1
    return 0 if app else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
