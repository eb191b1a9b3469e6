"""Every QR code decodes, with a real decoder (zxing-cpp), to exactly what it should hold."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.qr import (
    MIN_MODULE_PX,
    MIN_SIZE,
    QUIET_ZONE,
    decode_id,
    display_size,
    error_correction,
    matrix,
    modules_of,
    render,
    tel_code,
    url_code,
    vcard,
    vcard_code,
    version_of,
)
from kiosk.screens.cards import contact_card, link_code


def decode(image: Image.Image) -> zxingcpp.Barcode:
    # Only QR codes: a dense QR code can also look like a 1D barcode to a multi-format reader.
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"expected one QR code, found {len(found)}"
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0]


@pytest.mark.parametrize(
    "payload",
    [
        "tel:+998712000000",
        "tel:112",
        "https://migration.uz",
        "https://t.me/some_channel",
        vcard("Yordam: Rossiya", [("Favqulodda xizmatlar", "112"), ("Elchixona", "+74952300054")]),
    ],
)
def test_rendered_code_is_exact_large_error_corrected_and_has_a_quiet_zone(payload: str) -> None:
    image = render(payload)
    assert image.width >= MIN_SIZE and image.width == image.height
    barcode = decode(image)
    assert barcode.text == payload
    # M for numbers and links; L for vCards, drawn on a clean screen (kiosk/qr.py)
    assert barcode.ec_level == ("L" if payload.startswith("BEGIN:VCARD") else "M")
    # Quiet zone: the finder pattern's dark run is 7 modules; before it, >= 4 light modules.
    pixels = image.load()
    size = image.width
    top = next(y for y in range(size) if any(pixels[x, y] < 128 for x in range(size)))
    left = next(x for x in range(image.width) if pixels[x, top] < 128)
    run = next(x for x in range(left, image.width) if pixels[x, top] >= 128) - left
    module = run / 7
    assert module >= 3, "modules of at least 3 px"
    assert left / module >= QUIET_ZONE and top / module >= QUIET_ZONE
    right = max(x for x in range(image.width) if pixels[x, top] < 128)
    assert (image.width - 1 - right) / module >= QUIET_ZONE - 0.01


def test_numbers_and_links_are_checked() -> None:
    assert tel_code("+77172123456").payload == "tel:+77172123456"
    assert tel_code("103").label == "103"
    for bad in ("8 800 555 35 35", "+7 (495) 123", "call us"):
        with pytest.raises(ValueError):
            tel_code(bad)
    with pytest.raises(ValueError):
        url_code("http://plain.example")
    assert link_code("https://wa.me/123").kind == "messenger"
    assert link_code("article:general/money") is None


def test_image_ids_round_trip() -> None:
    code = vcard_code("Ёрдам", [("Тез ёрдам", "103")])
    assert decode_id(code.image_id) == ("vcard", code.payload)


def test_every_contact_of_the_content_decodes_exactly(sample_cache: Path) -> None:
    """All contacts of every country: each tel/link/messenger code decodes to its value."""
    from content.cache import ContentCache

    cache = ContentCache.open(sample_cache)
    try:
        countries = sorted({c.country for c in cache.contacts(_all_countries(cache), "en")})
        contacts = cache.contacts(countries, "en")
    finally:
        cache.close()
    assert contacts
    checked = 0
    for contact in contacts:
        card = contact_card(contact, {}, {})
        expected = {f"tel:{n}" for n in contact.phones}
        expected |= {f"tel:{contact.short}"} if contact.short else set()
        expected |= {contact.url} if contact.url else set()
        expected |= set(contact.messengers.values())
        assert {code.payload for code in card.codes} == expected, contact.id
        for code in card.codes:
            assert decode(render(code.payload)).text == code.payload
            checked += 1
    assert checked >= len(contacts)


def _all_countries(cache) -> list[str]:
    summary = cache.summary()
    return list(summary["destinations"]) + list(summary["home_countries"])


def provider_image(image_id: str, size: int) -> Image.Image:
    """The image QML gets from the kiosk's image provider, as pillow sees it."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    from kiosk.images import QrImageProvider

    served = QrImageProvider().requestImage(image_id, QSize(), QSize(size, size))
    gray = served.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(gray.constBits())[: gray.bytesPerLine() * gray.height()]
    return Image.frombytes(
        "L", (gray.width(), gray.height()), data, "raw", "L", gray.bytesPerLine()
    )


def test_images_served_to_the_screens_decode_exactly(qapp, sample_cache: Path) -> None:
    """Every code of every help screen (each destination, each language of each airport),
    the vCards included, as the image provider serves it at the size the screen shows."""
    from content.cache import ContentCache
    from kiosk.screens.help import build_help
    from kiosk.screens.place import place_of

    cache = ContentCache.open(sample_cache)
    seen: set[tuple[str, int]] = set()
    try:
        for airport_id in cache.airports():
            place = place_of(cache, airport_id)
            for lang in place.languages:
                strings = cache.ui_strings(lang)
                for dest in sorted(place.destination_ids):
                    page = build_help(cache, place, lang, strings, dest)
                    codes = [*page.vcards, *(c for card in page.cards for c in card.codes)]
                    for code in codes:
                        if (code.payload, code.size) in seen:
                            continue
                        seen.add((code.payload, code.size))
                        image = provider_image(code.image, code.size)
                        assert image.width <= code.size
                        assert image.width >= modules_of(code.payload) * MIN_MODULE_PX
                        assert decode(image).text == code.payload
    finally:
        cache.close()
    assert any(p.startswith("BEGIN:VCARD") for p, _ in seen)


@pytest.mark.parametrize(
    "payload",
    [
        "tel:112",
        "tel:+998712000000",
        "https://" + "a" * 75,
        "https://" + "a" * 76,
        "https://" + "long-path/" * 30,
        vcard("Ёрдам", [("Тез ёрдам", "103")]),
        vcard("Ёрдам", [(f"Ишонч телефони {i}", f"+99871200000{i}") for i in range(9)]),
    ],
)
def test_size_follows_from_the_payload_alone(payload: str) -> None:
    """`modules_of` (no encoding) is the size of the code the encoder makes, in byte mode."""
    assert len(matrix(payload)) == modules_of(payload)
    assert error_correction(payload) == ("L" if payload.startswith("BEGIN:") else "M")
    size = display_size(payload)
    assert size >= MIN_SIZE and size >= modules_of(payload) * MIN_MODULE_PX
    assert size == max(MIN_SIZE, modules_of(payload) * MIN_MODULE_PX)


def test_data_capacity_tables_are_the_standards() -> None:
    import qrcode.constants
    import qrcode.util

    from kiosk.qr import _DATA_BITS

    table = qrcode.util.BIT_LIMIT_TABLE
    assert _DATA_BITS["M"] == tuple(table[qrcode.constants.ERROR_CORRECT_M])
    assert _DATA_BITS["L"] == tuple(table[qrcode.constants.ERROR_CORRECT_L])
    # version 5 at M holds 84 bytes (4 bits of mode and 8 of length beside them)
    assert version_of("x" * 84) == 5 and version_of("x" * 85) == 6


def test_tel_codes_keep_e164_and_print_the_grouped_number() -> None:
    code = tel_code("+448000121700", "+44 800 012 1700")
    assert code.payload == "tel:+448000121700" and code.label == "+44 800 012 1700"
    assert tel_code("1345").label == "1345"
