"""QR codes for contacts and links (Qt-free): payloads, vCards and the PNG images.

Error correction M (L for vCards: `error_correction`), a full 4-module quiet zone, at least
`MIN_SIZE` pixels and at least
`MIN_MODULE_PX` pixels per module (0.5 mm is the floor the issue sets; 7 px is 1.7 mm on the
21.5-inch 1080×1920 reference panel, where the kiosk draws 1 device pixel per design pixel in
both orientations, kiosk/display_metrics.py) so that a cheap phone reads it from about 40 cm.
Every code is encoded in byte mode, so its size follows from its payload's length alone
(`modules_of`, no encoding needed): a screen asks for `display_size` design pixels, and a vCard
too dense for its place is split into several (kiosk/screens/cards.py). The Qt image provider
(kiosk/images.py) serves these to QML under `image://qr/<kind>/<base64url payload>`.
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
MIN_MODULE_PX = 7  # design pixels per module, at least (see above)
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


def is_phone_number(number: str) -> bool:
    """E.164 (+998712000000) or a short number dialled as it is (112)."""
    return bool(_E164.fullmatch(number) or _SHORT.fullmatch(number))


def tel_code(number: str, display: str = "") -> QrCode:
    """A `tel:` code for an E.164 number (+998...) or a short local number (112); `display`
    is what is printed beside it (the number grouped as its country writes it)."""
    number = number.strip()
    if not is_phone_number(number):
        raise ValueError(f"not a phone number in E.164 or a short number: {number!r}")
    return QrCode("tel", f"tel:{number}", display or number)


def url_code(url: str, kind: str = "url") -> QrCode:
    if not url.startswith("https://"):
        raise ValueError(f"only https links become QR codes: {url!r}")
    label = url.removeprefix("https://").rstrip("/")
    return QrCode(kind, url, label)


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def vcard(title: str, entries: Iterable[tuple[str, str]]) -> str:
    """One vCard 3.0 named `title` holding each (label, number) as a labelled phone number.

    Only what a phone needs: N and FN (3.0 requires both), and per number a TEL (voice is its
    default type) grouped with the label phones show beside it (X-ABLabel, read by iOS and
    Android contacts)."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_vcard_escape(title)};;;;",
        f"FN:{_vcard_escape(title)}",
    ]
    for i, (label, number) in enumerate(entries, start=1):
        lines.append(f"item{i}.TEL:{number}")
        lines.append(f"item{i}.X-ABLabel:{_vcard_escape(label)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def vcard_code(title: str, entries: Iterable[tuple[str, str]]) -> QrCode:
    return QrCode("vcard", vcard(title, entries), title)


# Data bits a version-1..40 code holds at error correction M and L (ISO/IEC 18004 table 7;
# the same as qrcode.util.BIT_LIMIT_TABLE, checked by tests/kiosk/test_qr.py).
_DATA_BITS = {
    "M": (
        0, 128, 224, 352, 512, 688, 864, 992, 1232, 1456, 1728, 2032, 2320, 2672, 2920, 3320,
        3624, 4056, 4504, 5016, 5352, 5712, 6256, 6880, 7312, 8000, 8496, 9024, 9544, 10136,
        10984, 11640, 12328, 13048, 13800, 14496, 15312, 15936, 16816, 17728, 18672,
    ),
    "L": (
        0, 152, 272, 440, 640, 864, 1088, 1248, 1552, 1856, 2192, 2592, 2960, 3424, 3688, 4184,
        4712, 5176, 5768, 6360, 6888, 7456, 8048, 8752, 9392, 10208, 10960, 11744, 12248, 13048,
        13880, 14744, 15640, 16568, 17528, 18448, 19472, 20528, 21616, 22496, 23648,
    ),
}  # fmt: skip


def error_correction(payload: str) -> str:
    """M for numbers and links; L for vCards.

    A vCard holds many numbers and labels, so at M it needs a denser code or more codes. On a
    kiosk the code is drawn on a clean backlit screen, not printed: nothing wears, folds or
    soils it, which is what the larger margins of M and above are for; what makes a cheap phone
    read it is the size of a module, and L gives the same vCard 20-25 % fewer modules (a split
    vCard fewer codes) than M."""
    return "L" if payload.startswith("BEGIN:VCARD") else "M"


def version_of(payload: str) -> int:
    """The QR version (1..40) the payload needs in byte mode at its error correction."""
    size = len(payload.encode("utf-8"))
    limits = _DATA_BITS[error_correction(payload)]
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * size <= limits[version]:
            return version
    raise ValueError(f"too long for a QR code: {size} bytes")


def modules_of(payload: str) -> int:
    """Modules per side of the payload's code, quiet zone included."""
    return 17 + 4 * version_of(payload) + 2 * QUIET_ZONE


def display_size(payload: str, base: int = MIN_SIZE) -> int:
    """Design pixels to show the payload's code in: `base`, or more where `base` would give a
    module fewer than `MIN_MODULE_PX` pixels."""
    return max(base, MIN_SIZE, modules_of(payload) * MIN_MODULE_PX)


def fits(payload: str, size: int) -> bool:
    """Whether the payload's code shows at `MIN_MODULE_PX` per module within `size` pixels."""
    return modules_of(payload) * MIN_MODULE_PX <= size


@functools.lru_cache(maxsize=1024)
def matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the QR code of `payload` (True = dark), quiet zone included.

    Encoding is the slow part (pure Python), so results are cached; the kiosk warms this cache
    for every contact of its airport while the attract screen runs.
    """
    qr = _qr_code(payload)
    qr.make(fit=True)
    return tuple(tuple(row) for row in qr.get_matrix())


def _qr_code(payload: str) -> Any:
    import qrcode  # imported on first use: it is slow to import and not needed to start
    import qrcode.constants
    import qrcode.util

    level = {"M": qrcode.constants.ERROR_CORRECT_M, "L": qrcode.constants.ERROR_CORRECT_L}
    qr = qrcode.QRCode(
        error_correction=level[error_correction(payload)], box_size=1, border=QUIET_ZONE
    )
    # Byte mode for the whole payload: its version then follows from its length (version_of).
    qr.add_data(qrcode.util.QRData(payload.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    return qr


@functools.lru_cache(maxsize=256)
def gray_rows(payload: str) -> tuple[int, bytes]:
    """(modules per side, one byte per module: 0 dark, 255 light), row after row."""
    rows = matrix(payload)
    return len(rows), b"".join(bytes(0 if dark else 255 for dark in row) for row in rows)


def render(payload: str, min_size: int = MIN_SIZE) -> Image.Image:
    """The QR code of `payload` as a black-on-white image, whole pixels per module (pillow)."""
    qr = _qr_code(payload)
    qr.make(fit=True)
    modules = qr.modules_count + 2 * QUIET_ZONE
    qr.box_size = max(1, -(-min_size // modules))
    image: Image.Image = qr.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("L")


def render_png(payload: str, min_size: int = MIN_SIZE) -> bytes:
    buffer = io.BytesIO()
    render(payload, min_size).save(buffer, format="PNG")
    return buffer.getvalue()
