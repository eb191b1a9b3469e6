"""Every QR code decodes, with a real decoder (zxing-cpp), to exactly what it should hold."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.qr import MIN_SIZE, QUIET_ZONE, decode_id, render, tel_code, url_code, vcard, vcard_code
from kiosk.screens.cards import contact_card, link_code, vcard_of


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
    assert barcode.ec_level in ("M", "Q", "H")
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
    the vCard included, as the image provider serves it at the size the screen shows."""
    from content.cache import ContentCache

    cache = ContentCache.open(sample_cache)
    seen: set[str] = set()
    try:
        for airport_id in cache.airports():
            airport = cache.airport(airport_id, "en")
            for lang in [x.id for x in airport.languages]:
                strings = cache.ui_strings(lang)
                for dest in airport.destinations:
                    there, home = cache.help_contacts(dest.id, airport.country, lang)
                    codes = [
                        code for c in there + home for code in contact_card(c, strings, {}).codes
                    ]
                    vcard_code_ = vcard_of(f"Help: {dest.name}", there + home)
                    for code, size in [(c, 340) for c in codes] + [(vcard_code_, 560)]:
                        if code is None or (code.payload, size) in seen:
                            continue
                        seen.add((code.payload, size))
                        image = provider_image(code.image, size)
                        assert MIN_SIZE <= image.width <= max(size, MIN_SIZE + 60)
                        assert decode(image).text == code.payload
    finally:
        cache.close()
    assert any(p.startswith("BEGIN:VCARD") for p, _ in seen)
