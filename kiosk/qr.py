"""QR codes for contacts and links (Qt-free): payloads, vCards and the PNG images.

Error correction M, a full 4-module quiet zone, and at least `MIN_SIZE` pixels so that a phone
reads it from about 40 cm. The Qt image provider (kiosk/qr_provider.py) serves these to QML
under `image://qr/<kind>/<base64url payload>`.
"""

from __future__ import annotations

import base64
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

MIN_SIZE = 320  # pixels; modules are whole pixels, so the image is at least this big
QUIET_ZONE = 4  # modules, as the QR standard asks
QR_KINDS = ("tel", "url", "messenger", "vcard")

_E164 = re.compile(r"\+[1-9][0-9]{3,14}")
_SHORT = re.compile(r"[0-9]{2,8}")


@dataclass(frozen=True)
class QrCode:
    kind: str  # one of QR_KINDS (also the usage counter value)
    payload: str  # exactly what a phone reads from the code
    label: str  # printed beside the code (the number or the link)

    @property
    def image_id(self) -> str:
        return f"{self.kind}/{encode_id(self.payload)}"


def encode_id(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii").rstrip("=")


def decode_id(image_id: str) -> tuple[str, str]:
    """(kind, payload) from an image id made by `QrCode.image_id`."""
    kind, _, encoded = image_id.partition("/")
    encoded = encoded.split("?", 1)[0]
    if kind not in QR_KINDS or not encoded:
        raise ValueError(f"not a QR image id: {image_id!r}")
    padded = encoded + "=" * (-len(encoded) % 4)
    return kind, base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")


def tel_code(number: str) -> QrCode:
    """A `tel:` code for an E.164 number (+998...) or a short local number (112)."""
    number = number.strip()
    if not (_E164.fullmatch(number) or _SHORT.fullmatch(number)):
        raise ValueError(f"not a phone number in E.164 or a short number: {number!r}")
    return QrCode("tel", f"tel:{number}", number)


def url_code(url: str, kind: str = "url") -> QrCode:
    if not url.startswith("https://"):
        raise ValueError(f"only https links become QR codes: {url!r}")
    label = url.removeprefix("https://").rstrip("/")
    return QrCode(kind, url, label)


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def vcard(title: str, entries: Iterable[tuple[str, str]]) -> str:
    """One vCard 3.0 named `title` holding each (label, number) as a labelled phone number."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_vcard_escape(title)};;;;",
        f"FN:{_vcard_escape(title)}",
    ]
    for i, (label, number) in enumerate(entries, start=1):
        lines.append(f"item{i}.TEL;TYPE=VOICE:{number}")
        lines.append(f"item{i}.X-ABLabel:{_vcard_escape(label)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def vcard_code(title: str, entries: Iterable[tuple[str, str]]) -> QrCode:
    return QrCode("vcard", vcard(title, entries), title)


@functools.lru_cache(maxsize=1024)
def matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the QR code of `payload` (True = dark), quiet zone included.

    Encoding is the slow part (pure Python), so results are cached; the kiosk warms this cache
    for every contact of its airport while the attract screen runs.
    """
    qr = _qr_code()
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def _qr_code() -> Any:
    import qrcode  # imported on first use: it is slow to import and not needed to start
    import qrcode.constants

    return qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=QUIET_ZONE
    )


@functools.lru_cache(maxsize=256)
def gray_rows(payload: str) -> tuple[int, bytes]:
    """(modules per side, one byte per module: 0 dark, 255 light), row after row."""
    rows = matrix(payload)
    return len(rows), b"".join(bytes(0 if dark else 255 for dark in row) for row in rows)


def render(payload: str, min_size: int = MIN_SIZE) -> Image.Image:
    """The QR code of `payload` as a black-on-white image, whole pixels per module (pillow)."""
    qr = _qr_code()
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    modules = qr.modules_count + 2 * QUIET_ZONE
    qr.box_size = max(1, -(-min_size // modules))
    image: Image.Image = qr.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("L")


def render_png(payload: str, min_size: int = MIN_SIZE) -> bytes:
    buffer = io.BytesIO()
    render(payload, min_size).save(buffer, format="PNG")
    return buffer.getvalue()
